from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse

from .models import BuddyPreference, EmployerPartner, Event, EventRegistration


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
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
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, submit_label="Save event", **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Cancelling is an edit: those signed up are told by email.
            self.fields["status"] = forms.ChoiceField(
                choices=Event.Status.choices, initial=self.instance.status
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "The event must end after it starts.")
        return cleaned


class AttendanceForm(forms.Form):
    """One row of the register: did they come, and a note for the organisers."""

    attended = forms.TypedChoiceField(
        choices=[("", "Not recorded"), ("yes", "Came"), ("no", "Did not come")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    notes = forms.CharField(
        required=False, max_length=1000, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args, registration: EventRegistration, **kwargs):
        initial = {
            "attended": {True: "yes", False: "no"}.get(registration.attended, ""),
            "notes": registration.notes,
        }
        super().__init__(*args, initial=initial, prefix=f"r{registration.pk}", **kwargs)
        self.registration = registration
        self.fields["attended"].label = f"Attendance: {registration.mentor.get_full_name()}"
        self.fields["notes"].label = f"Notes: {registration.mentor.get_full_name()}"


class BuddyPreferenceForm(forms.Form):
    wants = forms.ChoiceField(
        label="What would you like?", choices=BuddyPreference.Wants.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = "community:buddy_preference"
        self.helper.add_input(Submit("submit", "Join the buddy scheme"))


class BuddySuggestForm(forms.Form):
    """Staff pick a buddy for a new mentor from the scheme's suggestions."""

    new_mentor = forms.IntegerField(widget=forms.HiddenInput())
    experienced_mentor = forms.TypedChoiceField(label="Suggested buddy", coerce=int, choices=())

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experienced_mentor"].choices = [
            (mentor.pk, f"{mentor.get_full_name()} ({reason})") for mentor, reason in suggestions
        ]


class BuddyMessageForm(forms.Form):
    body = forms.CharField(label="Your message", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, pairing, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("community:buddy_message", kwargs={"pk": pairing.pk})
        self.helper.add_input(Submit("submit", "Send"))


class MyEmployerForm(forms.Form):
    employer = forms.ModelChoiceField(
        label="The employer I mentor through",
        queryset=EmployerPartner.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="None: I do not mentor through an employer",
        help_text="Your employer sees only totals for all its mentors together (never fewer than five), "
        "never anything about you or the young people you mentor.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save"))
