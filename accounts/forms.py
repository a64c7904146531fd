from allauth.account import forms as allauth_forms
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from programmes.models import Cohort, YouthPartner

from .models import DiversityAnswers, MenteeProfile, MentorProfile, Role, RoleAssignment, User


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up form: the name we greet people by."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name", required=False)

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


class _CrispyForm(forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class NameForm(_CrispyForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class MentorProfileForm(_CrispyForm):
    class Meta:
        model = MentorProfile
        fields = [
            "bio",
            "background",
            "sector",
            "job_title",
            "employer_name",
            "region",
            "phone",
            "gender",
            "capacity",
            "open_to_one_to_two",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "capacity": forms.Select(choices=[(1, "One"), (2, "Two")]),
        }


class MenteeOwnProfileForm(_CrispyForm):
    """What a mentee may change themselves; date of birth and youth partner are kept by their coordinator."""

    class Meta:
        model = MenteeProfile
        fields = ["stage", "region", "gender", "phone", "address", "shares_contact_with_mentor"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_under_18:
            del self.fields["shares_contact_with_mentor"]


class MenteeAdminProfileForm(_CrispyForm):
    """A coordinator's or staff member's view of a mentee's record."""

    class Meta:
        model = MenteeProfile
        fields = [
            "date_of_birth",
            "youth_partner",
            "cohort",
            "stage",
            "region",
            "gender",
            "disadvantaged",
            "phone",
            "address",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is not None:
            self.fields["youth_partner"].queryset = partners
            self.fields["cohort"].queryset = Cohort.objects.filter(youth_partner__in=partners)

    def clean(self):
        cleaned = super().clean()
        cohort, partner = cleaned.get("cohort"), cleaned.get("youth_partner")
        if cohort and partner and cohort.youth_partner_id != partner.pk:
            raise ValidationError({"cohort": "Choose a cohort at the mentee's own youth partner."})
        return cleaned


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "youth_partner", "programme", "is_deputy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth_partner"].queryset = YouthPartner.objects.order_by("name")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Add role"))

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.COORDINATOR and not cleaned.get("youth_partner"):
            raise ValidationError({"youth_partner": "A coordinator works at a youth partner: choose one."})
        if role == Role.SAFEGUARDING_LEAD and not (cleaned.get("youth_partner") or cleaned.get("programme")):
            raise ValidationError(
                {"youth_partner": "A safeguarding lead covers a youth partner or a programme."}
            )
        return cleaned


class DiversityAnswersForm(_CrispyForm):
    class Meta:
        model = DiversityAnswers
        fields = ["ethnicity", "disability"]
        labels = {"disability": "Do you consider yourself to have a disability?"}


class LoginForm(allauth_forms.LoginForm):
    """Allauth's sign-in form without its own password-reset link: the page offers one, once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What the key is for",
        max_length=100,
        help_text="For example, the name of the spreadsheet or script that will use it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("create", "Create a key"))
