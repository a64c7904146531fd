"""`rows_with_columns`: a query's rows as model instances holding only the columns a page shows, with
the related rows those columns name attached as `select_related` attaches them, read with one
`values_list` query.

    rows_with_columns(relationships.order_by("-created_at"), ["status", "mentee__first_name"])

gives relationships whose `status` is loaded and whose `mentee` is a user with its `first_name`
(and `pk`) loaded: `relationship.mentee.first_name` reads no more rows. `select_related(...).only(...)`
gives the same instances, but building its deferred-loading masks and related-row populators cost
Django about twice the function calls of the same join read with `values_list` (a mentor's
relationships with their young person, profile, programme and partner: 3,700 calls against 1,800;
docs/benchmarks.md, eighth round), which on a home page of several such reads was a large part of
each request. Each column is a field of its model (`first_name`, `relationship_id`) after its path of
relations: forward foreign keys and one-to-one fields, or the reverse side of a one-to-one field (a
user's `mentee_profile`). A related row that is missing (a null foreign key, no profile) is None, as
with `select_related`; a forward relation's id is loaded on the row that holds it. Loading any other
field of these instances reads it from the database on its own, as with `only()`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.db.models.fields.related import ForeignObjectRel, RelatedField

from core.prepared import PreparedQuery


@dataclass
class _Node:
    """One model of the read: the root (path "") or a related row reached by `path`."""

    path: str
    model: type[Model]
    relation: object = None  # the field (forward) or rel (reverse one-to-one) from its parent
    parent: "_Node | None" = None
    attnames: list[str] = field(default_factory=list)
    # Where each of `attnames` is in a row (a forward relation's primary key is its parent's foreign
    # key, and a reverse one-to-one's foreign key its parent's primary key: read once).
    indices: list[int] = field(default_factory=list)
    pk: int = 0  # where its primary key is in a row


@dataclass
class _Plan:
    nodes: list[_Node]
    names: list[str]  # what values_list reads


# Worked out once per model and columns (the same for every request): fields, not rows.
_plans: dict[tuple[type[Model], tuple[str, ...]], _Plan] = {}


def _relation(model: type[Model], part: str, column: str):
    relation = model._meta.get_field(part)
    if isinstance(relation, ForeignObjectRel) and relation.one_to_one:
        return relation
    if isinstance(relation, RelatedField) and (relation.many_to_one or relation.one_to_one):
        if relation.target_field.primary_key:
            return relation
    raise ValueError(f"{column}: {part} is not a one-to-one or forward relation to a primary key")


def _plan(model: type[Model], columns: tuple[str, ...]) -> _Plan:
    root = _Node("", model)
    nodes = {"": root}
    for column in columns:
        *relations, name = column.split("__")
        node = root
        for part in relations:
            path = f"{node.path}__{part}" if node.path else part
            if path not in nodes:
                relation = _relation(node.model, part, column)
                related_model = relation.related_model
                assert isinstance(related_model, type)  # noqa: S101  (a model class, not "self")
                nodes[path] = _Node(path, related_model, relation, node)
                if isinstance(relation, ForeignObjectRel):
                    nodes[path].attnames.append(relation.field.attname)  # its owner's primary key
                else:
                    node.attnames.append(relation.attname)  # the related row's primary key
            node = nodes[path]
        node.attnames.append(node.model._meta.get_field(name).attname)
    names: list[str] = []
    where: dict[tuple[str, str], int] = {}  # (path, attname) -> index in a row

    def read(path: str, attname: str) -> int:
        if (path, attname) not in where:
            where[(path, attname)] = len(names)
            names.append(f"{path}__{attname}" if path else attname)
        return where[(path, attname)]

    for node in nodes.values():  # parents before their related rows
        pk = node.model._meta.pk
        assert pk is not None  # noqa: S101
        wanted = {pk.attname, *node.attnames}
        # In the model's own field order, as Model.from_db takes them.
        node.attnames = [item.attname for item in node.model._meta.concrete_fields if item.attname in wanted]
        relation, parent = node.relation, node.parent
        for attname in node.attnames:
            if parent is not None and isinstance(relation, RelatedField) and attname == pk.attname:
                index = where[(parent.path, relation.attname)]
            elif (
                parent is not None
                and isinstance(relation, ForeignObjectRel)
                and attname == relation.field.attname
            ):
                index = parent.pk
            else:
                index = read(node.path, attname)
            node.indices.append(index)
        node.pk = node.indices[node.attnames.index(pk.attname)]
    return _Plan(list(nodes.values()), names)


def _plan_for(model: type[Model], columns: Sequence[str]) -> _Plan:
    key = (model, tuple(columns))
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _plan(model, key[1])
    return plan


def rows_with_columns(queryset: QuerySet, columns: Sequence[str], annotations: Sequence[str] = ()) -> list:
    """`queryset`'s rows, in its order, as instances of its model with only `columns` (and their
    related rows, named by path as in `only()`) loaded: one query. `annotations`: the names of the
    queryset's annotations to read too, each set on its row as an attribute (as `annotate` sets them)."""
    plan = _plan_for(queryset.model, columns)
    value_rows = list(queryset.values_list(*plan.names, *annotations))
    return _annotated(_instances(plan, queryset.db, value_rows), value_rows, len(plan.names), annotations)


class PreparedRows:
    """`rows_with_columns` of a queryset compiled once per process (core.prepared): `build(slots)`
    makes the queryset from slots (the person it is scoped to as `slots.person(...)`), and `rows(...)`
    runs it with each use's values, giving the same instances.

        OPEN_GOALS = PreparedRows(
            Goal,
            ("title", "status"),
            lambda slots: policy.scope(slots.person("user"), policy.VIEW, Goal).order_by("pk"),
        )
        OPEN_GOALS.rows(user=request.user)

    `annotations`: the names of the queryset's annotations to read too, each set on its row as an
    attribute (as `annotate` sets them).
    """

    def __init__(
        self,
        model: type[Model],
        columns: Sequence[str],
        build,
        *,
        annotations: Sequence[str] = (),
        using: str = "default",
    ):
        self.model = model
        self.using = using
        self.plan = _plan_for(model, columns)
        self.annotations = tuple(annotations)
        self.query = PreparedQuery(
            lambda slots: self._checked(build(slots)).values(*self.plan.names, *self.annotations), using
        )

    def _checked(self, queryset: QuerySet) -> QuerySet:
        if queryset.model is not self.model:
            raise ValueError(f"The query reads {queryset.model._meta.label}, not {self.model._meta.label}.")
        return queryset

    def rows(self, **values) -> list:
        value_rows = self.query.tuples(**values)
        rows = _instances(self.plan, self.using, value_rows)
        return _annotated(rows, value_rows, len(self.plan.names), self.annotations)


def _annotated(rows: list, value_rows, first: int, annotations: Sequence[str]) -> list:
    """`rows` with each annotation's value (from `first` in each of `value_rows`) set on its row."""
    if annotations:
        for row, values_of_row in zip(rows, value_rows, strict=True):
            row.__dict__.update(zip(annotations, values_of_row[first:], strict=True))
    return rows


def _instances(plan: _Plan, db: str, value_rows) -> list:
    rows = []
    for values in value_rows:
        made: dict[str, Model | None] = {}
        for node in plan.nodes:
            instance = None
            if values[node.pk] is not None:
                instance = node.model.from_db(db, node.attnames, [values[index] for index in node.indices])
            made[node.path] = instance
            parent = made[node.parent.path] if node.parent is not None else None
            if parent is None:
                continue
            node.relation.set_cached_value(parent, instance)  # type: ignore[attr-defined]
            if instance is not None and isinstance(node.relation, ForeignObjectRel):
                # The reverse side of a one-to-one: the related row knows its owner too.
                node.relation.field.set_cached_value(instance, parent)
        rows.append(made[""])
    return rows
