"""Who may read figures and record Supporting Families outcomes (docs/roles.md)."""

from earlyhelp.accounts.models import Role
from earlyhelp.people.rules import in_family_network
from earlyhelp.policy import declare, role_in

declare("reporting.view_insight", role_in(Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST), record="Figures and reports",
        who="team managers and performance analysts; analysts see figures and reference numbers, never names")
declare("reporting.view_team_work", role_in(Role.TEAM_MANAGER), record="Figures and reports",
        who="team managers: every open episode of their teams, with what is due next")
declare("reporting.view_outcomes", role_in(Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER, Role.EARLY_HELP_PRACTITIONER,
                                          Role.PARTNER_PRACTITIONER, Role.FRONT_DOOR_OFFICER, Role.SOCIAL_WORKER)
        & in_family_network, record="Supporting Families outcomes", who="anyone in the family's network")
declare("reporting.record_outcomes",
        role_in(Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER, Role.EARLY_HELP_PRACTITIONER) & in_family_network,
        record="Supporting Families outcomes",
        who="early help practitioners, advisers and team managers in the family's network")
