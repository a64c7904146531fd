from django.urls import path

from . import views

app_name = "safeguarding"

urlpatterns = [
    path("concerns/new/", views.concern_raise, name="concern_raise"),
    path("concerns/mine/", views.my_concerns, name="my_concerns"),
    path("concerns/", views.concern_list, name="concern_list"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/acknowledge/", views.concern_acknowledge, name="concern_acknowledge"),
    path("concerns/<int:pk>/entries/", views.concern_entry_add, name="concern_entry_add"),
    path("concerns/<int:pk>/keep-messages/", views.concern_keep_messages, name="concern_keep_messages"),
    path("my-data/", views.my_data, name="my_data"),
    path("messages/", views.thread_list, name="thread_list"),
    path("messages/<int:pk>/", views.thread, name="thread"),
    path("messages/item/<int:pk>/hold/", views.message_hold, name="message_hold"),
    path("messages/item/<int:pk>/release/", views.message_release, name="message_release"),
]
