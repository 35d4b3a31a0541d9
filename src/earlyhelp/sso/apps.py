from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "earlyhelp.sso"
    verbose_name = "Single sign-on (OpenID Connect)"
