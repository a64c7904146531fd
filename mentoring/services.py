"""State changes for programmes, youth partners and cohorts. Each writes its audit row."""

from django.db import transaction
from django.utils.text import slugify

from core.audit import audit_record

from .models import AgreementTemplate, Cohort, Programme, YouthPartner


def _save(instance, *, actor, action: str):
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, action=action, target=instance, summary=str(instance))
    return instance


@transaction.atomic
def programme_save(*, actor, programme: Programme) -> Programme:
    """Create or update a programme after validating it."""
    creating = programme.pk is None
    if not programme.slug:
        programme.slug = slugify(programme.name)[:160]
    return _save(programme, actor=actor, action="programme.create" if creating else "programme.update")


@transaction.atomic
def agreement_template_save(*, actor, template: AgreementTemplate) -> AgreementTemplate:
    """Create or update the mentoring agreement a programme's pairs are asked to sign."""
    creating = template.pk is None
    return _save(
        template, actor=actor, action="agreement_template.create" if creating else "agreement_template.update"
    )


@transaction.atomic
def youth_partner_save(*, actor, youth_partner: YouthPartner) -> YouthPartner:
    """Create or update a youth partner after validating it."""
    creating = youth_partner.pk is None
    return _save(
        youth_partner, actor=actor, action="youth_partner.create" if creating else "youth_partner.update"
    )


@transaction.atomic
def cohort_save(*, actor, cohort: Cohort) -> Cohort:
    """Create or update a cohort after validating it (one per programme, partner and start date)."""
    creating = cohort.pk is None
    return _save(cohort, actor=actor, action="cohort.create" if creating else "cohort.update")
