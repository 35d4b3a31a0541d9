from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "earlyhelp.background"
    verbose_name = "Files made in the background"
