from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from accounts.models import MenteeProfile, User
from core import policy
from mentoring.models import Relationship
from programmes.models import Cohort, Programme, YouthPartner
from recruitment.models import Application

from .models import WEIGHT_NAMES, MatchingRound, MatchingSettings, Opportunity


class _CrispyForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class RoundStartForm(_CrispyForm):
    submit_label = "Start the round"
    scope = forms.ChoiceField(label="What to match", choices=MatchingRound.Scope.choices)
    cohort = forms.ModelChoiceField(label="Cohort", queryset=Cohort.objects.none(), required=False)
    youth_partner = forms.ModelChoiceField(
        label="Youth partner", queryset=YouthPartner.objects.none(), required=False
    )
    programme = forms.ModelChoiceField(
        label="Programme",
        queryset=Programme.objects.none(),
        required=False,
        help_text="For a youth partner's cohorts or the national pool.",
    )
    protect_worst_off = forms.BooleanField(
        label="Protect the worst-off",
        required=False,
        help_text="Raise the lowest score as far as possible; the cost in total score is shown.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = policy.scope(user, policy.CHANGE, Cohort).select_related(
            "programme", "youth_partner"
        )
        self.fields["youth_partner"].queryset = policy.scope(user, policy.CHANGE, YouthPartner)
        self.fields["programme"].queryset = policy.scope(user, policy.VIEW, Programme).active()
        if not user.is_programme_staff:
            self.fields["scope"].choices = [
                choice for choice in MatchingRound.Scope.choices if choice[0] != MatchingRound.Scope.PROGRAMME
            ]

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == MatchingRound.Scope.COHORT and not data.get("cohort"):
            self.add_error("cohort", "Choose the cohort to match.")
        if scope == MatchingRound.Scope.YOUTH_PARTNER and not data.get("youth_partner"):
            self.add_error("youth_partner", "Choose the youth partner.")
        if scope in (MatchingRound.Scope.YOUTH_PARTNER, MatchingRound.Scope.PROGRAMME) and not data.get(
            "programme"
        ):
            self.add_error("programme", "Choose the programme.")
        return data


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("reject", "Reject"), ("lock", "Keep"), ("unlock", "Stop keeping")]
    )
    reason = forms.CharField(label="Reason for rejecting", required=False, max_length=1000)


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ManualMatchForm(_CrispyForm):
    submit_label = "Check and match"
    mentee = _PersonChoice(label="Mentee", queryset=User.objects.none())
    mentor = _PersonChoice(label="Mentor", queryset=User.objects.none())
    confirm_low_score = forms.BooleanField(label="Match them even though the score is low", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partners = policy.scope(user, policy.CHANGE, YouthPartner).values("pk")
        profiles = MenteeProfile.objects.filter(youth_partner__in=partners, cohort__isnull=False)
        self.fields["mentee"].queryset = (
            User.objects.filter(mentee_profile__in=profiles, is_active=True)
            .exclude(pk__in=Relationship.objects.open().values("mentee_id"))
            .order_by("first_name", "last_name")
        )
        approved = Application.objects.mentors().filter(status=Application.Status.APPROVED).values("user_id")
        self.fields["mentor"].queryset = User.objects.filter(
            pk__in=approved, is_active=True, mentor_profile__isnull=False
        ).order_by("first_name", "last_name")


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = ["cohort", "title", "description", "places", "answer_within_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = policy.scope(user, policy.CHANGE, Cohort).select_related(
            "programme", "youth_partner"
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Publish the opportunity"))


class InterestForm(forms.Form):
    message = forms.CharField(
        label="A note to the coordinator (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InterestDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Decline")])
    reason = forms.CharField(label="Reason for declining", required=False, max_length=1000)


class MatchingSettingsForm(forms.ModelForm):
    class Meta:
        model = MatchingSettings
        fields = [*WEIGHT_NAMES, "induction_required_for_all", "low_score_warning"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save the matching settings"))
