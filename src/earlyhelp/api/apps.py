from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "earlyhelp.api"
    verbose_name = "The REST API"

    def ready(self):
        # drf-spectacular finds the token scheme's description by importing it.
        from . import authentication  # noqa: F401
