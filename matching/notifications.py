"""Emails about matching, in plain text, sent once the transaction commits.

A mentor learns a new mentee's first name, goals and interests, never their contact details; a
mentee learns their mentor's first name and bio. People a round could not match are told the
reason category honestly, and that they stay in the pool.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.email import absolute_url, email_message, email_send, emails_enqueue
from recruitment.models import Application

SIGN_OFF = "\n\nThe {site} team\n"

CATEGORY_TEXT = {
    "not_ready": (
        "Something still needs doing before we can match you: {reason}. Once it is done you will be "
        "included in the next matching round."
    ),
    "no_suitable_match": (
        "There was no suitable match for you in this round ({reason}). This is not a judgement on "
        "you: the right match depends on who is available at the time."
    ),
    "others_closer": (
        "Everyone we could have matched you with in this round was a closer fit for someone else ({reason})."
    ),
}


def _site_url(path: str) -> str:
    return absolute_url(path)


def _sign_off() -> str:
    return SIGN_OFF.format(site=settings.SITE_NAME)


def _mentee_summary(mentee) -> tuple[str, str]:
    """The mentee's goals and interests from their application (no contact details)."""
    application = (
        Application.objects.mentees()
        .filter(user=mentee)
        .exclude(status__in=[Application.Status.WITHDRAWN, Application.Status.DECLINED])
        .prefetch_related("interests")
        .order_by("-created_at")
        .first()
    )
    if application is None:
        return "", ""
    interests = ", ".join(interest.name.lower() for interest in application.interests.all())
    return application.goals.strip(), interests


def match_made(*, proposal) -> None:
    """Tell mentor and mentee that their match was approved."""
    mentor, mentee = proposal.mentor, proposal.mentee
    goals, interests = _mentee_summary(mentee)
    lines = [
        f"Hello {mentor.first_name},",
        "",
        f"You have been matched with {mentee.first_name}, at {proposal.cohort.youth_partner}.",
    ]
    if goals:
        lines += ["", f"What {mentee.first_name} would like from mentoring: {goals}"]
    if interests:
        lines += ["", f"Interests: {interests}."]
    lines += [
        "",
        "The coordinator will arrange your first meeting. Contact goes through the platform and the "
        "coordinator, not directly.",
        "",
        f"See your relationship: {_site_url(reverse('home'))}",
    ]
    email_send(
        to=[mentor.email],
        subject=f"[{settings.SITE_NAME}] You have a new mentee",
        body="\n".join(lines) + _sign_off(),
    )
    mentor_bio = getattr(getattr(mentor, "mentor_profile", None), "bio", "")
    mentee_lines = [
        f"Hello {mentee.first_name},",
        "",
        f"Your mentor will be {mentor.first_name}.",
    ]
    if mentor_bio:
        mentee_lines += ["", f"About {mentor.first_name}: {mentor_bio}"]
    mentee_lines += ["", "Your coordinator will set up your first meeting.", "", _site_url(reverse("home"))]
    email_send(
        to=[mentee.email],
        subject=f"[{settings.SITE_NAME}] You have a mentor",
        body="\n".join(mentee_lines) + _sign_off(),
    )


def unmatched_notices(*, round_id: int) -> int:
    """Tell everyone a round could not match why, in its category; each outcome is told once. The
    emails are recorded together and sent by tasks once the round's transaction commits."""
    from matching.models import UnmatchedOutcome

    outcomes = list(
        UnmatchedOutcome.objects.filter(round_id=round_id, notified_at__isnull=True)
        .select_related("person")
        .only("side", "category", "reason", "person__first_name", "person__email")
    )
    messages = []
    for outcome in outcomes:
        text = CATEGORY_TEXT[outcome.category].format(reason=outcome.reason)
        role = "mentee" if outcome.side == UnmatchedOutcome.Side.MENTEE else "mentor"
        body = (
            f"Hello {outcome.person.first_name},\n\n"
            f"We ran a matching round and could not match you as a {role} this time.\n\n{text}\n\n"
            "You stay in the pool and will be considered again in the next round; you do not need to "
            "do anything else unless something above needs doing."
        )
        messages.append(
            email_message(
                to=[outcome.person.email],
                subject=f"[{settings.SITE_NAME}] No match for you in this round",
                body=body + _sign_off(),
            )
        )
    emails_enqueue(messages)
    UnmatchedOutcome.objects.filter(pk__in=[outcome.pk for outcome in outcomes]).update(
        notified_at=timezone.now()
    )
    return len(outcomes)


def interest_received(*, interest) -> None:
    """Send the mentor's bio to the coordinators of the cohort's youth partner."""
    from matching.services import coordinators_of

    opportunity = interest.opportunity
    mentor = interest.mentor
    profile = getattr(mentor, "mentor_profile", None)
    recipients = coordinators_of(opportunity.cohort.youth_partner_id)
    if not recipients:
        return
    body = (
        f"{mentor.get_full_name()} would like to mentor in “{opportunity.title}”.\n\n"
        f"Role: {getattr(profile, 'job_title', '') or 'not given'}\n"
        f"Where they would add most value: {getattr(profile, 'bio', '') or 'not given'}\n"
    )
    if interest.message:
        body += f"\nTheir note: {interest.message}\n"
    body += (
        f"\nPlease accept or decline by {timezone.localtime(interest.expires_at):%d %B %Y}; after that the "
        f"request expires and the mentor may choose again.\n\n{_site_url(reverse('matching:interest_inbox'))}"
    )
    email_send(
        to=recipients,
        subject=f"[{settings.SITE_NAME}] A mentor chose {opportunity.title}",
        body=body + _sign_off(),
    )


def interest_decided(*, interest) -> None:
    mentor = interest.mentor
    if interest.status == interest.Status.ACCEPTED:
        text = (
            f"Good news: the coordinator accepted your request to mentor in “{interest.opportunity.title}”. "
            "They will be in touch about matching you with a young person."
        )
    else:
        text = (
            f"The coordinator has not taken up your request to mentor in “{interest.opportunity.title}”. "
            f"Their reason: {interest.reason}\n\nYou may choose another opportunity."
        )
    email_send(
        to=[mentor.email],
        subject=f"[{settings.SITE_NAME}] Your request: {interest.opportunity.title}",
        body=f"Hello {mentor.first_name},\n\n{text}\n\n{_site_url(reverse('matching:opportunity_list'))}"
        + _sign_off(),
    )


def interest_expired(*, interest) -> None:
    mentor = interest.mentor
    email_send(
        to=[mentor.email],
        subject=f"[{settings.SITE_NAME}] Your request has expired: {interest.opportunity.title}",
        body=(
            f"Hello {mentor.first_name},\n\nYour request to mentor in “{interest.opportunity.title}” was "
            "not answered in time, so it has expired. You may choose an opportunity again.\n\n"
            f"{_site_url(reverse('matching:opportunity_list'))}"
        )
        + _sign_off(),
    )
