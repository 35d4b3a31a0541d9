"""Episodes in Django admin: read-only and without children's details.

Administrators look after the service, not families: they can find an episode by its
reference to help someone, but every change goes through the episode pages and their rules.
"""

from earlyhelp.web.admin import AdministratorOnlyAdmin, admin_site

from .models import Episode


class EpisodeAdmin(AdministratorOnlyAdmin):
    list_display = ["reference", "state", "team", "opened_on", "closed_on", "next_due_on", "next_due_kind"]
    list_filter = ["state", "team", "next_due_kind"]
    search_fields = ["reference"]
    fields = list_display
    readonly_fields = list_display
    ordering = ["-opened_on", "-pk"]
    list_select_related = ["team"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin_site.register(Episode, EpisodeAdmin)
