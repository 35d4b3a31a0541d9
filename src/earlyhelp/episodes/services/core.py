"""Opening an episode, its children of concern, the lead professional and disagreements (DOMAIN §6).

Who may change an episode is declared once, in episodes/rules.py ("episodes.change_episode").
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from earlyhelp.accounts.models import Role, Team, TeamKind, User
from earlyhelp.frontdoor.models import AllocationDecision, AllocationOutcome
from earlyhelp.people.models import CHILD_ROLES, Family, FamilyMember, Person
from earlyhelp.policy import may, require
from earlyhelp.web.refusals import Refused

from ..due import episode_refresh_due, oversight_due_after
from ..models import (
    Disagreement,
    Episode,
    EpisodeChild,
    EpisodeEvent,
    EpisodeState,
    LeadProfessionalAssignment,
)
from ..rules import DISAGREEMENT_ROLES, LEAD_ROLES, OPENING_ROLES  # noqa: F401 (used by the views)
from ..timeline import event_record
from . import lead as lead_roles

# Who may hold a family's early help work day to day.
WORKER_ROLES = frozenset({Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.PARTNER_PRACTITIONER})
ALLOCATING_OUTCOMES = frozenset({AllocationOutcome.ALLOCATE_TEAM, AllocationOutcome.ALLOCATE_PRACTITIONER})

REFERENCE_ATTEMPTS = 5


class EventKind:
    OPENED = "opened"
    CHILD_ADDED = "child_added"
    CHILD_REMOVED = "child_removed"
    LEAD_CHOSEN = "lead_professional_chosen"
    LEAD_TRANSFERRED = "lead_professional_transferred"
    DISAGREEMENT_RAISED = "disagreement_raised"
    DISAGREEMENT_RESOLVED = "disagreement_resolved"
    EXISTING_LEAD_CHECKED = "existing_lead_checked"


def episode_reference(year: int, number: int) -> str:
    return f"EP-{year}-{number:06d}"


def _next_reference(year: int) -> str:
    prefix = f"EP-{year}-"
    last = Episode.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))["last"]
    return episode_reference(year, int(last.removeprefix(prefix)) + 1 if last else 1)


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def current_children_of_family(family: Family) -> dict[int, Person]:
    memberships = (
        FamilyMember.objects.filter(family=family, role__in=CHILD_ROLES, left_on__isnull=True)
        .select_related("person")
        .order_by("person__date_of_birth", "person__expected_date_of_birth", "person_id")
    )
    return {membership.person_id: membership.person for membership in memberships}


def default_team_for(user: User | None) -> Team | None:
    """The locality early help team a worker belongs to (their first, by name)."""
    if user is None:
        return None
    return user.teams.filter(kind=TeamKind.LOCALITY_EARLY_HELP).order_by("name").first()


def _lock_for_change(episode: Episode, by: User) -> Episode:
    """The episode, locked against a simultaneous change, if `by` may change it and it is open."""
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if not may(by, "episodes.change_episode", locked):
        raise PermissionDenied("Only the lead professional, the allocated worker or their team's managers can change this episode")
    if not locked.is_open:
        raise ValidationError("The episode is closed")
    return locked


def _check_worker(user: User | None, *, field: str, roles: frozenset[str], message: str) -> None:
    if user is not None and (not user.is_active or user.role not in roles):
        raise ValidationError({field: message})


@transaction.atomic
def episode_open(
    *,
    family: Family,
    opened_by: User,
    team: Team | None = None,
    allocated_worker: User | None = None,
    lead_professional: User | None = None,
    request=None,
    children: Iterable[Person | int] | None = None,
    chosen_with_family: bool = True,
    lead_handover_note: str = "",
    existing_leads_reason: str = "",
) -> Episode:
    """Start early help for a family: one open episode per family, covering the children of concern.

    `children` defaults to every child and unborn child living in the family. When a child already
    has a lead professional, `existing_leads_reason` says why early help starts all the same (on the
    timeline, with who leads: DOMAIN §2).
    """
    require(opened_by, "episodes.open_episode", family,
            "Only early help and partner practitioners, their managers and the front door can start early help "
            "for a family they work with")
    # Lock the family so two people starting early help at once cannot both succeed.
    Family.objects.select_for_update().filter(pk=family.pk).first()
    existing = Episode.objects.filter(family=family).exclude(state=EpisodeState.CLOSED).first()
    if existing is not None:
        raise ValidationError(
            f"The {family.name} already has an open early help episode ({existing.reference}). "
            "Add children to that episode instead of starting another."
        )
    family_children = current_children_of_family(family)
    if not family_children:
        raise ValidationError("Add the family's children to the family record before starting early help")
    if children is None:
        chosen = list(family_children)
    else:
        chosen = list(dict.fromkeys(child.pk if isinstance(child, Person) else int(child) for child in children))
        if not chosen:
            raise ValidationError({"children": "Select at least one child of concern"})
        if any(person_id not in family_children for person_id in chosen):
            raise ValidationError({"children": "Select children who live in this family"})
    _check_worker(allocated_worker, field="allocated_worker", roles=WORKER_ROLES,
                  message="Choose a practitioner who can hold the family's work")
    _check_worker(lead_professional, field="lead_professional", roles=LEAD_ROLES,
                  message="Choose a practitioner who can be a lead professional")
    if team is None:
        team = default_team_for(allocated_worker) or default_team_for(opened_by)

    today = timezone.localdate()
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                episode = Episode.objects.create(
                    reference=_next_reference(today.year), family=family, state=EpisodeState.AWAITING_CONSENT,
                    team=team, allocated_worker=allocated_worker, request=request, opened_on=today,
                    oversight_due_on=oversight_due_after(today),  # the first oversight's clock starts now
                )
            break
        except IntegrityError:
            # Someone else took the same reference number at the same moment: take the next one.
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    EpisodeChild.objects.bulk_create(
        [EpisodeChild(episode=episode, person_id=person_id, added_on=today) for person_id in chosen]
    )
    names = ", ".join(family_children[person_id].first_name for person_id in chosen)
    worker = f"; allocated to {_name(allocated_worker)}" if allocated_worker else ""
    team_text = f" ({team.name})" if team else ""
    event_record(
        episode=episode, kind=EventKind.OPENED, by=opened_by,
        summary=f"Early help started for {names}{worker}{team_text}",
    )
    existing_leads_reason = (existing_leads_reason or "").strip()
    if existing_leads_reason:
        leads = lead_roles.other_leads(episode)
        if leads:
            event_record(
                episode=episode, kind=EventKind.EXISTING_LEAD_CHECKED, by=opened_by,
                summary=(f"Already leading: {'; '.join(map(lead_roles.describe_lead, leads))}. "
                         f"Early help started because: {existing_leads_reason}")[:300],
            )
    if lead_professional is not None:
        lead_professional_record(
            episode=episode, lead=lead_professional, by=opened_by, chosen_with_family=chosen_with_family,
            handover_note=lead_handover_note,
        )
    episode_refresh_due(episode)
    return episode


@transaction.atomic
def episode_open_from_allocation(*, decision: AllocationDecision, by: User) -> Episode:
    """Start early help as the allocation meeting decided: its team and practitioner carry over."""
    if decision.outcome not in ALLOCATING_OUTCOMES:
        raise ValidationError("This allocation decision did not allocate the family to early help")
    support_request = decision.request
    if support_request.family_id is None:
        raise ValidationError("The request for support is not linked to a family yet")
    started = Episode.objects.filter(request=support_request).first()
    if started is not None:
        raise Refused(f"Early help has already started from this allocation ({started.reference})")
    worker = decision.practitioner
    if worker is None and by.role in (Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER):
        worker = by  # allocated to a team: the practitioner who picks it up holds it
    named = set(support_request.people.filter(is_child=True, person__isnull=False).values_list("person_id", flat=True))
    family_children = current_children_of_family(support_request.family)
    children = [person_id for person_id in family_children if person_id in named] or None
    return episode_open(
        family=support_request.family, opened_by=by, team=decision.team, allocated_worker=worker,
        request=support_request, children=children,
    )


@transaction.atomic
def episode_child_add(*, episode: Episode, person: Person, by: User, on: date | None = None) -> EpisodeChild:
    locked = _lock_for_change(episode, by)
    today = timezone.localdate()
    on = on or today
    if person.pk not in current_children_of_family(locked.family):
        raise ValidationError({"person": "Choose a child who lives in this family"})
    if EpisodeChild.objects.filter(episode=locked, person=person, removed_on__isnull=True).exists():
        raise ValidationError({"person": f"{person.full_name} is already a child of concern in this episode"})
    if on > today:
        raise ValidationError({"added_on": "The date cannot be in the future"})
    if on < locked.opened_on:
        raise ValidationError({"added_on": f"The date cannot be before the episode started on {locked.opened_on:%-d %B %Y}"})
    child = EpisodeChild.objects.create(episode=locked, person=person, added_on=on)
    summary = f"{person.full_name} added as a child of concern"
    if locked.lead_professional_id:
        # The episode's lead leads for the child too, unless someone already leads for them elsewhere.
        elsewhere = lead_roles.other_leads(locked)
        if any(involvement.person_id == person.pk for involvement in elsewhere):
            lead = next(involvement for involvement in elsewhere if involvement.person_id == person.pk)
            summary += f"; {lead_roles.describe_lead(lead)} goes on leading"
        else:
            lead_roles.child_leads_write(episode=locked, lead=locked.lead_professional, on=today,
                                         person_ids=[person.pk])
    event_record(episode=locked, kind=EventKind.CHILD_ADDED, by=by, summary=summary[:300])
    return child


@transaction.atomic
def episode_child_remove(*, episode_child: EpisodeChild, by: User, on: date, reason: str) -> EpisodeChild:
    """A child stops being of concern, with the date and why. The last child cannot be removed."""
    locked = _lock_for_change(episode_child.episode, by)
    child = EpisodeChild.objects.select_related("person").get(pk=episode_child.pk, episode=locked)
    if child.removed_on is not None:
        raise ValidationError(f"{child.person.full_name} is no longer a child of concern in this episode")
    if EpisodeChild.objects.filter(episode=locked, removed_on__isnull=True).count() <= 1:
        raise ValidationError(
            f"{child.person.full_name} is the only child of concern. An episode needs at least one child: "
            "close the episode instead."
        )
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "Enter why the child is no longer a child of concern"
    if on > timezone.localdate():
        errors["removed_on"] = "The date cannot be in the future"
    elif on < child.added_on:
        errors["removed_on"] = f"The date cannot be before the child was added on {child.added_on:%-d %B %Y}"
    if errors:
        raise ValidationError(errors)
    child.removed_on, child.removal_reason = on, reason[:200]
    child.save(update_fields=["removed_on", "removal_reason"])
    lead_roles.child_leads_end(episode=locked, on=on, person_ids=[child.person_id])
    event_record(episode=locked, kind=EventKind.CHILD_REMOVED, by=by,
                 summary=f"{child.person.full_name} is no longer a child of concern: {reason}")
    return child


def lead_professional_lock(*, episode: Episode) -> tuple[Episode, EpisodeEvent | None]:
    """The episode as saved now, locked, and the event of its latest choice or transfer of lead (who,
    when): for a change of lead that compares them with the page (web/versioning.py)."""
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    latest = (
        EpisodeEvent.objects.filter(episode=locked, kind__in=[EventKind.LEAD_CHOSEN, EventKind.LEAD_TRANSFERRED])
        .select_related("by").first()
    )
    return locked, latest


@transaction.atomic
def lead_professional_assign(
    *, episode: Episode, lead: User, by: User, chosen_with_family: bool, handover_note: str = ""
) -> LeadProfessionalAssignment:
    """Choose the lead professional, or transfer the role (a handover note is then required)."""
    locked = _lock_for_change(episode, by)
    assignment = lead_professional_record(
        episode=locked, lead=lead, by=by, chosen_with_family=chosen_with_family, handover_note=handover_note
    )
    episode.lead_professional = lead
    return assignment


@transaction.atomic
def lead_professional_record(
    *, episode: Episode, lead: User, by: User, chosen_with_family: bool, handover_note: str = ""
) -> LeadProfessionalAssignment:
    """The lead change itself, for services that have already decided who may make it.

    e.g. the step-up acceptance, where the role passes to the social worker (DOMAIN §6).
    """
    if not lead.is_active or lead.role not in LEAD_ROLES:
        raise ValidationError({"lead": "Choose a practitioner who can be a lead professional"})
    handover_note = (handover_note or "").strip()
    today = timezone.localdate()
    current = (
        LeadProfessionalAssignment.objects.select_for_update().select_related("lead")
        .filter(episode=episode, ended_on__isnull=True).first()
    )
    if current is not None and current.lead_id == lead.pk:
        raise ValidationError({"lead": f"{_name(lead)} is already the lead professional"})
    # A child has one lead at a time (DOMAIN §6): someone already leading for a child elsewhere is
    # replaced too, so the change is a handover from them as well.
    replaced = lead_roles.other_leads(episode, lead)
    if (current is not None or replaced) and not handover_note:
        raise ValidationError({"handover_note": "Write a handover note for the new lead professional"})
    if current is not None:
        current.ended_on = today
        current.save(update_fields=["ended_on"])
    assignment = LeadProfessionalAssignment.objects.create(
        episode=episode, lead=lead, started_on=today, chosen_with_family=chosen_with_family,
        handover_note=handover_note, assigned_by=by,
    )
    Episode.objects.filter(pk=episode.pk).update(lead_professional=lead, updated_at=timezone.now())
    episode.lead_professional = lead
    ended = lead_roles.child_leads_write(episode=episode, lead=lead, on=today)
    with_family = "chosen with the family" if chosen_with_family else "not chosen with the family"
    agency = f" ({lead.agency.name})" if lead.agency_id else ""
    before = f"; before, {'; '.join(map(lead_roles.describe_lead, ended))} led" if ended else ""
    if current is None:
        event_record(episode=episode, kind=EventKind.LEAD_CHOSEN, by=by,
                     summary=f"{_name(lead)}{agency} is the lead professional, {with_family}{before}"[:300])
    else:
        event_record(episode=episode, kind=EventKind.LEAD_TRANSFERRED, by=by,
                     summary=f"Lead professional transferred from {_name(current.lead)} to {_name(lead)}{agency}, "
                             f"{with_family}{before}"[:300])
    return assignment


@transaction.atomic
def disagreement_record(*, episode: Episode, topic: str, details: str, by: User) -> Disagreement:
    """A disagreement about who should lead or about the level of concern (DOMAIN §6)."""
    require(by, "episodes.raise_disagreement", episode,
            "Only practitioners working with this family can record a disagreement")
    if not episode.is_open:
        raise ValidationError("The episode is closed")
    details = (details or "").strip()
    errors = {}
    if topic not in Disagreement.Topic.values:
        errors["topic"] = "Select what the disagreement is about"
    if not details:
        errors["details"] = "Describe the disagreement and who disagrees"
    if errors:
        raise ValidationError(errors)
    disagreement = Disagreement.objects.create(episode=episode, topic=topic, details=details, raised_by=by)
    event_record(episode=episode, kind=EventKind.DISAGREEMENT_RAISED, by=by,
                 summary=f"Disagreement recorded about {Disagreement.Topic(topic).label.lower()}")
    return disagreement


@transaction.atomic
def disagreement_resolve(*, disagreement: Disagreement, outcome: str, by: User) -> Disagreement:
    locked = Disagreement.objects.select_for_update().select_related("episode").get(pk=disagreement.pk)
    require(by, "episodes.resolve_disagreement", locked,
            "A manager of the team or locality holding the episode records the outcome, not whoever raised it")
    if locked.resolved_at is not None:
        raise Refused("The outcome of this disagreement has already been recorded")
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": "Enter the outcome: what was agreed and by whom"})
    locked.outcome, locked.resolved_at, locked.resolved_by = outcome, timezone.now(), by
    locked.save(update_fields=["outcome", "resolved_at", "resolved_by"])
    event_record(episode=locked.episode, kind=EventKind.DISAGREEMENT_RESOLVED, by=by,
                 summary=f"Outcome recorded for the disagreement about {locked.get_topic_display().lower()}")
    return locked
