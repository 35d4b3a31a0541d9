from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "earlyhelp.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from earlyhelp.people.relations import leave_on_merge

        from . import background_files, change_history

        change_history.register_models()
        background_files.register()
        # Access records say which record was looked at, and are never changed: a merge leaves
        # them on the duplicate, and the audit trail of the kept record follows merged_into.
        leave_on_merge("audit.AccessRecord.person", why="who looked at which record is history, never rewritten")
