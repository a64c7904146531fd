"""The Content Security Policy leaves the pages working: no violations on a signed-in page, and the
Swagger UI documentation renders under its own, slightly wider policy."""

from playwright.sync_api import expect


def _collect_csp_errors(page):
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return errors


def test_api_documentation_renders_under_the_policy(live_server, live_world, log_in, page):
    errors = _collect_csp_errors(page)
    log_in(live_world.mentor)  # the documentation is for signed-in people
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("MentorBridge API")
    assert errors == []


def test_a_signed_in_page_runs_without_policy_violations(live_world, log_in, page):
    errors = _collect_csp_errors(page)
    log_in(live_world.mentor)
    page.get_by_role("link", name="Report a worry").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a worry")
    assert errors == []
