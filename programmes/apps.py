from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes, youth partners and cohorts"
