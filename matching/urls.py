from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/progress.json", views.round_progress, name="round_progress"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("programmes/<int:pk>/settings/", views.programme_settings, name="programme_settings"),
    path("manual/", views.manual_match, name="manual_match"),
    path("opportunities/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/<int:pk>/interest/", views.opportunity_interest, name="opportunity_interest"),
    path("requests/", views.interest_inbox, name="interest_inbox"),
    path("requests/<int:pk>/decide/", views.interest_decide, name="interest_decide"),
]
