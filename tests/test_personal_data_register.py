"""Every model that points at a person is in the register of personal data (core/personal_data.py),
and every field pointing at a person is accounted for: the person the rows are about, or someone who
acted. A model is left out only by an explicit "not personal data" declaration with its reason."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from core import personal_data

ROOT = Path(__file__).resolve().parent.parent


def _project_models():
    for config in apps.get_app_configs():
        if Path(config.path).parent == ROOT:
            yield from config.get_models()


def _person_models():
    user = get_user_model()
    profiles = {
        model
        for model in _project_models()
        for field in model._meta.concrete_fields
        if field.one_to_one and field.related_model is user
    }
    return {user, *profiles}


def _person_fields(model, people):
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete or field.many_to_many
        if field.is_relation and not field.auto_created and field.related_model in people
    ]


def register_gaps() -> list[str]:
    """What the register misses: models pointing at a person in no entry, and person fields that
    an entry neither names as its subject nor as someone who acted."""
    people = _person_models()
    gaps = []
    for model in _project_models():
        fields = _person_fields(model, people)
        if not fields:
            continue
        entry = personal_data.entry_for(model)
        declared = personal_data.not_personal(model)
        if entry is None and declared is None:
            gaps.append(f"{model._meta.label} is in no register entry")
            continue
        if entry is not None:
            covered = {path.split("__")[0] for path in (*entry.subject, *entry.export_paths, *entry.actors)}
        else:
            covered = set(declared.actors)
        if model._meta.label == get_user_model()._meta.label:
            covered |= {"groups", "user_permissions"}
        gaps += [f"{model._meta.label}.{name} is not accounted for" for name in fields if name not in covered]
    return gaps


def test_every_model_pointing_at_a_person_is_registered():
    assert register_gaps() == []


def test_the_register_check_notices_a_missing_entry(monkeypatch):
    from mentoring.models import Goal

    entries = dict(personal_data._entries)
    del entries[Goal]
    monkeypatch.setattr(personal_data, "_entries", entries)
    assert "mentoring.Goal is in no register entry" in register_gaps()


def test_the_register_check_notices_a_person_field_nobody_declared(monkeypatch):
    from dataclasses import replace

    from recruitment.models import Application

    entries = dict(personal_data._entries)
    entries[Application] = replace(entries[Application], actors=())
    monkeypatch.setattr(personal_data, "_entries", entries)
    assert "recruitment.Application.decided_by is not accounted for" in register_gaps()


def test_the_register_covers_the_records_the_export_once_missed():
    labels = {entry.model._meta.label for entry in personal_data.entries()}
    assert {
        "recruitment.Application",
        "recruitment.Reference",
        "recruitment.ConsentRecord",
        "recruitment.Invitation",
        "mentoring.SessionLog",
        "mentoring.Goal",
        "safeguarding.MeetingRequest",
        "evaluation.SurveyResponse",
        "evaluation.Answer",
        "safeguarding.Message",
        "community.BuddyMessage",
        "training.Enrolment",
        "training.QuizAttempt",
        "training.Certificate",
        "training.WorkshopBooking",
        "community.EventRegistration",
        "resources.ResourceRating",
        "core.AuditEvent",
        "safeguarding.Concern",
    } <= labels


@pytest.mark.django_db
def test_every_entry_finds_rows_with_a_valid_query():
    for entry in personal_data.entries():
        entry.export_rows(1).exists()
        entry.erasure_rows(1).exists()


def test_a_kept_entry_without_a_reason_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from mentoring.models import Programme

    with pytest.raises(ImproperlyConfigured, match="legal reason"):
        personal_data.register(
            Programme,
            section="x",
            title="x",
            description="x",
            subject=("pk",),
            fields=("name",),
            erasure="keep",
        )


def test_someone_elses_contact_details_cannot_be_exported():
    from django.core.exceptions import ImproperlyConfigured

    from mentoring.models import Cohort

    with pytest.raises(ImproperlyConfigured, match="contact details"):
        personal_data.register(
            Cohort,
            section="y",
            title="y",
            description="y",
            subject=("pk",),
            fields=("relationships__mentee__email",),
            erasure="delete",
        )
