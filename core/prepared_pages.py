"""`PreparedPage`: one page of a list read as `core.rows.PreparedRows` reads its rows, the page's
LIMIT and OFFSET being values of each run, so every page of the list runs the same statement
(compiled once per process, prepared once per connection).

    LIST_PAGE = PreparedPage(Application, ("status", "user__first_name"), build)
    LIST_PAGE.page(0, 25, user=request.user)  # the first 25 rows, in the queryset's order
"""

from django.db.models import BigIntegerField

from core.prepared import PreparedQuery, _Fill
from core.rows import PreparedRows

_COUNT = BigIntegerField()


class _PagedQuery(PreparedQuery):
    def _compile(self, connection, lengths, values):
        compiled = super()._compile(connection, lengths, values)
        if compiled.sql:  # the statement ends with its ORDER BY: the page's bounds follow it
            compiled.sql = f"{compiled.sql} LIMIT %s OFFSET %s"
            compiled.params = [*compiled.params, _Fill("page_limit", _COUNT), _Fill("page_offset", _COUNT)]
        return compiled


class PreparedPage(PreparedRows):
    """`PreparedRows` of one page at a time: `build` must give an ordered queryset, not a slice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = _PagedQuery(self.query.build, self.using)

    def page(self, start: int, stop: int, **values) -> list:
        """The rows from `start` up to `stop` (as `queryset[start:stop]`), for these values."""
        if stop <= start:
            return []
        return self.rows(page_limit=stop - start, page_offset=start, **values)
