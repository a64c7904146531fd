from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from .models import Cohort, Programme, YouthPartner


class _CrispyModelForm(forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class ProgrammeForm(_CrispyModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "summary",
            "relationship_months",
            "session_cadence",
            "session_minutes",
            "mentee_min_age",
            "mentee_max_age",
            "delivery_format",
            "matching_mode",
            "contact_email",
            "is_active",
        ]


class YouthPartnerForm(_CrispyModelForm):
    class Meta:
        model = YouthPartner
        fields = ["name", "kind", "region", "address", "website", "is_active"]


class CohortForm(_CrispyModelForm):
    class Meta:
        model = Cohort
        fields = ["programme", "youth_partner", "name", "start_date", "target_mentees"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.active()
        if partners is not None:
            self.fields["youth_partner"].queryset = partners
