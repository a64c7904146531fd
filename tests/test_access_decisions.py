"""Every access decision is made by the policy module (`core/policy.py` and the apps' `policies.py`).

Walks the source of every module that serves a URL (and every `views` module) and fails on:
- `raise PermissionDenied` (Django's or DRF's): a view refuses through `policy.require`, a
  `rule_required` decorator or a DRF permission built from a rule;
- `raise Http404` guarded by a condition about the person (`request.user`, roles, `may_*`):
  "not yours" goes through `policy.scope` / `policy.get_object_or_404`; a 404 for "there is no
  such thing" (no published version, an unknown report name) is fine;
and, in every project module outside the policy modules, on a hand-written `_require_*` helper.
It also fails on a rule name used in code that no app registers.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from core import policy

ROOT = Path(__file__).resolve().parent.parent
POLICY_MODULES = {"core.policy"}
USER_WORDS = {"user", "actor", "person", "viewer", "roles", "is_programme_staff", "is_staff", "is_superuser"}
ACCESS_CALL_PREFIXES = ("may_", "can_", "is_allowed")


def _project_modules():
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.parent != ROOT:
            continue
        for file in path.rglob("*.py"):
            relative = file.relative_to(ROOT)
            if "migrations" in relative.parts or "tests" in relative.parts:
                continue
            yield ".".join(relative.with_suffix("").parts).removesuffix(".__init__"), file


def _view_modules() -> set[str]:
    """Modules whose functions or classes a URL points at, plus every module named like a view."""
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                for candidate in (
                    getattr(callback, "view_class", None),
                    getattr(callback, "cls", None),
                    getattr(callback, "__wrapped__", None),
                    callback,
                ):
                    module = getattr(candidate, "__module__", None)
                    if module:
                        names.add(module)

    walk(get_resolver().url_patterns)
    project = dict(_project_modules())
    named_like_views = {
        name for name in project if name.rsplit(".", 1)[-1].endswith("views") or ".views." in name
    }
    return (names & set(project)) | named_like_views


def _exception_name(node: ast.expr | None) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _mentions_the_person(test: ast.expr) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id in USER_WORDS:
            return True
        if isinstance(node, ast.Attribute) and (
            node.attr in USER_WORDS or node.attr.startswith(ACCESS_CALL_PREFIXES)
        ):
            return True
        if isinstance(node, ast.Name) and node.id.startswith(ACCESS_CALL_PREFIXES):
            return True
    return False


def access_decisions_in_view(source: str) -> list[tuple[int, str]]:
    """Lines of `source` (a view module) that decide access themselves."""
    found = []
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise):
            continue
        name = _exception_name(node.exc)
        if name == "PermissionDenied":
            found.append((node.lineno, "raise PermissionDenied"))
        elif name == "Http404":
            guard = parents.get(node)
            while guard is not None and not isinstance(guard, (ast.If, ast.FunctionDef, ast.ExceptHandler)):
                guard = parents.get(guard)
            if isinstance(guard, ast.If) and _mentions_the_person(guard.test):
                found.append((node.lineno, "raise Http404 for a check about the person"))
    return found


def require_helpers(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("_require_"):
            found.append((node.lineno, f"def {node.name}"))
        elif isinstance(node, ast.Call) and _exception_name(node.func).startswith("_require_"):
            found.append((node.lineno, f"call to {_exception_name(node.func)}"))
    return found


def rule_names_used(source: str) -> list[tuple[int, str]]:
    """String literals that look like rule names passed to the policy module's entry points."""
    calls = {"can", "require", "rule_required", "predicate", "rule_permission", "get_rule"}
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _exception_name(node.func) in calls:
            for argument in node.args[:2]:
                value = argument.value if isinstance(argument, ast.Constant) else None
                if isinstance(value, str) and "." in value:
                    found.append((node.lineno, value))
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(getattr(target, "id", None) == "rule" for target in statement.targets)
                    and isinstance(statement.value, ast.Constant)
                ):
                    found.append((statement.lineno, statement.value.value))
    return found


def test_no_view_decides_access_itself():
    problems = []
    files = dict(_project_modules())
    for module in sorted(_view_modules()):
        file = files[module]
        for line, what in access_decisions_in_view(file.read_text()):
            problems.append(f"{file.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "Access decided outside the policy module:\n" + "\n".join(problems)


def test_no_hand_written_require_helpers():
    problems = []
    for module, file in _project_modules():
        if module in POLICY_MODULES or module.endswith(".policies"):
            continue
        for line, what in require_helpers(file.read_text()):
            problems.append(f"{file.relative_to(ROOT)}:{line}: {what}")
    assert not problems, "Hand-written access helpers (declare a rule in policies.py):\n" + "\n".join(
        problems
    )


def test_every_rule_name_used_is_registered():
    registered = set(policy.rules())
    problems = []
    for _module, file in _project_modules():
        for line, name in rule_names_used(file.read_text()):
            if name not in registered:
                problems.append(f"{file.relative_to(ROOT)}:{line}: {name}")
    assert not problems, "Rules used but never registered:\n" + "\n".join(problems)


def test_the_walk_finds_the_views():
    modules = _view_modules()
    expected = {"training.views", "matching.views", "mentoring.views", "evaluation.api.views", "core.views"}
    assert expected <= modules


def test_the_checks_catch_what_they_are_for():
    view = """
def page(request, pk):
    if not request.user.is_programme_staff:
        raise PermissionDenied
    thing = Thing.objects.filter(pk=pk).first()
    if thing is None:
        raise Http404
    if thing.owner != request.user:
        raise Http404
    if not may_see(request.user, thing):
        raise Http404()
"""
    assert [line for line, _ in access_decisions_in_view(view)] == [4, 9, 11]
    helper = "def _require_staff(user):\n    pass\n_require_staff(None)\n"
    assert [line for line, _ in require_helpers(helper)] == [1, 3]
    assert rule_names_used("policy.require(user, 'app.what')\npolicy.can(user, policy.VIEW, obj)") == [
        (1, "app.what")
    ]
