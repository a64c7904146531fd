from django.urls import path, re_path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("surveys/", views.my_surveys, name="my_surveys"),
    path("surveys/<int:pk>/", views.response_fill, name="response_fill"),
    path("evaluation/instruments/", views.instrument_list, name="instrument_list"),
    path("evaluation/instruments/new/", views.instrument_create, name="instrument_create"),
    path("evaluation/instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("evaluation/instruments/<int:pk>/new-draft/", views.version_new_draft, name="version_new_draft"),
    path("evaluation/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("evaluation/versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("evaluation/surveys/<int:pk>/open-or-close/", views.instance_toggle, name="instance_toggle"),
    path("evaluation/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("impact/", views.dashboard_view, name="dashboard"),
    path("impact/breakdown/", views.dashboard_breakdown, name="dashboard_breakdown"),
    path("impact/export/respondents.csv", views.respondents_export, name="respondents_export"),
    re_path(
        r"^impact/export/(?P<table>[a-z_]+)\.(?P<file_format>csv|xlsx)$",
        views.dashboard_export,
        name="dashboard_export",
    ),
    path("impact/reports/new/", views.report_create, name="report_create"),
    path("impact/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("impact/reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("impact/reports/<int:pk>/download/", views.report_download, name="report_download"),
]
