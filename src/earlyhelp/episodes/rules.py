"""Who may see and change an early help episode and each of its parts (docs/roles.md), and the
episode's ways into a family's network.

One rule changes an episode, whatever the part (its children, consent, the assessment, the plan,
meetings, reviews, step up, closure): its lead professional, its allocated worker, the managers
and advisers of its team, and the managers of the teams its lead professional and allocated
worker belong to. Seeing a family is not enough to change its record.
"""

import rules
from django.db.models import Q

from earlyhelp.accounts.models import Role, Team, TeamKind, User
from earlyhelp.frontdoor.notification_targets import notification_target
from earlyhelp.people.access import network_route, team_ids_of
from earlyhelp.people.rules import in_family_network, works_with_families
from earlyhelp.policy import declare, role_in

from .models import Episode, EpisodeState, PlanAction, StepDown, StepUp, TafMeeting

TEAM_ROLES = (Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER, Role.EARLY_HELP_PRACTITIONER)
# Who may start early help for a family they can see.
OPENING_ROLES = frozenset({
    Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.TEAM_MANAGER,
    Role.PARTNER_PRACTITIONER, Role.FRONT_DOOR_OFFICER,
})
# Any suitably trained practitioner may lead (DOMAIN §6), including a social worker once statutory.
LEAD_ROLES = frozenset({
    Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.PARTNER_PRACTITIONER, Role.SOCIAL_WORKER,
})
# Who may raise a disagreement about the lead or the level of concern.
DISAGREEMENT_ROLES = LEAD_ROLES | {Role.TEAM_MANAGER}

is_team_manager = role_in(Role.TEAM_MANAGER)
is_social_worker = role_in(Role.SOCIAL_WORKER)


def _episode_of(record) -> Episode:
    """The episode a part belongs to: the episode itself, a part with `episode`, or a plan action."""
    if isinstance(record, Episode):
        return record
    if isinstance(record, PlanAction):
        return record.outcome.episode
    return record.episode


def managing_teams(episode: Episode) -> Q:
    """The teams that hold an episode: its own, and those of its lead professional and allocated worker."""
    holding = Q(pk=episode.team_id) if episode.team_id else Q(pk__in=[])
    workers = [pk for pk in (episode.lead_professional_id, episode.allocated_worker_id) if pk]
    if workers:
        holding |= Q(members__pk__in=workers)
    return holding


@rules.predicate
def leads_or_is_allocated(user, record) -> bool:
    episode = _episode_of(record)
    return user.pk in (episode.lead_professional_id, episode.allocated_worker_id)


@rules.predicate
def in_the_episodes_team(user, record) -> bool:
    episode = _episode_of(record)
    return bool(episode.team_id) and user.teams.filter(pk=episode.team_id).exists()


@rules.predicate
def manages_the_episode(user, record) -> bool:
    """A manager of the episode's team or of the teams of the people working it."""
    # Two filters: the team's members are joined once for the workers and again for the user.
    return Team.objects.filter(managing_teams(_episode_of(record))).filter(members=user).exists()


may_change_episode = works_with_families & (
    leads_or_is_allocated
    | (role_in(Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER) & in_the_episodes_team)
    | (is_team_manager & manages_the_episode)
)


@rules.predicate
def is_open_episode(user, record) -> bool:
    return _episode_of(record).state != EpisodeState.CLOSED


@rules.predicate
def attended_a_meeting(user, record) -> bool:
    return TafMeeting.objects.filter(episode=_episode_of(record), practitioners=user).exists()


@rules.predicate
def owns_the_action(user, action) -> bool:
    if action.owner_user_id is not None:
        return action.owner_user_id == user.pk
    # An action given to an agency belongs to each of its practitioners at the meeting.
    return action.owner_agency_id is not None and action.owner_agency_id == user.agency_id


@rules.predicate
def action_owner_at_a_meeting(user, action) -> bool:
    return owns_the_action.test(user, action) and attended_a_meeting.test(user, action)


@rules.predicate
def episode_family_visible(user, record) -> bool:
    return in_family_network.test(user, _episode_of(record).family_id)


@rules.predicate
def step_down_in_their_locality(user, step_down) -> bool:
    locality_id = step_down.family.locality_id
    return bool(locality_id) and user.teams.filter(kind=TeamKind.LOCALITY_EARLY_HELP, locality_id=locality_id).exists()


@rules.predicate
def raised_it(user, disagreement) -> bool:
    return disagreement.raised_by_id == user.pk


@rules.predicate
def manages_the_episodes_locality(user, disagreement) -> bool:
    locality_id = disagreement.episode.family.locality_id
    return bool(locality_id) and user.teams.filter(kind=TeamKind.LOCALITY_EARLY_HELP, locality_id=locality_id).exists()


declare("episodes.view_episode", works_with_families & episode_family_visible, record="Episode and its parts",
        who="anyone in the family's network")
declare("episodes.change_episode", may_change_episode, record="Episode and its parts",
        who="its lead professional, its allocated worker, the managers and advisers of its team, and the "
            "managers of the teams its lead professional and allocated worker belong to: its children, "
            "consent, assessment, plan, meetings, reviews, step up and closure")
declare("episodes.open_episode", role_in(*OPENING_ROLES) & in_family_network, record="Episode and its parts",
        who="early help and partner practitioners, advisers, team managers and front door officers in the "
            "family's network")
declare("episodes.sign_off_assessment", is_team_manager & manages_the_episode, record="Assessment",
        who="a manager of the episode's team or of the teams its lead professional and allocated worker "
            "belong to")
declare("episodes.update_action", may_change_episode | action_owner_at_a_meeting, record="Plan action",
        who="whoever may change the episode; and a practitioner at a Team Around the Family meeting for "
            "the actions they or their agency own")
declare("episodes.raise_disagreement", role_in(*DISAGREEMENT_ROLES) & episode_family_visible,
        record="Disagreement about the lead or level of concern",
        who="practitioners and managers in the family's network")
declare("episodes.resolve_disagreement",
        is_team_manager & ~raised_it & (manages_the_episode | manages_the_episodes_locality),
        record="Disagreement about the lead or level of concern",
        who="a manager of the episode's team, of the teams of the people working it, or of the family's "
            "locality; not the person who raised it")
declare("episodes.decide_step_up", is_social_worker & episode_family_visible, record="Step up",
        who="social workers in the family's network (every social worker while a step up waits for a decision)")
declare("episodes.propose_step_down", is_social_worker & in_family_network, record="Step down",
        who="social workers in the family's network")
@rules.predicate
def named_on_the_step_down(user, step_down) -> bool:
    return user.pk in (step_down.social_worker_id, step_down.decided_by_id)


declare("episodes.view_step_down", works_with_families & (named_on_the_step_down | in_family_network),
        record="Step down", who="the social worker stepping the family down, whoever decided it, and the "
                                "family's network (which includes the front door and the locality's managers "
                                "while it waits)")
declare("episodes.list_step_downs", role_in(Role.FRONT_DOOR_OFFICER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER),
        record="Step down", who="front door officers, team managers and social workers: those they may see")
declare("episodes.decide_step_down",
        role_in(Role.FRONT_DOOR_OFFICER) | (is_team_manager & step_down_in_their_locality),
        record="Step down", who="front door officers, and managers of the early help teams in the family's locality")
declare("episodes.allocate_episode", is_team_manager & is_open_episode & manages_the_episode,
        record="Episode and its parts",
        who="a manager of the episode's team or of the teams its lead professional and allocated worker belong "
            "to, while it is open: allocate it to a worker, or change its worker")
declare("episodes.view_my_work", role_in(Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.TEAM_MANAGER,
                                          Role.PARTNER_PRACTITIONER, Role.SOCIAL_WORKER),
        record="Episode and its parts", who="practitioners, advisers, managers and social workers: their own work")


# Ways into a family's network that the episode owns -------------------------------------------


@network_route("lead professional", who="the lead professional of one of the family's episodes")
def _lead_rows(user: User):
    return Episode.objects.filter(lead_professional=user)


@network_route("allocated worker", who="the allocated worker of one of the family's episodes")
def _allocated_rows(user: User):
    return Episode.objects.filter(allocated_worker=user)


@network_route("Team Around the Family", who="a practitioner at one of the family's Team Around the Family meetings")
def _taf_rows(user: User):
    return Episode.objects.filter(taf_meetings__practitioners=user)


# Only a social worker decides a step up or proposes a step down (the rules above), so only a
# social worker is ever named: the ways in are not asked for anyone else (docs/performance.md).
@network_route("social worker on a step up", roles=[Role.SOCIAL_WORKER], who="the social worker named on a step up")
def _step_up_social_worker_rows(user: User):
    return Episode.objects.filter(step_ups__social_worker=user)


@network_route("social worker on a step down", roles=[Role.SOCIAL_WORKER],
               who="the social worker stepping the family down")
def _step_down_social_worker_rows(user: User):
    return StepDown.objects.filter(social_worker=user)


@network_route("episode's team", roles=TEAM_ROLES,
               who="the managers, advisers and practitioners of the team an episode is allocated to")
def _team_rows(user: User):
    team_ids = team_ids_of(user)
    return Episode.objects.filter(team_id__in=team_ids) if team_ids else None


def _members_of_managed_teams(user: User):
    team_ids = team_ids_of(user)
    return User.objects.filter(teams__in=team_ids).values("pk") if team_ids else None


# Two ways in, not one OR: PostgreSQL answers `lead IN (...) OR worker IN (...)` by reading every
# episode, and each half alone through its own index (docs/performance.md).
@network_route("manager of the lead professional", roles=[Role.TEAM_MANAGER],
               who="the managers of the teams an episode's lead professional belongs to")
def _lead_professionals_manager_rows(user: User):
    members = _members_of_managed_teams(user)
    return Episode.objects.filter(lead_professional__in=members) if members is not None else None


@network_route("manager of the allocated worker", roles=[Role.TEAM_MANAGER],
               who="the managers of the teams an episode's allocated worker belongs to")
def _allocated_workers_manager_rows(user: User):
    members = _members_of_managed_teams(user)
    return Episode.objects.filter(allocated_worker__in=members) if members is not None else None


@network_route("step up awaiting a decision", roles=[Role.SOCIAL_WORKER],
               who="social workers, while a step up waits for Children's Social Care's decision")
def _step_up_waiting_rows(user: User):
    return Episode.objects.filter(state=EpisodeState.STEP_UP_REQUESTED)


@network_route("step down awaiting early help", roles=[Role.FRONT_DOOR_OFFICER, Role.TEAM_MANAGER],
               who="front door officers, and managers of the early help teams in the family's locality, while a "
                   "step down waits for early help's answer")
def step_downs_waiting_for_answer_from(user: User):
    """The list form of "episodes.decide_step_down" for proposed step downs: every one for a front
    door officer; for a team manager, those of families in their early help teams' localities."""
    waiting = StepDown.objects.filter(status=StepDown.Status.PROPOSED)
    if user.role == Role.FRONT_DOOR_OFFICER:
        return waiting
    if user.role != Role.TEAM_MANAGER:
        return waiting.none()
    localities = user.teams.filter(kind=TeamKind.LOCALITY_EARLY_HELP).values("locality_id")
    return waiting.filter(family__locality_id__in=localities)


# Pages the episodes' notifications lead to (frontdoor/notification_targets.py) ------------------


@notification_target("episode-detail", "episodes.view_episode")
def _episode_target(kwargs):
    return Episode.objects.filter(pk=kwargs["episode_id"]).first()


@notification_target("step-up-decide", "episodes.view_episode")
def _step_up_target(kwargs):
    step_up = StepUp.objects.select_related("episode").filter(pk=kwargs["step_up_id"]).first()
    return step_up.episode if step_up else None


@notification_target("step-down-detail", "episodes.view_step_down")
def _step_down_target(kwargs):
    return StepDown.objects.select_related("family").filter(pk=kwargs["step_down_id"]).first()
