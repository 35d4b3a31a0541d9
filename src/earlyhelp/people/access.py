"""Need-to-know: who may see a family's details (docs/roles.md). The one place that decides.

A user sees a family when they are in its professional network (an involvement with one of
its members, the practitioner or team it is allocated to, the lead professional, a member of
its Team Around the Family, the social worker on a referral, the person who asked for
support or who recorded the family), manage a team it is allocated to, work the front door
while one of its requests is still open, or hold break-glass access. Raising a concern of
significant harm does not by itself open the family: anyone may raise one (harm overrides),
so it must not become a way to read records. Everyone else may learn only that the family
is known and whom to contact.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import Role, User

from .models import Family, FamilyMember


def visible_families_filter(user: User) -> Q:
    """A Q on Family that is true for the families this user may see.

    Joins, for checking one family or a few (`pk=...`, `Exists(... pk=OuterRef(...))`): the
    database follows them from that family. For a whole list, families_visible_to uses the
    same rule as subqueries (_visible_family_ids); a test holds the two to the same answers.
    """
    if not user.is_authenticated or not user.can_see_families:
        return Q(pk__in=[])
    network = (
        Q(memberships__person__involvements__practitioner=user,
          memberships__person__involvements__ended_on__isnull=True)
        | Q(requests__requested_by=user)
        | Q(requests__allocation__practitioner=user)
        | Q(harm_referrals__social_worker=user)
        | Q(break_glass_grants__user=user, break_glass_grants__expires_at__gt=timezone.now())
        | Q(episodes__lead_professional=user)
        | Q(episodes__allocated_worker=user)
        | Q(episodes__taf_meetings__practitioners=user)
        | Q(episodes__step_ups__social_worker=user)
        | Q(step_downs__social_worker=user)
        | Q(created_by=user)
    )
    team_ids = list(user.teams.values_list("pk", flat=True))
    if team_ids and user.role in (Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER, Role.EARLY_HELP_PRACTITIONER):
        # Allocated to the team: its practitioners pick it up, its managers oversee it.
        network |= Q(requests__allocation__team_id__in=team_ids) | Q(episodes__team_id__in=team_ids)
    if user.role == Role.TEAM_MANAGER and team_ids:
        network |= Q(requests__allocation__practitioner__teams__in=team_ids)
    if user.role == Role.FRONT_DOOR_OFFICER:
        from earlyhelp.frontdoor.models import OPEN_REQUEST_STATUSES

        # Open requests, concerns of significant harm waiting for a decision, and step downs
        # waiting for early help's answer are the front door's work.
        network |= (Q(requests__status__in=OPEN_REQUEST_STATUSES) | _awaiting_harm_decision()
                    | Q(step_downs__status="proposed"))
    if user.role == Role.SOCIAL_WORKER:
        # Children's Social Care sees every concern of significant harm still waiting for its decision.
        network |= _awaiting_harm_decision() | Q(episodes__state="step_up_requested")
    return network


def _awaiting_harm_decision() -> Q:
    # A subquery, not `harm_referrals__decided_at__isnull=True`: across the outer join that
    # would also match every family that has no referral at all.
    from earlyhelp.frontdoor.models import HarmReferral

    return Q(pk__in=HarmReferral.objects.filter(decided_at__isnull=True).values("family_id"))


def _visible_family_ids(user: User) -> Q:
    """The same rule as visible_families_filter, for whole lists of families.

    Each way into the network is its own `pk IN (subquery)`, answered through an index on the
    user or the status: one OR of joins across every related table would multiply rows and
    read them all, which at a council's size took seconds.
    """
    from earlyhelp.audit.models import BreakGlassAccess
    from earlyhelp.episodes.models import Episode, StepDown
    from earlyhelp.frontdoor.models import OPEN_REQUEST_STATUSES, HarmReferral, RequestForSupport

    if not user.is_authenticated or not user.can_see_families:
        return Q(pk__in=[])

    def family_ids(queryset) -> Q:
        return Q(pk__in=queryset.values("family_id"))

    network = (
        Q(pk__in=FamilyMember.objects.filter(
            person__involvements__practitioner=user, person__involvements__ended_on__isnull=True,
        ).values("family_id"))
        | family_ids(RequestForSupport.objects.filter(requested_by=user))
        | family_ids(RequestForSupport.objects.filter(allocation__practitioner=user))
        | family_ids(HarmReferral.objects.filter(social_worker=user))
        | family_ids(BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now()))
        | family_ids(Episode.objects.filter(lead_professional=user))
        | family_ids(Episode.objects.filter(allocated_worker=user))
        | family_ids(Episode.objects.filter(taf_meetings__practitioners=user))
        | family_ids(Episode.objects.filter(step_ups__social_worker=user))
        | family_ids(StepDown.objects.filter(social_worker=user))
        | Q(created_by=user)
    )
    team_ids = list(user.teams.values_list("pk", flat=True))
    if team_ids and user.role in (Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER, Role.EARLY_HELP_PRACTITIONER):
        # Allocated to the team: its practitioners pick it up, its managers oversee it.
        network |= (family_ids(RequestForSupport.objects.filter(allocation__team_id__in=team_ids))
                    | family_ids(Episode.objects.filter(team_id__in=team_ids)))
    if user.role == Role.TEAM_MANAGER and team_ids:
        network |= family_ids(RequestForSupport.objects.filter(allocation__practitioner__teams__in=team_ids))
    if user.role == Role.FRONT_DOOR_OFFICER:
        # Open requests, concerns of significant harm waiting for a decision, and step downs
        # waiting for early help's answer are the front door's work.
        network |= (family_ids(RequestForSupport.objects.filter(status__in=OPEN_REQUEST_STATUSES))
                    | family_ids(HarmReferral.objects.filter(decided_at__isnull=True))
                    | family_ids(StepDown.objects.filter(status="proposed")))
    if user.role == Role.SOCIAL_WORKER:
        # Children's Social Care sees every concern of significant harm still waiting for its decision.
        network |= (family_ids(HarmReferral.objects.filter(decided_at__isnull=True))
                    | family_ids(Episode.objects.filter(state="step_up_requested")))
    return network


def families_visible_to(user: User) -> QuerySet[Family]:
    return Family.objects.filter(_visible_family_ids(user))


def user_can_see_family(user: User, family_id: int) -> bool:
    return Family.objects.filter(visible_families_filter(user), pk=family_id).exists()


def annotate_visibility(queryset: QuerySet[Family], user: User) -> QuerySet[Family]:
    """Adds `can_view` to each family without one query per row."""
    return queryset.annotate(
        can_view=Exists(Family.objects.filter(visible_families_filter(user), pk=OuterRef("pk")))
    )
