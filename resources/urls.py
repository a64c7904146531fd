from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="resource_list"),
    path("new/", views.resource_create, name="resource_create"),
    path("faq/", views.faq_list, name="faq_list"),
    path("faq/new/", views.faq_create, name="faq_create"),
    path("faq/<int:pk>/edit/", views.faq_edit, name="faq_edit"),
    path("faq/<int:pk>/delete/", views.faq_delete, name="faq_delete"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/send/", views.bulletin_send, name="bulletin_send"),
    path("bulletins/<int:pk>/progress/", views.bulletin_progress, name="bulletin_progress"),
    path("planned/<int:pk>/remove/", views.planned_remove, name="planned_remove"),
    path("r/<slug:slug>/", views.resource_detail, name="resource_detail"),
    path("r/<slug:slug>/edit/", views.resource_edit, name="resource_edit"),
    path("r/<slug:slug>/print.pdf", views.resource_pdf, name="resource_pdf"),
    path("r/<slug:slug>/publish/", views.resource_publish, name="resource_publish"),
    path("r/<slug:slug>/rate/", views.resource_rate, name="resource_rate"),
    path("r/<slug:slug>/plan/", views.resource_attach, name="resource_attach"),
]
