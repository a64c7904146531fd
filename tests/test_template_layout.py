"""Templates live in one place: the root `templates/<app>/` (see CONTRIBUTING), and none is a copy of
another. A template that is only an `{% extends %}` line (a name a library looks up, such as
allauth's layouts, pointing at the project's own) is not a copy."""

import hashlib
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
EXTENDS_ONLY = re.compile(r"\s*\{%\s*extends\s+\"[^\"]+\"\s*%\}\s*")


def templates_inside_apps(root: Path, app_paths) -> list[str]:
    found = []
    for app_path in app_paths:
        folder = Path(app_path) / "templates"
        if folder.is_dir():
            found += [str(file.relative_to(root)) for file in sorted(folder.rglob("*")) if file.is_file()]
    return found


def identical_templates(folder: Path) -> list[list[str]]:
    by_content: dict[str, list[str]] = {}
    for file in sorted(folder.rglob("*")):
        if not file.is_file():
            continue
        content = file.read_bytes()
        if EXTENDS_ONLY.fullmatch(content.decode("utf-8", "replace")):
            continue
        by_content.setdefault(hashlib.sha256(content).hexdigest(), []).append(str(file.relative_to(folder)))
    return [names for names in by_content.values() if len(names) > 1]


def _project_app_paths():
    return [config.path for config in apps.get_app_configs() if Path(config.path).parent == ROOT]


def test_no_template_lives_inside_an_app_folder():
    found = templates_inside_apps(ROOT, _project_app_paths())
    assert not found, "Move these to the root templates/<app>/:\n" + "\n".join(found)


def test_no_two_templates_are_identical():
    copies = identical_templates(ROOT / "templates")
    assert not copies, "Identical templates (keep one and point the views at it):\n" + "\n".join(
        " = ".join(names) for names in copies
    )


def test_the_checks_catch_what_they_are_for(tmp_path):
    app = tmp_path / "shop"
    (app / "templates" / "shop").mkdir(parents=True)
    (app / "templates" / "shop" / "list.html").write_text("<h1>Shop</h1>")
    assert templates_inside_apps(tmp_path, [app]) == ["shop/templates/shop/list.html"]

    shared = tmp_path / "templates"
    for name, text in {
        "a/form.html": "{% crispy form %}",
        "b/form.html": "{% crispy form %}",
        "c/form.html": "{% crispy form %} {{ extra }}",
        "layouts/entrance.html": '{% extends "layouts/base.html" %}\n',
        "layouts/manage.html": '{% extends "layouts/base.html" %}\n',
    }.items():
        (shared / name).parent.mkdir(parents=True, exist_ok=True)
        (shared / name).write_text(text)
    assert identical_templates(shared) == [["a/form.html", "b/form.html"]]
