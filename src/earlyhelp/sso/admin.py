from earlyhelp.web.admin import AdministratorOnlyAdmin, admin_site

from .models import GroupMapping, ProviderIdentity


class GroupMappingAdmin(AdministratorOnlyAdmin):
    list_display = ["group", "description", "role", "agency", "order"]
    list_filter = ["role"]
    search_fields = ["group", "description"]
    filter_horizontal = ["teams"]
    autocomplete_fields = ["agency"]


class ProviderIdentityAdmin(AdministratorOnlyAdmin):
    """Who signed in through the provider, with the groups it last sent (to find a group's exact name)."""

    list_display = ["user", "subject", "last_signed_in"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "issuer", "subject", "groups", "last_signed_in"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin_site.register(GroupMapping, GroupMappingAdmin)
admin_site.register(ProviderIdentity, ProviderIdentityAdmin)
