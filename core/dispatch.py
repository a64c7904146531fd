"""Queueing work for a Celery worker once the change that asked for it has committed."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)


def delay_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` with these arguments once the current transaction commits (at once outside one).

    When the broker cannot be reached at that moment (Redis restarting), the change stays saved and
    the person who made it is told it was saved, instead of an error page for a change that did
    save; the failure is logged. Work recorded in PostgreSQL with a periodic task that queues again
    what is due and not done (emails in the outbox, certificates, matching rounds, impact reports,
    bulletins, safeguarding alerts: docs/tasks.md) is then done without anyone asking; for other
    tasks the log names what was not queued. Any other error (a task run at once in tests, a bug)
    propagates as before.
    """

    def queue() -> None:
        try:
            task.delay(*args, **kwargs)
        except BrokerUnreachable:
            logger.exception("Could not queue %s%r; the periodic resume will queue it again", task.name, args)

    transaction.on_commit(queue)
