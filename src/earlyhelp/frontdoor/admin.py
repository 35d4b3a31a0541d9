"""The front door in Django admin: read-only, without children's details.

Administrators can find a request or a meeting by its reference or date to help someone; every
change goes through the front door's pages and their rules.
"""

from earlyhelp.web.admin import AdministratorOnlyAdmin, admin_site

from .models import AllocationMeeting, RequestForSupport


class ReadOnlyAdmin(AdministratorOnlyAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestForSupportAdmin(ReadOnlyAdmin):
    list_display = ["reference", "source", "status", "urgency", "submitted_at", "triage_due_on", "triaged_at"]
    list_filter = ["status", "source", "urgency"]
    search_fields = ["reference"]
    fields = list_display
    readonly_fields = list_display
    ordering = ["-submitted_at", "-pk"]
    show_full_result_count = False


class AllocationMeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "chair"]
    fields = list_display
    readonly_fields = list_display
    list_select_related = ["chair"]
    ordering = ["-held_on", "-pk"]


admin_site.register(RequestForSupport, RequestForSupportAdmin)
admin_site.register(AllocationMeeting, AllocationMeetingAdmin)
