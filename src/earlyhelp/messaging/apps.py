from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "earlyhelp.messaging"
    verbose_name = "Messages outside the service (GOV.UK Notify, e-mail)"

    def ready(self):
        from . import rules  # noqa: F401 (declares the permission)
