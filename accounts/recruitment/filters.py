import django_filters
from django.db.models import Q

from mentoring.models import Programme, YouthPartner

from ..models import Application, Region


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search by name or email", method="search")
    status = django_filters.ChoiceFilter(choices=Application.Status.choices)
    role = django_filters.ChoiceFilter(choices=[("mentor", "Mentor"), ("mentee", "Mentee")])
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all())
    youth_partner = django_filters.ModelChoiceFilter(
        queryset=YouthPartner.objects.none(), label="Youth partner"
    )
    region = django_filters.ChoiceFilter(choices=Region.choices)

    class Meta:
        model = Application
        fields = ["q", "status", "role", "programme", "youth_partner", "region"]

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.filters["youth_partner"].queryset = partners

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(user__email__icontains=value)
        )
