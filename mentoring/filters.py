import django_filters
from django.db.models import Exists, OuterRef, Q

from accounts.models import MenteeProfile, Region, birthdate_cutoff
from core.filters import ListFilterSet, ModelChoiceFilter

from .models import Programme, Relationship, YouthPartner
from .selectors import CADENCE_LABELS

AGE_BANDS = [
    ("under_16", "Under 16"),
    ("16_17", "16 to 17"),
    ("under_18", "Under 18"),
    ("adult", "18 and over"),
]
MATCH_STATES = [("matched", "Matched"), ("waiting", "Waiting for a match")]


def filter_age_band(queryset, name, value, prefix=""):
    under_16, under_18 = birthdate_cutoff(16), birthdate_cutoff(18)
    field = f"{prefix}date_of_birth"
    if value == "under_16":
        return queryset.filter(**{f"{field}__gt": under_16})
    if value == "under_18":
        return queryset.filter(**{f"{field}__gt": under_18})
    if value == "16_17":
        return queryset.filter(**{f"{field}__gt": under_18, f"{field}__lte": under_16})
    if value == "adult":
        return queryset.filter(**{f"{field}__lte": under_18})
    return queryset


class MenteeFilter(ListFilterSet):
    q = django_filters.CharFilter(label="Search by name", method="search")
    youth_partner = ModelChoiceFilter(queryset=YouthPartner.objects.none(), label="Youth partner")
    age_band = django_filters.ChoiceFilter(
        choices=AGE_BANDS, label="Age", method="filter_age", empty_label="Any"
    )
    stage = django_filters.ChoiceFilter(choices=MenteeProfile.Stage.choices, empty_label="Any")
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="Any")
    match = django_filters.ChoiceFilter(
        choices=MATCH_STATES, label="Match", method="filter_match", empty_label="Any"
    )

    class Meta:
        model = MenteeProfile
        fields = ["q", "youth_partner", "age_band", "stage", "region", "match"]

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.filters["youth_partner"].queryset = partners

    def search(self, queryset, name, value):
        for word in value.split()[:4]:
            queryset = queryset.filter(
                Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
            )
        return queryset

    def filter_age(self, queryset, name, value):
        return filter_age_band(queryset, name, value)

    def filter_match(self, queryset, name, value):
        # Matched: with an open relationship, as the list's "Matched with" column shows.
        open_relationships = Relationship.objects.open().filter(mentee_id=OuterRef("user_id"))
        if value == "matched":
            return queryset.filter(Exists(open_relationships))
        return queryset.exclude(Exists(open_relationships))


class MentorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search by name or sector", method="search")
    region = django_filters.ChoiceFilter(
        field_name="mentor_profile__region", choices=Region.choices, empty_label="Any"
    )

    def search(self, queryset, name, value):
        for word in value.split()[:4]:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(mentor_profile__sector__icontains=word)
            )
        return queryset


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search by name")
    kind = django_filters.ChoiceFilter(choices=YouthPartner.Kind.choices, label="Type", empty_label="Any")
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="Any")
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = YouthPartner
        fields = ["q", "kind", "region", "is_active"]


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search by name")
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Programme
        fields = ["q", "is_active"]


RELATIONSHIP_STATUSES = [("open", "Open (any status before the end)"), *Relationship.Status.choices]


class RelationshipFilter(django_filters.FilterSet):
    """The coordinator's relationships list: status, cadence, youth partner and a name search."""

    q = django_filters.CharFilter(label="Search by mentor or mentee name", method="search")
    status = django_filters.ChoiceFilter(
        choices=RELATIONSHIP_STATUSES, label="Status", method="filter_status", empty_label="Any"
    )
    cadence = django_filters.ChoiceFilter(
        choices=list(CADENCE_LABELS.items()), label="Cadence", empty_label="Any"
    )
    youth_partner = ModelChoiceFilter(
        queryset=YouthPartner.objects.none(),
        label="Youth partner",
        field_name="mentee__mentee_profile__youth_partner",
    )

    class Meta:
        model = Relationship
        fields = ["q", "status", "cadence", "youth_partner"]

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is None:
            del self.filters["youth_partner"]
        else:
            self.filters["youth_partner"].queryset = partners

    def search(self, queryset, name, value):
        from core import policy

        # A mentee's surname is searched only for those who run relationships: a mentor searching
        # their own list must not learn it letter by letter.
        surname = self.request is not None and policy.can(self.request.user, "mentoring.monitor")
        for word in value.split()[:4]:
            condition = (
                Q(mentor__first_name__icontains=word)
                | Q(mentor__last_name__icontains=word)
                | Q(mentee__first_name__icontains=word)
            )
            if surname:
                condition |= Q(mentee__last_name__icontains=word)
            queryset = queryset.filter(condition)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=Relationship.OPEN_STATUSES)
        return queryset.filter(status=value)


def _partners_of(request):
    from core import policy

    if request is None:
        return YouthPartner.objects.none()
    return policy.scope(request.user, policy.VIEW, YouthPartner)


class RelationshipApiFilter(RelationshipFilter):
    """The API's relationship filters: the list's (name search, status, cadence, youth partner) and
    the people."""

    youth_partner = ModelChoiceFilter(
        queryset=_partners_of, label="Youth partner", field_name="mentee__mentee_profile__youth_partner"
    )

    class Meta:
        model = Relationship
        fields = ["q", "status", "cadence", "youth_partner", "cohort", "mentor", "mentee"]

    def __init__(self, *args, **kwargs):
        django_filters.FilterSet.__init__(self, *args, **kwargs)
