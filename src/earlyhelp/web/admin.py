"""Django admin, for administrators only (the role decides, not Django's staff flag)."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from earlyhelp.accounts.models import Role


class EarlyHelpAdminSite(admin.AdminSite):
    site_header = "Early Help administration"
    site_title = "Early Help administration"
    index_title = "Organisations, teams and people"

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and (user.role == Role.ADMINISTRATOR or user.is_superuser)

    def login(self, request, extra_context=None):
        # One sign-in page for the whole service; signed-in non-administrators are refused.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.get_full_path())


admin_site = EarlyHelpAdminSite(name="admin")


class AdministratorOnlyAdmin(admin.ModelAdmin):
    """Administrators manage organisations without needing per-model Django permissions."""

    def _is_administrator(self, request) -> bool:
        return admin_site.has_permission(request)

    def has_module_permission(self, request):
        return self._is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_add_permission(self, request):
        return self._is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_administrator(request)
