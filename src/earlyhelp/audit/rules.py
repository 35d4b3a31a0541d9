"""Who may read the audit trail and open a record with break-glass access (docs/roles.md)."""

from earlyhelp.accounts.models import ROLES_WORKING_WITH_FAMILIES, Role
from earlyhelp.people.access import network_route
from earlyhelp.policy import declare, role_in

declare("audit.view_access_history", role_in(Role.ADMINISTRATOR), record="Access record",
        who="administrators: who looked at a person's record, and when; not the record itself")
declare("audit.break_glass", role_in(*ROLES_WORKING_WITH_FAMILIES), record="Break-glass access",
        who="every role that works with families, with a reason; the family's managers are told")
declare("audit.subject_access", role_in(Role.ADMINISTRATOR), record="Subject access pack",
        who="administrators")


@network_route("break-glass", who="whoever opened the family with break-glass access, until it expires")
def _break_glass_rows(user):
    from django.utils import timezone

    from .models import BreakGlassAccess

    return BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now())
