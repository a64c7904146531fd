from functools import cached_property

from django.core.paginator import Paginator

PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """Counts rows only up to `limit`: past it the list reads "more than `limit`", so a table of
    millions is not counted on every visit. Pages past the limit stay reachable: the limit grows with
    the page asked for, so there is always a next page while rows remain."""

    def __init__(self, object_list, per_page, *, limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def count(self) -> int:
        # One row past the limit says whether there are more; the count stops there.
        return self.object_list[: self.limit + 1].count()

    @property
    def more(self) -> bool:
        """True when there are more rows than `limit` (the count shown is then a floor)."""
        return self.count > self.limit


def _requested_page(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except (TypeError, ValueError):
        return 1


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None):
    """The requested page of `queryset`; out-of-range or malformed page numbers give the nearest page.
    `count`, when the caller already knows how many rows there are, saves the COUNT query."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # the cached property, set in advance
    return paginator.get_page(request.GET.get("page"))


def paginate_capped(request, queryset, per_page: int = PAGE_SIZE, *, limit: int = 10_000):
    """Like `paginate`, counting at most `limit` rows (or as many as the page asked for needs)."""
    limit = max(limit, _requested_page(request) * per_page)
    return CappedPaginator(queryset, per_page, limit=limit).get_page(request.GET.get("page"))


class ReadPage:
    """A list for `paginate` whose rows are counted by `queryset` and whose page is read by
    `read(queryset[start:stop])`: a list page reads only what its rows show (values, or instances with
    only the columns shown) while keeping its queryset's filters, order and count. `read_slice`, when
    given, reads the page instead from its bounds (`read_slice(start, stop)`: a prepared read of the
    same rows).

        paginate(request, ReadPage(filterset.qs, read_rows))
    """

    ordered = True

    def __init__(self, queryset, read=None, *, read_slice=None):
        self.queryset = queryset
        self.read = read
        self.read_slice = read_slice

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("A page is read as a slice.")
        if self.read_slice is not None:
            return list(self.read_slice(item.start or 0, item.stop))
        return list(self.read(self.queryset[item]))
