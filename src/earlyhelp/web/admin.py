"""Django admin, for administrators only (the role decides, not Django's staff flag).

Admin holds staff, organisations and reference data: localities, agencies, teams, users, lock-outs,
second-factor devices and closure days. No model holding a child's or a family's details is
registered (people, the front door, episodes, sharing, audit, reporting): those records are read
and changed only through the service's pages, where need-to-know and the access record apply.
Merging records and the audit trail are service pages too (the administrator's home page links
them). tests/web/test_admin.py fails if a child-data model is registered.
"""

from collections import Counter

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import router
from django.utils.text import capfirst

from earlyhelp.accounts.two_factor import second_factor_outstanding
from earlyhelp.policy import may


class EarlyHelpAdminSite(admin.AdminSite):
    site_header = "Early Help administration"
    site_title = "Early Help administration"
    index_title = "Organisations, teams and staff"

    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active
            and may(user, "accounts.administer")
            # The middleware asks for the code first; this keeps admin shut if it ever does not.
            and not second_factor_outstanding(user)
        )

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

    def get_deleted_objects(self, objs, request):
        """What a deletion would take with it, or what stops it, counted by kind and never listed:
        those records may be a child's (a practitioner's involvements, a locality's families)."""
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        perms_needed = {
            model._meta.verbose_name for model in collector.model_objs
            if admin_site.is_registered(model)
            and not admin_site.get_model_admin(model).has_delete_permission(request)
        }
        model_count = {model._meta.verbose_name_plural: len(found) for model, found in collector.model_objs.items()}
        protected = Counter(obj._meta.verbose_name_plural for obj in collector.protected)
        return (
            [f"{capfirst(obj._meta.verbose_name)}: {obj}" for obj in objs],
            model_count,
            perms_needed,
            [f"{capfirst(kind)}: {count}" for kind, count in sorted(protected.items())],
        )
