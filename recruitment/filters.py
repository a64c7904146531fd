import django_filters
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from accounts.models import Region
from core.filters import ListFilterSet, ModelChoiceFilter
from programmes.models import Programme, YouthPartner
from recruitment.models import Application, ScreeningCheck, SupportArea


class ApplicationFilter(ListFilterSet):
    q = django_filters.CharFilter(label="Search by name or email", method="search")
    status = django_filters.ChoiceFilter(choices=Application.Status.choices)
    role = django_filters.ChoiceFilter(choices=[("mentor", "Mentor"), ("mentee", "Mentee")])
    programme = ModelChoiceFilter(queryset=Programme.objects.all())
    youth_partner = ModelChoiceFilter(queryset=YouthPartner.objects.none(), label="Youth partner")
    region = django_filters.ChoiceFilter(choices=Region.choices)
    consent = django_filters.ChoiceFilter(
        label="Parental consent",
        choices=[("missing", "Under 16, consent needed"), ("given", "Under 16, consent given")],
        method="filter_consent",
    )

    class Meta:
        model = Application
        fields = ["q", "status", "role", "programme", "youth_partner", "region", "consent"]

    def filter_consent(self, queryset, name, value):
        return queryset.filter(needs_consent=True, consent_given=(value == "given"))

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


class WaitingPoolFilter(django_filters.FilterSet):
    region = django_filters.ChoiceFilter(choices=Region.choices)
    offers = django_filters.ChoiceFilter(label="Offers", choices=SupportArea.choices, method="filter_offers")
    programme = ModelChoiceFilter(queryset=Programme.objects.all())

    class Meta:
        model = Application
        fields = ["region", "offers", "programme"]

    def filter_offers(self, queryset, name, value):
        # The list is stored as JSON; matching its quoted item works on SQLite and PostgreSQL alike.
        return queryset.annotate(support_text=Cast("support_areas", TextField())).filter(
            support_text__contains=f'"{value}"'
        )


class RenewalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search by name or email", method="search")
    programme = ModelChoiceFilter(field_name="application__programme", queryset=Programme.objects.all())
    update_service = django_filters.BooleanFilter(label="On the update service")

    class Meta:
        model = ScreeningCheck
        fields = ["q", "programme", "update_service"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(application__user__first_name__icontains=value)
            | Q(application__user__last_name__icontains=value)
            | Q(application__user__email__icontains=value)
        )
