"""Links in emails and calendar files are built from SITE_URL, in one place, and `make demo` sets it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail

from core.email import absolute_reverse, absolute_url, site_hostname

ROOT = Path(__file__).resolve().parents[2]


def test_absolute_urls_join_the_site_address_and_the_path_once(settings):
    settings.SITE_URL = "https://mentoring.example.org/"
    assert absolute_url("/home/") == "https://mentoring.example.org/home/"
    assert absolute_url("home/") == "https://mentoring.example.org/home/"
    assert absolute_reverse("training:certificate_detail", 7).endswith("/7/")
    assert site_hostname() == "mentoring.example.org"


def test_no_module_but_core_email_builds_links_from_site_url():
    builders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "config", "node_modules"} or "tests" in relative.parts:
            continue
        if "settings.SITE_URL" in path.read_text(encoding="utf-8"):
            builders.append(str(relative))
    assert builders == ["core/email.py"]


@pytest.mark.django_db
def test_an_invitation_sent_under_another_port_links_to_that_port_and_the_link_works(
    world, settings, client, django_capture_on_commit_callbacks
):
    from recruitment import services

    settings.SITE_URL = "http://127.0.0.1:8201"
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(actor=world.staff, user=world.mentee_b)
    (message,) = mail.outbox
    link = re.search(r"http://\S+/invitations/\S+/", message.body).group(0)
    assert link.startswith("http://127.0.0.1:8201/")
    page = client.get(link.removeprefix("http://127.0.0.1:8201"))
    assert page.status_code == 200
    assert "password" in page.text.lower()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_gives_the_server_and_the_demo_data_its_own_host_and_port():
    dry_run = subprocess.run(  # noqa: S603
        ["make", "-n", "demo", "HOST=127.0.0.1", "PORT=8201"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line for line in dry_run.splitlines() if "load_demo_data" in line or "runserver" in line]
    assert len(commands) == 2
    assert all("SITE_URL=http://127.0.0.1:8201 " in line for line in commands)
