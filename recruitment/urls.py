from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("join/", views.programme_index, name="programme_index"),
    path("join/<slug:slug>/", views.programme_page, name="programme_page"),
    path("join/<slug:slug>/apply/<str:role>/", views.apply, name="apply"),
    path("recruitment/programmes/<int:pk>/", views.programme_recruitment, name="programme_recruitment"),
    path("recruitment/my-applications/", views.my_applications, name="my_applications"),
    path("recruitment/applications/", views.application_list, name="application_list"),
    path("recruitment/applications/export.csv", views.application_export, name="application_export"),
    path("recruitment/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("recruitment/applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path(
        "recruitment/applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("recruitment/applications/<int:pk>/screening/", views.screening_update, name="screening_update"),
    path("recruitment/applications/<int:pk>/references/", views.reference_request, name="reference_request"),
    path("recruitment/applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("recruitment/mentors/<int:pk>/checks/", views.checks_confirmation, name="checks_confirmation"),
    path("recruitment/mentors/<int:pk>/checks.pdf", views.checks_confirmation_pdf, name="checks_pdf"),
    path("recruitment/renewals-due/", views.renewals_due, name="renewals_due"),
    path("recruitment/waiting-pool/", views.waiting_pool, name="waiting_pool"),
    path("recruitment/imports/", views.import_list, name="import_list"),
    path("recruitment/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("recruitment/imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("recruitment/mentees/<int:pk>/consent/", views.consent_manage, name="consent_manage"),
    path("recruitment/mentees/<int:pk>/invitation/", views.invitation_resend, name="invitation_resend"),
    path("recruitment/consent-records/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("references/<str:token>/", views.reference_respond, name="reference_respond"),
    path("invitations/<str:token>/", views.invitation_claim, name="invitation_claim"),
    path("consent/<str:token>/", views.consent_give, name="consent_give"),
]
