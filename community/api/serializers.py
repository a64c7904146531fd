from rest_framework import serializers

from ..models import EmployerPartner, Event, EventRegistration


class EventSerializer(serializers.ModelSerializer):
    employer = serializers.PrimaryKeyRelatedField(
        queryset=EmployerPartner.objects.all(), required=False, allow_null=True
    )
    places_taken = serializers.SerializerMethodField()
    my_registration = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "description",
            "format",
            "location",
            "starts_at",
            "ends_at",
            "region",
            "employer",
            "capacity",
            "waiting_list",
            "status",
            "places_taken",
            "my_registration",
        ]

    def get_places_taken(self, event) -> int:
        return getattr(event, "places_taken", 0)

    def get_my_registration(self, event) -> str | None:
        return getattr(event, "my_status", None)

    def to_representation(self, event):
        data = super().to_representation(event)
        request = self.context.get("request")
        staff = request is not None and request.user.is_programme_staff
        if event.format == Event.Format.ONLINE and not staff and data["my_registration"] != "registered":
            data["location"] = ""  # the joining link is for those with a place, as on the event page
        return data

    def validate(self, attrs):
        starts_at = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends_at = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts_at and ends_at and ends_at <= starts_at:
            raise serializers.ValidationError({"ends_at": "The event must end after it starts."})
        return attrs


class EventRegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventRegistration
        fields = ["id", "event", "status", "created_at"]
