"""Team Around the Family meetings, the plan (outcomes and actions) and its reviews (DOMAIN §7).

Writes check who may change the plan, validate in plain English (ValidationError keyed by the
form field it is about), write atomically, put an event on the episode's timeline and refresh
what is due. Reads used by the plan pages are at the end, each with the prefetching that keeps
the number of queries the same however long the plan is.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.db.models.fields.json import KT
from django.utils import timezone

from earlyhelp.accounts.models import Agency, Role, User
from earlyhelp.directory.models import Service as DirectoryService
from earlyhelp.directory.selectors import service_pick_list
from earlyhelp.people.models import FamilyMember, Involvement, Person
from earlyhelp.policy import may
from earlyhelp.sharing.selectors import consent_refuse_while_paused
from earlyhelp.standards import AssessmentFactor

from ..due import ReviewLateness, episode_refresh_due, review_dates, review_lateness_label
from ..models import (
    ActionStatus,
    Assessment,
    Episode,
    EpisodeState,
    Outcome,
    OutcomeProgress,
    PlanAction,
    PlanVersion,
    Review,
    ReviewDecision,
    StepDown,
    TafMeeting,
)
from ..rules import owns_the_action
from ..timeline import event_record
from ..transitions import Action, TransitionRefused, episode_transition

# Outcomes and actions are added once the assessment has started and until the episode ends
# or waits on Children's Social Care. Meetings and action progress carry on in any open state:
# lack of consent must not stop professionals meeting (DOMAIN §4), nor a step up the work.
PLAN_STATES = frozenset({EpisodeState.ASSESSMENT, EpisodeState.PLANNING, EpisodeState.PLAN_ACTIVE})
OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
CLOSED_REFUSAL = "The episode is closed, so its plan cannot change"
PLAN_STATE_REFUSALS = {
    EpisodeState.AWAITING_CONSENT: "Outcomes and actions are added once consent is given and the assessment has started",
    EpisodeState.STEP_UP_REQUESTED: "Children's Social Care must first decide on the step up",
    EpisodeState.CLOSED: CLOSED_REFUSAL,
}

# --- Who may change what -------------------------------------------------------------------

def plan_user_attended_meeting(user: User, episode: Episode) -> bool:
    return TafMeeting.objects.filter(episode=episode, practitioners=user).exists()


def plan_user_may_update_action(user: User, action: PlanAction, *, episode: Episode,
                                may_change: bool | None = None, attended: bool | None = None) -> bool:
    """"episodes.update_action". A page listing many actions passes what it already asked the policy
    (whether the user may change the episode, whether they attended a meeting), so that a long plan
    costs no query per action."""
    if may_change is None and attended is None:
        return may(user, "episodes.update_action", action)
    return bool(may_change) or (owns_the_action.test(user, action) and bool(attended))


def _require_change(user: User, episode: Episode) -> None:
    if not may(user, "episodes.change_episode", episode):
        raise PermissionDenied("Only the lead professional, the allocated worker or the team's managers can change the plan")


def _require_open(episode: Episode) -> None:
    if episode.state == EpisodeState.CLOSED:
        raise ValidationError(CLOSED_REFUSAL)


def plan_state_refusal(episode: Episode) -> str:
    """Why outcomes and actions cannot be added now; empty when they can."""
    if episode.state in PLAN_STATES:
        return ""
    return PLAN_STATE_REFUSALS.get(episode.state, CLOSED_REFUSAL)


def _require_plan_state(episode: Episode) -> None:
    refusal = plan_state_refusal(episode)
    if refusal:
        raise ValidationError(refusal)


def _not_in_future(value: date, *, field: str, message: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: message})


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


# --- Owners of actions -----------------------------------------------------------------------

def action_owner_label(action: PlanAction) -> str:
    if action.owner_user_id:
        user = action.owner_user
        agency = f" ({user.agency.name})" if user.agency_id else ""
        return f"{user.get_full_name() or user.username}{agency}"
    if action.owner_agency_id:
        return action.owner_agency.name
    if action.owner_person_id:
        return f"{action.owner_person.full_name} (family)"
    return ""


def _owner_kind(action: PlanAction) -> str:
    if action.owner_user_id:
        return "practitioner"
    if action.owner_agency_id:
        return "agency"
    return "family member"


def _check_one_owner(*, owner_user, owner_agency, owner_person) -> None:
    given = [owner for owner in (owner_user, owner_agency, owner_person) if owner is not None]
    if not given:
        raise ValidationError({"owner": "Choose who will do this: a practitioner, an agency or a family member"})
    if len(given) > 1:
        raise ValidationError({"owner": "Choose one owner only: a practitioner, an agency or a family member"})


def _current_family_people(episode: Episode) -> list[Person]:
    return [
        member.person for member in
        FamilyMember.objects.filter(family_id=episode.family_id, left_on__isnull=True).select_related("person")
        .order_by("person__date_of_birth", "person__last_name", "person__first_name")
    ]


# --- Team Around the Family meetings ---------------------------------------------------------

@dataclass(frozen=True)
class AgreedAction:
    """An action agreed at a meeting, under one of the plan's outcomes."""

    outcome: Outcome
    description: str
    due_on: date
    owner_user: User | None = None
    owner_agency: Agency | None = None
    owner_person: Person | None = None


@transaction.atomic
def taf_meeting_record(
    *,
    episode: Episode,
    by: User,
    held_on: date,
    practitioners: list[User],
    agencies: list[Agency],
    family_members: list[Person],
    discussed: str,
    decided: str = "",
    actions: list[AgreedAction] | None = None,
) -> TafMeeting:
    """Record a meeting: who came, what was discussed and decided, and the actions agreed."""
    _require_change(by, episode)
    _require_open(episode)
    _not_in_future(held_on, field="held_on", message="The meeting date cannot be in the future")
    if not discussed.strip():
        raise ValidationError({"discussed": "Enter what was discussed at the meeting"})
    family_ids = {person.pk for person in _current_family_people(episode)}
    if any(person.pk not in family_ids for person in family_members):
        raise ValidationError({"family_members": "Choose family members from this family only"})
    meeting = TafMeeting.objects.create(
        episode=episode, held_on=held_on, discussed=discussed.strip(), decided=decided.strip(), recorded_by=by
    )
    meeting.practitioners.set(practitioners)
    meeting.agencies.set(agencies)
    meeting.family_members.set(family_members)
    first = not TafMeeting.objects.filter(episode=episode).exclude(pk=meeting.pk).exists()
    created = [
        _action_create(episode=episode, by=by, outcome=agreed.outcome, description=agreed.description,
                       due_on=agreed.due_on, owner_user=agreed.owner_user, owner_agency=agreed.owner_agency,
                       owner_person=agreed.owner_person, event=False)
        for agreed in actions or []
    ]
    attended = len(practitioners) + len(family_members)
    summary = (
        f"{'First ' if first else ''}Team Around the Family meeting held on {_long_date(held_on)} "
        f"({attended} {'person' if attended == 1 else 'people'} attended"
        + (f", {len(created)} action{'s' if len(created) != 1 else ''} agreed" if created else "")
        + ")"
    )
    event_record(episode=episode, kind="taf_meeting", summary=summary, by=by)
    episode_refresh_due(episode)
    return meeting


# --- Outcomes and actions --------------------------------------------------------------------

def outcome_needs_are_agreed(episode: Episode) -> bool:
    """True when the assessment has agreed needs to link outcomes to."""
    assessment = Assessment.objects.filter(episode=episode).only("agreed_needs").first()
    return bool(assessment and assessment.agreed_needs)


def outcome_need_choices(episode: Episode) -> list[tuple[str, str]]:
    """The needs agreed in the assessment; every assessment factor when there is none."""
    assessment = Assessment.objects.filter(episode=episode).only("agreed_needs").first()
    labels = dict(AssessmentFactor.choices)
    if assessment is not None and assessment.agreed_needs:
        return [(code, labels.get(code, code)) for code in assessment.agreed_needs]
    return list(AssessmentFactor.choices)


@transaction.atomic
def outcome_create(*, episode: Episode, by: User, in_familys_words: str, needs: list[str]) -> Outcome:
    _require_change(by, episode)
    _require_plan_state(episode)
    words = in_familys_words.strip()
    if not words:
        raise ValidationError({"in_familys_words": "Enter the outcome in the family's own words"})
    allowed = {code for code, _ in outcome_need_choices(episode)}
    if not needs:
        raise ValidationError({"needs": "Choose the needs this outcome is about"})
    if set(needs) - allowed:
        raise ValidationError({"needs": "Choose needs from the list"})
    outcome = Outcome.objects.create(episode=episode, in_familys_words=words, needs=list(dict.fromkeys(needs)))
    event_record(episode=episode, kind="outcome_added", summary=f"Outcome added to the plan: “{words}”", by=by)
    return outcome


def _action_create(*, episode: Episode, by: User, outcome: Outcome, description: str, due_on: date | None,
                   owner_user, owner_agency, owner_person, event: bool, service=None) -> PlanAction:
    if outcome.episode_id != episode.pk:
        raise ValidationError({"outcome": "Choose one of this plan's outcomes"})
    description = description.strip()
    if not description:
        raise ValidationError({"description": "Enter what will be done"})
    _check_one_owner(owner_user=owner_user, owner_agency=owner_agency, owner_person=owner_person)
    if due_on is None:
        raise ValidationError({"due_on": "Enter the date it will be done by"})
    if owner_person is not None and owner_person.pk not in {p.pk for p in _current_family_people(episode)}:
        raise ValidationError({"owner": "Choose a family member from this family"})
    if service is not None and not service_pick_list().filter(pk=service.pk).exists():
        raise ValidationError({"service": "Choose an active service from the directory"})
    action = PlanAction.objects.create(
        outcome=outcome, description=description, due_on=due_on,
        owner_user=owner_user, owner_agency=owner_agency, owner_person=owner_person, service=service,
    )
    if event:
        event_record(episode=episode, kind="action_added",
                     summary=f"Action added: {description} ({action_owner_label(action)}, by {_long_date(due_on)})", by=by)
    return action


@transaction.atomic
def plan_action_create(*, episode: Episode, by: User, outcome: Outcome, description: str, due_on: date | None,
                       owner_user: User | None = None, owner_agency: Agency | None = None,
                       owner_person: Person | None = None, service: DirectoryService | None = None) -> PlanAction:
    """An action needs exactly one owner (a practitioner, an agency or a family member) and a due date; it may
    name the directory's service the family is referred to."""
    _require_change(by, episode)
    _require_plan_state(episode)
    action = _action_create(episode=episode, by=by, outcome=outcome, description=description, due_on=due_on,
                            owner_user=owner_user, owner_agency=owner_agency, owner_person=owner_person, event=True,
                            service=service)
    episode_refresh_due(episode)  # an overdue action can be the next thing due
    return action


@transaction.atomic
def plan_action_status_update(*, episode: Episode, by: User, action: PlanAction, status: str) -> PlanAction:
    if action.outcome.episode_id != episode.pk:
        raise PermissionDenied
    if not plan_user_may_update_action(by, action, episode=episode):
        raise PermissionDenied("You can only change the status of actions you own")
    _require_open(episode)
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose the action's status"})
    if status == action.status:
        return action
    before = ActionStatus(action.status).label
    action.status = status
    action.save(update_fields=["status"])
    event_record(episode=episode, kind="action_status",
                 summary=f"Action “{action.description[:150]}”: {before} → {ActionStatus(status).label}", by=by)
    episode_refresh_due(episode)
    return action


# --- Versions of the plan --------------------------------------------------------------------

def _outcomes_with_actions(episode: Episode):
    return (
        Outcome.objects.filter(episode=episode)
        .order_by("created_at", "pk")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related(
                    "owner_user__agency", "owner_agency", "owner_person", "service__organization"
                ).order_by("due_on", "pk"),
            )
        )
    )


def plan_snapshot(episode: Episode, *, review: Review | None = None,
                  progress: dict[int, tuple[int, str]] | None = None) -> dict:
    """The plan as it stands, as JSON: what a PlanVersion keeps."""
    labels = dict(AssessmentFactor.choices)
    outcomes = []
    for outcome in _outcomes_with_actions(episode):
        entry = {
            "id": outcome.pk,
            "in_familys_words": outcome.in_familys_words,
            "needs": [{"code": code, "label": labels.get(code, code)} for code in outcome.needs],
            "actions": [
                {
                    "id": action.pk,
                    "description": action.description,
                    "owner": action_owner_label(action),
                    "owner_kind": _owner_kind(action),
                    "due_on": action.due_on.isoformat(),
                    "status": action.status,
                    "status_label": ActionStatus(action.status).label,
                }
                for action in outcome.actions.all()
            ],
        }
        if progress is not None and outcome.pk in progress:
            score, comment = progress[outcome.pk]
            entry["progress"] = {"score": score, "comment": comment}
        outcomes.append(entry)
    snapshot: dict = {"outcomes": outcomes}
    if review is not None:
        snapshot["review"] = {
            "id": review.pk,
            "held_on": review.held_on.isoformat(),
            "decision": review.decision,
            "decision_label": ReviewDecision(review.decision).label,
            "new_or_unmet_needs": review.new_or_unmet_needs,
        }
    return snapshot


def _version_save(*, episode: Episode, by: User, snapshot: dict) -> PlanVersion:
    # Called with the episode row locked, so two saves cannot take the same number.
    latest = PlanVersion.objects.filter(episode=episode).aggregate(latest=Max("number"))["latest"] or 0
    return PlanVersion.objects.create(episode=episode, number=latest + 1, snapshot=snapshot, made_by=by)


def plan_agreement_missing(episode: Episode) -> list[str]:
    """What still has to happen before the plan can be agreed, in plain words."""
    missing = []
    if episode.state != EpisodeState.PLANNING:
        if episode.state in (EpisodeState.AWAITING_CONSENT, EpisodeState.ASSESSMENT):
            missing.append("Complete the assessment")
        else:
            missing.append("The plan can only be agreed once, after the assessment")
        return missing
    if not TafMeeting.objects.filter(episode=episode).exists():
        missing.append("Record the Team Around the Family meeting")
    if not Outcome.objects.filter(episode=episode).exists():
        missing.append("Add at least one outcome in the family's words")
    elif not PlanAction.objects.filter(outcome__episode=episode).exists():
        missing.append("Add at least one action to an outcome")
    return missing


@transaction.atomic
def plan_agree(*, episode: Episode, by: User) -> PlanVersion:
    """The family agrees the plan: version 1 is kept, the plan is in place and reviews fall due."""
    _require_change(by, episode)
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    consent_refuse_while_paused(locked, what="the plan cannot be agreed")
    missing = plan_agreement_missing(locked)
    if missing:
        raise ValidationError(missing)
    version = _version_save(episode=locked, by=by, snapshot=plan_snapshot(locked))
    try:
        episode_transition(episode=episode, action=Action.PLAN_AGREED, by=by)
    except TransitionRefused as refused:
        raise ValidationError(str(refused)) from refused
    episode.review_due_on, episode.review_latest_on = review_dates(timezone.localdate())
    episode_refresh_due(episode)
    return version


# --- Reviews ---------------------------------------------------------------------------------

@transaction.atomic
def review_create(
    *,
    episode: Episode,
    by: User,
    held_on: date,
    progress: dict[int, tuple[int | None, str]],
    new_or_unmet_needs: str,
    decision: str,
    notes: str = "",
) -> Review:
    """A review: progress (0-10 and words) on every outcome, new needs, and the decision.

    It leaves a version of the plan behind and sets the next review dates from its date.
    """
    _require_change(by, episode)
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if locked.state != EpisodeState.PLAN_ACTIVE:
        raise ValidationError("A review can only be recorded while the plan is in place")
    _not_in_future(held_on, field="held_on", message="The review date cannot be in the future")
    last = Review.objects.filter(episode=locked).order_by("-held_on").values_list("held_on", flat=True).first()
    if last and held_on < last:
        raise ValidationError({"held_on": f"The review date cannot be before the last review, on {_long_date(last)}"})
    agreed = PlanVersion.objects.filter(episode=locked, number=1).values_list("made_at", flat=True).first()
    if agreed and held_on < timezone.localdate(agreed):
        raise ValidationError({"held_on": f"The review date cannot be before the plan was agreed, on {_long_date(timezone.localdate(agreed))}"})
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": "Choose what happens next"})
    outcomes = list(Outcome.objects.filter(episode=locked).order_by("created_at", "pk"))
    errors = {}
    for outcome in outcomes:
        score = progress.get(outcome.pk, (None, ""))[0]
        if score is None or not 0 <= score <= 10:
            errors[f"score_{outcome.pk}"] = "Enter a progress score from 0 to 10"
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        episode=locked, held_on=held_on, new_or_unmet_needs=new_or_unmet_needs.strip(),
        decision=decision, notes=notes.strip(), recorded_by=by,
    )
    OutcomeProgress.objects.bulk_create([
        OutcomeProgress(review=review, outcome=outcome, score=progress[outcome.pk][0],
                        comment=(progress[outcome.pk][1] or "").strip())
        for outcome in outcomes
    ])
    _version_save(
        episode=locked, by=by,
        snapshot=plan_snapshot(locked, review=review, progress={
            outcome.pk: (progress[outcome.pk][0], (progress[outcome.pk][1] or "").strip()) for outcome in outcomes
        }),
    )
    episode.review_due_on, episode.review_latest_on = review_dates(held_on)
    event_record(episode=episode, kind="review",
                 summary=f"Plan reviewed on {_long_date(held_on)}: {ReviewDecision(decision).label.lower()}", by=by)
    episode_refresh_due(episode)
    return review


# --- Reads for the plan pages ----------------------------------------------------------------

def review_timing(episode: Episode, *, today: date | None = None) -> dict:
    """The stored review dates and whether the review is late (after 6 weeks) or past 12 weeks."""
    today = today or timezone.localdate()
    active = episode.state == EpisodeState.PLAN_ACTIVE
    due, latest = episode.review_due_on, episode.review_latest_on
    return {
        "due_on": due,
        "latest_on": latest,
        "weeks": settings.EARLYHELP_REVIEW_WEEKS,
        "max_weeks": settings.EARLYHELP_REVIEW_MAX_WEEKS,
        "late": bool(active and due and today > due),
        "past_latest": bool(active and latest and today > latest),
        "past_ideal_label": review_lateness_label(ReviewLateness.PAST_IDEAL),
        "past_maximum_label": review_lateness_label(ReviewLateness.PAST_MAXIMUM),
    }


def taf_meetings_for_episode(episode: Episode) -> list[TafMeeting]:
    return list(
        TafMeeting.objects.filter(episode=episode)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("practitioners", queryset=User.objects.select_related("agency")),
            "agencies",
            "family_members",
        )
        .order_by("-held_on", "-pk")
    )


def taf_meeting_get(episode: Episode, meeting_id: int) -> TafMeeting:
    meeting = next((m for m in taf_meetings_for_episode(episode) if m.pk == meeting_id), None)
    if meeting is None:
        raise TafMeeting.DoesNotExist
    return meeting


def plan_outcomes(episode: Episode) -> list[Outcome]:
    """Outcomes with their actions and owners, and need labels, in a fixed number of queries."""
    labels = dict(AssessmentFactor.choices)
    outcomes = list(_outcomes_with_actions(episode))
    for outcome in outcomes:
        outcome.need_labels = [labels.get(code, code) for code in outcome.needs]
        for action in outcome.actions.all():
            action.owner_label = action_owner_label(action)
            action.is_overdue = action.status in OPEN_ACTION_STATUSES and action.due_on < timezone.localdate()
    return outcomes


def outcome_get(episode: Episode, outcome_id: int) -> Outcome:
    return Outcome.objects.get(episode=episode, pk=outcome_id)


def plan_action_lock(action: PlanAction) -> PlanAction:
    """The action as saved now, locked for a save that compares it with the page (web/versioning.py)."""
    return PlanAction.objects.select_for_update().select_related("outcome").get(pk=action.pk)


def plan_action_get(episode: Episode, action_id: int) -> PlanAction:
    return PlanAction.objects.select_related(
        "outcome", "owner_user__agency", "owner_agency", "owner_person"
    ).get(outcome__episode=episode, pk=action_id)


def plan_versions(episode: Episode) -> list[PlanVersion]:
    """Versions newest first, with the review each came from, without loading whole snapshots."""
    versions = list(
        PlanVersion.objects.filter(episode=episode).select_related("made_by").defer("snapshot")
        .annotate(review_held_on=KT("snapshot__review__held_on"))
        .order_by("-number")
    )
    for version in versions:
        version.review_date = date.fromisoformat(version.review_held_on) if version.review_held_on else None
    return versions


def plan_version_get(episode: Episode, number: int) -> PlanVersion:
    version = PlanVersion.objects.select_related("made_by").get(episode=episode, number=number)
    review = version.snapshot.get("review")
    version.review_date = date.fromisoformat(review["held_on"]) if review else None
    # Dates are kept as ISO text in the snapshot; the page shows them as dates.
    version.outcomes = [
        {**outcome, "actions": [{**action, "due_on": date.fromisoformat(action["due_on"])}
                                for action in outcome.get("actions", [])]}
        for outcome in version.snapshot.get("outcomes", [])
    ]
    return version


def reviews_for_episode(episode: Episode) -> list[Review]:
    return list(
        Review.objects.filter(episode=episode).select_related("recorded_by").order_by("-held_on", "-pk")
    )


def review_get(episode: Episode, review_id: int) -> Review:
    review = Review.objects.select_related("recorded_by").get(episode=episode, pk=review_id)
    review.progress_rows = list(review.progress.select_related("outcome").order_by("outcome__created_at", "outcome__pk"))
    return review


def step_down_social_worker(episode: Episode) -> User | None:
    """The social worker of an accepted step down, who attends the first TAF meeting (DOMAIN §8)."""
    step_down = (
        StepDown.objects.filter(episode=episode, status=StepDown.Status.ACCEPTED)
        .select_related("social_worker").first()
    )
    return step_down.social_worker if step_down else None


def taf_attendee_choices(episode: Episode, *, recorder: User) -> dict:
    """Who may be ticked as attending: the people working with this family, and the family.

    Everyone else who uses the service can be added by email address, so the lists stay short
    however large the authority is.
    """
    family_people = _current_family_people(episode)
    person_ids = [person.pk for person in family_people]
    involvements = list(
        Involvement.objects.filter(person_id__in=person_ids, ended_on__isnull=True).select_related("agency", "practitioner__agency")
    )
    user_filter = Q(pk__in=[pk for pk in (episode.lead_professional_id, episode.allocated_worker_id, recorder.pk) if pk])
    user_filter |= Q(pk__in=[inv.practitioner_id for inv in involvements if inv.practitioner_id])
    user_filter |= Q(taf_meetings__episode=episode)
    user_filter |= Q(step_downs_proposed__episode=episode) | Q(step_ups__episode=episode)
    if episode.team_id:
        user_filter |= Q(teams=episode.team_id, role__in=[Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER])
    users = list(
        User.objects.filter(user_filter, is_active=True).select_related("agency").distinct()
        .order_by("last_name", "first_name")
    )
    agency_ids = {inv.agency_id for inv in involvements}
    agency_ids |= {person.school_id for person in family_people if person.school_id}
    agency_ids |= {user.agency_id for user in users if user.agency_id}
    agencies = list(
        Agency.objects.filter(Q(pk__in=agency_ids) | Q(taf_meetings__episode=episode)).distinct().order_by("name")
    )
    return {"users": users, "agencies": agencies, "family_members": family_people}


def agencies_all_active() -> list[Agency]:
    return list(Agency.objects.filter(is_active=True).only("pk", "name").order_by("name"))


def users_by_email(emails: list[str]) -> tuple[list[User], list[str]]:
    """Users of the service with these email addresses, and the addresses no one has."""
    wanted = {email.strip().lower() for email in emails if email.strip()}
    if not wanted:
        return [], []
    # Addresses are stored as typed, so match them without regard to case.
    query = Q()
    for email in wanted:
        query |= Q(email__iexact=email)
    found = list(User.objects.filter(query, is_active=True).select_related("agency"))
    known = {user.email.lower() for user in found}
    return found, sorted(wanted - known)


def action_owner_choices(episode: Episode, *, recorder: User) -> dict:
    """Whoever may own an action: people working with the family, their agencies, the family."""
    attendees = taf_attendee_choices(episode, recorder=recorder)
    current_owner_ids = set(
        PlanAction.objects.filter(outcome__episode=episode, owner_user__isnull=False).values_list("owner_user_id", flat=True)
    )
    known_ids = {user.pk for user in attendees["users"]}
    users = attendees["users"]
    if current_owner_ids - known_ids:
        users = sorted(
            users + list(User.objects.filter(pk__in=current_owner_ids - known_ids).select_related("agency")),
            key=lambda user: (user.last_name, user.first_name),
        )
    return {"users": users, "agencies": attendees["agencies"], "family_members": attendees["family_members"]}
