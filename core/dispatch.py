"""The project's Celery task class: work is queued once the change that asked for it has committed,
and a broker that cannot be reached at that moment does not turn a saved change into an error."""

import logging

from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)


class Task(DjangoTask):
    """Every task of the project (config/celery.py names it the app's task class)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        """Queue this task with these arguments once the current transaction commits (at once outside
        one), as Celery's `delay_on_commit` does.

        When the broker cannot be reached at that moment (Redis restarting), the change stays saved
        and the person who made it is told it was saved, instead of an error page for a change that
        did save; the failure is logged. Work recorded in PostgreSQL with a periodic task that queues
        again what is due and not done (emails in the outbox, certificates, matching rounds, impact
        reports, bulletins, link emails, safeguarding alerts: docs/tasks.md) is then done without
        anyone asking; for other tasks the log names what was not queued. Any other error (a task
        run at once in tests, a bug) propagates as before.
        """

        def queue() -> None:
            try:
                self.delay(*args, **kwargs)
            except BrokerUnreachable:
                logger.exception("Could not queue %s%r; a periodic resume queues it again", self.name, args)

        transaction.on_commit(queue)
