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


def test_coordinator_reviewing_held_and_delivered_messages_sees_buttons_with_enough_contrast(
    axe, live_world, log_in
):
    from safeguarding import services

    relationship = live_world.relationship_under_16
    services.message_send(relationship=relationship, sender=live_world.mentor, body="See you on Tuesday")
    services.message_send(relationship=relationship, sender=live_world.mentor, body="Call me on 07700 900999")
    page = log_in(live_world.coordinator_a)
    page.goto(page.url.replace("/home/", f"/safeguarding/messages/{relationship.pk}/"))
    for name in ("Hold message 1", "Release message 2", "Do not deliver message 2"):
        assert page.get_by_role("button", name=name).is_visible()

    assert_no_serious_violations(axe, page)
