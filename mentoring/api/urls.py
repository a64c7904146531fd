from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
# One URL per resource: no `.json` suffix variants.
router.include_format_suffixes = False
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("youth-partners", views.YouthPartnerViewSet, basename="youthpartner")
router.register("cohorts", views.CohortViewSet, basename="cohort")
router.register("mentees", views.MenteeViewSet, basename="mentee")
router.register("mentors", views.MentorViewSet, basename="mentor")
router.register("relationships", views.RelationshipViewSet, basename="relationship")
router.register("sessions", views.MentoringSessionViewSet, basename="session")
router.register("session-logs", views.SessionLogViewSet, basename="sessionlog")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("held-texts", views.HeldTextViewSet, basename="held-text")

urlpatterns = [path("me/", views.me, name="me"), *router.urls]
