from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "earlyhelp.alerts"
    verbose_name = "Alerts about risks to workers"
