"""The apps' imports point one way (scripts/check_layers.py, also run by `make lint` and `make test`)."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check_layers():
    spec = importlib.util.spec_from_file_location("check_layers", ROOT / "scripts" / "check_layers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_layers", module)
    spec.loader.exec_module(module)
    return module


check_layers = _check_layers()

LAYERS = [("base",), ("middle", "side"), ("top",)]
DOCS = """# Architecture

<!-- layers -->
| layer | apps | what it may use |
| --- | --- | --- |
| 0 | `base` | nothing |
| 1 | `middle`, `side` | base |
| 2 | `top` | everything |
<!-- /layers -->
"""


def _project(tmp_path, modules: dict[str, str]) -> Path:
    for app in ("base", "middle", "side", "top"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "apps.py").write_text("")
    for path, text in modules.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "architecture.md").write_text(DOCS)
    return tmp_path


def test_the_project_has_no_upward_edge_and_no_cycle():
    assert check_layers.problems() == []


def test_every_app_is_in_a_layer():
    apps = set(check_layers.find_apps(ROOT))
    layered = {app for layer in check_layers.LAYERS for app in layer}
    assert apps <= layered


def test_a_downward_import_passes(tmp_path):
    root = _project(
        tmp_path, {"top/views.py": "from middle.models import Thing\n", "middle/x.py": "import base\n"}
    )
    assert check_layers.problems(root, LAYERS) == []


def test_an_upward_import_fails_even_inside_a_function(tmp_path):
    root = _project(tmp_path, {"base/services.py": "def f():\n    from top import views\n"})
    assert check_layers.problems(root, LAYERS) == ["upward: base -> top (base/services.py:2)"]


def test_a_string_foreign_key_counts_as_an_edge(tmp_path):
    root = _project(
        tmp_path,
        {"base/models.py": 'from django.db import models\nx = models.ForeignKey("top.Thing", on_delete=1)\n'},
    )
    assert check_layers.problems(root, LAYERS) == ["upward: base -> top (base/models.py:2)"]


def test_a_cycle_within_a_layer_fails(tmp_path):
    root = _project(tmp_path, {"middle/a.py": "import side\n", "side/b.py": "from middle import a\n"})
    (problem,) = check_layers.problems(root, LAYERS)
    assert problem.startswith("cycle: middle <-> side")


def test_tests_and_migrations_are_left_out(tmp_path):
    root = _project(
        tmp_path, {"base/tests/test_x.py": "import top\n", "base/migrations/0001_initial.py": "import top\n"}
    )
    assert check_layers.problems(root, LAYERS) == []


def test_an_app_in_no_layer_and_a_stale_docs_table_fail(tmp_path):
    root = _project(tmp_path, {"extra/apps.py": ""})
    (root / "docs" / "architecture.md").write_text(DOCS.replace("`middle`, `side`", "`middle`"))
    assert check_layers.problems(root, LAYERS) == [
        "app `extra` is in no layer (add it to LAYERS in scripts/check_layers.py)",
        "architecture.md's layers table differs from LAYERS in scripts/check_layers.py",
    ]


def test_the_home_app_composes_pages_only_from_registered_panels():
    """Each role's home is its heading around the panels the apps register: `home` reads no app's
    models or selectors (only `Role`, to name the pages, and core's registries)."""
    import ast

    allowed = {"accounts.models": {"Role"}, "core.panels": None}
    apps = set(check_layers.find_apps(ROOT)) - {"home"}
    for path in (ROOT / "home").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                top = node.module.split(".")[0]
                if top in apps:
                    assert node.module in allowed, f"{path.name} imports {node.module}"
                    names = allowed[node.module]
                    if names is not None:
                        imported = {alias.name for alias in node.names}
                        assert imported <= names, f"{path.name} imports {imported - names} from {node.module}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in apps, f"{path.name} imports {alias.name}"
