from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "earlyhelp.reporting"
    verbose_name = "Reports"

    def ready(self) -> None:
        from . import background_files

        background_files.register()
