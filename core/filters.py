"""What the list pages' filters share.

`ModelChoiceFilter` is django-filter's, with its choices read by one ordinary query. Django reads a
model choice field's options with `QuerySet.iterator()`, which on PostgreSQL opens a server-side
cursor (a DECLARE, a FETCH and a CLOSE, three round trips) to read a filter's handful of programmes
or youth partners: 3.6 ms against 0.9 ms for a plain read of 20 partners (docs/benchmarks.md).
"""

import copy

import django_filters
from django.db.models import QuerySet
from django_filters import fields


class ListedModelChoiceIterator(fields.ModelChoiceIterator):
    """The empty and null choices (as django-filter puts them), then the queryset's rows, read
    afresh on each rendering as Django's own iterator does, but in one query."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(fields.ModelChoiceField):
    iterator = ListedModelChoiceIterator


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


class _Filters(dict):
    """A filter set's filters (`base_filters`) that copy themselves filter by filter (`_copied`) when
    a filter set is made, rather than through `copy.deepcopy`: a deep copy of the application list's
    seven filters, with the querysets of its model choices, cost about 2,500 Python calls a page."""

    def __deepcopy__(self, memo):
        return {name: _copied(each) for name, each in self.items()}


def _copied(each: django_filters.Filter) -> django_filters.Filter:
    """A copy of a filter that shares nothing a filter set changes: its options (`extra`) are its own,
    a queryset its own clone, its form field is made afresh and its `method` calls its own filter set."""
    copied = copy.copy(each)
    copied.__dict__.pop("_field", None)
    copied.extra = dict(each.extra)
    if isinstance(copied.extra.get("queryset"), QuerySet):
        copied.extra["queryset"] = copied.extra["queryset"].all()
    if isinstance(getattr(each, "queryset", None), QuerySet):
        copied.queryset = each.queryset.all()
    if each.method is not None:
        copied.method = each.method  # a FilterMethod of the copy, not of the class's filter
    return copied


class ListFilterSet(django_filters.FilterSet):
    """A list page's filter set, made without deep-copying its filters on every request (`_Filters`)."""

    @classmethod
    def get_filters(cls):
        return _Filters(super().get_filters())
