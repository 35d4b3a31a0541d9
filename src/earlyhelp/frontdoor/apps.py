from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "earlyhelp.frontdoor"
    verbose_name = "Front door"
