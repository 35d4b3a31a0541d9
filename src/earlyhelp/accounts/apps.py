from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "earlyhelp.accounts"
    verbose_name = "Organisations and users"
