import factory

from core.models import AuditEvent


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor = factory.SubFactory("accounts.tests.factories.UserFactory")
    action = "person.update"
    target_type = "accounts.user"
    target_id = factory.Sequence(str)
    summary = "Changed a profile"
