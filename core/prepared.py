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
each as a dict, as `values()` would, and `tuples` each as a tuple, as `values_list()` would.
"""

import threading
from dataclasses import dataclass

from django.db import connections
from django.db.models import Expression, Lookup
from django.utils import timezone


@dataclass(frozen=True)
class _Fill:
    """Where a slot's value goes among a compiled query's parameters: a value converted as `field`
    converts it, or a list of `kind` (`index`: one member of it)."""

    name: str
    field: object
    index: int | None = None
    kind: type = int


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
    def __init__(self, lengths: dict[str, int]):
        self.lengths = lengths

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


class PreparedQuery:
    def __init__(self, build, using: str = "default"):
        self.build = build
        self.using = using
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, connection, lengths: dict[str, int]) -> _Compiled:
        queryset = self.build(_Slots(lengths))
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if len(names) != len(fields):
            raise ValueError("A prepared query must return values (values() or values() with annotate).")
        return _Compiled(sql, list(params), names, compiler.get_converters(fields))

    def rows(self, **values) -> list[dict]:
        """Each row as a dict of its columns, as `values()` gives it."""
        compiled, rows = self._run(values)
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in rows]

    def tuples(self, **values) -> list[tuple]:
        """Each row as a tuple of its columns, in the order `values()` names them (as `values_list()`):
        no dict per row, for a read of hundreds of rows."""
        return self._run(values)[1]

    def _run(self, values: dict) -> tuple[_Compiled, list[tuple]]:
        connection = connections[self.using]
        compiled = self._compiled_for(values)
        params = [_filled(param, values, connection) for param in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        converters = compiled.converters
        if not converters:
            return compiled, rows
        result = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            result.append(tuple(row))
        return compiled, result

    def _compiled_for(self, values: dict) -> _Compiled:
        connection = connections[self.using]
        lengths = {name: len(value) for name, value in values.items() if isinstance(value, list | tuple)}
        # The SQL depends on the database, the time zone (dates are truncated in it) and list lengths.
        zone = timezone.get_current_timezone_name()
        key = (connection.alias, connection.vendor, zone, *sorted(lengths.items()))
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(connection, lengths)
                self._compiled[key] = compiled
        return compiled


def _filled(param, values: dict, connection):
    if not isinstance(param, _Fill):
        return param
    value = values[param.name]
    if param.field is None:  # a list: the whole of it (PostgreSQL's array) or one member
        members = [param.kind(member) for member in value]
        return members if param.index is None else members[param.index]
    return param.field.get_db_prep_value(value, connection)
