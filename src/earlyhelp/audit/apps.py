from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "earlyhelp.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from . import change_history

        change_history.register_models()
