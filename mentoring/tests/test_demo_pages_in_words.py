"""On the demo's data (one `load_demo_data` run for the module), as each demo sign-in: every count on
the home page equals the rows of the list it links to, and the home page and every page of the
navigation say things in words, never in codes ("employer_programme", "account.login", "mentor 66")."""

import html
import re

import pytest

from core.panels import nav_sections
from mentoring.tests.test_demo_logins import DEMO_LOGINS, demo_output, login  # noqa: F401  (the fixture)
from mentoring.tests.test_home_counts import _counts, _rows_behind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow_ok(reason="reads every navigation page of seven roles on the whole demo"),
]

APP_LABELS = (
    "account|accounts|mentoring|matching|training|safeguarding|evaluation|recruitment|resources|community"
    "|messaging|session|relationship|core|programmes"
)
CODES = [
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # a choice's stored value: in_progress, employer_programme
    re.compile(rf"\b(?:{APP_LABELS})\.[a-z_]+\b"),  # an audit action or a URL name: account.login
    re.compile(r"\b(?:mentor|mentee|user|relationship|respondent) #?\d+\b", re.IGNORECASE),  # a row id
]
LINKS_AND_ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|\bwww\.\S+|/[\w/.-]+")


def main_text(page: str) -> str:
    """The words a reader sees in the page's main content."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.DOTALL)
    return LINKS_AND_ADDRESSES.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.mark.parametrize("role", DEMO_LOGINS)
def test_each_demo_home_count_equals_the_rows_behind_its_link(client, demo_output, role):  # noqa: F811
    client.force_login(login(role))
    for label, (count, url) in _counts(client).items():
        assert _rows_behind(client, url) == count, f"{role}'s {label!r} ({count}) links to {url}"


@pytest.mark.parametrize("role", DEMO_LOGINS)
def test_each_demo_roles_home_and_navigation_pages_are_in_words(client, demo_output, role):  # noqa: F811
    user = login(role)
    client.force_login(user)
    urls = ["/home/"] + [url for section in nav_sections(user) for _label, url in section.items]
    found = []
    for url in urls:
        response = client.get(url, follow=True)  # an employer's figures open their own employer's
        assert response.status_code == 200, url
        text = main_text(response.content.decode())
        found += [f"{url}: {match.group(0)!r}" for pattern in CODES for match in pattern.finditer(text)]
    assert not found, "\n".join(found)
