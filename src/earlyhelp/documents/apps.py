from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "earlyhelp.documents"
    verbose_name = "Documents"
