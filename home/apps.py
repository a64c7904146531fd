from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top layer: the landing page and each role's home page, built from what the apps below
    register (core.panels). It has no models."""

    name = "home"
    verbose_name = "Home pages"
