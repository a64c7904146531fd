"""Queries whose SQL the ORM builds once per process, run with each request's values.

Building and compiling a query with a few correlated subqueries costs Django thousands of function
calls on every request (13,500 for the coordinator's relationship rows, of 16,800 for the whole read
of 500 rows), far more than reading its rows. A `PreparedQuery` builds its queryset from *slots*:
named placeholders for the values that change from one use to the next (today, a cut-off time, a
programme, a list of ids). It is compiled once per database connection, time zone and length of
each list of values, and each use then only fills in the values and runs the SQL, with Django's own
conversion of the values sent (`get_db_prep_value` of the slot's field) and of the columns read.

The builder is given the slots, never a value, so no request's value can be kept in the cached SQL:

    CREATED_SINCE = PreparedQuery(
        lambda slots: Relationship.objects.filter(
            SlotIn(F("cohort_id"), slots.ids("cohorts")),
            created_at__gte=slots.value("since", DateTimeField()),
        ).values("status").annotate(total=Count("pk"))
    )
    CREATED_SINCE.rows(cohorts=[1, 2], since=moment)  # [{"status": ..., "total": ...}, ...]

Only querysets returning values (`values()`, with or without `annotate`) are prepared; `rows` gives
each as a dict, as `values()` would (`tuples`, as `values_list()` would).

A query scoped to the signed-in person through the policy module (core.policy) takes them as a
*person slot*: the builder is given a stand-in for them, to pass to `policy.scope` and to use in
filters as the person themselves, whose id is a slot. Whatever else the builder (or the policy) reads
of the person, such as their roles or the partners they oversee, is read from the person the query is
compiled for and kept with the SQL as its *guard*: a later use runs that SQL only for a person of whom
each of those reads gives the same value, and compiles the query again (kept beside the first) for
anyone else. A date or time cannot be built into such a query (it is refused): it must be a slot.
A query made with `daily=True` is compiled once per day (the local date, in the current time zone) and
may have dates worked out from today built in, as the policy's birthday cut-offs (`birthdate_cutoff(18)`:
who is an adult today); a time still cannot be.

    OWN_GOALS = PreparedQuery(
        lambda slots: policy.scope(slots.person("user"), policy.VIEW, Goal).values("title")
    )
    OWN_GOALS.rows(user=request.user)
"""

import datetime
import threading
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Expression, Lookup, Value
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode
from django.utils import timezone


@dataclass(frozen=True)
class _Fill:
    """Where a slot's value goes among a compiled query's parameters: a value converted as `field`
    converts it, or a list of `kind` (`index`: one member of it)."""

    name: str
    field: object
    index: int | None = None
    kind: type = int
    person: bool = False  # the value is a person: their primary key is sent


class Slot(Expression):
    """A value supplied when the query is run, converted for the database as `output_field` is."""

    def __init__(self, name: str, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self):
        return f"Slot({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [_Fill(self.name, self.output_field)]

    def get_group_by_cols(self):
        return []


class _PersonSlot(Slot):
    def as_sql(self, compiler, connection):
        return "%s", [_Fill(self.name, self.output_field, person=True)]


class _Person:
    """A person as a prepared query's builder sees them (`slots.person`): used as a value (a filter's
    `mentor=person`), and as `pk` or `id`, they are a slot; any other attribute is read from the
    person the query is compiled for, and noted in `guard`."""

    def __init__(self, name: str, person, guard: dict):
        self._slot_name = name
        self._person = person
        self._guard = guard
        self._field = person._meta.pk

    def resolve_expression(self, *args, **kwargs):
        return _PersonSlot(self._slot_name, self._field)

    @property
    def pk(self):
        return _PersonSlot(self._slot_name, self._field)

    id = pk

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        value = getattr(self._person, attribute)
        self._guard[attribute] = value
        return value


class IdsSlot:
    """A list of integer ids (or of strings, `kind=str`) supplied when the query is run; its length is
    known when compiling (the query is compiled once per length)."""

    def __init__(self, name: str, length: int, kind=int):
        self.name, self.length, self.kind = name, length, kind


class SlotIn(Lookup):
    """A column among the ids of an `IdsSlot`: `column = ANY(%s)` with one array on PostgreSQL (as
    `core.lookups.AnyOf`), `column IN (%s, ...)` elsewhere; false when the list is empty.

        SlotIn(F("relationship_id"), slots.ids("relationships"))
    """

    lookup_name = "slot_in"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs
        if not ids.length:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, _Fill(ids.name, None, kind=ids.kind)]
        placeholders = ", ".join(["%s"] * ids.length)
        fills = [_Fill(ids.name, None, index, ids.kind) for index in range(ids.length)]
        return f"{lhs} IN ({placeholders})", [*lhs_params, *fills]


class _Slots:
    def __init__(self, lengths: dict[str, int], values: dict | None = None):
        self.lengths = lengths
        self.values = values or {}
        self.guards: dict[str, dict] = {}

    def person(self, name: str) -> _Person:
        """The person given as `name` when the query is run (see the module's description)."""
        guard = self.guards.setdefault(name, {})
        return _Person(name, self.values[name], guard)

    def value(self, name: str, output_field) -> Slot:
        return Slot(name, output_field)

    def ids(self, name: str) -> IdsSlot:
        return IdsSlot(name, self.lengths[name])

    def strings(self, name: str) -> IdsSlot:
        return IdsSlot(name, self.lengths[name], kind=str)


@dataclass
class _Compiled:
    sql: str
    params: list
    names: list[str]
    converters: dict
    # For each person slot, what was read of the person while building (attribute: value).
    guards: dict[str, dict] = field(default_factory=dict)

    def fits(self, values: dict) -> bool:
        return all(
            getattr(values[name], attribute) == value
            for name, guard in self.guards.items()
            for attribute, value in guard.items()
        )


# Compiled variants kept per key for queries with a person slot: people whose guards differ (roles,
# overseen partners) each need their own, but a page is used by people of a few kinds.
MOST_VARIANTS = 16


class PreparedQuery:
    def __init__(self, build, using: str = "default", *, daily: bool = False):
        self.build = build
        self.using = using
        self.daily = daily
        self._compiled: dict[tuple, list[_Compiled]] = {}
        self._lock = threading.Lock()

    def _compile(self, connection, lengths: dict[str, int], values: dict) -> _Compiled:
        slots = _Slots(lengths, values)
        queryset = self.build(slots)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a condition that matches nothing (none()): no query to run
            sql, params = "", []
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if len(names) != len(fields):
            raise ValueError("A prepared query must return values (values() or values() with annotate).")
        # A date worked out while building (today, a birthday cut-off) would be kept for everyone: a
        # daily query is compiled again each day, so only a time would (a date a day old, for a day).
        kind = datetime.datetime if self.daily else datetime.date
        if slots.guards and (_has_literal_date(query, kind=kind) or any(isinstance(p, kind) for p in params)):
            raise ValueError("A prepared query with a person slot must take its dates and times as slots.")
        return _Compiled(sql, list(params), names, compiler.get_converters(fields), slots.guards)

    def _compiled_for(self, connection, values: dict) -> _Compiled:
        lengths = {name: len(value) for name, value in values.items() if isinstance(value, list | tuple)}
        # The SQL depends on the database, the time zone (dates are truncated in it) and list lengths.
        zone = timezone.get_current_timezone_name()
        day = timezone.localdate() if self.daily else None
        key = (connection.alias, connection.vendor, zone, day, *sorted(lengths.items()))
        for compiled in self._compiled.get(key, ()):
            if compiled.fits(values):
                return compiled
        with self._lock:
            if self.daily:  # the days before are not asked for again
                for old in [each for each in self._compiled if each[3] != day]:
                    del self._compiled[old]
            variants = self._compiled.setdefault(key, [])
            compiled = next((each for each in variants if each.fits(values)), None)
            if compiled is None:
                compiled = self._compile(connection, lengths, values)
                # Compiled as the day turned: its dates are the next day's, not kept for this one.
                if len(variants) < MOST_VARIANTS and (day is None or timezone.localdate() == day):
                    variants.append(compiled)
        return compiled

    def tuples(self, **values) -> list:
        """The rows, each a sequence of the query's values in its order (as `values_list()`)."""
        connection = connections[self.using]
        compiled = self._compiled_for(connection, values)
        return self._run(connection, compiled, values)

    def rows(self, **values) -> list[dict]:
        connection = connections[self.using]
        compiled = self._compiled_for(connection, values)
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in self._run(connection, compiled, values)]

    @staticmethod
    def _run(connection, compiled: _Compiled, values: dict) -> list:
        if not compiled.sql:
            return []
        try:
            params = [_filled(param, values, connection) for param in compiled.params]
        except _BeyondAnyRow:
            return []
        with _cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        converters = compiled.converters
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted


def _cursor(connection):
    """A cursor to run a prepared query with. On PostgreSQL with prepared statements allowed (the
    connection's `prepare_threshold` set: config/settings), one that sends the values apart from the
    SQL and prepares each statement once per connection: PostgreSQL then plans it once instead of on
    every run, which was most of a short query's time there (a mentor's relationships: 0.7 ms planning,
    0.1 ms running). Django's own cursor (the values written into the SQL) otherwise. Either is wrapped
    as Django wraps its cursors, so the query is logged and counted as any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if getattr(connection.connection, "prepare_threshold", None) is None:
        return connection.cursor()
    connection.validate_thread_sharing()
    cursor_class, debug_wrapper = _preparing_classes()
    with connection.wrap_database_errors:
        raw = cursor_class(connection.connection)
    return debug_wrapper(raw, connection) if connection.queries_logged else connection.make_cursor(raw)


_PREPARING: tuple = ()


def _preparing_classes() -> tuple:
    """Django's server-binding cursor for psycopg 3, preparing every statement it runs, and a debug
    wrapper that logs each statement with its values written in, as Django logs its own."""
    global _PREPARING  # noqa: PLW0603  (made once, on first use: psycopg 3 only)
    if not _PREPARING:
        from django.db.backends import utils
        from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                prepare = True if prepare is None else prepare
                return super().execute(query, params, prepare=prepare, binary=binary)

        class PreparedDebugWrapper(CursorDebugWrapper):
            def execute(self, sql, params=None):
                # The statement as it runs (its values apart) is not Django's to read back: the log
                # has it with the values written in, as every other query.
                with self.debug_sql(self.db.ops.compose_sql(sql, params)):
                    return utils.CursorWrapper.execute(self, sql, params)

        _PREPARING = (PreparingCursor, PreparedDebugWrapper)
    return _PREPARING


def _has_literal_date(node, depth: int = 0, kind: type = datetime.date) -> bool:
    """Whether a date or time (`kind`: a date or time, or a time only) is written into the query (a
    filter's value, a `Value`), anywhere in its conditions, annotations and subqueries, rather than
    given as a slot."""
    if depth > 50:
        return False
    if isinstance(node, kind):
        return True
    if isinstance(node, list | tuple | set | frozenset):
        return any(_has_literal_date(item, depth + 1, kind) for item in node)
    if isinstance(node, Query):
        parts = [node.where, *node.annotations.values()]
        return any(_has_literal_date(part, depth + 1, kind) for part in parts)
    if isinstance(node, WhereNode):
        return any(_has_literal_date(child, depth + 1, kind) for child in node.children)
    if isinstance(node, Lookup):
        return _has_literal_date(node.lhs, depth + 1, kind) or _has_literal_date(node.rhs, depth + 1, kind)
    if isinstance(node, Value):
        return _has_literal_date(node.value, depth + 1, kind)
    inner = getattr(node, "query", None)
    if isinstance(inner, Query) and _has_literal_date(inner, depth + 1, kind):
        return True
    if hasattr(node, "get_source_expressions"):
        return any(_has_literal_date(source, depth + 1, kind) for source in node.get_source_expressions())
    return False


class _BeyondAnyRow(Exception):
    """A number no integer column can hold was given for an integer slot."""


# The widest integer a column of the project holds (a BigAutoField's). A number beyond it for an
# integer slot, as an address can carry (`<int:pk>` takes any number of digits), equals no row: the
# query answers none, as the ORM's own equality does, instead of sending the database a value it
# cannot compare. (Slots compare ids for equality; a number past the range is past every row's.)
_INTEGER_RANGE = (-(2**63), 2**63 - 1)


def _filled(param, values: dict, connection):
    if not isinstance(param, _Fill):
        return param
    value = values[param.name]
    if param.person:
        value = value.pk
    if param.field is None:  # a list: the whole of it (PostgreSQL's array) or one member
        members = [param.kind(member) for member in value]
        return members if param.index is None else members[param.index]
    if (
        isinstance(value, int)
        and param.field.get_internal_type() in connection.ops.integer_field_ranges
        and not _INTEGER_RANGE[0] <= value <= _INTEGER_RANGE[1]
    ):
        raise _BeyondAnyRow
    return param.field.get_db_prep_value(value, connection)
