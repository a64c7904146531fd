from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_format_suffixes = False
router.register("survey-instruments", views.InstrumentViewSet, basename="survey-instrument")
router.register("survey-responses", views.SurveyResponseViewSet, basename="survey-response")

urlpatterns = [path("impact/aggregates/", views.aggregates, name="impact-aggregates"), *router.urls]
