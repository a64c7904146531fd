"""The register of personal data: which rows hold a person's data, what their subject access export
includes (UK GDPR Article 15), and what erasure does to them (Article 17).

Each app declares its models next to them, in `<app>/personal_data.py`, imported from its
`AppConfig.ready`. The export and erasure services read this register and nothing else, and a test
fails when a model with a field pointing at a person is in no entry. `core` names no app: an entry
holds a model class and field paths only.

An entry says:
- `subject`: the field paths from a row to the person the row is about. Erasure acts on these rows.
- `export_subject`: the rows the person receives in their export when not the same (for example a
  mentee receives the messages of their relationship, not only those they sent); `()` leaves the
  model out of the export, with `not_exported` saying why.
- `fields`: what the export holds, as field paths (`programme__name`); choices are given as words.
- `actors`: person fields that only name who acted (the coordinator who decided). They are covered
  by the anonymised account, not by this entry's action.
- `erasure`: DELETE the rows, ANONYMISE the named fields (to a value, or a function of the row and
  the person), or KEEP them with the legal reason and the retention rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q

DELETE = "delete"
ANONYMISE = "anonymise"
KEEP = "keep"
ACTIONS = {DELETE: "Deleted", ANONYMISE: "Anonymised", KEEP: "Kept"}

# Field names that hold a way to reach someone. An export may carry them only from the person's own
# account and profiles (`own_contact_details`), never through a relation to somebody else.
CONTACT_FIELDS = frozenset(
    {"email", "phone", "address", "parent_email", "given_by_email", "referee_email", "contact_email"}
)


@dataclass(frozen=True)
class PersonalDataEntry:
    model: type[models.Model]
    section: str
    title: str
    description: str
    subject: tuple[str, ...]
    erasure: str
    fields: tuple[str, ...] = ()
    export_subject: tuple[str, ...] | None = None
    export_where: Callable[[int], Q] | None = None
    not_exported: str = ""
    actors: tuple[str, ...] = ()
    anonymise: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    retention: str = ""
    # What an erasure approved by a second member of staff "including safeguarding" does as well:
    # DELETE, or fields to anonymise.
    with_safeguarding: Mapping[str, Any] | str | None = None
    before_erase: Callable[[models.QuerySet, Any], None] | None = None
    own_contact_details: bool = False

    @property
    def exported(self) -> bool:
        return bool(self.export_paths)

    @property
    def export_paths(self) -> tuple[str, ...]:
        return self.subject if self.export_subject is None else self.export_subject

    @property
    def action_label(self) -> str:
        return ACTIONS[self.erasure]

    def _rows(self, person_id: int, paths: Iterable[str]) -> models.QuerySet:
        paths = tuple(paths)
        if not paths:
            return self.model._default_manager.none()
        condition = Q()
        for path in paths:
            condition |= Q(**{path: person_id})
        queryset = self.model._default_manager.filter(condition)
        # A path through a reverse or many-to-many relation can match a row more than once.
        if any(_crosses_many(self.model, path) for path in paths):
            queryset = queryset.distinct()
        return queryset

    def export_rows(self, person_id: int) -> models.QuerySet:
        """The rows this person receives in their subject access export."""
        queryset = self._rows(person_id, self.export_paths)
        if self.export_where is not None:
            queryset = queryset.filter(self.export_where(person_id))
        return queryset.order_by("pk")

    def erasure_rows(self, person_id: int) -> models.QuerySet:
        """The rows erasure acts on: those about this person."""
        return self._rows(person_id, self.subject)


@dataclass(frozen=True)
class NotPersonalData:
    model: type[models.Model]
    reason: str
    actors: tuple[str, ...] = ()


_entries: dict[type[models.Model], PersonalDataEntry] = {}
_not_personal: dict[type[models.Model], NotPersonalData] = {}


def _crosses_many(model: type[models.Model], path: str) -> bool:
    for name in path.split("__"):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if model_field.many_to_many or model_field.one_to_many:
            return True
        if not model_field.is_relation:
            return False
        model = model_field.related_model
    return False


def resolve(model: type[models.Model], path: str):
    """The final field a path names, and whether it crosses a relation on the way."""
    parts = path.split("__")
    for position, name in enumerate(parts):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            if name == "pk" and position == len(parts) - 1:
                return model._meta.pk, position > 0
            raise ImproperlyConfigured(f"{model._meta.label} has no field {name!r} (in {path!r}).") from None
        if position < len(parts) - 1:
            if not model_field.is_relation:
                raise ImproperlyConfigured(f"{model._meta.label}.{name} is not a relation (in {path!r}).")
            model = model_field.related_model
    return model_field, len(parts) > 1


def register(model: type[models.Model], **options) -> PersonalDataEntry:
    """Declare what the platform holds about people in this model and what erasure does to it."""
    entry = PersonalDataEntry(model=model, **options)
    label = model._meta.label
    if model in _entries or model in _not_personal:
        raise ImproperlyConfigured(f"{label} is registered twice in the personal data register.")
    if entry.erasure not in ACTIONS:
        raise ImproperlyConfigured(f"{label}: erasure must be one of {', '.join(ACTIONS)}.")
    if entry.erasure == KEEP and not (entry.reason and entry.retention):
        raise ImproperlyConfigured(f"{label}: kept rows need the legal reason and the retention rule.")
    if entry.erasure == ANONYMISE and not entry.anonymise:
        raise ImproperlyConfigured(f"{label}: say which fields erasure anonymises.")
    if entry.erasure != ANONYMISE and entry.anonymise:
        raise ImproperlyConfigured(f"{label}: fields to anonymise are only for the anonymise action.")
    if not entry.subject:
        raise ImproperlyConfigured(f"{label}: name the field path(s) to the person the rows are about.")
    if entry.exported and not entry.fields:
        raise ImproperlyConfigured(f"{label}: name the fields the export includes.")
    if not entry.exported and not entry.not_exported:
        raise ImproperlyConfigured(f"{label}: say why these rows are not in the person's export.")
    if any(other.section == entry.section for other in _entries.values()):
        raise ImproperlyConfigured(f"{label}: the export section {entry.section!r} is already taken.")
    for path in (*entry.subject, *entry.export_paths, *entry.actors):
        resolve(model, path)
    for path in entry.fields:
        final, crosses = resolve(model, path)
        if final.is_relation and path.split("__")[-1] != getattr(final, "attname", None):
            raise ImproperlyConfigured(f"{label}: export {path!r} names a relation; name a field on it.")
        if final.name in CONTACT_FIELDS and (crosses or not entry.own_contact_details):
            raise ImproperlyConfigured(
                f"{label}: {path!r} is someone's contact details; exports carry only the person's own."
            )
    if isinstance(entry.with_safeguarding, str) and entry.with_safeguarding != DELETE:
        raise ImproperlyConfigured(f"{label}: with_safeguarding is DELETE or the fields to anonymise.")
    further = entry.with_safeguarding if isinstance(entry.with_safeguarding, Mapping) else {}
    for name in (*entry.anonymise, *further):
        model._meta.get_field(name)
    _entries[model] = entry
    return entry


def not_personal_data(model: type[models.Model], *, reason: str, actors: tuple[str, ...] = ()) -> None:
    """Declare that a model pointing at a person holds no personal data beyond naming who acted."""
    if not reason.strip():
        raise ImproperlyConfigured(f"{model._meta.label}: say why this is not personal data.")
    for path in actors:
        resolve(model, path)
    if model in _entries or model in _not_personal:
        raise ImproperlyConfigured(f"{model._meta.label} is registered twice in the personal data register.")
    _not_personal[model] = NotPersonalData(model=model, reason=reason, actors=actors)


def entries() -> list[PersonalDataEntry]:
    """Every entry, in the order the apps declared them."""
    return list(_entries.values())


def entry_for(model: type[models.Model]) -> PersonalDataEntry | None:
    return _entries.get(model)


def not_personal(model: type[models.Model]) -> NotPersonalData | None:
    return _not_personal.get(model)


# Reading an entry for an export ---------------------------------------------------------------------


def columns(entry: PersonalDataEntry) -> list[tuple[str, str]]:
    """Each exported field path with a heading in words (`mentor: first name`)."""
    result = []
    for path in entry.fields:
        final, crosses = resolve(entry.model, path)
        heading = str(final.verbose_name)
        if final.is_relation:
            heading = f"{final.verbose_name} number"
        if crosses:
            first = entry.model._meta.get_field(path.split("__")[0])
            owner = getattr(first, "verbose_name", None) or first.name.replace("_", " ")
            heading = f"{owner}: {heading}"
        result.append((path, heading))
    return result


def _converter(entry: PersonalDataEntry, path: str) -> Callable[[Any], Any]:
    from django.utils import timezone

    final, _crosses = resolve(entry.model, path)
    labels = dict(final.flatchoices) if getattr(final, "choices", None) else None

    def convert(value):
        if value is None:
            return None
        if labels is not None and not isinstance(value, (list, dict)):
            return str(labels.get(value, value))
        if hasattr(value, "tzinfo") and hasattr(value, "hour"):
            return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, (bool, int, float, str, list, dict)):
            return value
        return str(value)

    return convert


def export_section(entry: PersonalDataEntry, person_id: int) -> list[dict[str, Any]]:
    """The person's rows for one entry, as plain values keyed by field path (choices in words)."""
    converters = [(path, _converter(entry, path)) for path in entry.fields]
    return [
        {path: convert(value) for (path, convert), value in zip(converters, row, strict=True)}
        for row in entry.export_rows(person_id).values_list(*entry.fields)
    ]
