from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "earlyhelp.calendar"
    label = "eh_calendar"
    verbose_name = "Working days"
