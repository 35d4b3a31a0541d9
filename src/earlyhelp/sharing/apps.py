from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "earlyhelp.sharing"
    verbose_name = "Consent and information sharing"
