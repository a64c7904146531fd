"""The matching round page's proposals, each written in Python (every value escaped) rather than by a
loop in the template: each proposal's template nodes, filters, profile lookups and three reversed URLs
cost about 2,000 function calls, 50,000 for a page of 25."""

from html import escape as _escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.models import MenteeProfile, age_band, age_on
from matching.models import Proposal
from programmes.models import Region

register = template.Library()

_STATUSES = {value: str(label) for value, label in Proposal.Status.choices}
_REGIONS = {value: str(label) for value, label in Region.choices}
_STAGES = {value: str(label) for value, label in MenteeProfile.Stage.choices}
_PLACEHOLDER = 987654321


def _csrf_input(context) -> str:
    """What `{% csrf_token %}` writes (django.template.defaulttags.CsrfTokenNode)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105  (Django's marker for no token, not a secret)
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def escape(value) -> str:
    """As django.utils.html.escape (which is this, made safe): the value as text, HTML-escaped."""
    return _escape(str(value))


def _full_name(first_name: str, last_name: str) -> str:
    return escape(f"{first_name} {last_name}".strip())


def _mentor_lines(card) -> str:
    if card.mentor_profile is None:  # no profile: as the template, every value empty
        role, sector, region, bio = "Role not given", "", "", ""
    else:
        role = escape(card.job_title or "Role not given")
        sector = f", {escape(card.sector)}" if card.sector else ""
        region = escape(_REGIONS.get(card.mentor_region, card.mentor_region))
        bio = escape(card.bio)
    return (
        f'\n        <p class="mb-1">{role}{sector} · {region}</p>\n'
        f'        <p class="small">{bio}</p>\n        '
    )


def _mentee_line(card, today) -> str:
    if card.mentee_profile is None:
        return '\n        <p class="mb-1"> ·  ·  · </p>\n        '
    band = age_band(age_on(card.date_of_birth, today))
    stage = escape(_STAGES.get(card.stage, card.stage))
    region = escape(_REGIONS.get(card.mentee_region, card.mentee_region))
    partner = escape(card.youth_partner)
    return f'\n        <p class="mb-1">{band} · {stage} · {partner} · {region}</p>\n        '


def _capfirst(text: str) -> str:
    """As the capfirst filter."""
    return text and text[0].upper() + text[1:]


@register.simple_tag(takes_context=True)
def proposal_cards(context, cards, goals) -> str:
    """Each proposal of the round's page as a card (`cards`: matching.selectors.ProposalCard): the pair,
    their profiles, the young person's goals (`goals`: by user id), and the forms deciding it while it
    is proposed."""
    csrf = _csrf_input(context)
    before, _, after = reverse("matching:proposal_decide", args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    today = timezone.localdate()
    written = []
    for proposal in cards:
        pk = int(proposal.pk)
        mentor = _full_name(proposal.mentor_first_name, proposal.mentor_last_name)
        mentee = _full_name(proposal.mentee_first_name, proposal.mentee_last_name)
        status = escape(_STATUSES.get(proposal.status, proposal.status))
        kept = ' <span class="badge text-bg-info">kept</span>' if proposal.locked else ""
        goal = goals.get(proposal.mentee_id)
        goal = f'<p class="small">Goals: {escape(goal)}</p>' if goal else ""
        if proposal.status == Proposal.Status.PROPOSED:
            action = f"{before}{pk}{after}"
            pair = f"{escape(proposal.mentor_first_name)} and {escape(proposal.mentee_first_name)}"
            keep = (
                ("unlock", "Stop keeping this pair")
                if proposal.locked
                else ("lock", "Keep this pair if the pool is matched again")
            )
            decision = (
                '\n    <div class="d-flex flex-wrap gap-3 align-items-end">\n'
                f'      <form method="post" action="{action}">{csrf}\n'
                '        <input type="hidden" name="decision" value="accept">\n'
                f'        <button type="submit" class="btn btn-success">Accept {pair}</button>\n'
                "      </form>\n"
                f'      <form method="post" action="{action}" class="d-flex flex-wrap gap-2 align-items-end">'
                f"{csrf}\n"
                '        <input type="hidden" name="decision" value="reject">\n'
                f'        <div><label for="reason-{pk}" class="form-label">Reason for rejecting</label>\n'
                f'        <input type="text" name="reason" id="reason-{pk}" class="form-control"'
                ' maxlength="1000" required></div>\n'
                f'        <button type="submit" class="btn btn-outline-danger">Reject {pair}</button>\n'
                "      </form>\n"
                f'      <form method="post" action="{action}">{csrf}\n'
                f'        <input type="hidden" name="decision" value="{keep[0]}">\n'
                f'        <button type="submit" class="btn btn-link">{keep[1]}</button>\n'
                "      </form>\n"
                "    </div>\n    "
            )
        elif proposal.reason:
            decision = f'<p class="mb-0">Reason: {escape(proposal.reason)}</p>'
        else:
            decision = ""
        written.append(
            f'\n<article class="card mb-3" aria-labelledby="proposal-{pk}">\n'
            '  <div class="card-body">\n'
            f'    <h3 id="proposal-{pk}" class="h5">{mentor} and {mentee} '
            f'<span class="badge text-bg-secondary">{status}</span> '
            f'<span class="badge text-bg-light">score {escape(localize(proposal.score))}</span>{kept}</h3>\n'
            f"    <p>{escape(_capfirst(proposal.explanation))}.</p>\n"
            '    <div class="row">\n'
            '      <div class="col-md-6">\n'
            '        <h4 class="h6">Mentor</h4>\n'
            f"        {_mentor_lines(proposal)}\n"
            "      </div>\n"
            '      <div class="col-md-6">\n'
            '        <h4 class="h6">Mentee</h4>\n'
            f"        {_mentee_line(proposal, today)}\n"
            f"        {goal}\n"
            "      </div>\n"
            "    </div>\n"
            f"    {decision}\n"
            "  </div>\n"
            "</article>\n"
        )
    return mark_safe("".join(written))  # noqa: S308  (every value escaped above)
