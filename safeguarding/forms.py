from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from .models import (
    CaseEntry,
    Concern,
    GiftDeclaration,
    MeetingRequest,
    MentorSuspension,
    Message,
    ProgrammeSafeguarding,
)


class ConcernForm(forms.ModelForm):
    happened_at = forms.DateTimeField(
        label="When it happened, or when you were told",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    class Meta:
        model = Concern
        fields = [
            "immediate_danger",
            "kind",
            "young_person",
            "adult_concerned",
            "happened_at",
            "childs_words",
            "questions_asked",
            "facts",
            "opinion",
            "who_is_at_risk",
            "context",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "childs_words": forms.Textarea(attrs={"rows": 4}),
            "questions_asked": forms.Textarea(attrs={"rows": 3}),
            "facts": forms.Textarea(attrs={"rows": 4}),
            "opinion": forms.Textarea(attrs={"rows": 3}),
            "who_is_at_risk": forms.Textarea(attrs={"rows": 2}),
            "context": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "immediate_danger": "If so, call 999 now, before you fill in this form.",
            "childs_words": "Write exactly what they said, even if it is unclear. Do not tidy it up.",
            "questions_asked": 'Only open questions ("Tell me more", "What happened next?").',
            "facts": "What you saw, heard or were told, with names, times and places.",
            "opinion": "Optional. Anything you think or feel about it, kept separate from the facts.",
            "adult_concerned": "For a concern about an adult's behaviour.",
        }

    def __init__(self, *args, subjects=None, short_names=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = subjects
        if short_names:
            # A mentor knows their mentees by first name and the initial of the surname, nothing more.
            self.fields["young_person"].label_from_instance = lambda user: (
                f"{user.first_name} {user.last_name[:1]}".strip() or "Your mentee"
            )
        else:
            self.fields["young_person"].label_from_instance = lambda user: user.get_full_name() or user.email
        self.fields["young_person"].empty_label = "Not listed, or not about a particular young person"
        if not self.is_bound:
            self.initial.setdefault("happened_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            HTML(
                '<div class="alert alert-danger" role="alert">'
                "<strong>Is someone in immediate danger?</strong> "
                "Call 999 first, then come back and record it here.</div>"
            ),
            "immediate_danger",
            Fieldset("Who it is about", "kind", "young_person", "adult_concerned"),
            Fieldset("What happened", "happened_at", "childs_words", "questions_asked", "facts", "opinion"),
            Fieldset("Risk and context", "who_is_at_risk", "context"),
            Submit("submit", "Send to the safeguarding lead"),
        )


class CaseEntryForm(forms.ModelForm):
    class Meta:
        model = CaseEntry
        fields = ["kind", "text", "told_whom", "agency"]
        labels = {"text": "What happened, what was decided, and why", "agency": "Agency"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "agency": "For a referral, or for a decision not to refer (give the reason above).",
            "told_whom": 'For "someone was told": name and role.',
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label)
            for value, label in CaseEntry.Kind.choices
            if value not in (CaseEntry.Kind.STATUS, CaseEntry.Kind.EVIDENCE, CaseEntry.Kind.SYSTEM)
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False


class MessageForm(forms.ModelForm):
    attachment = forms.FileField(
        label="Attach a file (optional)",
        required=False,
        help_text="PDF, PNG or JPEG up to 5 MB. The coordinator checks files before they are delivered.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    class Meta:
        model = Message
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": "Your message"}

    def __init__(self, *args, under_18: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not under_18:
            self.fields["attachment"].help_text = "PDF, PNG or JPEG up to 5 MB."
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send"))


class HoldForm(forms.Form):
    reason = forms.CharField(label="Why hold it?", max_length=200, required=False)


def _helper(submit_label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class ErasureForm(forms.Form):
    email = forms.EmailField(label="Email address of the person to erase")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    includes_safeguarding = forms.BooleanField(
        label="Also remove the text of their messages (needs a second member of staff)", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Erase")


class DataExportForPersonForm(forms.Form):
    email = forms.EmailField(label="Email address of the person who asked for their data")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Prepare their data")


class SuspensionForm(forms.ModelForm):
    class Meta:
        model = MentorSuspension
        fields = ["mentor", "action", "ground", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "action": forms.RadioSelect}

    def __init__(self, *args, mentors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["mentor"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        self.helper = _helper("Confirm")


class MeetingRequestForm(forms.ModelForm):
    proposed_for = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    class Meta:
        model = MeetingRequest
        fields = ["place", "purpose", "proposed_for"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Ask the coordinator")


class MeetingDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("refuse", "Do not approve")])
    guardian_agreed = forms.CharField(
        label="Parent or guardian's agreement (under 18s)", max_length=200, required=False
    )
    note = forms.CharField(label="Note to the pair", max_length=300, required=False)


class GiftForm(forms.ModelForm):
    class Meta:
        model = GiftDeclaration
        fields = ["direction", "description", "value", "given_on"]
        widgets = {"direction": forms.RadioSelect, "given_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Declare")


class ProgrammeSafeguardingForm(forms.ModelForm):
    class Meta:
        model = ProgrammeSafeguarding
        fields = ["mentor_mfa"]
        widgets = {"mentor_mfa": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save")
