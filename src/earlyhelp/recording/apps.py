from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "earlyhelp.recording"
    verbose_name = "Contacts and case notes"
