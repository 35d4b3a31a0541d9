from django.contrib.auth.admin import UserAdmin

from earlyhelp.web.admin import AdministratorOnlyAdmin, admin_site

from .models import Agency, Locality, Team, User


class LocalityAdmin(AdministratorOnlyAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]
    prepopulated_fields = {"code": ["name"]}


class AgencyAdmin(AdministratorOnlyAdmin):
    list_display = ["name", "kind", "locality", "is_active"]
    list_filter = ["kind", "locality", "is_active"]
    search_fields = ["name", "postcode"]


class TeamAdmin(AdministratorOnlyAdmin):
    list_display = ["name", "kind", "agency", "locality"]
    list_filter = ["kind", "locality"]
    search_fields = ["name"]
    autocomplete_fields = ["agency"]


class EarlyHelpUserAdmin(AdministratorOnlyAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active", "teams"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["teams"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "phone", "job_title")}),
        ("Work", {"fields": ("role", "agency", "teams")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email", "role", "agency",
                           "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]


admin_site.register(Locality, LocalityAdmin)
admin_site.register(Agency, AgencyAdmin)
admin_site.register(Team, TeamAdmin)
admin_site.register(User, EarlyHelpUserAdmin)


# Administrators unlock accounts (failed sign-ins) and reset lost second factors here.
from axes.admin import AccessAttemptAdmin  # noqa: E402
from axes.models import AccessAttempt  # noqa: E402
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402


class LockoutAdmin(AdministratorOnlyAdmin, AccessAttemptAdmin):
    def has_add_permission(self, request):
        return False


class SecondFactorAdmin(AdministratorOnlyAdmin, TOTPDeviceAdmin):
    pass


admin_site.register(AccessAttempt, LockoutAdmin)
admin_site.register(TOTPDevice, SecondFactorAdmin)
