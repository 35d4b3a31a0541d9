"""Administrators see every user's API tokens (never the token itself: only its first characters) and revoke them."""

from django.contrib import admin, messages

from earlyhelp.web.admin import AdministratorOnlyAdmin, admin_site

from .models import ApiToken
from .services import token_revoke


@admin.action(description="Revoke the selected tokens")
def revoke(modeladmin, request, queryset):
    for token in queryset.filter(revoked_at__isnull=True):
        token_revoke(token=token, by=request.user)
    messages.success(request, "Tokens revoked")


class ApiTokenAdmin(AdministratorOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "created_by", "expires_at", "last_used_at",
                       "revoked_at", "revoked_by"]
    exclude = ["digest"]
    actions = [revoke]

    def has_add_permission(self, request):
        return False  # a token is made by its user, on their page, and shown to them alone

    def has_change_permission(self, request, obj=None):
        return False  # revoked with the action, never edited

    # Deleting is allowed: the access records name the token's user, not the token, and a user's
    # removal in admin takes their tokens with it.


admin_site.register(ApiToken, ApiTokenAdmin)
