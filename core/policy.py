"""The one policy module: every access decision, for objects, pages and actions.

Two kinds of question, asked the same way (`can`, `require`):
- object actions: "may this user `view`/`change` this object", paired with `scope`, "which
  objects may they"; each app declares a `ModelPolicy` per model in its `policies.py`;
- rules: named predicates for pages and actions ("matching.run_rounds": may this person start a
  matching round), declared with `@policy.rule("app.name")` in the app's `policies.py`, with or
  without an object.

`policies.py` modules are imported in each app's `AppConfig.ready`, so core imports no app.
Every view, API endpoint, export, feed and task asks here; nothing else decides access.
Objects a user may not view answer 404 (the same as missing); objects they may view but not
change answer 403; a rule answers 403 unless it is declared `hidden` (then 404, for pages whose
existence is itself private).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

VIEW = "view"
CHANGE = "change"
CREATE = "create"
DELETE = "delete"

_registry: dict[type[models.Model], ModelPolicy] = {}

_Model = TypeVar("_Model", bound=models.Model)
_QuerySet = TypeVar("_QuerySet", bound=models.QuerySet[Any])


class ModelPolicy:
    """Pairs `can(user, action, obj)` with `scope(user, action, queryset)` for one model."""

    model: type[models.Model]

    def scope(self, user, action: str, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.none()

    def can(self, user, action: str, obj) -> bool:
        return self.scope(user, action, self.model._default_manager.filter(pk=obj.pk)).exists()

    def can_create(self, user, **context) -> bool:
        return False


def register(policy: ModelPolicy) -> ModelPolicy:
    _registry[policy.model] = policy
    return policy


def policy_for(model) -> ModelPolicy:
    model = model if isinstance(model, type) else type(model)
    model = model._meta.concrete_model
    try:
        return _registry[model]
    except KeyError:
        raise LookupError(f"No access policy is registered for {model._meta.label}.") from None


def _queryset(model_or_queryset) -> models.QuerySet:
    if isinstance(model_or_queryset, models.QuerySet):
        return model_or_queryset
    return model_or_queryset._default_manager.all()


@overload
def scope(user, action: str, model_or_queryset: _QuerySet) -> _QuerySet: ...
@overload
def scope(user, action: str, model_or_queryset: type[_Model]) -> models.QuerySet[_Model]: ...
def scope(user, action, model_or_queryset):
    """The objects of this model (or within this queryset) that `user` may `action`; a queryset
    comes back of its own class, so its custom methods still apply."""
    queryset = _queryset(model_or_queryset)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    return policy_for(queryset.model).scope(user, action, queryset)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can(user, action: str, obj=None) -> bool:
    """May `user` do `action` (an object action, or a registered rule's name) to `obj`?"""
    found = get_rule(action) if "." in action else None
    if found is not None:
        if not _signed_in(user):
            return False
        return bool(found.predicate(user, obj) if found.takes_object else found.predicate(user))
    if obj is None or not _signed_in(user):
        return False
    return policy_for(obj).can(user, action, obj)


def can_create(user, model, **context) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return policy_for(model).can_create(user, **context)


def require_create(user, model, **context) -> None:
    """Raise 403 unless `user` may create objects of `model` (in the given context)."""
    if not can_create(user, model, **context):
        raise PermissionDenied


def require(user, action: str, obj=None, *, refuse_with: type[Exception] | None = None) -> None:
    """Raise 404 when the object is invisible to the user, 403 when visible but not allowed;
    for a rule, 403 (or 404 when the rule is `hidden`). Services pass `refuse_with` (their
    business error) to refuse with the rule's message instead."""
    if can(user, action, obj):
        return
    found = _rules.get(action)
    if found is not None and refuse_with is not None:
        raise refuse_with(found.message or "You are not allowed to do this.")
    if found is not None:
        raise Http404 if found.hidden else PermissionDenied(found.message)
    if action != VIEW and can(user, VIEW, obj):
        raise PermissionDenied
    raise Http404


# Rules: named predicates for pages and actions -----------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str
    predicate: Callable[..., bool]
    takes_object: bool
    hidden: bool
    message: str


_rules: dict[str, Rule] = {}


def rule(name: str, *, hidden: bool = False, message: str = ""):
    """Register `predicate(user)` or `predicate(user, obj)` as the rule `name` ("app.what").

    Only signed-in, active users reach the predicate; everyone else is refused. `message`
    explains a refusal (the API shows it); `hidden` refusals answer 404 instead of 403.
    """
    if "." not in name:
        raise ValueError(f"Rule names are 'app.what', so they cannot clash with object actions: {name!r}")

    def register_rule(predicate):
        if name in _rules and _rules[name].predicate is not predicate:
            raise ValueError(f"The rule {name!r} is declared twice.")
        takes_object = len(inspect.signature(predicate).parameters) > 1
        _rules[name] = Rule(name, predicate, takes_object, hidden, message)
        return predicate

    return register_rule


def get_rule(name: str) -> Rule:
    try:
        return _rules[name]
    except KeyError:
        raise LookupError(f"No rule named {name!r} is registered.") from None


def rules() -> dict[str, Rule]:
    return dict(_rules)


def predicate(name: str) -> Callable[[Any], bool]:
    """The rule as a one-argument function of the user (for navigation and home panels); the name is
    looked up when it is asked, so apps may refer to rules registered after them."""
    return lambda user: can(user, name)


def rule_required(name: str):
    """Decorate a function view: refuse the request unless `request.user` passes the rule."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, get_rule(name).name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RuleRequiredMixin:
    """Class-based views: set `rule = "app.what"`; checked before the handler runs."""

    rule: str = ""

    def dispatch(self, request, *args, **kwargs):
        require(request.user, get_rule(self.rule).name)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def require_scoped(in_scope: bool) -> None:
    """403 unless the policy's scope for an action holds a row the person can see: for a view that read,
    with the row it shows, whether `scope(user, action, ...)` contains it (an `Exists`, as
    mentoring.page_reads reads a session to log), so the refusal is the policy's answer, as `require`
    gives it for a visible row, and not the view's own."""
    if not in_scope:
        raise PermissionDenied


def get_object_or_404(user, action: str, model_or_queryset, **lookup):
    """Fetch one object the user may see and check `action` on it (404 / 403 otherwise)."""
    queryset = scope(user, VIEW, model_or_queryset)
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    require(user, action, obj)
    return obj


class ThroughParentPolicy(ModelPolicy):
    """Rows that exist only inside a parent (a quiz's questions, an application's references):
    a user may do to them what they may do to the parent (or `parent_action` on it)."""

    def __init__(self, model, parent_field: str, parent_action: str | None = None):
        self.model = model
        self.parent_field = parent_field
        self.parent_action = parent_action

    def scope(self, user, action, queryset):
        parent_model = self.model._meta.get_field(self.parent_field).related_model
        if not isinstance(parent_model, type):
            raise LookupError(f"{self.model._meta.label}.{self.parent_field} does not point at a model.")
        parents: models.QuerySet[Any] = scope(user, self.parent_action or action, parent_model)
        return queryset.filter(**{f"{self.parent_field}__in": parents.values("pk")})


class ReferenceDataPolicy(ModelPolicy):
    """Lists that forms offer (industries, interests, decline grounds): everyone signed in reads
    them; programme staff keep them."""

    def __init__(self, model):
        self.model = model

    def scope(self, user, action, queryset):
        if action == VIEW or user.is_programme_staff:
            return queryset
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class AggregateOnlyPolicy(ModelPolicy):
    """Running totals behind the impact figures: read row by row by staff only; everyone else sees
    them through the analysis services, which suppress small groups."""

    def __init__(self, model):
        self.model = model

    def scope(self, user, action, queryset):
        if action == VIEW and user.is_programme_staff:
            return queryset
        return queryset.none()
