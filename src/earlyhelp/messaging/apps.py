from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "earlyhelp.messaging"
    verbose_name = "Messages outside the service (GOV.UK Notify, e-mail)"
