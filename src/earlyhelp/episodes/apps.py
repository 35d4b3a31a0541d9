from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "earlyhelp.episodes"
    verbose_name = "Early help episodes"
