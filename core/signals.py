"""Signals that connect one stage of a mentoring journey to the next, across apps.

Senders send them inside their service, after the change is saved; receivers that do slow work
enqueue a task with transaction.on_commit so nothing runs for a change that is rolled back.
"""

from django.dispatch import Signal

# An applicant submitted their application (mentor or mentee). kwargs: application, user, programme, role.
# Evaluation issues the mandatory pre-evaluation survey in response.
application_submitted = Signal()

# A relationship was closed, as planned or early. kwargs: relationship, early (bool), actor.
# Evaluation issues the post-evaluation (and the exit survey after an early end).
relationship_closed = Signal()

# A person completed the training their programme requires. kwargs: user, programme.
training_completed = Signal()
