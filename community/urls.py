from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_update, name="event_update"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("buddies/", views.buddy_home, name="buddy_home"),
    path("buddies/preference/", views.buddy_preference, name="buddy_preference"),
    path("buddies/suggest/", views.buddy_suggest, name="buddy_suggest"),
    path("buddies/<int:pk>/", views.buddy_detail, name="buddy_detail"),
    path("buddies/<int:pk>/respond/", views.buddy_respond, name="buddy_respond"),
    path("buddies/<int:pk>/messages/", views.buddy_message, name="buddy_message"),
    path("buddies/<int:pk>/end/", views.buddy_end, name="buddy_end"),
    path("my-employer/", views.my_employer, name="my_employer"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/<int:pk>/", views.employer_dashboard, name="employer_dashboard"),
    path("employers/<int:pk>/figures.csv", views.employer_figures_csv, name="employer_figures_csv"),
]
