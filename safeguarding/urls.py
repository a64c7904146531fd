from django.urls import path

from . import oversight_views, views

app_name = "safeguarding"

urlpatterns = [
    path("concerns/new/", views.concern_raise, name="concern_raise"),
    path("concerns/mine/", views.my_concerns, name="my_concerns"),
    path("concerns/", views.concern_list, name="concern_list"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/acknowledge/", views.concern_acknowledge, name="concern_acknowledge"),
    path("concerns/<int:pk>/entries/", views.concern_entry_add, name="concern_entry_add"),
    path("concerns/<int:pk>/keep-messages/", views.concern_keep_messages, name="concern_keep_messages"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("concerns/<int:pk>/copies/", views.concern_export_request, name="concern_export_request"),
    path("concern-copies/<int:pk>/approve/", views.concern_export_approve, name="concern_export_approve"),
    path("concern-copies/<int:pk>/", views.concern_export_download, name="concern_export_download"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/<int:pk>/", views.data_export_detail, name="data_export_detail"),
    path("my-data/<int:pk>/progress.json", views.data_export_status, name="data_export_status"),
    path("my-data/<int:pk>/download/", views.data_export_download, name="data_export_download"),
    path("data-requests/new/", views.data_export_for_person, name="data_export_for_person"),
    path("messages/", views.thread_list, name="thread_list"),
    path("messages/<int:pk>/", views.thread, name="thread"),
    path("messages/item/<int:pk>/file/", views.message_attachment, name="message_attachment"),
    path("messages/item/<int:pk>/hold/", views.message_hold, name="message_hold"),
    path("messages/item/<int:pk>/release/", views.message_release, name="message_release"),
    path("messages/item/<int:pk>/decline/", views.message_decline, name="message_decline"),
    path("messages/item/<int:pk>/return/", views.message_return, name="message_return"),
    path("erasures/", oversight_views.erasure_list, name="erasure_list"),
    path("erasures/new/", oversight_views.erasure_create, name="erasure_create"),
    path("erasures/<int:pk>/", oversight_views.erasure_detail, name="erasure_detail"),
    path("erasures/<int:pk>/approve/", oversight_views.erasure_approve, name="erasure_approve"),
    path("mentor-suspensions/", oversight_views.suspension_list, name="suspension_list"),
    path("mentor-suspensions/new/", oversight_views.suspension_create, name="suspension_create"),
    path(
        "mentor-suspensions/<int:pk>/approve/", oversight_views.suspension_approve, name="suspension_approve"
    ),
    path("mentor-suspensions/<int:pk>/lift/", oversight_views.suspension_lift, name="suspension_lift"),
    path("meetings/", oversight_views.meeting_list, name="meeting_list"),
    path("meetings/ask/<int:pk>/", oversight_views.meeting_request, name="meeting_request"),
    path("meetings/<int:pk>/decide/", oversight_views.meeting_decide, name="meeting_decide"),
    path("programmes/<int:pk>/settings/", oversight_views.programme_settings, name="programme_settings"),
    path("gifts/", oversight_views.gift_list, name="gift_list"),
    path("gifts/new/", oversight_views.gift_declare, name="gift_declare"),
    path("gifts/<int:pk>/decide/", oversight_views.gift_decide, name="gift_decide"),
]
