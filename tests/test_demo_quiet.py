"""`make demo` is quiet: its emails go to files, not the terminal."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow_ok(reason="starts Django in a fresh interpreter, as the demo server does")
def test_email_file_path_sends_mail_to_files(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings.base'; django.setup();"
        "from django.core.mail import send_mail; from django.conf import settings;"
        "print(settings.EMAIL_BACKEND); send_mail('Hello', 'Body', None, ['a@example.org'])"
    )
    env = {**os.environ, "EMAIL_FILE_PATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    env.pop("EMAIL_URL", None)
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "django.core.mail.backends.filebased.EmailBackend"
    (written,) = list(tmp_path.iterdir())
    assert "Subject: Hello" in written.read_text()


def test_make_demo_sends_its_emails_to_a_folder():
    command = ["make", "-n", "demo"]  # noqa: S607 (make from PATH)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
    load_line = next(line for line in result.stdout.splitlines() if "load_demo_data" in line)
    assert "EMAIL_FILE_PATH=var/demo-emails" in load_line
    serve_line = next(line for line in result.stdout.splitlines() if "runserver" in line)
    assert "EMAIL_FILE_PATH=var/demo-emails" in serve_line
