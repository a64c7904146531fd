"""Each role's navigation: at most seven top-level items, grouped, the current section marked."""

import re

import pytest
from django.urls import reverse

from core.panels import SECTIONS, nav_sections

pytestmark = pytest.mark.django_db

PERSONAS = ["staff", "coordinator_a", "dsl_a", "mentor", "mentee_under_16", "funder"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_has_at_most_seven_top_level_items(world, persona):
    sections = nav_sections(getattr(world, persona))
    assert 1 <= len(sections) <= 7
    assert [section.label for section in sections] == [
        name for name in SECTIONS if name in {s.label for s in sections}
    ]


def test_staff_see_their_sections_with_the_rest_in_menus(world):
    labels = [section.label for section in nav_sections(world.staff)]
    assert labels == ["People", "Matching", "Relationships", "Training", "Safeguarding", "Impact", "Admin"]


def test_a_funder_sees_no_training_and_a_mentor_no_staff_pages(world):
    funder_urls = {url for section in nav_sections(world.funder) for _label, url in section.items}
    assert reverse("training:course_list") not in funder_urls
    mentor_urls = {url for section in nav_sections(world.mentor) for _label, url in section.items}
    assert reverse("accounts:audit_log") not in mentor_urls
    assert reverse("mentoring:mentee_list") not in mentor_urls


def test_the_current_section_is_marked_on_the_page(world, client_for):
    page = client_for(world.staff).get(reverse("mentoring:mentee_list")).text
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    assert re.search(r'dropdown-toggle active"[^>]*aria-current="true"[^>]*>People', nav)
    assert 'aria-current="page">Mentees</a>' in nav
    assert nav.count('aria-current="true"') == 1
    assert "Your profile" in nav


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_sign_in_offers_one_forgot_your_password_link(client):
    page = client.get(reverse("account_login")).text
    assert page.count("Forgot your password?") == 1


def test_audit_actions_and_objects_read_as_words(world, client_for):
    from core.audit import action_label, audit_record
    from core.models import AuditEvent

    assert action_label("account.login") == "Signed in"
    assert action_label("matching.proposal_accept") == "Proposal accepted"
    assert action_label("session.schedule") == "Session scheduled"
    audit_record(
        actor=world.staff, action="relationship.close", target=world.relationship_under_16, summary=""
    )
    event = AuditEvent.objects.get(action="relationship.close")
    assert event.target_label == f"Relationship {world.relationship_under_16.pk}"
    page = client_for(world.staff).get(reverse("accounts:audit_log")).text
    assert "Relationship closed" in page and "mentoring.relationship" not in page


def test_staff_home_names_partner_types_in_words(world, client_for):
    page = client_for(world.staff).get(reverse("home")).text
    assert "School: 1" in page and "College: 1" in page


def test_refusals_and_missing_pages_leave_the_menu_out_and_keep_the_layout(world, client_for):
    client = client_for(world.staff)
    home = client.get(reverse("home")).text
    assert reverse("mentoring:mentee_list") in home
    for response in (
        client.get("/no-such-page/"),
        client_for(world.mentor).get(reverse("accounts:audit_log")),
    ):
        assert response.status_code in (403, 404)
        page = response.text
        nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
        assert "dropdown-toggle" not in nav and "nav-link active" not in nav
        assert reverse("mentoring:mentee_list") not in nav and "Your profile" in nav


# The menu as base.html wrote it in the template language, before the `navigation` tag
# (core.templatetags.frame) built it in Python: the tag must give the same markup.
TEMPLATE_MENU = """{% for section in nav_sections %}
  {% if section.items|length == 1 %}
    {% with item=section.items.0 %}<li class="nav-item"><a class="nav-link{% if section.current %} active{% endif %}" href="{{ item.1 }}"{% if section.current %} aria-current="{% if request.path == item.1 %}page{% else %}true{% endif %}"{% endif %}>{{ item.0 }}</a></li>{% endwith %}
  {% else %}
    <li class="nav-item dropdown">
      <button type="button" class="nav-link dropdown-toggle{% if section.current %} active{% endif %}" data-bs-toggle="dropdown" aria-expanded="false"{% if section.current %} aria-current="true"{% endif %}>{{ section.label }}{% if section.current %}<span class="visually-hidden"> (current section)</span>{% endif %}</button>
      <ul class="dropdown-menu">
        {% for label, url in section.items %}<li><a class="dropdown-item{% if request.path == url %} active{% endif %}" href="{{ url }}"{% if request.path == url %} aria-current="page"{% endif %}>{{ label }}</a></li>{% endfor %}
      </ul>
    </li>
  {% endif %}
{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_navigation_tag_writes_the_menu_the_template_loop_wrote(world, persona):
    from django.template import Context, Template
    from django.test import RequestFactory

    from core.panels import NavSection

    user = getattr(world, persona)
    paths = {"/", "/home/"} | {url for section in nav_sections(user) for _label, url in section.items}
    # A label and address that need escaping, in a section of one link and in a menu.
    odd = [
        NavSection("Odd <one>", [("Tom & Jerry", "/a?b=1&c=<2>")], current=True),
        NavSection("Menu & <more>", [("A & B", "/x/?y=1&z=2"), ("<C>", "/home/")]),
    ]
    for path in sorted(paths):
        for sections in (nav_sections(user, path), odd + nav_sections(user, path)):
            context = {"nav_sections": sections, "request": RequestFactory().get(path)}
            old = Template(TEMPLATE_MENU).render(Context(context))
            new = Template("{% load frame %}{% navigation %}").render(Context(context))
            assert re.sub(r">\s+<", "><", old.strip()) == re.sub(r">\s+<", "><", new.strip()), path
