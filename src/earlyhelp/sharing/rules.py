"""Who may see and record consent and information-sharing decisions (docs/roles.md)."""

import rules

from earlyhelp.accounts.models import Role
from earlyhelp.episodes.rules import attended_a_meeting, episode_family_visible, may_change_episode
from earlyhelp.people.rules import works_with_families
from earlyhelp.policy import declare, role_in


@rules.predicate
def in_the_decisions_team(user, decision) -> bool:
    team_id = decision.episode.team_id if decision.episode_id else None
    return bool(team_id) and user.teams.filter(pk=team_id).exists()


declare("sharing.view_consent", works_with_families & episode_family_visible, record="Consent",
        who="anyone in the family's network")
declare("sharing.record_consent", may_change_episode, record="Consent",
        who="whoever may change the episode: record, withdraw and close on it")
declare("sharing.view_sharing", works_with_families & episode_family_visible, record="Sharing decision",
        who="anyone in the family's network")
declare("sharing.record_sharing", may_change_episode | attended_a_meeting, record="Sharing decision",
        who="whoever may change the episode, and the practitioners in its Team Around the Family")
declare("sharing.list_for_review", role_in(Role.TEAM_MANAGER), record="Sharing decision",
        who="team managers: decisions made without consent in their teams' episodes")
declare("sharing.review_sharing", role_in(Role.TEAM_MANAGER) & in_the_decisions_team, record="Sharing decision",
        who="managers of the episode's team: decisions made without consent")
