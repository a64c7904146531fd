"""Home-page content kept in the cache, and the versions that say when it is out of date.

Every signed-in visit starts at a home page, so the page (the role's content, its panels and the
navigation around them) is rendered once and kept in the shared cache, one record per person, used
only while it matches:

- the person (a record is never served to anyone else) and the role shown;
- today's date (lists that depend on the day, such as ages and overdue check-ins);
- the current *versions* of what the page is about: the person's own version, the version of each
  youth partner the page covers (a coordinator's partners) and a site-wide version.

Any write to a model of the project's own apps (those in this repository) bumps the versions it
affects once the transaction commits, so the next visit renders afresh. Each app declares, for its
models, which people and youth partners a row concerns (`register_home_dependency`); a model that
declares nothing bumps the site-wide version, which is always correct, only wasteful;
`register_not_on_home` marks models no cached home page shows (audit rows, aggregate tallies).
Writes that bypass model signals (`QuerySet.update`, `bulk_create`) bump the site-wide version by
themselves (`guard_bulk_writes`), so no ORM write can leave a page stale; services that know whom
such a write concerns say so with `home_changed` inside `scoped_writes()`, which keeps the refresh to
those pages. Content also expires after `HOME_SECONDS`, so what changes with the clock alone (a
session that has started) is at most that old.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

HOME_SECONDS = 60
SITE_KEY = "home:version:site"
# Rendered with this in place of the CSRF token, which is put back per request: a cached fragment
# must never carry one visit's token into another.
CSRF_PLACEHOLDER = "__home_csrf_token__"


def user_key(user_id) -> str:
    return f"home:version:user:{user_id}"


def partner_key(partner_id) -> str:
    # The same key as the coordinator's monitoring summary, so one bump refreshes both.
    return f"mentoring:monitoring-version:{partner_id}"


@dataclass
class Scopes:
    """Whom a written row concerns: people, youth partners, or (site) everyone."""

    users: set = field(default_factory=set)
    partners: set = field(default_factory=set)
    site: bool = False

    def __or__(self, other: Scopes) -> Scopes:
        return Scopes(self.users | other.users, self.partners | other.partners, self.site or other.site)

    def keys(self) -> list[str]:
        keys = [user_key(pk) for pk in self.users if pk is not None]
        keys += [partner_key(pk) for pk in self.partners if pk is not None]
        if self.site:
            keys.append(SITE_KEY)
        return keys


@dataclass
class _Dependency:
    scopes: Callable[[object], Scopes]
    # Rows whose scope can move (a mentee changing youth partner) also bump where they were.
    track_previous: bool = False
    # A save that writes only these fields changes nothing a home page shows.
    ignore_update_fields: frozenset = frozenset()


_dependencies: dict[type, _Dependency] = {}
_not_on_home: set[type] = set()
_watched: set[type] = set()


def register_home_dependency(
    model, scopes: Callable[[object], Scopes], *, track_previous=False, ignore_update_fields=()
) -> None:
    """`scopes(instance)` says whom a saved or deleted row of `model` concerns."""
    _dependencies[model] = _Dependency(scopes, track_previous, frozenset(ignore_update_fields))


def register_not_on_home(*models) -> None:
    _not_on_home.update(models)


def by_fields(*, users: Iterable[str] = (), partners: Iterable[str] = ()) -> Callable[[object], Scopes]:
    """Scopes read from the row's own foreign keys (no query)."""
    users, partners = tuple(users), tuple(partners)

    def scopes(instance) -> Scopes:
        return Scopes(
            users={getattr(instance, f"{name}_id", None) for name in users},
            partners={getattr(instance, f"{name}_id", None) for name in partners},
        )

    return scopes


def home_changed(scopes: Scopes) -> None:
    """Mark the home pages of these people and partners out of date once the transaction commits."""
    if _site_wide.get():
        return  # every page is refreshed when the site-wide writes end
    _bump_on_commit(scopes)


def _bump_on_commit(scopes: Scopes) -> None:
    keys = scopes.keys()
    if not keys:
        return

    def bump():
        stamp = time.time_ns()
        cache.set_many(dict.fromkeys(keys, stamp), timeout=None)

    bump.refreshes_home_pages = True  # tests that count a service's other callbacks leave these out
    transaction.on_commit(bump)


def _scopes_for(instance, update_fields=None) -> Scopes | None:
    model = type(instance)
    if model._meta.proxy:
        model = model._meta.concrete_model
    if model not in _watched or model in _not_on_home:
        return None
    dependency = _dependencies.get(model)
    if dependency is None:
        return Scopes(site=True)
    if update_fields and set(update_fields) <= dependency.ignore_update_fields:
        return None
    return dependency.scopes(instance)


def _remember_previous(sender, instance, raw=False, **kwargs):
    dependency = _dependencies.get(sender)
    if _site_wide.get() or raw or dependency is None or not dependency.track_previous or instance.pk is None:
        return
    previous = sender._default_manager.filter(pk=instance.pk).first()
    instance._home_previous_scopes = dependency.scopes(previous) if previous is not None else None


def _on_write(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _site_wide.get():  # fixtures; writes that refresh every page at their end
        return
    scopes = _scopes_for(instance, update_fields)
    if scopes is None:
        return
    previous = instance.__dict__.pop("_home_previous_scopes", None)
    home_changed(scopes | previous if previous is not None else scopes)


def _on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _on_write(sender, instance)


_scoped = ContextVar("home_cache_scoped_writes", default=False)
_site_wide = ContextVar("home_cache_site_wide_writes", default=False)


@contextmanager
def scoped_writes():
    """Bulk writes inside say themselves whom they concern (`home_changed`), or concern no home page:
    they do not refresh every page."""
    token = _scoped.set(True)
    try:
        yield
    finally:
        _scoped.reset(token)


@contextmanager
def site_wide_writes():
    """Writes inside rewrite much of the site at once (the demo's build): rather than working out whom
    each row concerns (a query or more per row), every home page is refreshed once, when they commit."""
    if _site_wide.get():
        yield
        return
    token = _site_wide.set(True)
    try:
        yield
    finally:
        _site_wide.reset(token)
    _bump_on_commit(Scopes(site=True))


def _bulk_written(model) -> None:
    if model._meta.proxy:
        model = model._meta.concrete_model
    if model in _watched and model not in _not_on_home and not _scoped.get() and not _site_wide.get():
        home_changed(Scopes(site=True))


def guard_bulk_writes() -> None:
    """`QuerySet.update` and `bulk_create` send no model signals: after one writes rows of a watched
    model, every home page is refreshed (always correct, only wasteful; see `scoped_writes`)."""
    if getattr(QuerySet.update, "_home_guarded", False):
        return
    update, bulk_create = QuerySet.update, QuerySet.bulk_create

    @functools.wraps(update)
    def guarded_update(self, **kwargs):
        rows = update(self, **kwargs)
        if rows:
            _bulk_written(self.model)
        return rows

    @functools.wraps(bulk_create)
    def guarded_bulk_create(self, objs, *args, **kwargs):
        created = bulk_create(self, objs, *args, **kwargs)
        if created:
            _bulk_written(self.model)
        return created

    guarded_update._home_guarded = True
    QuerySet.update = guarded_update
    QuerySet.bulk_create = guarded_bulk_create


def connect_receivers(models) -> None:
    """Watch writes to these models (the project's own: other apps' deletes stay fast)."""
    for model in models:
        _watched.add(model)
        uid = f"home_cache:{model._meta.label}"
        pre_save.connect(_remember_previous, sender=model, dispatch_uid=uid)
        post_save.connect(_on_write, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_on_m2m, dispatch_uid="home_cache:m2m")


# Reading: one record per person --------------------------------------------------------------------


def _record_key(user_id) -> str:
    return f"home:record:{user_id}"


class HomeRecord:
    """What one visit to the cache found: the versions now, and the person's record if still valid.

    The record holds the rendered page, its content and the person's role assignments as read when
    it was rendered; it is valid while the site-wide and personal versions, the day, and (checked in
    `page`) the youth partners' versions are those it was made under. Role changes bump the
    personal version, so cached assignments never outlive a change to them. Everything the page
    around the content shows (the navigation, the person's name) depends on those too."""

    def __init__(self, user):
        self.user = user
        self.user_versions = (SITE_KEY, user_key(user.pk))
        found = cache.get_many([*self.user_versions, _record_key(user.pk)])
        self.versions = tuple(found.get(key, 0) for key in self.user_versions)
        self.today = timezone.localdate().isoformat()
        record = found.get(_record_key(user.pk))
        if record is not None and (record["versions"], record["today"]) != (self.versions, self.today):
            record = None
        self.record = record
        if record is not None:
            # The page needs the person's roles before anything else: no query while they are valid.
            # (Set as an attribute, which reaches through request.user's lazy wrapper and takes the
            # place of the cached property.)
            user._assignments = record["assignments"]

    def page(
        self,
        request,
        *,
        role: str,
        partner_ids: Iterable[int],
        render_content: Callable[[], str],
        render_page: Callable[[str, str | None], str],
    ) -> str:
        """The role's home page as HTML.

        `render_content()` renders what the role's page shows (with the CSRF token left as a
        placeholder); `render_page(content, csrf_token)` renders the page around it, with that token
        (None: the request's own). Both are kept while nothing they show has changed. A kept page is
        served with this request's token put in; one with messages waiting to be shown is rendered
        around the kept content instead, and not kept."""
        from django.contrib.messages import get_messages
        from django.middleware.csrf import get_token

        partner_keys = [partner_key(pk) for pk in sorted(partner_ids)]
        found = cache.get_many(partner_keys) if partner_keys else {}
        partner_versions = tuple(found.get(key, 0) for key in partner_keys)
        record = self.record
        # Counting the waiting messages does not mark them as shown.
        messages_waiting = bool(len(get_messages(request)))
        if record is not None and (record["role"], record["partners"]) == (role, partner_versions):
            if record["page"] is not None and not messages_waiting:
                return record["page"].replace(CSRF_PLACEHOLDER, get_token(request))
            return render_page(record["content"].replace(CSRF_PLACEHOLDER, get_token(request)), None)
        # Versions are read before the data: a write committed meanwhile leaves this record stale
        # under versions no later visit asks for.
        content = render_content()
        page = None if messages_waiting else render_page(content, CSRF_PLACEHOLDER)
        cache.set(
            _record_key(self.user.pk),
            {
                "versions": self.versions,
                "today": self.today,
                "assignments": self.user._assignments,
                "role": role,
                "partners": partner_versions,
                "content": content,
                "page": page,
            },
            timeout=HOME_SECONDS,
        )
        if page is None:
            return render_page(content.replace(CSRF_PLACEHOLDER, get_token(request)), None)
        return page.replace(CSRF_PLACEHOLDER, get_token(request))
