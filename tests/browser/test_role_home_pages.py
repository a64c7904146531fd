"""Each role signs in through the real login form and lands on its own home page; keyboard and phone use."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import sign_in_through_form

ROLE_HEADINGS = {
    "mentor": "Hello, Mo",
    "mentee_under_16": "Hi Yasmin",
    "coordinator_a": "Coordinator home",
    "dsl_a": "Safeguarding home",
    "staff": "Programme team home",
    "funder": "Programme overview",
}


@pytest.mark.parametrize("persona", ROLE_HEADINGS)
def test_each_role_signs_in_and_lands_on_its_home_page(live_world, live_server, page, persona):
    user = live_world.persona(persona)

    sign_in_through_form(page, live_server.url, user)

    assert page.url == f"{live_server.url}/home/"
    expect(page.get_by_role("heading", level=1)).to_have_text(ROLE_HEADINGS[persona])
    expect(page.get_by_text(f"Signed in as {user.first_name}", exact=True)).to_be_visible()


def test_wrong_password_stays_on_the_login_page(live_world, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(live_world.mentor.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def test_tab_first_reaches_the_skip_link_which_moves_focus_to_main(live_server, page):
    page.goto(f"{live_server.url}/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visually hidden until focused

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert page.url.endswith("/#main")


def test_coordinator_home_fits_a_phone_and_the_menu_opens(live_world, log_in, page):
    page.set_viewport_size({"width": 375, "height": 667})
    log_in(live_world.coordinator_a)
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordinator home")

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"page is {scroll_width}px wide in a {inner_width}px viewport"

    toggler = page.get_by_role("button", name="Show or hide the menu")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()

    toggler.click()

    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav")).to_be_visible()
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("button", name="People").click()
    expect(main_nav.get_by_role("link", name="Mentees", exact=True)).to_be_visible()
    expect(sign_out).to_be_visible()
