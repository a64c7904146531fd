"""Programme staff write their programme's mentoring agreement in the product; pairs sign that text."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from mentoring.journal import agreement_sign
from mentoring.models import AgreementTemplate, Relationship

pytestmark = pytest.mark.django_db

SECTIONS = {
    "purpose": "We meet to explore careers in engineering.",
    "boundaries": "We meet only at school or online through the platform.",
    "confidentiality": "What you share stays between us unless you or someone else may be at risk.",
    "frequency": "Every two weeks for 45 minutes.",
    "contact": "Only through the platform's messages.",
    "not_working": "Either of us can talk to the coordinator at any time.",
}


def test_staff_edit_the_agreement_and_new_signatures_use_it(world, client):
    url = reverse("mentoring:agreement_template_edit", args=[world.programme.pk])
    client.force_login(world.staff)
    page = client.get(url).content.decode()
    # Until edited, the form offers the standard agreement.
    standard = AgreementTemplate.default_for(world.programme)
    assert standard.purpose[:40] in page

    response = client.post(url, SECTIONS)
    assert response.status_code == 302
    template = AgreementTemplate.objects.get(programme=world.programme)
    assert template.purpose == SECTIONS["purpose"]
    assert AuditEvent.objects.filter(action="agreement_template.create", actor=world.staff).exists()

    # (Loaded afresh, as a request would: the programme above holds the unsaved standard text.)
    relationship = Relationship.objects.get(pk=world.relationship_under_16.pk)
    agreement = agreement_sign(actor=world.mentor, relationship=relationship)
    assert ["Purpose", SECTIONS["purpose"]] in agreement.text

    # A second edit changes what later pairs sign, not what was signed.
    client.post(url, {**SECTIONS, "purpose": "A new purpose."})
    assert AgreementTemplate.objects.get(programme=world.programme).purpose == "A new purpose."
    agreement.refresh_from_db()
    assert ["Purpose", SECTIONS["purpose"]] in agreement.text


def test_an_empty_section_is_refused(world, client):
    client.force_login(world.staff)
    url = reverse("mentoring:agreement_template_edit", args=[world.programme.pk])
    response = client.post(url, {**SECTIONS, "boundaries": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not AgreementTemplate.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator_a", "mentor", "funder"])
def test_only_programme_staff_edit_the_agreement(world, client, persona):
    client.force_login(getattr(world, persona))
    url = reverse("mentoring:agreement_template_edit", args=[world.programme.pk])
    assert client.post(url, SECTIONS).status_code in (403, 404)
    assert not AgreementTemplate.objects.exists()


def test_the_programme_page_links_staff_to_the_agreement(world, client):
    client.force_login(world.staff)
    page = client.get(world.programme.get_absolute_url()).content.decode()
    assert reverse("mentoring:agreement_template_edit", args=[world.programme.pk]) in page
