"""Demo data for safeguarding: concerns at each stage for the demo DSL, and message threads with a
held message for the demo coordinator to review."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from mentoring.models import Relationship
from safeguarding import services
from safeguarding.models import (
    CaseEntry,
    CaseExport,
    Concern,
    ErasureRequest,
    GiftDeclaration,
    MeetingRequest,
    MentorSuspension,
    Message,
    MessageAttachment,
    OutboxMessage,
)
from safeguarding.oversight import gift_declare, meeting_request_create

CONCERNS = [
    {
        "childs_words": "I don't want to go home this weekend, my mum's boyfriend is back.",
        "questions_asked": "Can you tell me a bit more about that?",
        "facts": "Quiet all session, sleeves pulled over hands. Said the above as we packed up at 4.50pm.",
        "opinion": "I was worried she seemed frightened rather than just fed up.",
        "who_is_at_risk": "The mentee, and possibly younger siblings at home",
        "context": "End of a monthly session in the school library.",
        "stage": "received",
    },
    {
        "childs_words": "Everyone's seen the picture, I can't go back in on Monday.",
        "questions_asked": "What happened next?",
        "facts": "Mentee cried and said a photo of them had been shared in a group chat.",
        "opinion": "",
        "who_is_at_risk": "The mentee",
        "context": "Online session; mentee joined from home.",
        "stage": "acknowledged",
    },
    {
        "childs_words": "I haven't really eaten since Tuesday, there's nothing in.",
        "questions_asked": "Is there anyone at home with you?",
        "facts": "Mentee said there had been no food at home for three days.",
        "opinion": "Mentee looked tired and had lost weight since last month.",
        "who_is_at_risk": "The mentee and a younger brother",
        "context": "In-person session at college.",
        "stage": "referred",
    },
]

THREAD = [
    (
        "mentor",
        "Hi! Looking forward to our session on Thursday. Have a think about which subjects you enjoy most.",
    ),
    ("mentee", "Thanks, I like maths and art. Not sure what jobs go with both?"),
    ("mentor", "Quite a few! Architecture, product design, data visualisation. Let's look at them together."),
]


def extend_demo(context) -> None:
    """Add concerns and messages once; a second run finds them and adds nothing."""
    dsl = context.logins.get(Role.SAFEGUARDING_LEAD)
    relationships = list(
        Relationship.objects.filter(
            status=Relationship.Status.ACTIVE,
            pk__in=context.relationship_ids or [],
            mentee__mentee_profile__isnull=False,
        )
        .select_related("mentor", "mentee__mentee_profile")
        .order_by("pk")
    )
    if not relationships or Message.objects.filter(relationship__in=relationships).exists():
        return
    now = timezone.now()
    for relationship in relationships[:6]:
        for who, body in THREAD:
            sender = relationship.mentor if who == "mentor" else relationship.mentee
            services.message_send(relationship=relationship, sender=sender, body=body)
    under_18 = [r for r in relationships if r.mentee.mentee_profile.is_under_18]
    if under_18:
        services.message_send(
            relationship=under_18[0],
            sender=under_18[0].mentor,
            body="If it's easier you can message me on Instagram @careers_with_sam",
        )
    partner_ids = dsl.safeguarding_partner_ids if dsl else frozenset()
    subjects = [
        r
        for r in relationships
        if r.mentee.mentee_profile.youth_partner_id in partner_ids and r.mentee.mentee_profile.is_under_18
    ] or under_18
    for number, (relationship, template) in enumerate(zip(subjects, CONCERNS, strict=False)):
        fields = {key: value for key, value in template.items() if key != "stage"}
        concern = services.concern_raise(
            reporter=relationship.mentor,
            kind=Concern.Kind.CHILD,
            young_person=relationship.mentee,
            happened_at=now - datetime.timedelta(days=number * 3, hours=2),
            **fields,
        )
        lead = concern.assigned_to
        if template["stage"] in ("acknowledged", "referred") and lead is not None:
            services.concern_acknowledge(concern=concern, actor=lead)
            services.case_entry_add(
                concern=concern,
                actor=lead,
                kind=CaseEntry.Kind.TOLD,
                told_whom="Head of year",
                text="Spoke to the head of year, who will check in with the mentee tomorrow morning.",
            )
        if template["stage"] == "referred" and lead is not None:
            services.case_entry_add(
                concern=concern,
                actor=lead,
                kind=CaseEntry.Kind.REFERRAL,
                agency=CaseEntry.Agency.MASH,
                text="Referred to MASH by phone; reference given by the duty social worker.",
            )
    first = relationships[0]
    meeting_request_create(
        relationship=first,
        actor=first.mentor,
        place="Manchester Central Library, ground floor café",
        purpose="Look at apprenticeship listings together before the open evening",
        proposed_for=now + datetime.timedelta(days=10),
    )
    gift_declare(
        mentor=first.mentor,
        direction=GiftDeclaration.Direction.GIVEN,
        description="Second-hand copy of a revision guide",
        value=Decimal("6.00"),
        given_on=min(context_today(context), timezone.localdate()),
    )
    gift_declare(
        mentor=first.mentor,
        direction=GiftDeclaration.Direction.RECEIVED,
        description="Tickets to a family theatre trip, offered by the mentee's parent",
        value=Decimal("60.00"),
        given_on=min(context_today(context), timezone.localdate()),
    )
    context.log(
        f"Added messages in {min(len(relationships), 6)} relationships and {len(subjects[:3])} concerns."
    )


def context_today(context):
    return getattr(context, "today", None) or timezone.localdate()


def _delete(queryset) -> None:
    # Demo rows only: the append-only guards protect real records, not a demo rebuild.
    models.QuerySet.delete(queryset)


def clear_demo(people) -> None:
    """Remove safeguarding rows that belong to demo people, so they can be deleted and rebuilt."""
    ids = list(people.values_list("pk", flat=True))
    concerns = Concern.objects.filter(
        Q(reporter_id__in=ids)
        | Q(young_person_id__in=ids)
        | Q(assigned_to_id__in=ids)
        | Q(acknowledged_by_id__in=ids)
    )
    concern_ids = list(concerns.values_list("pk", flat=True))
    _delete(
        CaseExport.objects.filter(
            Q(concern_id__in=concern_ids) | Q(requested_by_id__in=ids) | Q(approved_by_id__in=ids)
        )
    )
    _delete(CaseEntry.objects.filter(Q(concern_id__in=concern_ids) | Q(author_id__in=ids)))
    _delete(Concern.objects.filter(pk__in=concern_ids))
    messages = Message.objects.filter(
        Q(relationship__mentor_id__in=ids) | Q(relationship__mentee_id__in=ids) | Q(sender_id__in=ids)
    )
    message_ids = list(messages.values_list("pk", flat=True))
    _delete(MessageAttachment.objects.filter(message_id__in=message_ids))
    _delete(Message.objects.filter(pk__in=message_ids))
    pair = Q(relationship__mentor_id__in=ids) | Q(relationship__mentee_id__in=ids)
    _delete(MeetingRequest.objects.filter(pair | Q(requested_by_id__in=ids) | Q(decided_by_id__in=ids)))
    _delete(GiftDeclaration.objects.filter(Q(mentor_id__in=ids) | Q(decided_by_id__in=ids)))
    _delete(
        MentorSuspension.objects.filter(
            Q(mentor_id__in=ids) | Q(requested_by_id__in=ids) | Q(approved_by_id__in=ids)
        )
    )
    _delete(
        ErasureRequest.objects.filter(
            Q(person_id__in=ids) | Q(requested_by_id__in=ids) | Q(approved_by_id__in=ids)
        )
    )
    _delete(
        OutboxMessage.objects.filter(
            Q(payload__concern_id__in=concern_ids) | Q(payload__message_id__in=message_ids)
        )
    )
