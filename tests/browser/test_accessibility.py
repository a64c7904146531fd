"""axe-core finds no serious or critical problems on the public pages or any role's home page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}
ROLE_PERSONAS = ["mentor", "mentee_under_16", "coordinator_a", "dsl_a", "staff", "funder"]


@pytest.fixture(scope="session")
def axe():
    return Axe()


def assert_no_serious_violations(axe, page):
    results = axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[node['target'] for node in v['nodes']]}" for v in blocking
    )
    assert not blocking, f"axe-core found problems on {page.url}:\n{report}"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/"])
def test_public_pages_have_no_serious_accessibility_problems(axe, live_server, page, path):
    page.goto(f"{live_server.url}{path}")
    assert page.get_by_role("heading", level=1).count() == 1

    assert_no_serious_violations(axe, page)


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_role_home_pages_have_no_serious_accessibility_problems(axe, live_world, log_in, persona):
    page = log_in(live_world.persona(persona))

    assert_no_serious_violations(axe, page)
