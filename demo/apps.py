from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top layer beside `home`: the demo programme, built from every app's own services and
    models by `load_demo_data` (see demo/builder.py). It has no models and nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"
