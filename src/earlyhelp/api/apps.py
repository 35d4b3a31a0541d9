from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "earlyhelp.api"
    verbose_name = "The REST API"
