from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("people/mentees/", views.mentee_list, name="mentee_list"),
    path("people/mentees/<int:pk>/", views.mentee_detail, name="mentee_detail"),
    path("people/mentors/", views.mentor_list, name="mentor_list"),
    path("people/mentors/<int:pk>/", views.mentor_detail, name="mentor_detail"),
    path("relationships/<int:pk>/", views.relationship_detail, name="relationship_detail"),
]
