from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.security import admin_login
from core.views import SchemaView, api_docs, favicon, healthz
from home import views as home

api_patterns = [
    path("", include("mentoring.api.urls")),
    path("", include("recruitment.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("evaluation.api.urls")),
    path("", include("training.api.urls")),
    path("", include("safeguarding.api.urls")),
    path("", include("community.api.urls")),
    path("", include("resources.api.urls")),
    path("", include("matching.api.urls")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
]

# The admin signs people in through allauth's throttled form (with MFA), not a form of its own.
admin.site.login = admin_login

urlpatterns = [
    path("", home.landing, name="landing"),
    path("home/", home.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("", include("mentoring.urls")),
    path("", include("recruitment.urls")),
    path("", include("evaluation.urls")),
    path("training/", include("training.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("community/", include("community.urls")),
    path("resources/", include("resources.urls")),
    path("matching/", include("matching.urls")),
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]

handler404 = "core.views.page_not_found"

admin.site.site_header = f"{settings.SITE_NAME} administration"
