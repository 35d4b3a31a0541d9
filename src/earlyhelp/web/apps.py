from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "earlyhelp.web"
    verbose_name = "Pages and layout"
