"""Certificates whose task was lost (broker restarted, worker killed) are issued by the periodic
resume, once, with one email."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from training.models import Certificate
from training.tasks import certificate_render, certificates_resume

pytestmark = pytest.mark.django_db


def asked_for(user, *, seconds_ago, **fields):
    certificate = Certificate.objects.create(
        user=user,
        holder_name=user.get_full_name(),
        title="Mentor training",
        completed_on=timezone.localdate(),
        **fields,
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        updated_at=timezone.now() - datetime.timedelta(seconds=seconds_ago)
    )
    return certificate


def test_the_resume_issues_certificates_whose_task_was_lost_and_leaves_recent_ones(
    world, settings, django_capture_on_commit_callbacks
):
    settings.WORK_REQUEUE_AFTER = 120
    lost = asked_for(world.mentor, seconds_ago=300)
    recent = asked_for(world.other_mentor, seconds_ago=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_resume() == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == Certificate.Status.ISSUED and recent.status == Certificate.Status.PENDING
    assert [message.to for message in mail.outbox] == [[world.mentor.email]]


def test_a_certificate_resumed_and_redelivered_is_one_certificate_with_one_email(
    world, settings, django_capture_on_commit_callbacks
):
    settings.WORK_REQUEUE_AFTER = 0
    certificate = asked_for(world.mentor, seconds_ago=5)
    with django_capture_on_commit_callbacks(execute=True):
        certificates_resume()
        certificate_render(certificate.pk)  # the lost task comes back after all
        assert certificates_resume() == 0
    assert Certificate.objects.filter(user=world.mentor).count() == 1
    assert len(mail.outbox) == 1
