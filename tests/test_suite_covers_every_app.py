"""`make test` runs pytest over `testpaths`: an app whose tests are missing from it would silently
never run in CI, so every app with a tests package must be listed."""

import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def test_every_project_app_with_tests_is_in_testpaths():
    testpaths = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"]
    )
    with_tests = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT and (Path(config.path) / "tests" / "__init__.py").exists()
    }
    assert with_tests, "no project apps found"
    assert with_tests <= testpaths, f"apps whose tests never run: {sorted(with_tests - testpaths)}"
