"""Markdown written by staff is sanitised wherever it is shown: pages, PDFs, the FAQ and emails."""

import pytest
from django.core import mail
from django.urls import reverse

from .. import services
from ..markup import markdown_to_html, markdown_to_text
from .factories import BulletinFactory, FaqEntryFactory, ResourceFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    "## Plan\n\n<script>alert('x')</script>\n\n"
    '<a href="javascript:alert(1)" onclick="steal()">click</a>\n\n'
    '<img src="http://169.254.169.254/latest" alt="x">\n\n**Bold** stays.'
)


def test_scripts_handlers_javascript_links_and_images_are_removed():
    html = markdown_to_html(HOSTILE)
    assert "<script" not in html and "alert('x')" not in html
    assert "javascript:" not in html and "onclick" not in html
    assert "<img" not in html
    assert "<h2>Plan</h2>" in html and "<strong>Bold</strong>" in html


def test_plain_text_keeps_the_words_and_drops_the_tags():
    text = markdown_to_text("Hello <script>x()</script> **there** & welcome")
    assert "<script>" not in text
    assert "**there** & welcome" in text


def test_a_resource_page_never_carries_the_authors_script(world, client):
    resource = ResourceFactory(body=HOSTILE)
    client.force_login(world.mentor)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "alert('x')" not in page and "javascript:alert" not in page
    assert "<strong>Bold</strong>" in page


def test_the_staff_preview_is_sanitised_too(world, client):
    client.force_login(world.staff)
    response = client.post(
        reverse("resources:resource_create"),
        {
            "title": "Hostile",
            "summary": "s",
            "kind": "guide",
            "topic": "confidence",
            "ingredient": "goals",
            "for_adults": "on",
            "minutes": 10,
            "keywords": "",
            "body": HOSTILE,
            "preview": "Preview",
        },
    )
    page = response.content.decode()
    assert "Preview (not saved yet)" in page
    assert "<h2>Plan</h2>" in page
    assert "<script>alert" not in page


def test_faq_answers_are_sanitised(world, client):
    FaqEntryFactory(question="Hostile question", answer=HOSTILE)
    client.force_login(world.coordinator_a)
    page = client.get(reverse("resources:faq_list")).content.decode()
    assert "Hostile question" in page and "<script>alert" not in page


def test_bulletin_html_email_is_sanitised(world, django_capture_on_commit_callbacks):
    bulletin = BulletinFactory(news=HOSTILE)
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send(actor=world.staff, bulletin=bulletin)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script" not in html and "<h2>Plan</h2>" in html
