from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "earlyhelp.recording"
    verbose_name = "Contacts and case notes"

    def ready(self) -> None:
        from . import background_files

        background_files.register()
