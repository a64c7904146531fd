"""The matching round page's proposals, each written in Python (every value escaped) rather than by a
loop in the template: each proposal's template nodes, filters, profile lookups and three reversed URLs
cost about 2,000 function calls, 50,000 for a page of 25."""

from django import template
from django.template.defaultfilters import capfirst
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from accounts.models import MenteeProfile
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


def _full_name(person) -> str:
    return escape(f"{person.first_name} {person.last_name}".strip())


def _mentor_lines(mentor) -> str:
    profile = getattr(mentor, "mentor_profile", None)  # none: as the template, every value empty
    if profile is None:
        role, sector, region, bio = "Role not given", "", "", ""
    else:
        role = escape(profile.job_title or "Role not given")
        sector = f", {escape(profile.sector)}" if profile.sector else ""
        region = escape(_REGIONS.get(profile.region, profile.region))
        bio = escape(profile.bio)
    return (
        f'\n        <p class="mb-1">{role}{sector} · {region}</p>\n'
        f'        <p class="small">{bio}</p>\n        '
    )


def _mentee_line(mentee) -> str:
    profile = getattr(mentee, "mentee_profile", None)
    if profile is None:
        return '\n        <p class="mb-1"> ·  ·  · </p>\n        '
    stage = escape(_STAGES.get(profile.stage, profile.stage))
    region = escape(_REGIONS.get(profile.region, profile.region))
    return (
        f'\n        <p class="mb-1">{escape(profile.age_band)} · {stage} · {escape(profile.youth_partner)} · '
        f"{region}</p>\n        "
    )


@register.simple_tag(takes_context=True)
def proposal_cards(context, proposals, goals) -> str:
    """Each proposal of the round's page as a card: the pair, their profiles, the young person's goals
    (`goals`: by user id), and the forms deciding it while it is proposed."""
    csrf = _csrf_input(context)
    before, _, after = reverse("matching:proposal_decide", args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    cards = []
    for proposal in proposals:
        pk = int(proposal.pk)
        mentor, mentee = proposal.mentor, proposal.mentee
        kept = ' <span class="badge text-bg-info">kept</span>' if proposal.locked else ""
        goal = goals.get(proposal.mentee_id)
        goal = f'<p class="small">Goals: {escape(goal)}</p>' if goal else ""
        if proposal.status == Proposal.Status.PROPOSED:
            action = f"{before}{pk}{after}"
            pair = f"{escape(mentor.first_name)} and {escape(mentee.first_name)}"
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
        cards.append(
            f'\n<article class="card mb-3" aria-labelledby="proposal-{pk}">\n'
            '  <div class="card-body">\n'
            f'    <h3 id="proposal-{pk}" class="h5">{_full_name(mentor)} and {_full_name(mentee)} '
            f'<span class="badge text-bg-secondary">{escape(_STATUSES.get(proposal.status, proposal.status))}'
            f'</span> <span class="badge text-bg-light">score {escape(localize(proposal.score))}</span>'
            f"{kept}</h3>\n"
            f"    <p>{escape(capfirst(proposal.explanation))}.</p>\n"
            '    <div class="row">\n'
            '      <div class="col-md-6">\n'
            '        <h4 class="h6">Mentor</h4>\n'
            f"        {_mentor_lines(mentor)}\n"
            "      </div>\n"
            '      <div class="col-md-6">\n'
            '        <h4 class="h6">Mentee</h4>\n'
            f"        {_mentee_line(mentee)}\n"
            f"        {goal}\n"
            "      </div>\n"
            "    </div>\n"
            f"    {decision}\n"
            "  </div>\n"
            "</article>\n"
        )
    return mark_safe("".join(cards))  # noqa: S308  (every value escaped above)
