"""Issue surveys at the points of the journey other apps announce (core.signals)."""

import logging

from django.dispatch import receiver

from accounts.models import Role
from core.errors import ApplicationError
from core.signals import application_submitted, relationship_closed, training_completed

from . import services
from .content import EXIT, MENTEE_POST, MENTEE_PRE, MENTOR_POST, MENTOR_PRE, TRAINING

logger = logging.getLogger(__name__)


def _issue(**kwargs):
    """A survey that cannot be issued (closed by staff, say) must not undo the step that sent the signal."""
    try:
        services.survey_issue(**kwargs)
    except ApplicationError as error:
        logger.warning(
            "Survey %s not issued to user %s: %s", kwargs["instrument_slug"], kwargs["user"].pk, error
        )


@receiver(application_submitted, dispatch_uid="evaluation_issue_pre_evaluation")
def issue_pre_evaluation(sender, *, user, programme=None, role=None, application=None, **kwargs):
    """Everyone applying completes a pre-evaluation (mandatory)."""
    slug = MENTOR_PRE if role == Role.MENTOR else MENTEE_PRE
    _issue(instrument_slug=slug, user=user, programme=programme, context_object=application, mandatory=True)


@receiver(relationship_closed, dispatch_uid="evaluation_issue_post_evaluation")
def issue_post_evaluation(sender, *, relationship, early=False, actor=None, **kwargs):
    """Post-evaluation for mentee and mentor; the exit survey as well when the relationship ended early."""
    programme = relationship.cohort.programme
    _issue(
        instrument_slug=MENTEE_POST,
        user=relationship.mentee,
        programme=programme,
        context_object=relationship,
    )
    _issue(
        instrument_slug=MENTOR_POST,
        user=relationship.mentor,
        programme=programme,
        context_object=relationship,
    )
    if early:
        for person in (relationship.mentee, relationship.mentor):
            _issue(instrument_slug=EXIT, user=person, programme=programme, context_object=relationship)


@receiver(training_completed, dispatch_uid="evaluation_issue_training_feedback")
def issue_training_feedback(sender, *, user, programme=None, **kwargs):
    """Feedback on the training once it is done (issuing is idempotent: a direct call too is harmless)."""
    _issue(instrument_slug=TRAINING, user=user, programme=programme)
