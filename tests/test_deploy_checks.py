"""Production settings pass Django's deployment checks and refuse to start without their secrets.

Each case runs in a fresh interpreter, because settings are read once per process.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent

RUN_DEPLOY_CHECKS = (
    "import django; django.setup(); "
    "from django.core.management import call_command; "
    "call_command('check', '--deploy', '--fail-level', 'WARNING')"
)

# Variables that would change what is checked; the subprocess gets only what each case sets.
SETTINGS_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "CACHE_URL",
    "EMAIL_URL",
    # Set by the browser tests for Playwright's event loop; never present in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


# The production storage hashes every file and rewrites the references between them; a reference
# to a missing file fails the build. Its compression step (slow, and never the cause) is skipped.
COLLECT_STATIC = (
    "import sys, django; django.setup(); "
    "from django.conf import settings; settings.STATIC_ROOT = sys.argv[1]; "
    "assert settings.STORAGES['staticfiles']['BACKEND'].endswith('CompressedManifestStaticFilesStorage'); "
    "settings.STORAGES = {**settings.STORAGES, 'staticfiles': "
    "{'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}; "
    "from django.core.management import call_command; "
    "call_command('collectstatic', '--noinput', verbosity=0)"
)


def run_with_production_settings(tmp_path, code=RUN_DEPLOY_CHECKS, arguments=(), **variables):
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    )
    environment.update(variables)
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(  # noqa: S603 (a fixed command with this interpreter)
        [sys.executable, "-c", code, *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def dot_env_sets(name: str) -> bool:
    dot_env = PROJECT_ROOT / ".env"
    if not dot_env.exists():
        return False
    return any(
        line.strip().startswith(f"{name}=") or line.strip().startswith(f"export {name}=")
        for line in dot_env.read_text().splitlines()
    )


@pytest.mark.slow_ok(reason="starts Django with the production settings in a new interpreter")
def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = run_with_production_settings(
        tmp_path, SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.org"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret_key", [None, ""], ids=["unset", "empty"])
def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path, secret_key):
    if secret_key is None and dot_env_sets("SECRET_KEY"):
        pytest.skip("the local .env file sets SECRET_KEY")

    result = run_with_production_settings(tmp_path, SECRET_KEY=secret_key, ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts(tmp_path):
    if dot_env_sets("ALLOWED_HOSTS"):
        pytest.skip("the local .env file sets ALLOWED_HOSTS")

    result = run_with_production_settings(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=None)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.slow_ok(reason="collects and hashes every static file in a new interpreter")
def test_static_files_collect_with_the_production_storage(tmp_path):
    """The image collects static files at build time; a broken reference would fail the build."""
    static_root = tmp_path / "static"

    result = run_with_production_settings(
        tmp_path,
        code=COLLECT_STATIC,
        arguments=[str(static_root)],
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
    )

    last_lines = "\n".join(result.stderr.strip().splitlines()[-4:])
    assert result.returncode == 0, last_lines
    assert (static_root / "staticfiles.json").exists()
