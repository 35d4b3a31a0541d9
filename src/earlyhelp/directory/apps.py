from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "earlyhelp.directory"
    verbose_name = "Directory of services (Open Referral UK)"
