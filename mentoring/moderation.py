"""Text one side of a pair writes for the other is screened for contact details, as messages are
(the screen is registered by safeguarding in `core.moderation`), and held the same way: unless the
mentee is an adult who agreed to share contact details, text that seems to contain them is kept
back for a coordinator or safeguarding lead of the mentee's youth partner to release or decline.
The writer is told; the other side sees nothing of it until it is released.

Records that do not exist yet (a goal, a progress note, a request to meet elsewhere) are made only
on release, by the releaser registered for their kind; the held fields of a record that has to be
saved now (a session log's notes for the mentee) stay empty until release fills them in.

A reviewer may instead return held text to its writer with a note of what to change. The writer edits
it and sends it again: without contact details it takes effect at once, as if written so the first
time; with them still, it is held for a check again."""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record
from core.errors import ApplicationError
from core.moderation import contact_details_in

from .models import HeldText, Relationship
from .policies import REWRITE

# How each kind of held text becomes real on release: `releaser(held)` makes or fills the record.
RELEASERS: dict[str, Callable[[HeldText], object]] = {}
# The model whose fields each kind of held text will fill in (for labels when it is edited again).
RELEASED_MODELS: dict[str, type[models.Model]] = {}


def register_releaser(kind: str, releaser: Callable[[HeldText], object], model: type[models.Model]) -> None:
    RELEASERS[kind] = releaser
    RELEASED_MODELS[kind] = model


# Told when text is held (safeguarding registers one that emails the reviewers).
HELD_LISTENERS: list[Callable[[HeldText], None]] = []


def register_held_listener(listener: Callable[[HeldText], None]) -> None:
    if listener not in HELD_LISTENERS:
        HELD_LISTENERS.append(listener)


# Told when held text is returned to its writer (safeguarding registers one that emails the writer).
RETURNED_LISTENERS: list[Callable[[HeldText], None]] = []


def register_returned_listener(listener: Callable[[HeldText], None]) -> None:
    if listener not in RETURNED_LISTENERS:
        RETURNED_LISTENERS.append(listener)


def shared_text_is_direct(relationship: Relationship) -> bool:
    """Adults who agreed to share contact details write to their mentor without review."""
    profile = getattr(relationship.mentee, "mentee_profile", None)
    return bool(profile and not profile.is_under_18 and profile.shares_contact_with_mentor)


def contact_details_to_hold(relationship: Relationship, actor, **texts: str) -> list[str]:
    """The kinds of contact detail found in text one side of the pair writes for the other (none for
    text written by the people who oversee the pair, or by an adult pair who may share them)."""
    if actor.pk not in (relationship.mentor_id, relationship.mentee_id):
        return []
    if shared_text_is_direct(relationship):
        return []
    found: list[str] = []
    for text in texts.values():
        found.extend(kind for kind in contact_details_in(text or "") if kind not in found)
    return found


def held_text_create(
    *,
    relationship: Relationship,
    author,
    kind: str,
    texts: dict[str, str],
    found: list[str],
    data: dict | None = None,
    target=None,
) -> HeldText:
    held = HeldText.objects.create(
        relationship=relationship,
        author=author,
        kind=kind,
        texts=texts,
        data=data or {},
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        hold_reason=_hold_reason(found),
    )
    audit_record(actor=author, action="moderation.text_held", target=held, summary=held.hold_reason)
    for listener in HELD_LISTENERS:
        listener(held)
    return held


def held_message(held: HeldText) -> str:
    """What the writer is told when their text is held."""
    return (
        f"{held.get_kind_display()} is waiting for the coordinator to check it: it seems to contain "
        f"{held.hold_reason.removeprefix('Contains ')}. Contact details are kept private, so the other "
        "person will see it only once it has been checked."
    )


def _locked(held: HeldText) -> HeldText:
    return HeldText.objects.select_for_update(of=("self",)).select_related("relationship").get(pk=held.pk)


def _hold_reason(found: list[str]) -> str:
    return ("Contains " + " and ".join(found))[:200]


def held_text_fields(held: HeldText) -> list[models.Field]:
    """The model fields the held text fills in, in the order it was written: their labels, help and
    length limits are the ones the writer saw on the form they first used."""
    if held.kind == HeldText.Kind.FIELDS:
        model = held.target_type.model_class() if held.target_type else None
    else:
        model = RELEASED_MODELS.get(held.kind)
    if model is None:
        return []
    # In the model's order: a JSON column need not keep the order its keys were written in.
    return [field for field in model._meta.get_fields() if field.name in held.texts]


def _apply(held: HeldText) -> None:
    """Make the record the held text belongs to, or fill in its held fields, as now written."""
    if held.kind == HeldText.Kind.FIELDS:
        target = held.target
        if target is None:
            raise ApplicationError("The record these notes belong to no longer exists.")
        for field, value in held.texts.items():
            setattr(target, field, value)
        target.save(update_fields=list(held.texts))
    else:
        RELEASERS[held.kind](held)


@transaction.atomic
def held_text_release(*, held: HeldText, actor) -> HeldText:
    """Release held text: the record it belongs to is made (or its fields filled in) as written."""
    policy.require(actor, policy.CHANGE, held, refuse_with=ApplicationError)
    held = _locked(held)
    if held.status != HeldText.Status.HELD:
        raise ApplicationError("This has already been checked.")
    _apply(held)
    held.status = HeldText.Status.RELEASED
    held.reviewed_by = actor
    held.reviewed_at = timezone.now()
    held.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action="moderation.text_released", target=held)
    return held


def _decide_with_a_note(
    *, held: HeldText, actor, status: str, note: str, field: str, missing: str, action: str
) -> HeldText:
    """Decline or return held text: a reviewer's decision that the writer reads a note about."""
    policy.require(actor, policy.CHANGE, held, refuse_with=ApplicationError)
    held = _locked(held)
    if held.status != HeldText.Status.HELD:
        raise ApplicationError("This has already been checked.")
    note = (note or "").strip()
    if not note:
        raise ApplicationError(missing, field=field)
    held.status = status
    held.decline_reason = note[:500]
    held.reviewed_by = actor
    held.reviewed_at = timezone.now()
    held.save(update_fields=["status", "decline_reason", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action=action, target=held, summary=held.decline_reason)
    return held


@transaction.atomic
def held_text_decline(*, held: HeldText, actor, reason: str) -> HeldText:
    """Decline held text: never shown to the other side, kept as evidence, the writer told why."""
    return _decide_with_a_note(
        held=held,
        actor=actor,
        status=HeldText.Status.DECLINED,
        note=reason,
        field="reason",
        missing="Say why it is not shown: the writer will read it.",
        action="moderation.text_declined",
    )


@transaction.atomic
def held_text_return(*, held: HeldText, actor, note: str) -> HeldText:
    """Return held text to its writer to change: never shown as written, the writer told what to change."""
    held = _decide_with_a_note(
        held=held,
        actor=actor,
        status=HeldText.Status.RETURNED,
        note=note,
        field="note",
        missing="Say what to change: the writer will read it.",
        action="moderation.text_returned",
    )
    for listener in RETURNED_LISTENERS:
        listener(held)
    return held


@transaction.atomic
def held_text_rewrite(*, held: HeldText, actor, texts: dict[str, str]) -> HeldText:
    """The writer sends returned text again, changed. Without contact details it takes effect now (the
    goal, note or request is made, or the record's notes filled in); with them still, it is held for a
    check again and the reviewers are told. Either way nothing is half-done: a refusal changes nothing."""
    policy.require(actor, REWRITE, held, refuse_with=ApplicationError)
    held = _locked(held)
    if held.status != HeldText.Status.RETURNED:
        raise ApplicationError("Only text returned for editing can be sent again.")
    if not held.relationship.is_open:
        raise ApplicationError("This relationship has closed.")
    if set(texts) != set(held.texts):
        raise ApplicationError("Fill in every part of the text.")
    cleaned = {name: (texts[name] or "").strip() for name in held.texts}
    for field in held_text_fields(held):
        max_length = getattr(field, "max_length", None)
        if max_length and len(cleaned[field.name]) > max_length:
            raise ApplicationError(f"Keep {field.verbose_name} to {max_length} characters.", field=field.name)
    if not any(cleaned.values()):
        raise ApplicationError("Write the text again before sending it.")
    held.texts = cleaned
    found = contact_details_to_hold(held.relationship, actor, **cleaned)
    if found:
        held.status = HeldText.Status.HELD
        held.hold_reason = _hold_reason(found)
        held.save(update_fields=["texts", "status", "hold_reason"])
        audit_record(actor=actor, action="moderation.text_held", target=held, summary=held.hold_reason)
        for listener in HELD_LISTENERS:
            listener(held)
        return held
    _apply(held)
    held.status = HeldText.Status.RELEASED
    held.save(update_fields=["texts", "status"])
    audit_record(actor=actor, action="moderation.text_rewritten", target=held)
    return held
