from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("courses/<slug:slug>/", views.course_detail, name="course_detail"),
    path("courses/<slug:slug>/start/", views.course_start, name="course_start"),
    path("courses/<slug:slug>/manual.pdf", views.course_manual, name="course_manual"),
    path(
        "courses/<slug:slug>/modules/<int:module_pk>/worksheet.pdf", views.worksheet_pdf, name="worksheet_pdf"
    ),
    path("enrolments/<int:pk>/modules/<int:module_pk>/", views.module_detail, name="module_detail"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_download"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/regenerate/", views.certificate_regenerate, name="certificate_regenerate"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("workshops/", views.workshop_list, name="workshop_list"),
    path("workshops/new/", views.workshop_create, name="workshop_create"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="workshop_edit"),
    path("workshops/<int:pk>/book/", views.workshop_book, name="workshop_book"),
    path("workshops/<int:pk>/cancel/", views.workshop_cancel, name="workshop_cancel"),
    path("workshops/<int:pk>/attendance/", views.workshop_attendance, name="workshop_attendance"),
    path("workshops/<int:pk>/feedback/", views.workshop_feedback, name="workshop_feedback"),
    path("manage/", views.manage_courses, name="manage_courses"),
    path("manage/courses/new/", views.course_create, name="course_create"),
    path("manage/courses/<slug:slug>/edit/", views.course_edit, name="course_edit"),
    path("manage/courses/<slug:slug>/draft/", views.course_new_draft, name="course_new_draft"),
    path("manage/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("manage/versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("manage/sections/<int:pk>/modules/new/", views.module_create, name="module_create"),
    path("manage/sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("manage/sections/<int:pk>/delete/", views.section_delete, name="section_delete"),
    path("manage/modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("manage/modules/<int:pk>/delete/", views.module_delete, name="module_delete"),
    path("manage/modules/<int:pk>/preview/", views.module_preview, name="module_preview"),
    path("manage/modules/<int:pk>/questions/new/", views.question_create, name="question_create"),
    path("manage/questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("manage/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path(
        "manage/programmes/<int:pk>/requirement/", views.programme_requirement, name="programme_requirement"
    ),
    path("reports/", views.reports, name="reports"),
    path("reports/progress.csv", views.reports_csv, name="reports_csv"),
    path("reports/<slug:table>.csv", views.reports_table_csv, name="reports_table_csv"),
]
