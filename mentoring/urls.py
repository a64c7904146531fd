from django.urls import path

from . import relationship_views as relationships
from . import views

app_name = "mentoring"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/agreement/", views.agreement_template_edit, name="agreement_template_edit"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/venues/", relationships.partner_venues, name="partner_venues"),
    path("partners/<int:pk>/blackout-dates/", relationships.partner_blackouts, name="partner_blackouts"),
    path("partners/<int:pk>/terms/", relationships.partner_terms, name="partner_terms"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("people/mentees/", views.mentee_list, name="mentee_list"),
    path("people/mentees/<int:pk>/", views.mentee_detail, name="mentee_detail"),
    path("people/mentors/", views.mentor_list, name="mentor_list"),
    path("people/mentors/<int:pk>/", views.mentor_detail, name="mentor_detail"),
    path("relationships/", relationships.relationship_list, name="relationship_list"),
    path("relationships/download/", relationships.relationship_export, name="relationship_export"),
    path("relationships/<int:pk>/", relationships.relationship_detail, name="relationship_detail"),
    path(
        "relationships/<int:pk>/status/",
        relationships.relationship_transition,
        name="relationship_transition",
    ),
    path("relationships/<int:pk>/extend/", relationships.relationship_extend, name="relationship_extend"),
    path("relationships/<int:pk>/close/", relationships.relationship_close, name="relationship_close"),
    path("relationships/<int:pk>/agreement/sign/", relationships.agreement_sign, name="agreement_sign"),
    path("relationships/<int:pk>/check-in/", relationships.pulse_answer, name="pulse_answer"),
    path("relationships/<int:pk>/schedule/", relationships.sessions_schedule, name="sessions_schedule"),
    path("relationships/<int:pk>/sessions/record/", relationships.session_record, name="session_record"),
    path("relationships/<int:pk>/goals/new/", relationships.goal_create, name="goal_create"),
    path("sessions/<int:pk>/", relationships.session_detail, name="session_detail"),
    path("sessions/<int:pk>/move/", relationships.session_reschedule, name="session_reschedule"),
    path("sessions/<int:pk>/cancel/", relationships.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/log/", relationships.session_log, name="session_log"),
    path("goals/<int:pk>/", relationships.goal_update, name="goal_update"),
    path("held/<int:pk>/release/", relationships.held_text_release, name="held_text_release"),
    path("held/<int:pk>/decline/", relationships.held_text_decline, name="held_text_decline"),
    path("monitoring/", relationships.monitoring, name="monitoring"),
    path("support-check-ins/<int:pk>/", relationships.support_check_in, name="support_check_in"),
    path("calendar/", relationships.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", relationships.calendar_feed, name="calendar_feed"),
]
