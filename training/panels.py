"""Home-page panels: a mentor's training status, a mentee's induction, staff's training overview."""

from core.panels import Panel

from . import selectors
from .models import (
    Certificate,
)


def mentor_training_panel(request):
    user = request.user
    # Each programme's status and, until its certificate, each outstanding requirement with a link.
    # Every certificate, read once: any of them ends a programme's list of things to do, the issued
    # ones are shown.
    # What the status and the panel read of each: its programme, status and title.
    certificates = selectors.own_certificates(user)
    # Every enrolment, read once with its progress: the required courses' count towards the status,
    # the unfinished ones are listed (with their course's title and link).
    enrolments = selectors.own_enrolments_with_progress(user)
    statuses = [
        (item.programme, item.status, item.to_do)
        for item in selectors.mentor_training_overview(
            user=user, certificates=certificates, enrolments=enrolments, request=request
        )
    ]
    return Panel(
        "training/panels/mentor.html",
        {
            "statuses": statuses,
            "enrolments": [enrolment for enrolment in enrolments if enrolment.completed_at is None],
            "certificates": [item for item in certificates if item.status == Certificate.Status.ISSUED],
        },
    )


def mentee_induction_panel(request):
    user = request.user
    # The course's title and link, and whether the young person finished it: what the panel shows.
    course = selectors.mentee_induction_course()
    if course is None:
        return None
    profile = user.mentee_placement
    enrolment = selectors.own_enrolment_on(user, course)
    return Panel(
        "training/panels/mentee.html",
        {
            "course": course,
            "enrolment": enrolment,
            "required": profile is not None and profile.is_under_18,
        },
    )


def staff_training_panel(request):
    """Programme staff: who is overdue, certificates waiting, and the next workshops."""
    return Panel("training/panels/staff.html", selectors.staff_training_overview(user=request.user))
