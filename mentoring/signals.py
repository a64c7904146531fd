"""Signals other apps may listen to, for what they keep counted from mentoring's own summaries."""

from django.dispatch import Signal

# Sent by `RelationshipMonth.recount` once these relationships' held months are counted afresh, in the
# same transaction, with `relationships`: a queryset of the relationships recounted (some may have been
# deleted). The employer figures' per-employer months (community.EmployerMonth) follow it.
held_months_recounted = Signal()
