"""Who may manage staff, organisations and reference data (docs/roles.md)."""

import rules

from earlyhelp.accounts.models import Role
from earlyhelp.policy import declare, role_in


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


declare("accounts.administer", role_in(Role.ADMINISTRATOR) | is_superuser, record="Staff and organisations",
        who="administrators (and superusers): localities, agencies, teams, users, lock-outs, second-factor "
            "devices and closure days, in Django admin; never a child's record")
