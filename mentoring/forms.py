from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from .models import (
    AgreementTemplate,
    BlackoutDate,
    Closure,
    Cohort,
    EndReason,
    Goal,
    NotificationPreference,
    Programme,
    PulseCheckIn,
    SessionLog,
    Term,
    Topic,
    Venue,
    YouthPartner,
)


class _CrispyModelForm(forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class AgreementTemplateForm(_CrispyModelForm):
    """The six sections of a programme's mentoring agreement, in the order pairs read them."""

    class Meta:
        model = AgreementTemplate
        fields = [field for field, _label in AgreementTemplate.SECTIONS]
        widgets = {field: forms.Textarea(attrs={"rows": 4}) for field, _label in AgreementTemplate.SECTIONS}


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
            "support_check_in_days",
            "rematch_wait_days",
            "post_closure_contact_policy",
        ]

    # Left empty, the support settings keep their current (or standard) values.
    KEEP_WHEN_EMPTY = ("support_check_in_days", "rematch_wait_days", "post_closure_contact_policy")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.KEEP_WHEN_EMPTY:
            self.fields[name].required = False

    def _current(self, name):
        if self.instance.pk:
            return getattr(Programme.objects.get(pk=self.instance.pk), name)
        default = Programme._meta.get_field(name).default
        return default() if callable(default) else default

    def clean_support_check_in_days(self):
        days = self.cleaned_data["support_check_in_days"]
        if days in (None, "", []):
            return self._current("support_check_in_days")
        if not isinstance(days, list) or not all(isinstance(day, int) and 0 < day <= 1100 for day in days):
            raise forms.ValidationError("Give a list of days after the start, for example [7, 21, 61].")
        return sorted(set(days))

    def clean_rematch_wait_days(self):
        value = self.cleaned_data["rematch_wait_days"]
        return self._current("rematch_wait_days") if value is None else value

    def clean_post_closure_contact_policy(self):
        return self.cleaned_data["post_closure_contact_policy"].strip() or self._current(
            "post_closure_contact_policy"
        )


class _WeekendSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", "As usual for the type (weekdays only for schools, academies and colleges)"),
            ("true", "Yes, sessions may be at weekends"),
            ("false", "No, weekdays only"),
        ]


class _TermTimeSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", "As usual for the type (term time only for schools, academies and colleges)"),
            ("true", "Yes, term time only"),
            ("false", "No, all year round"),
        ]


class YouthPartnerForm(_CrispyModelForm):
    class Meta:
        model = YouthPartner
        fields = [
            "name",
            "kind",
            "region",
            "address",
            "website",
            "weekend_sessions",
            "term_time_only",
            "sessions_from",
            "sessions_until",
            "is_active",
        ]
        widgets = {
            "weekend_sessions": _WeekendSelect,
            "term_time_only": _TermTimeSelect,
            "sessions_from": forms.TimeInput(attrs={"type": "time"}),
            "sessions_until": forms.TimeInput(attrs={"type": "time"}),
        }


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


# Relationships in progress -------------------------------------------------------------------------
class _CrispyForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class TransitionForm(_CrispyForm):
    submit_label = "Change status"
    to_status = forms.ChoiceField(label="New status")
    reason = forms.CharField(
        label="Reason", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices


class ExtendForm(_CrispyForm):
    submit_label = "Extend"
    months = forms.IntegerField(min_value=1, max_value=12, initial=3, label="Extend by (months)")
    mentor_agrees = forms.BooleanField(required=False, label="The mentor agrees to extend")
    mentee_agrees = forms.BooleanField(required=False, label="The mentee agrees to extend")


class CloseForm(_CrispyForm):
    submit_label = "Close the relationship"
    reason = forms.ChoiceField(label="Why is the relationship closing?", choices=EndReason.choices)
    notes = forms.CharField(
        label="Notes for the programme team",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Reasons for an early end inform the next matching round.",
    )
    final_meeting_held = forms.BooleanField(required=False, label="A final meeting took place")
    checklist = forms.MultipleChoiceField(
        label="Closing checklist",
        required=False,
        choices=Closure.CHECKLIST,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_policy_acknowledged = forms.BooleanField(
        required=True, label="The post-closure contact policy has been explained to both"
    )


class ScheduleRunForm(_CrispyForm):
    submit_label = "Schedule sessions"
    first_starts_at = forms.DateTimeField(
        label="First session (date and time)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    count = forms.IntegerField(label="Number of sessions", min_value=1, max_value=24, initial=12)
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=15, max_value=240, required=False
    )
    venue = forms.ModelChoiceField(label="Venue", queryset=Venue.objects.none(), required=False)
    is_online = forms.BooleanField(label="Online (no venue needed)", required=False)

    def __init__(self, *args, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if venues is not None:
            self.fields["venue"].queryset = venues


class RecordSessionForm(_CrispyForm):
    """A session that took place without being scheduled: when, how long and where, then the log."""

    submit_label = "Record it and write the log"
    starts_at = forms.DateTimeField(
        label="When did it start (date and time)?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=15, max_value=240, initial=60)
    venue = forms.ModelChoiceField(label="Where did you meet?", queryset=Venue.objects.none(), required=False)
    is_online = forms.BooleanField(label="Online (no venue)", required=False)

    def __init__(self, *args, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if venues is not None:
            self.fields["venue"].queryset = venues
        self.fields["starts_at"].widget.attrs["max"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class RescheduleForm(_CrispyForm):
    submit_label = "Move the session"
    starts_at = forms.DateTimeField(
        label="New date and time", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    venue = forms.ModelChoiceField(label="Venue", queryset=Venue.objects.none(), required=False)
    reason = forms.CharField(label="Reason for the change", max_length=300)

    def __init__(self, *args, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if venues is not None:
            self.fields["venue"].queryset = venues


class CancelForm(_CrispyForm):
    submit_label = "Cancel the session"
    reason = forms.CharField(label="Reason for cancelling", max_length=300)


class SessionLogForm(_CrispyForm):
    submit_label = "Save the log"
    held = forms.TypedChoiceField(
        label="Did the session take place?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    missed_by = forms.ChoiceField(
        label="If not, who missed it?",
        required=False,
        choices=[("", "---------"), *SessionLog.MissedBy.choices],
    )
    duration_minutes = forms.IntegerField(
        label="How long (minutes)", required=False, min_value=5, max_value=300
    )
    format = forms.ChoiceField(
        label="How did you meet?", required=False, choices=[("", "---------"), *SessionLog.Format.choices]
    )
    topics = forms.MultipleChoiceField(
        label="What did you talk about?",
        required=False,
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label="A short summary", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_time_notes = forms.CharField(
        label="Next time",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you agreed to pick up next time. The next session's page opens with this.",
    )
    mentee_activity = forms.CharField(
        label="Something for the mentee to try before next time",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    worrying = forms.TypedChoiceField(
        label="Did anything worrying come up?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
        help_text="For example something that suggests the young person may be at risk of harm.",
    )

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}_status"] = forms.ChoiceField(
                label=f"Goal: {goal.title}",
                choices=[c for c in Goal.Status.choices if c[0] != Goal.Status.PROPOSED],
                initial=goal.status if goal.status != Goal.Status.PROPOSED else Goal.Status.NOT_STARTED,
            )
            self.fields[f"goal_{goal.pk}_note"] = forms.CharField(
                label=f"Progress on “{goal.title}”", required=False, max_length=1000
            )

    def clean(self):
        data = super().clean()
        if data.get("held") is True:
            if not data.get("duration_minutes"):
                self.add_error("duration_minutes", "Say how long the session lasted.")
            if not data.get("format"):
                self.add_error("format", "Say whether you met online or in person.")
        elif data.get("held") is False and not data.get("missed_by"):
            self.add_error("missed_by", "Say who missed the session.")
        return data

    def goal_updates(self):
        return [
            (goal, self.cleaned_data[f"goal_{goal.pk}_status"], self.cleaned_data[f"goal_{goal.pk}_note"])
            for goal in self.goals
        ]


class GoalForm(_CrispyModelForm):
    submit_label = "Save the goal"

    class Meta:
        model = Goal
        fields = ["title", "measure", "first_step", "why", "term", "owner", "target_date"]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}


class GoalProgressForm(_CrispyForm):
    submit_label = "Update the goal"
    status = forms.ChoiceField(
        label="Status", choices=[c for c in Goal.Status.choices if c[0] != Goal.Status.PROPOSED]
    )
    note = forms.CharField(
        label="Progress note", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PulseForm(_CrispyForm):
    submit_label = "Send my answer"
    rating = forms.TypedChoiceField(
        label="How is your mentoring going?",
        choices=PulseCheckIn.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Anything you would like the coordinator to know? (only they and the programme team see this)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HeldTextRewriteForm(_CrispyForm):
    """The writer's held text, returned for editing: one box per part of it, labelled as on the form
    they first wrote it in, filled in with what they wrote."""

    submit_label = "Send it again"

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field in fields:
            long_text = field.get_internal_type() == "TextField"
            self.fields[field.name] = forms.CharField(
                label=str(field.verbose_name).capitalize(),
                help_text=field.help_text,
                required=False,
                max_length=getattr(field, "max_length", None),
                widget=forms.Textarea(attrs={"rows": 3}) if long_text else None,
            )


class SupportCheckInForm(_CrispyForm):
    submit_label = "Record the check-in"
    notes = forms.CharField(label="Notes", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class VenueForm(_CrispyModelForm):
    submit_label = "Add the venue"

    class Meta:
        model = Venue
        fields = ["name", "kind", "details"]


class BlackoutDateForm(_CrispyModelForm):
    submit_label = "Add the blackout period"

    class Meta:
        model = BlackoutDate
        fields = ["label", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }


class TermForm(_CrispyModelForm):
    submit_label = "Add the term"

    class Meta:
        model = Term
        fields = ["label", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }


class NotificationPreferenceForm(_CrispyModelForm):
    submit_label = "Save my settings"

    class Meta:
        model = NotificationPreference
        fields = ["session_reminders", "log_reminders", "monthly_digest", "bulletins"]
