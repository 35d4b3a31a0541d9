"""The Early Help Assessment (DOMAIN §5): starting it, saving each part as the practitioner goes,
completing it (with a team manager's sign-off when the authority asks for one) and the EHA
monitoring form that follows.

Sign-off: when settings.EARLYHELP_ASSESSMENT_SIGN_OFF is on, "complete" records who completed it
(completed_by) and leaves completed_on empty until a team manager signs it off; only then does
the episode move on. completed_on is therefore always the date the assessment took effect, which
is what Annex A and the work lists count.

The reads this module's pages need are at the end, so the views never query models directly.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Role, Team, User
from earlyhelp.alerts.services import alert_keep_in_step_with_assessment
from earlyhelp.calendar.working_days import add_working_days
from earlyhelp.frontdoor.models import Notification
from earlyhelp.policy import may
from earlyhelp.sharing.selectors import consent_refuse_while_paused
from earlyhelp.standards import (
    FRAMEWORK_SUBDIMENSIONS,
    AssessmentFactor,
    FrameworkDomain,
    PrimaryNeed,
)

from ..due import episode_refresh_due
from ..models import (
    Assessment,
    AssessmentChildSection,
    Episode,
    EpisodeChild,
    EpisodeState,
    FamilyRating,
    MonitoringForm,
    Outcome,
    PlanAction,
    SubdimensionRating,
)
from ..rules import managing_teams
from ..timeline import event_record
from ..transitions import Action, episode_transition

SUBDIMENSION_LABELS: dict[str, str] = {
    key: label for subdimensions in FRAMEWORK_SUBDIMENSIONS.values() for key, label in subdimensions
}
# The framework's first domain is each child's; the other two are the family's, with a note per
# child and domain where they differ (docs/assessment.md).
CHILD_SUBDIMENSIONS: tuple[str, ...] = tuple(key for key, _ in FRAMEWORK_SUBDIMENSIONS[FrameworkDomain.CHILD_DEVELOPMENT])
FAMILY_DOMAINS: tuple[str, ...] = (FrameworkDomain.PARENTING_CAPACITY, FrameworkDomain.FAMILY_ENVIRONMENT)
FAMILY_SUBDIMENSIONS: tuple[str, ...] = tuple(
    key for domain in FAMILY_DOMAINS for key, _ in FRAMEWORK_SUBDIMENSIONS[domain])
# The child's section field holding the note for each of the family's domains.
CHILD_NOTE_FIELDS: dict[str, str] = {
    FrameworkDomain.PARENTING_CAPACITY: "parenting_capacity_note",
    FrameworkDomain.FAMILY_ENVIRONMENT: "family_environment_note",
}
SCORE_MIN, SCORE_MAX = 0, 10
# Managers and advisers of the team may work on (and oversee) an assessment their team holds.


FAMILY_RATINGS_TITLE = "Parenting capacity, and family and environmental factors"


class PartStatus:
    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not started"


@dataclass(frozen=True)
class Part:
    """One line of the assessment's task list and what completion still needs from it."""

    key: str  # child, add_children, family_ratings, family, analysis, needs, engagement
    title: str
    status: str
    section_id: int | None = None
    optional: bool = False
    missing: tuple[str, ...] = field(default=())


class AssessmentIncomplete(Exception):
    """Completion refused: `parts` lists every part with what it still needs."""

    def __init__(self, parts: list[Part]):
        self.parts = parts
        super().__init__("; ".join(message for part in parts for message in part.missing))


# --- Who may do what -------------------------------------------------------------------------


def assessment_is_awaiting_sign_off(assessment: Assessment) -> bool:
    return assessment.completed_by_id is not None and assessment.completed_on is None


def assessment_is_locked(assessment: Assessment) -> bool:
    """Complete, or waiting for sign-off: the parts can no longer change."""
    return assessment.completed_on is not None or assessment_is_awaiting_sign_off(assessment)


def _lock_for_edit(assessment: Assessment, by) -> Assessment:
    """Lock the row so a save cannot slip in while someone completes the assessment."""
    locked = Assessment.objects.select_for_update().select_related("episode").get(pk=assessment.pk)
    if not may(by, "episodes.change_episode", locked.episode):
        raise PermissionDenied
    if locked.completed_on is not None:
        raise ValidationError("The assessment is complete and can no longer be changed")
    if assessment_is_awaiting_sign_off(locked):
        raise ValidationError("The assessment is waiting for a team manager's sign-off and cannot be changed now")
    if not locked.episode.is_open:
        raise ValidationError("The episode is closed")
    return locked


def assessment_lock_for_edit(*, assessment: Assessment, by, section_id: int | None = None):
    """Lock the assessment for a save and return what is saved now (the child's section when
    given), for the page's save to compare with what it was opened with (web/versioning.py)."""
    locked = _lock_for_edit(assessment, by)
    if section_id is None:
        return locked
    return assessment_child_section_get(assessment=locked, section_id=section_id)


def monitoring_form_lock(*, assessment: Assessment) -> MonitoringForm | None:
    """Lock the assessment for saving its monitoring form and return the form as saved now."""
    Assessment.objects.select_for_update().get(pk=assessment.pk)
    return monitoring_form_for(assessment)


def _copy_due(source: Episode, target: Episode) -> None:
    target.next_due_on, target.next_due_kind = source.next_due_on, source.next_due_kind


def _current_children(episode: Episode):
    return EpisodeChild.objects.filter(episode=episode, removed_on__isnull=True).select_related("person")


def _clean(text: str | None) -> str:
    return (text or "").strip()


# --- Writes ----------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(*, episode: Episode, by, organisation: Agency | None = None) -> Assessment:
    """Start the family's one assessment: due after the authority's number of working days."""
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if not may(by, "episodes.change_episode", locked):
        raise PermissionDenied
    if locked.state != EpisodeState.ASSESSMENT:
        raise ValidationError("The assessment can only start once the family has agreed to it")
    if Assessment.objects.filter(episode=locked).exists():
        raise ValidationError("The assessment has already started")
    organisation = organisation or by.agency or (locked.team.agency if locked.team else None)
    if organisation is None:
        raise ValidationError("Your account is not linked to an organisation: ask an administrator to add it")
    started_on = timezone.localdate()
    due_on = add_working_days(started_on, settings.EARLYHELP_ASSESSMENT_WORKING_DAYS)
    assessment = Assessment.objects.create(
        episode=locked, started_on=started_on, due_on=due_on, organisation=organisation
    )
    AssessmentChildSection.objects.bulk_create(
        [AssessmentChildSection(assessment=assessment, child=member.person) for member in _current_children(locked)]
    )
    event_record(episode=locked, kind="assessment_started", by=by,
                 summary=f"Assessment started by {by.get_full_name() or by.username}: due by {due_on:%-d %B %Y}")
    episode_refresh_due(locked)
    _copy_due(locked, episode)
    return assessment


@transaction.atomic
def assessment_sections_add_missing(*, assessment: Assessment, by) -> int:
    """A section for each child who joined the episode after the assessment started."""
    locked = _lock_for_edit(assessment, by)
    missing = [member.person for member in _children_without_section(locked)]
    AssessmentChildSection.objects.bulk_create(
        [AssessmentChildSection(assessment=locked, child=person) for person in missing]
    )
    return len(missing)


def _validate_ratings(ratings: dict[str, dict], allowed: tuple[str, ...]) -> None:
    errors = {}
    for key, values in ratings.items():
        if key not in allowed:
            raise ValidationError(f"Unknown part of the assessment framework: {key}")
        score = values.get("score")
        if score is not None and not (SCORE_MIN <= score <= SCORE_MAX):
            errors[f"{key}_score"] = f"Score for {SUBDIMENSION_LABELS[key]} must be a whole number from 0 to 10"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assessment_child_section_save(
    *, section: AssessmentChildSection, by, wishes_and_feelings: str, how_heard: str,
    ratings: dict[str, dict],
) -> AssessmentChildSection:
    """One child's section: their own words, and strengths, needs and a score for each of the
    child's developmental needs.

    `ratings` maps a sub-dimension key to {"strengths", "needs", "score"}; a sub-dimension left
    entirely blank has no rating row.
    """
    _lock_for_edit(section.assessment, by)
    _validate_ratings(ratings, CHILD_SUBDIMENSIONS)
    section.wishes_and_feelings = _clean(wishes_and_feelings)
    section.how_heard = _clean(how_heard)
    section.updated_by = by
    section.save(update_fields=["wishes_and_feelings", "how_heard", "updated_at", "updated_by"])
    _ratings_replace(SubdimensionRating.objects.filter(section=section), ratings, owner={"section": section})
    Assessment.objects.filter(pk=section.assessment_id).update(updated_at=timezone.now())
    return section


def _ratings_replace(saved, ratings: dict[str, dict], *, owner: dict) -> None:
    """Write each sub-dimension's rating over what is saved; one left entirely blank has no row."""
    existing = {rating.subdimension: rating for rating in saved}
    for key, values in ratings.items():
        strengths, needs, score = _clean(values.get("strengths")), _clean(values.get("needs")), values.get("score")
        rating = existing.get(key)
        if not strengths and not needs and score is None:
            if rating is not None:
                rating.delete()
            continue
        if rating is None:
            saved.model.objects.create(**owner, subdimension=key, strengths=strengths, needs=needs, score=score)
        else:
            rating.strengths, rating.needs, rating.score = strengths, needs, score
            rating.save(update_fields=["strengths", "needs", "score"])


@transaction.atomic
def assessment_family_ratings_save(
    *, assessment: Assessment, by, ratings: dict[str, dict], child_notes: dict[int, dict[str, str]],
) -> Assessment:
    """The family's parenting capacity and family and environmental factors, once for all the
    children, with a note for a child, per domain, where it differs for them.

    `ratings` as for a child's section; `child_notes` maps a child's section id to
    {domain: note} for the family's two domains.
    """
    locked = _lock_for_edit(assessment, by)
    _validate_ratings(ratings, FAMILY_SUBDIMENSIONS)
    sections = {section.pk: section for section in AssessmentChildSection.objects.filter(assessment=locked)}
    for section_id, notes in child_notes.items():
        section = sections.get(section_id)
        if section is None or set(notes) - set(CHILD_NOTE_FIELDS):
            raise ValidationError("Notes can only be written for the children in this assessment")
        for domain, note in notes.items():
            setattr(section, CHILD_NOTE_FIELDS[domain], _clean(note))
        section.updated_by = by
        section.save(update_fields=[*CHILD_NOTE_FIELDS.values(), "updated_at", "updated_by"])
    _ratings_replace(FamilyRating.objects.filter(assessment=locked), ratings, owner={"assessment": locked})
    locked.updated_by = by
    locked.save(update_fields=["updated_at", "updated_by"])
    return locked


def _save_fields(assessment: Assessment, by, **values) -> Assessment:
    locked = _lock_for_edit(assessment, by)
    for name, value in {**values, "updated_by": by}.items():
        setattr(locked, name, value)
        setattr(assessment, name, value)
    locked.save(update_fields=[*values, "updated_at", "updated_by"])
    return locked


@transaction.atomic
def assessment_family_views_save(*, assessment: Assessment, by, parents_views: str) -> Assessment:
    return _save_fields(assessment, by, parents_views=_clean(parents_views))


@transaction.atomic
def assessment_analysis_save(*, assessment: Assessment, by, what_needs_to_change: str, impact_if_not: str) -> Assessment:
    return _save_fields(assessment, by, what_needs_to_change=_clean(what_needs_to_change),
                        impact_if_not=_clean(impact_if_not))


@transaction.atomic
def assessment_needs_save(*, assessment: Assessment, by, agreed_needs: list[str]) -> Assessment:
    known = set(AssessmentFactor.values)
    unknown = [code for code in agreed_needs if code not in known]
    if unknown:
        raise ValidationError({"agreed_needs": "Select needs from the list"})
    codes = [code for code in AssessmentFactor.values if code in set(agreed_needs)]  # national order
    if AssessmentFactor.NO_FACTORS in codes and len(codes) > 1:
        raise ValidationError({"agreed_needs": "Select either 'No factors identified' or the needs you agreed, not both"})
    return _save_fields(assessment, by, agreed_needs=codes)


@transaction.atomic
def assessment_engagement_save(
    *, assessment: Assessment, by, engagement_attempts: str, not_assessed: str, risk_to_workers: str,
    risk_kind: str = "",
) -> Assessment:
    """A risk to workers recorded here is also an alert on every page of the family (earlyhelp.alerts)."""
    saved = _save_fields(
        assessment, by, engagement_attempts=_clean(engagement_attempts), not_assessed=_clean(not_assessed),
        risk_to_workers=_clean(risk_to_workers),
    )
    alert_keep_in_step_with_assessment(family_id=saved.episode.family_id, assessment_id=saved.pk, by=by,
                                       risk_to_workers=saved.risk_to_workers, kind=risk_kind)
    return saved


def _finish(*, assessment: Assessment, by, summary: str) -> Assessment:
    assessment.completed_on = timezone.localdate()
    assessment.save(update_fields=["completed_on", "completed_by", "signed_off_by", "signed_off_at", "updated_at"])
    episode = assessment.episode
    episode_transition(episode=episode, action=Action.ASSESSMENT_COMPLETED, by=by, summary=summary)
    episode.assessment = assessment  # the due date that follows counts from completed_on
    episode_refresh_due(episode)
    return assessment


def _notify_managers(*, episode: Episode, message: str, url: str, exclude: int | None = None) -> None:
    managers = User.objects.filter(role=Role.TEAM_MANAGER, teams__in=Team.objects.filter(managing_teams(episode)), is_active=True)
    Notification.objects.bulk_create(
        [Notification(recipient=manager, message=message[:300], url=url)
         for manager in managers.distinct() if manager.pk != exclude]
    )


@transaction.atomic
def assessment_complete(*, assessment: Assessment, by) -> Assessment:
    """Complete the assessment once every required part is there; nothing is written otherwise.

    With sign-off required, it waits for a team manager; otherwise the episode moves on at once.
    """
    locked = _lock_for_edit(assessment, by)
    if locked.episode.state != EpisodeState.ASSESSMENT:
        raise ValidationError("The assessment can only be completed while the episode is at the assessment stage")
    consent_refuse_while_paused(locked.episode, what="the assessment cannot be completed")
    missing = [part for part in assessment_parts(locked) if part.missing]
    if missing:
        raise AssessmentIncomplete(missing)
    locked.completed_by = by
    name = by.get_full_name() or by.username
    if settings.EARLYHELP_ASSESSMENT_SIGN_OFF:
        locked.save(update_fields=["completed_by", "updated_at"])
        event_record(episode=locked.episode, kind="assessment_submitted", by=by,
                     summary=f"Assessment completed by {name}: waiting for a team manager's sign-off")
        _notify_managers(
            episode=locked.episode, exclude=by.pk,
            message=f"{name} completed the assessment for {locked.episode.family.name} ({locked.episode.reference}): "
                    "it needs your sign-off",
            url=reverse("episode-assessment", kwargs={"episode_id": locked.episode_id}),
        )
    else:
        _finish(assessment=locked, by=by, summary=f"Assessment completed by {name}")
    assessment.completed_by, assessment.completed_on = locked.completed_by, locked.completed_on
    return locked


@transaction.atomic
def assessment_sign_off(*, assessment: Assessment, by) -> Assessment:
    """A team manager signs off a completed assessment: only now does the episode move on."""
    locked = Assessment.objects.select_for_update().select_related("episode").get(pk=assessment.pk)
    if not may(by, "episodes.sign_off_assessment", locked.episode):
        raise PermissionDenied
    if not assessment_is_awaiting_sign_off(locked):
        raise ValidationError("There is no completed assessment waiting for sign-off")
    consent_refuse_while_paused(locked.episode, what="the assessment cannot be signed off")
    locked.signed_off_by, locked.signed_off_at = by, timezone.now()
    completer = locked.completed_by.get_full_name() or locked.completed_by.username
    _finish(assessment=locked, by=by,
            summary=f"Assessment completed by {completer} and signed off by {by.get_full_name() or by.username}")
    assessment.completed_on, assessment.signed_off_by, assessment.signed_off_at = (
        locked.completed_on, locked.signed_off_by, locked.signed_off_at)
    return locked


@transaction.atomic
def assessment_sign_off_return(*, assessment: Assessment, by, reason: str) -> Assessment:
    """A team manager sends the assessment back for changes, saying what is needed."""
    locked = Assessment.objects.select_for_update().select_related("episode").get(pk=assessment.pk)
    if not may(by, "episodes.sign_off_assessment", locked.episode):
        raise PermissionDenied
    if not assessment_is_awaiting_sign_off(locked):
        raise ValidationError("There is no completed assessment waiting for sign-off")
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": "Enter what needs to change before you can sign it off"})
    completer_id = locked.completed_by_id
    locked.completed_by = None
    locked.save(update_fields=["completed_by", "updated_at"])
    event_record(episode=locked.episode, kind="assessment_returned", by=by,
                 summary=f"Assessment sent back for changes by {by.get_full_name() or by.username}: {reason}")
    Notification.objects.create(
        recipient_id=completer_id,
        message=f"Your assessment for {locked.episode.family.name} was sent back for changes: {reason}"[:300],
        url=reverse("episode-assessment", kwargs={"episode_id": locked.episode_id}),
    )
    assessment.completed_by = None
    return locked


@transaction.atomic
def monitoring_form_save(
    *, assessment: Assessment, by, primary_need: str, factors: list[str], services_needed: list[str],
    additional_support_needed: bool, notes: str,
) -> MonitoringForm:
    """The EHA monitoring form for managers' planning, asked for once the assessment is complete."""
    locked = Assessment.objects.select_for_update().select_related("episode").get(pk=assessment.pk)
    if not may(by, "episodes.change_episode", locked.episode):
        raise PermissionDenied
    if locked.completed_on is None:
        raise ValidationError("The monitoring form follows a completed assessment")
    errors = {}
    if primary_need not in PrimaryNeed.values:
        errors["primary_need"] = "Select the family's primary need"
    if any(code not in AssessmentFactor.values for code in factors):
        errors["factors"] = "Select factors from the list"
    if any(kind not in AgencyKind.values for kind in services_needed):
        errors["services_needed"] = "Select services from the list"
    if errors:
        raise ValidationError(errors)
    form, created = MonitoringForm.objects.update_or_create(
        assessment=locked,
        defaults={
            "primary_need": primary_need,
            "factors": [code for code in AssessmentFactor.values if code in set(factors)],
            "services_needed": [kind for kind in AgencyKind.values if kind in set(services_needed)],
            "additional_support_needed": additional_support_needed,
            "notes": _clean(notes),
            "completed_by": by,
        },
    )
    event_record(episode=locked.episode, kind="monitoring_form", by=by,
                 summary="EHA monitoring form completed" if created else "EHA monitoring form updated")
    return form


# --- Reads -----------------------------------------------------------------------------------


def assessment_for_episode(episode: Episode) -> Assessment | None:
    return (
        Assessment.objects.select_related("organisation", "completed_by", "signed_off_by")
        .prefetch_related(
            Prefetch(
                "child_sections",
                queryset=AssessmentChildSection.objects.select_related("child")
                .prefetch_related("ratings").order_by("child__date_of_birth", "pk"),
            )
        )
        .filter(episode=episode)
        .first()
    )


def assessment_child_section_get(*, assessment: Assessment, section_id: int) -> AssessmentChildSection:
    return get_object_or_404(
        AssessmentChildSection.objects.select_related("child").prefetch_related("ratings"),
        pk=section_id, assessment=assessment,
    )


def _children_without_section(assessment: Assessment) -> list[EpisodeChild]:
    with_section = set(AssessmentChildSection.objects.filter(assessment=assessment).values_list("child_id", flat=True))
    return [member for member in _current_children(assessment.episode)
            if member.person_id not in with_section]


def assessment_children_without_section(assessment: Assessment) -> list:
    return [member.person for member in _children_without_section(assessment)]


def _status(done: bool, started: bool) -> str:
    if done:
        return PartStatus.COMPLETED
    return PartStatus.IN_PROGRESS if started else PartStatus.NOT_STARTED


def _child_part(section: AssessmentChildSection) -> Part:
    name = section.child.first_name
    ratings = [rating for rating in section.ratings.all() if rating.subdimension in CHILD_SUBDIMENSIONS]
    rated = any(rating.strengths or rating.needs for rating in ratings)
    missing = []
    if not section.wishes_and_feelings:
        missing.append(f"Enter {name}'s wishes and feelings, in their own words")
    if not section.how_heard:
        missing.append(f"Enter how {name} was seen and listened to")
    if not rated:
        missing.append(f"Enter strengths or needs for at least one of {name}'s developmental needs")
    started = bool(section.wishes_and_feelings or section.how_heard or ratings)
    return Part(key="child", title=section.child.full_name, status=_status(not missing, started),
                section_id=section.pk, missing=tuple(missing))


def assessment_parts(assessment: Assessment) -> list[Part]:
    """The task list, in order, with each part's status and what completion still needs."""
    current = {member.person_id for member in _current_children(assessment.episode)}
    sections = sorted(
        (section for section in assessment.child_sections.all() if section.child_id in current),
        key=lambda section: (section.child.date_of_birth or date.max, section.pk),
    )
    parts = [_child_part(section) for section in sections]
    without = assessment_children_without_section(assessment)
    if without:
        names = ", ".join(person.first_name for person in without)
        parts.append(Part(key="add_children", title=f"Children who joined since the assessment started: {names}",
                          status=PartStatus.NOT_STARTED,
                          missing=tuple(f"Add a section for {person.first_name}" for person in without)))
    family_ratings = list(assessment.family_ratings.all())
    family_rated = any(rating.strengths or rating.needs for rating in family_ratings)
    family_noted = any(getattr(section, note) for section in sections for note in CHILD_NOTE_FIELDS.values())
    parts.append(Part(
        key="family_ratings", title=FAMILY_RATINGS_TITLE,
        status=_status(family_rated, bool(family_ratings) or family_noted),
        missing=() if family_rated else (
            "Enter strengths or needs for at least one area of parenting capacity or of family and environmental "
            "factors",),
    ))
    explained = bool(assessment.not_assessed)
    parts.append(Part(
        key="family", title="Parents' and carers' views",
        status=_status(bool(assessment.parents_views), False),
        missing=() if assessment.parents_views or explained else (
            "Enter the parents' and carers' views, or explain under 'When engagement is hard' why they could not be heard",
        ),
    ))
    analysis_missing = []
    if not assessment.what_needs_to_change:
        analysis_missing.append("Enter what needs to change")
    if not assessment.impact_if_not:
        analysis_missing.append("Enter the impact on the children if nothing changes")
    parts.append(Part(
        key="analysis", title="Analysis: what needs to change",
        status=_status(not analysis_missing, bool(assessment.what_needs_to_change or assessment.impact_if_not)),
        missing=tuple(analysis_missing),
    ))
    parts.append(Part(
        key="needs", title="Agreed needs", status=_status(bool(assessment.agreed_needs), False),
        missing=() if assessment.agreed_needs else ("Select at least one need agreed with the family",),
    ))
    engaged = bool(assessment.engagement_attempts or assessment.not_assessed or assessment.risk_to_workers)
    parts.append(Part(key="engagement", title="When engagement is hard", optional=True,
                      status=_status(engaged, False)))
    return parts


def assessment_is_overdue(assessment: Assessment, today: date | None = None) -> bool:
    return assessment.completed_on is None and (today or timezone.localdate()) > assessment.due_on


def monitoring_form_for(assessment: Assessment) -> MonitoringForm | None:
    return MonitoringForm.objects.filter(assessment=assessment).first()


def plan_outcomes_for_documents(episode: Episode) -> list[Outcome]:
    return list(
        Outcome.objects.filter(episode=episode)
        .prefetch_related(Prefetch(
            "actions",
            queryset=PlanAction.objects.select_related("owner_user__agency", "owner_agency", "owner_person"),
        ))
        .order_by("created_at", "pk")
    )


def plan_exists(episode: Episode) -> bool:
    return Outcome.objects.filter(episode=episode).exists()


def current_children_list(episode: Episode) -> list:
    return [member.person for member in _current_children(episode)]


def agreed_need_labels(codes: list[str]) -> list[str]:
    return [AssessmentFactor(code).label for code in codes if code in AssessmentFactor.values]


def _ratings_by_domain(ratings, domains) -> list[dict]:
    ratings = {rating.subdimension: rating for rating in ratings}
    grouped = []
    for domain in domains:
        rows = [{"label": label, "rating": ratings[key]} for key, label in FRAMEWORK_SUBDIMENSIONS[domain]
                if key in ratings]
        if rows:
            grouped.append({"key": domain, "title": FrameworkDomain(domain).label, "rows": rows})
    return grouped


def section_ratings_by_domain(section: AssessmentChildSection) -> list[dict]:
    """The child's developmental needs, leaving out areas with nothing written."""
    return _ratings_by_domain(section.ratings.all(), (FrameworkDomain.CHILD_DEVELOPMENT,))


def family_ratings_by_domain(assessment: Assessment, sections) -> list[dict]:
    """The family's two domains, each with its rated areas and the children's notes where it differs
    for them (a domain with neither is left out)."""
    grouped = {domain["key"]: domain for domain in _ratings_by_domain(assessment.family_ratings.all(), FAMILY_DOMAINS)}
    result = []
    for domain in FAMILY_DOMAINS:
        notes = [{"child": section.child, "note": getattr(section, CHILD_NOTE_FIELDS[domain])}
                 for section in sections if getattr(section, CHILD_NOTE_FIELDS[domain])]
        if domain in grouped or notes:
            result.append({**grouped.get(domain, {"key": domain, "title": FrameworkDomain(domain).label, "rows": []}),
                           "notes": notes})
    return result


def assessment_current_sections(assessment: Assessment) -> list[AssessmentChildSection]:
    """The sections of the children still in the episode, youngest last (from the prefetched rows)."""
    current = {member.person_id for member in _current_children(assessment.episode)}
    return sorted(
        (section for section in assessment.child_sections.all() if section.child_id in current),
        key=lambda section: (section.child.date_of_birth or date.max, section.pk),
    )


def assessment_requested_factors(assessment: Assessment) -> list[str]:
    """What the request for support that started the episode said (its assessment factors), in
    national order: where the agreed needs start from."""
    request = assessment.episode.request
    if request is None:
        return []
    said = set(request.assessment_factors or [])
    return [code for code in AssessmentFactor.values if code in said]


def monitoring_form_display(form: MonitoringForm) -> dict:
    return {
        "primary_need": PrimaryNeed(form.primary_need).label if form.primary_need in PrimaryNeed.values else "",
        "factors": agreed_need_labels(form.factors),
        "services": [AgencyKind(kind).label for kind in form.services_needed if kind in AgencyKind.values],
    }
