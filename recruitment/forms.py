from crispy_forms.helper import FormHelper
from django import forms

from programmes.models import Cohort, YouthPartner
from recruitment.models import (
    Application,
    ApplicationWindow,
    DeclineGround,
    Industry,
    Interest,
    ScreeningCheck,
    SupportArea,
)

from .imports import MAX_FILE_BYTES

CHECKBOXES = forms.CheckboxSelectMultiple


class _Helper:
    def _add_helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class MentorApplicationForm(_Helper, forms.ModelForm):
    support_areas = forms.MultipleChoiceField(
        label="Support you could offer", choices=SupportArea.choices, widget=CHECKBOXES, required=False
    )
    industries = forms.ModelMultipleChoiceField(
        label="Industries you know well", queryset=Industry.objects.all(), widget=CHECKBOXES, required=False
    )
    interests = forms.ModelMultipleChoiceField(
        label="Hobbies and interests", queryset=Interest.objects.all(), widget=CHECKBOXES, required=False
    )
    available_days = forms.MultipleChoiceField(
        label="Days you could meet", choices=Application.Day.choices, widget=CHECKBOXES, required=False
    )
    available_times = forms.MultipleChoiceField(
        label="Times you could meet", choices=Application.TimeOfDay.choices, widget=CHECKBOXES, required=False
    )
    preferred_settings = forms.MultipleChoiceField(
        label="Who you would like to mentor",
        choices=Application.Setting.choices,
        widget=CHECKBOXES,
        required=False,
    )
    capacity = forms.TypedChoiceField(
        label="How many mentees at once",
        choices=[(1, "One"), (2, "Two")],
        coerce=int,
        widget=forms.RadioSelect,
        initial=1,
    )
    accept_code_of_conduct = forms.BooleanField(
        label="I have read the mentor code of conduct and agree to follow it", required=False
    )
    accept_safeguarding_policy = forms.BooleanField(
        label="I have read the safeguarding policy and agree to follow it", required=False
    )

    class Meta:
        model = Application
        fields = [
            "background",
            "sector",
            "job_title",
            "support_areas",
            "industries",
            "interests",
            "hobbies",
            "languages",
            "region",
            "available_days",
            "available_times",
            "months_away",
            "capacity",
            "open_to_one_to_two",
            "preferred_settings",
            "conflict_partners",
            "conflicts_of_interest",
            "bio",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "conflicts_of_interest": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "bio": "A few lines young people and coordinators will read: your background and where you "
            "would add most value.",
            "months_away": "For example: August, and two weeks at Christmas.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflict_partners"].queryset = YouthPartner.objects.filter(is_active=True)
        self.fields["conflict_partners"].widget.attrs["size"] = 6
        self.fields["background"].choices = [("", "Choose one")] + list(self.fields["background"].choices)[1:]
        self._add_helper()


class MenteeApplicationForm(_Helper, forms.ModelForm):
    support_areas = forms.MultipleChoiceField(
        label="What would you like help with?", choices=SupportArea.choices, widget=CHECKBOXES, required=False
    )
    industries = forms.ModelMultipleChoiceField(
        label="Which kinds of work are you interested in?",
        queryset=Industry.objects.all(),
        widget=CHECKBOXES,
        required=False,
    )
    interests = forms.ModelMultipleChoiceField(
        label="What do you enjoy doing?", queryset=Interest.objects.all(), widget=CHECKBOXES, required=False
    )

    class Meta:
        model = Application
        fields = [
            "date_of_birth",
            "youth_partner",
            "stage",
            "region",
            "industries",
            "careers_of_interest",
            "support_areas",
            "goals",
            "interests",
            "hobbies",
            "pairing_preference",
            "willing_outside_region",
            "accessibility_needs",
        ]
        labels = {
            "date_of_birth": "Your date of birth",
            "youth_partner": "Your school, college or organisation",
            "stage": "Where are you at the moment?",
            "region": "Where do you live?",
            "careers_of_interest": "Any jobs you are curious about? (It's fine not to know yet.)",
            "goals": "In your own words: what would you like to get out of having a mentor?",
            "hobbies": "Anything else you like doing",
            "pairing_preference": "Who would you like in your sessions?",
            "willing_outside_region": "I'm happy to have a mentor who lives in another part of the UK",
            "accessibility_needs": "Is there anything that would make meeting your mentor easier for you?",
        }
        help_texts = {
            "goals": "For example: 'find out what nursing is really like' or "
            "'feel less nervous in interviews'.",
            "accessibility_needs": "Only your coordinator and the programme team see this.",
        }
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "pairing_preference": forms.RadioSelect,
        }

    def __init__(self, *args, has_profile: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if has_profile:
            # Their school or college already holds these.
            del self.fields["date_of_birth"]
            del self.fields["youth_partner"]
        else:
            self.fields["youth_partner"].queryset = YouthPartner.objects.filter(is_active=True)
        self.fields["stage"].choices = [("", "Choose one")] + list(self.fields["stage"].choices)[1:]
        self.fields["pairing_preference"].choices = Application.Pairing.choices
        self._add_helper()


class ScreeningForm(_Helper, forms.ModelForm):
    certificate_reference = forms.CharField(
        label="Certificate number",
        required=False,
        max_length=40,
        help_text="Only the last four characters are kept.",
    )

    class Meta:
        model = ScreeningCheck
        fields = [
            "identity_status",
            "background_check_status",
            "background_check_level",
            "certificate_issued_on",
            "update_service",
            "renewal_due_on",
            "barred_list_result",
            "check_decision",
            "interview_status",
            "interview_notes",
        ]
        widgets = {
            "certificate_issued_on": forms.DateInput(attrs={"type": "date"}),
            "renewal_due_on": forms.DateInput(attrs={"type": "date"}),
            "interview_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["identity_status", "background_check_status", "background_check_level", "certificate_reference"]
        )
        self._add_helper()


class ReferenceRequestForm(_Helper, forms.Form):
    referee_name = forms.CharField(label="Referee's name", max_length=160)
    referee_email = forms.EmailField(label="Referee's email")
    known_as = forms.CharField(label="How they know the applicant", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class DecisionForm(_Helper, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline"), ("hold", "Put on hold")],
        widget=forms.RadioSelect,
    )
    ground = forms.ModelChoiceField(
        label="Reason for declining", queryset=DeclineGround.objects.none(), required=False
    )
    note = forms.CharField(
        label="Note to the applicant",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text="Added to the feedback they read.",
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].queryset = DeclineGround.objects.filter(programme=programme)
        self._add_helper()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("ground"):
            self.add_error("ground", "Choose the reason for declining.")
        return data


class ReferenceResponseForm(_Helper, forms.Form):
    satisfactory = forms.TypedChoiceField(
        label="Would you recommend this person as a volunteer mentor for young people?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label="Your reference",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text="How you know them, for how long, and anything that bears on working with young people.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class ImportUploadForm(_Helper, forms.Form):
    youth_partner = forms.ModelChoiceField(label="Youth partner", queryset=YouthPartner.objects.none())
    cohort = forms.ModelChoiceField(
        label="Cohort",
        queryset=Cohort.objects.none(),
        help_text="Each new mentee gets a draft application to this cohort's programme to finish.",
    )
    file = forms.FileField(
        label="File of mentees (.csv or .xlsx)",
        help_text="Columns: First name, Last name, Email, Date of birth (DD/MM/YYYY), and optionally Stage.",
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth_partner"].queryset = partners
        self.fields["cohort"].queryset = Cohort.objects.filter(youth_partner__in=partners).select_related(
            "programme", "youth_partner"
        )
        partner_ids = list(partners.values_list("pk", flat=True)[:2])
        if len(partner_ids) == 1:
            self.fields["youth_partner"].initial = partner_ids[0]
        self._add_helper()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_FILE_BYTES // 1024} KB. Split it into smaller files."
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


class ClaimForm(_Helper, forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput,
        min_length=10,
        help_text="At least 10 characters. A short sentence is easy to remember.",
    )
    password2 = forms.CharField(label="Type the password again", widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords are different.")
        return data


class ConsentRequestForm(_Helper, forms.Form):
    parent_name = forms.CharField(label="Parent or guardian's name", max_length=160)
    parent_email = forms.EmailField(label="Parent or guardian's email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class ConsentGiveForm(_Helper, forms.Form):
    given_by_name = forms.CharField(label="Your full name", max_length=160)
    relationship = forms.CharField(
        label="Your relationship to the young person",
        max_length=80,
        help_text="For example: mother, father, guardian, foster carer.",
    )
    agree = forms.BooleanField(label="I agree to the statement above")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class WithdrawConsentForm(_Helper, forms.Form):
    reason = forms.CharField(label="Reason (optional)", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


BULK_ACTIONS = [("screen", "Start screening"), ("hold", "Put on hold"), ("approve", "Approve")]


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(label="With the selected applications", choices=BULK_ACTIONS)
    applications = forms.ModelMultipleChoiceField(queryset=Application.objects.none())

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset


class ApplicationWindowForm(_Helper, forms.ModelForm):
    class Meta:
        model = ApplicationWindow
        fields = [
            "role",
            "cohort",
            "opens_on",
            "closes_on",
            "eligibility",
            "commitment",
            "what_happens_next",
            "contact_email",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "commitment": forms.Textarea(attrs={"rows": 2}),
            "what_happens_next": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"closes_on": "Three or six weeks after opening works well."}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["cohort"].queryset = programme.cohorts.select_related("youth_partner")
        self.fields["cohort"].required = False
        self._add_helper()


class DeclineGroundForm(_Helper, forms.ModelForm):
    class Meta:
        model = DeclineGround
        fields = ["label", "feedback"]
        widgets = {"feedback": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self._add_helper()
