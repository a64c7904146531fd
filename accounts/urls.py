from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/diversity/", views.diversity, name="diversity"),
    path("people/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("mentees/<int:pk>/edit/", views.mentee_edit, name="mentee_edit"),
    path("api-keys/", views.api_tokens, name="api_tokens"),
    path("api-keys/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("audit/", views.audit_log, name="audit_log"),
]
