"""Every write at the front door: requests for support, the pre-assessment checklist, level-of-need
decisions and disagreements, triage and the allocation meeting (DOMAIN §1-3, §8).

Concerns of significant harm are written by harm.py; triage calls it so a concern is never parked.
The rules live here so they hold however a record is written (page, seed or test).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role, Team, TeamKind, User
from earlyhelp.calendar.working_days import add_working_days
from earlyhelp.messaging import services as messaging
from earlyhelp.people.matching import normalise_name
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person
from earlyhelp.policy import may, require
from earlyhelp.standards import AssessmentFactor, CinReferralSource, Vulnerability
from earlyhelp.web.refusals import Refused

from . import harm
from .indicators import INDICATORS_BY_CODE, harm_kinds, request_harm_signals
from .models import (
    AllocationDecision,
    AllocationMeeting,
    AllocationOutcome,
    ChecklistOutcome,
    Escalation,
    EscalationOutcome,
    FamilyAgreement,
    HarmReferral,
    LevelOfNeed,
    LevelOfNeedDecision,
    Notification,
    PreAssessmentChecklist,
    RequestForSupport,
    RequestPerson,
    RequestSource,
    RequestStatus,
    TriageOutcome,
    Urgency,
)

# Who may chair the Vulnerable Children's Meeting.
CHAIR_ROLES = frozenset({Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER, Role.EARLY_HELP_ADVISER})
# Who the meeting may allocate a family to by name (DOMAIN §8: an early help practitioner or adviser).
ALLOCATABLE_ROLES = frozenset({Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER})

TRIAGE_STATUS = {
    TriageOutcome.EHA_NEEDED: RequestStatus.AWAITING_ALLOCATION,
    TriageOutcome.SINGLE_AGENCY: RequestStatus.SINGLE_AGENCY,
    TriageOutcome.UNIVERSAL: RequestStatus.UNIVERSAL,
    TriageOutcome.SIGNIFICANT_HARM: RequestStatus.SOCIAL_CARE,
    TriageOutcome.REFER_ELSEWHERE: RequestStatus.REFERRED_ELSEWHERE,
}
ALLOCATION_STATUS = {
    AllocationOutcome.ALLOCATE_TEAM: RequestStatus.ALLOCATED,
    AllocationOutcome.ALLOCATE_PRACTITIONER: RequestStatus.ALLOCATED,
    AllocationOutcome.REFER_ELSEWHERE: RequestStatus.REFERRED_ELSEWHERE,
    AllocationOutcome.NO_ACTION_NOW: RequestStatus.NO_ACTION_NOW,
}
# How far ahead a Vulnerable Children's Meeting may be arranged.
MEETING_MAX_DAYS_AHEAD = 366
REFERENCE_ATTEMPTS = 5


@dataclass(frozen=True)
class PersonEntry:
    """A child or adult named on a request, as typed."""

    first_name: str
    last_name: str
    date_of_birth: date | None = None
    relationship: str = ""
    is_child: bool = True


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _clean(text: str | None) -> str:
    return (text or "").strip()


# References and dates -------------------------------------------------------------------------


def request_reference(year: int, number: int) -> str:
    return f"EH-{year}-{number:06d}"


def next_request_reference(year: int) -> str:
    prefix = f"EH-{year}-"
    last = RequestForSupport.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))["last"]
    return request_reference(year, int(last.removeprefix(prefix)) + 1 if last else 1)


def triage_due_date(submitted: date, *, closed: frozenset[date] | None = None) -> date:
    """The front door's target for triage: a number of working days after the request arrived."""
    return add_working_days(submitted, settings.EARLYHELP_TRIAGE_WORKING_DAYS, closed=closed)


# Requests for support ---------------------------------------------------------------------------


def _validate_request(
    *, source: str, requested_by: User | None, family: Family | None, people: Sequence[PersonEntry],
    concerns: Sequence[str], assessment_factors: Sequence[str], concern_details: str,
    family_agreement: str, no_agreement_reason: str, urgency: str, contact_phone: str, contact_email: str,
    requester_name: str,
) -> None:
    errors: dict[str, str] = {}
    if source == RequestSource.PRACTITIONER:
        require(requested_by, "frontdoor.ask_for_help",
                message="Only practitioners who work with families can ask for early help here")
        if family is not None and not may(requested_by, "people.view_family", family):
            raise PermissionDenied("You can only start a request from a family you are working with")
    elif source == RequestSource.SELF_REFERRAL:
        if not requester_name:
            errors["requester_name"] = "Enter your name"
        if not contact_phone and not contact_email:
            errors["contact_phone"] = "Enter a phone number or an email address so we can get in touch with you"
    else:
        raise ValidationError("Unknown source of the request")
    if not any(person.is_child for person in people):
        errors["children"] = "Enter the name of at least one child"
    if any(not _clean(person.first_name) or not _clean(person.last_name) for person in people):
        errors["people"] = "Enter the first and last name of everyone named on the request"
    if not concern_details:
        errors["concern_details"] = (
            "Tell us what is worrying you and what help you would like" if source == RequestSource.SELF_REFERRAL
            else "Describe your concerns about the family"
        )
    if set(concerns) - set(Vulnerability.values):
        errors["concerns"] = "Choose concerns from the list"
    if set(assessment_factors) - set(AssessmentFactor.values):
        errors["assessment_factors"] = "Choose assessment factors from the list"
    if family_agreement not in FamilyAgreement.values:
        errors["family_agreement"] = "Select whether the family knows about the request and agrees to it"
    elif family_agreement != FamilyAgreement.YES and not no_agreement_reason:
        errors["no_agreement_reason"] = (
            "Explain why the family has not agreed" if family_agreement == FamilyAgreement.KNOWS_NOT_AGREED
            else "Explain why the family has not been told"
        )
    if urgency not in Urgency.values:
        errors["urgency"] = "Select how urgent the request is"
    if errors:
        raise ValidationError(errors)


def _match_members(family: Family, people: Sequence[PersonEntry]) -> list[Person | None]:
    """For each person typed, the family member with the same name (and date of birth, when both are known)."""
    members = list(
        Person.objects.filter(memberships__family=family, memberships__left_on__isnull=True, merged_into__isnull=True)
        .distinct()
        .only("pk", "first_name", "last_name", "known_as", "date_of_birth")
    )
    matched: list[Person | None] = []
    for entry in people:
        first, last = normalise_name(entry.first_name), normalise_name(entry.last_name)
        found = None
        for member in members:
            first_names = {normalise_name(member.first_name), normalise_name(member.known_as)} - {""}
            if normalise_name(member.last_name) != last or first not in first_names:
                continue
            if entry.date_of_birth and member.date_of_birth and entry.date_of_birth != member.date_of_birth:
                continue
            found = member
            break
        matched.append(found)
    return matched


def _front_door_officers() -> Iterable[User]:
    return User.objects.filter(role=Role.FRONT_DOOR_OFFICER, is_active=True).only("pk")


@transaction.atomic
def request_create(
    *,
    source: str,
    people: Sequence[PersonEntry],
    concern_details: str,
    family_agreement: str,
    requested_by: User | None = None,
    requester_name: str = "",
    requester_relationship: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    safe_to_contact: str = "",
    address: str = "",
    postcode: str = "",
    concerns: Sequence[str] = (),
    assessment_factors: Sequence[str] = (),
    already_tried: str = "",
    no_agreement_reason: str = "",
    child_views: str = "",
    urgency: str = Urgency.ROUTINE,
    family: Family | None = None,
    submitted_at: datetime | None = None,
) -> RequestForSupport:
    """Record a request for support, give it a reference and a triage due date, and tell the front door."""
    requester_name, concern_details = _clean(requester_name), _clean(concern_details)
    no_agreement_reason, contact_phone, contact_email = (
        _clean(no_agreement_reason), _clean(contact_phone), _clean(contact_email)
    )
    if source == RequestSource.PRACTITIONER and requested_by is not None and not requester_name:
        requester_name = _name(requested_by)
    _validate_request(
        source=source, requested_by=requested_by, family=family, people=people, concerns=concerns,
        assessment_factors=assessment_factors, concern_details=concern_details, family_agreement=family_agreement,
        no_agreement_reason=no_agreement_reason, urgency=urgency, contact_phone=contact_phone,
        contact_email=contact_email, requester_name=requester_name,
    )
    if source == RequestSource.SELF_REFERRAL:
        requested_by, family = None, None
    submitted_at = submitted_at or timezone.now()
    submitted_on = timezone.localdate(submitted_at)
    fields = dict(
        source=source,
        status=RequestStatus.AWAITING_TRIAGE,
        family=family,
        requested_by=requested_by,
        requester_agency=requested_by.agency if requested_by is not None and requested_by.agency_id else None,
        requester_name=requester_name[:150],
        requester_relationship=_clean(requester_relationship)[:100],
        contact_phone=contact_phone[:30],
        contact_email=contact_email,
        safe_to_contact=_clean(safe_to_contact),
        address=_clean(address),
        postcode=_clean(postcode).upper()[:8],
        concerns=list(dict.fromkeys(concerns)),
        assessment_factors=list(dict.fromkeys(assessment_factors)),
        concern_details=concern_details,
        already_tried=_clean(already_tried),
        family_agreement=family_agreement,
        no_agreement_reason=no_agreement_reason if family_agreement != FamilyAgreement.YES else "",
        child_views=_clean(child_views),
        urgency=urgency,
        submitted_at=submitted_at,
        triage_due_on=triage_due_date(submitted_on),
    )
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                support_request = RequestForSupport.objects.create(
                    reference=next_request_reference(submitted_on.year), **fields
                )
            break
        except IntegrityError:
            # Someone else took the same number at the same moment: take the next one.
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    matched = _match_members(family, people) if family is not None else [None] * len(people)
    RequestPerson.objects.bulk_create([
        RequestPerson(
            request=support_request, person=person, is_child=entry.is_child,
            first_name=_clean(entry.first_name)[:100], last_name=_clean(entry.last_name)[:100],
            date_of_birth=entry.date_of_birth, relationship=_clean(entry.relationship)[:100],
        )
        for entry, person in zip(people, matched)
    ])

    who = "a family (self-referral)" if source == RequestSource.SELF_REFERRAL else requester_name
    if support_request.requester_agency_id:
        who += f" ({support_request.requester_agency.name})"
    urgent = "Urgent: " if urgency == Urgency.URGENT else ""
    url = reverse("request-detail", kwargs={"request_id": support_request.pk})
    Notification.objects.bulk_create([
        Notification(
            recipient=officer, url=url,
            message=f"{urgent}New request for support {support_request.reference} from {who}."[:300],
        )
        for officer in _front_door_officers()
        if officer.pk != getattr(requested_by, "pk", None)
    ])
    if source == RequestSource.SELF_REFERRAL:
        messaging.on_commit(messaging.family_acknowledge, request_id=support_request.pk)
    return support_request


# Thinking again when the request points to harm (DOMAIN §3) -----------------------------------------


def harm_reconsideration_error(support_request: RequestForSupport, *, harm_chosen: bool,
                               reconsidered: bool) -> tuple[str, str]:
    """(error, note): when the request points to significant harm and the professional answered "no",
    an error unless they confirm they thought again; once they have, a note to keep with the decision."""
    signals = [] if harm_chosen else request_harm_signals(support_request)
    if not signals:
        return "", ""
    kinds = ", ".join(harm_kinds(signals))
    if not reconsidered:
        return (f"The request points to significant harm ({kinds}). Think again: choose that it is a concern of "
                "significant harm, or confirm you have reconsidered and say why in the reasons"), ""
    return "", f"Reconsidered the signs pointing to significant harm ({kinds}): not a concern of significant harm."


def _with_note(notes: str, note: str) -> str:
    return f"{notes}\n\n{note}".strip() if note else notes


# The pre-assessment checklist (DOMAIN §2) -----------------------------------------------------------


def checklist_outcome(
    *,
    harm_concern: bool,
    other_statutory_assessment: bool,
    more_than_one_service_needed: bool,
    low_needs_single_agency: bool,
    child_progressing_well: bool,
    needs_met_by_own_service: bool,
) -> str:
    """Where the answers lead. Harm always overrides; otherwise an assessment only when it is needed."""
    if harm_concern:
        return ChecklistOutcome.SIGNIFICANT_HARM
    if other_statutory_assessment:
        # Youth justice, CAMHS and the like assess with their own model: no Early Help Assessment.
        return ChecklistOutcome.UNIVERSAL
    if more_than_one_service_needed:
        return ChecklistOutcome.EHA_NEEDED
    if low_needs_single_agency:
        return ChecklistOutcome.SINGLE_AGENCY
    if child_progressing_well or needs_met_by_own_service:
        return ChecklistOutcome.UNIVERSAL
    # Needs that are neither low nor met, and no one else assessing: an assessment finds out.
    return ChecklistOutcome.EHA_NEEDED


@transaction.atomic
def checklist_complete(
    *,
    support_request: RequestForSupport,
    completed_by: User,
    existing_lead_professional_checked: bool,
    existing_lead_professional: str = "",
    child_progressing_well: bool,
    needs_met_by_own_service: bool,
    other_statutory_assessment: bool,
    low_needs_single_agency: bool,
    more_than_one_service_needed: bool,
    harm_concern: bool,
    notes: str = "",
    harm_reconsidered: bool = False,
) -> PreAssessmentChecklist:
    require(completed_by, "frontdoor.complete_checklist", support_request,
            "You can only complete the checklist for a request you can see")
    locked = RequestForSupport.objects.select_for_update().get(pk=support_request.pk)
    if PreAssessmentChecklist.objects.filter(request=locked).exists():
        raise Refused("The pre-assessment checklist for this request has already been completed")
    existing_lead_professional = _clean(existing_lead_professional)
    if existing_lead_professional and not existing_lead_professional_checked:
        raise ValidationError({"existing_lead_professional": "You named a lead professional: say that you checked"})
    harm_error, harm_note = harm_reconsideration_error(locked, harm_chosen=harm_concern,
                                                       reconsidered=harm_reconsidered)
    if harm_error:
        raise ValidationError({"harm_reconsidered": harm_error})
    outcome = checklist_outcome(
        harm_concern=harm_concern, other_statutory_assessment=other_statutory_assessment,
        more_than_one_service_needed=more_than_one_service_needed, low_needs_single_agency=low_needs_single_agency,
        child_progressing_well=child_progressing_well, needs_met_by_own_service=needs_met_by_own_service,
    )
    return PreAssessmentChecklist.objects.create(
        request=locked,
        existing_lead_professional_checked=existing_lead_professional_checked,
        existing_lead_professional=existing_lead_professional[:200],
        child_progressing_well=child_progressing_well,
        needs_met_by_own_service=needs_met_by_own_service,
        other_statutory_assessment=other_statutory_assessment,
        low_needs_single_agency=low_needs_single_agency,
        more_than_one_service_needed=more_than_one_service_needed,
        harm_concern=harm_concern,
        outcome=outcome,
        notes=_with_note(_clean(notes), harm_note),
        completed_by=completed_by,
    )


@transaction.atomic
def request_create_with_checklist(*, checklist: dict, **request_fields) -> RequestForSupport:
    """A practitioner's request sent with the pre-assessment checklist they answered first (DOMAIN §2):
    both are saved, or neither."""
    support_request = request_create(**request_fields)
    checklist_complete(support_request=support_request, completed_by=request_fields["requested_by"], **checklist)
    return support_request


# Level of need and disagreements (DOMAIN §1, §6) ------------------------------------------------------


@transaction.atomic
def level_decision_record(
    *, support_request: RequestForSupport, decided_by: User, level: int, indicators: Sequence[str], reasons: str,
) -> LevelOfNeedDecision:
    """The professional's decision on the level of need, with who, when, the indicators and why."""
    if not may(decided_by, "frontdoor.decide_level", support_request):
        require(decided_by, "frontdoor.view_request", support_request,
                "You can only decide the level of need for a request you can see")
        raise ValidationError({"level": "A manager has decided a disagreement about this level of need: raise a "
                                        "new disagreement to change it"})
    errors = {}
    if support_request.family_id is None:
        errors["level"] = "Link the request to a family before deciding the level of need"
    if level not in LevelOfNeed.values:
        errors["level"] = "Select the level of need, from 1 to 4"
    unknown = set(indicators) - set(INDICATORS_BY_CODE)
    if unknown:
        errors["indicators"] = "Choose indicators from the list"
    reasons = _clean(reasons)
    if not reasons:
        errors["reasons"] = "Explain why you decided this level"
    if errors:
        raise ValidationError(errors)
    return LevelOfNeedDecision.objects.create(
        family_id=support_request.family_id, request=support_request, level=level,
        indicators=list(dict.fromkeys(indicators)), reasons=reasons, decided_by=decided_by,
    )


def _team_managers_for(user: User | None) -> Iterable[User]:
    if user is None:
        return User.objects.none()
    return User.objects.filter(
        role=Role.TEAM_MANAGER, is_active=True, teams__in=user.teams.values("pk")
    ).distinct().only("pk")


def _escalation_managers(*, decision: LevelOfNeedDecision, raised_by: User) -> set[int]:
    """The managers of the two professionals' teams and of the family's locality, else every early help manager."""
    managers = {manager.pk for manager in _team_managers_for(decision.decided_by)}
    managers |= {manager.pk for manager in _team_managers_for(raised_by)}
    locality_id = Family.objects.filter(pk=decision.family_id).values_list("locality_id", flat=True).first()
    if locality_id:
        managers |= set(User.objects.filter(
            role=Role.TEAM_MANAGER, is_active=True, teams__kind=TeamKind.LOCALITY_EARLY_HELP,
            teams__locality_id=locality_id,
        ).values_list("pk", flat=True))
    if not managers:
        managers = set(User.objects.filter(
            role=Role.TEAM_MANAGER, is_active=True, teams__kind=TeamKind.LOCALITY_EARLY_HELP,
        ).values_list("pk", flat=True))
    return managers


@transaction.atomic
def escalation_raise(
    *, decision: LevelOfNeedDecision, raised_by: User, disagreement: str, proposed_level: int | None,
) -> Escalation:
    """Record a professional disagreement with a level-of-need decision; managers are told."""
    if decision.request_id is None or not may(raised_by, "frontdoor.disagree_level", decision.request):
        raise PermissionDenied("You can only disagree with a decision on a request you can see")
    if raised_by.pk == decision.decided_by_id:
        raise ValidationError("You made this decision: record a new decision instead of a disagreement")
    errors = {}
    disagreement = _clean(disagreement)
    if not disagreement:
        errors["disagreement"] = "Explain what you disagree with and why"
    if proposed_level not in LevelOfNeed.values:
        errors["proposed_level"] = "Select the level of need you think is right"
    elif proposed_level == decision.level:
        errors["proposed_level"] = "Select a different level from the one decided"
    if errors:
        raise ValidationError(errors)
    LevelOfNeedDecision.objects.select_for_update().filter(pk=decision.pk).first()
    if Escalation.objects.filter(decision=decision, resolved_at__isnull=True).exists():
        raise Refused("There is already a disagreement about this decision waiting for a manager")
    escalation = Escalation.objects.create(
        decision=decision, raised_by=raised_by, disagreement=disagreement, proposed_level=proposed_level,
    )
    url = reverse("escalation-resolve", kwargs={"escalation_id": escalation.pk})
    managers = _escalation_managers(decision=decision, raised_by=raised_by)
    Notification.objects.bulk_create([
        Notification(
            recipient_id=manager_id, url=url,
            message=(f"{_name(raised_by)} disagrees with the level of need decided for request "
                     f"{decision.request.reference}: a manager needs to record the outcome.")[:300],
        )
        for manager_id in managers - {raised_by.pk}
    ])
    return escalation


@transaction.atomic
def escalation_resolve(
    *, escalation: Escalation, resolved_by: User, outcome: str, notes: str, new_level: int | None = None,
) -> Escalation:
    """A manager records the outcome; when the decision changes, the new level is recorded as a decision."""
    require(resolved_by, "frontdoor.resolve_escalation", escalation,
            "A manager of the team or locality holding the request records the outcome, not whoever raised it")
    errors = {}
    if outcome not in EscalationOutcome.values:
        errors["outcome"] = "Select the outcome: upheld, changed or withdrawn"
    notes = _clean(notes)
    if not notes:
        errors["outcome_notes"] = "Explain the outcome"
    if outcome == EscalationOutcome.CHANGED:
        new_level = new_level or escalation.proposed_level
        if new_level not in LevelOfNeed.values:
            errors["new_level"] = "Select the new level of need"
        elif new_level == escalation.decision.level:
            errors["new_level"] = "Select a level different from the original decision, or choose 'upheld'"
    if errors:
        raise ValidationError(errors)
    locked = Escalation.objects.select_for_update().select_related("decision").get(pk=escalation.pk)
    if locked.resolved_at is not None:
        raise Refused("The outcome of this disagreement has already been recorded")
    locked.outcome = outcome
    locked.outcome_notes = notes
    locked.resolved_by = resolved_by
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["outcome", "outcome_notes", "resolved_by", "resolved_at"])
    if outcome == EscalationOutcome.CHANGED:
        original = locked.decision
        LevelOfNeedDecision.objects.create(
            family_id=original.family_id, request_id=original.request_id, level=new_level,
            indicators=original.indicators, decided_by=resolved_by,
            reasons=f"Changed after a professional disagreement: {notes}",
        )
    url = reverse("request-detail", kwargs={"request_id": locked.decision.request_id})
    Notification.objects.bulk_create([
        Notification(
            recipient_id=user_id, url=url,
            message=f"Disagreement about the level of need: {EscalationOutcome(outcome).label.lower()}."[:300],
        )
        for user_id in {locked.raised_by_id, locked.decision.decided_by_id} - {resolved_by.pk}
    ])
    return locked


# Triage ----------------------------------------------------------------------------------------


ALREADY_TRIAGED = "This request has already been triaged"


def _lock_awaiting_triage(support_request: RequestForSupport) -> RequestForSupport:
    locked = RequestForSupport.objects.select_for_update().get(pk=support_request.pk)
    if locked.status != RequestStatus.AWAITING_TRIAGE:
        raise Refused(ALREADY_TRIAGED)
    return locked


@transaction.atomic
def request_family_link(*, support_request: RequestForSupport, family: Family, by: User) -> RequestForSupport:
    """Link a request to a family already known; the people on the request are matched to its members."""
    require(by, "frontdoor.change_request", support_request, "Only the front door can triage requests for support")
    locked = _lock_awaiting_triage(support_request)
    if locked.family_id == family.pk:
        return locked
    locked.family = family
    locked.save(update_fields=["family"])
    people = list(locked.people.all())
    entries = [PersonEntry(p.first_name, p.last_name, p.date_of_birth, p.relationship, p.is_child) for p in people]
    for row, person in zip(people, _match_members(family, entries)):
        if row.person_id != getattr(person, "pk", None):
            row.person = person
            row.save(update_fields=["person"])
    return locked


ADULT_ROLE_WORDS = (
    ("step", MemberRole.STEP_PARENT),
    ("grand", MemberRole.GRANDPARENT),
    ("carer", MemberRole.CARER),
    ("guardian", MemberRole.CARER),
    ("mum", MemberRole.PARENT), ("mother", MemberRole.PARENT), ("dad", MemberRole.PARENT),
    ("father", MemberRole.PARENT), ("parent", MemberRole.PARENT),
    ("brother", MemberRole.SIBLING), ("sister", MemberRole.SIBLING), ("sibling", MemberRole.SIBLING),
)


def member_role_for(relationship: str, *, is_child: bool) -> str:
    if is_child:
        return MemberRole.CHILD
    words = relationship.lower()
    for word, role in ADULT_ROLE_WORDS:
        if word in words:
            return role
    return MemberRole.SIGNIFICANT_ADULT


@transaction.atomic
def request_family_create(*, support_request: RequestForSupport, by: User) -> Family:
    """Create a family record from the people on the request, and link the request to it."""
    require(by, "frontdoor.change_request", support_request, "Only the front door can triage requests for support")
    locked = _lock_awaiting_triage(support_request)
    if locked.family_id is not None:
        raise ValidationError("This request is already linked to a family")
    people = list(locked.people.filter(person__isnull=True).order_by("-is_child", "pk"))
    if not people:
        raise ValidationError("There is nobody on the request to create a family from")
    surname = next((p.last_name for p in people if p.is_child), people[0].last_name)
    family = Family.objects.create(
        name=f"{surname} family", address=locked.address, postcode=locked.postcode, created_by=by,
    )
    today = timezone.localdate()
    for row in people:
        person = Person.objects.create(
            first_name=row.first_name, last_name=row.last_name, date_of_birth=row.date_of_birth,
            address=locked.address, postcode=locked.postcode,
            phone=locked.contact_phone if not row.is_child and locked.source == RequestSource.SELF_REFERRAL else "",
        )
        FamilyMember.objects.create(
            family=family, person=person, role=member_role_for(row.relationship, is_child=row.is_child),
            joined_on=today,
        )
        row.person = person
        row.save(update_fields=["person"])
    locked.family = family
    locked.save(update_fields=["family"])
    return family


def _harm_referral_source(support_request: RequestForSupport) -> str:
    if support_request.source == RequestSource.SELF_REFERRAL:
        return CinReferralSource.SELF
    if support_request.requested_by_id:
        return harm.default_referral_source(support_request.requested_by)
    return CinReferralSource.OTHER


@transaction.atomic
def triage_decide(
    *, support_request: RequestForSupport, by: User, outcome: str, notes: str, referred_to: str = "",
    harm_reconsidered: bool = False, assessment_factors: Sequence[str] | None = None,
) -> tuple[RequestForSupport, HarmReferral | None]:
    """Record the front door's decision; a concern of significant harm goes to Children's Social Care now."""
    # Locked first: of two decisions sent at once the second waits here, then is refused as triaged.
    support_request = locked = _lock_awaiting_triage(support_request)
    require(by, "frontdoor.change_request", support_request, "Only the front door can triage requests for support")
    errors = {}
    if outcome not in TRIAGE_STATUS:
        errors["outcome"] = "Select the triage decision"
    notes, referred_to = _clean(notes), _clean(referred_to)
    if not notes:
        errors["notes"] = "Explain the reasons for the decision"
    if outcome == TriageOutcome.REFER_ELSEWHERE and not referred_to:
        errors["referred_to"] = "Enter the name of the service you are referring the family to"
    if outcome in (TriageOutcome.EHA_NEEDED, TriageOutcome.SIGNIFICANT_HARM) and support_request.family_id is None:
        errors["outcome"] = (
            "Link the request to a family first: the allocation meeting and Children's Social Care work with "
            "the family record"
        )
    harm_error, harm_note = harm_reconsideration_error(
        locked, harm_chosen=outcome == TriageOutcome.SIGNIFICANT_HARM, reconsidered=harm_reconsidered)
    if harm_error:
        errors["harm_reconsidered"] = harm_error
    if assessment_factors is not None and set(assessment_factors) - set(AssessmentFactor.values):
        errors["assessment_factors"] = "Choose assessment factors from the list"
    if errors:
        raise ValidationError(errors)
    if assessment_factors is not None:  # the census factors the front door recorded (None: left as they were)
        locked.assessment_factors = list(dict.fromkeys(assessment_factors))
    locked.status = TRIAGE_STATUS[outcome]
    locked.triage_outcome = outcome
    locked.triage_notes = _with_note(notes, harm_note)
    locked.referred_to = referred_to[:200] if outcome == TriageOutcome.REFER_ELSEWHERE else ""
    locked.triaged_by = by
    locked.triaged_at = timezone.now()
    locked.save(update_fields=[
        "status", "triage_outcome", "triage_notes", "referred_to", "triaged_by", "triaged_at", "assessment_factors",
    ])
    referral = None
    if outcome == TriageOutcome.SIGNIFICANT_HARM:
        children = list(locked.people.filter(is_child=True, person__isnull=False).values_list("person_id", flat=True))
        referral = harm.harm_referral_raise(
            family=locked.family, raised_by=by, support_request=locked, children=children,
            referral_source=_harm_referral_source(locked),
            what_is_known=f"{notes}\n\nFrom request for support {locked.reference}: {locked.concern_details}",
        )
    if locked.requested_by_id and locked.requested_by_id != by.pk:
        Notification.objects.create(
            recipient_id=locked.requested_by_id,
            url=reverse("request-detail", kwargs={"request_id": locked.pk}),
            message=f"Your request for support {locked.reference} has been triaged: {TriageOutcome(outcome).label}."[:300],
        )
    return locked, referral


# The allocation meeting (the Vulnerable Children's Meeting, DOMAIN §8) -------------------------------


@transaction.atomic
def meeting_create(
    *, held_on: date, chair: User, created_by: User, attendees: str = "", notes: str = "",
) -> AllocationMeeting:
    require(created_by, "frontdoor.change_meeting", message="Only the front door arranges allocation meetings")
    errors = {}
    if chair is None or not chair.is_active or chair.role not in CHAIR_ROLES:
        errors["chair"] = "Choose a team manager, front door officer or early help adviser to chair the meeting"
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    elif (held_on - timezone.localdate()).days > MEETING_MAX_DAYS_AHEAD:
        errors["held_on"] = "The meeting must be within the next year"
    if errors:
        raise ValidationError(errors)
    return AllocationMeeting.objects.create(
        held_on=held_on, chair=chair, attendees=_clean(attendees), notes=_clean(notes),
    )


def _default_team(user: User) -> Team | None:
    return user.teams.filter(kind=TeamKind.LOCALITY_EARLY_HELP).order_by("name").first()


@transaction.atomic
def allocation_decide(
    *,
    meeting: AllocationMeeting,
    support_request: RequestForSupport,
    decided_by: User,
    outcome: str,
    reasons: str,
    team: Team | None = None,
    practitioner: User | None = None,
    other_service: str = "",
) -> AllocationDecision:
    """The meeting's decision on one request: allocate, refer to another service, or no action now."""
    require(decided_by, "frontdoor.change_meeting", meeting, "Only the front door records allocation decisions")
    errors = {}
    reasons, other_service = _clean(reasons), _clean(other_service)
    if outcome not in ALLOCATION_STATUS:
        errors["outcome"] = "Select the decision"
    if not reasons:
        errors["reasons"] = "Explain the reasons for the decision"
    if outcome == AllocationOutcome.ALLOCATE_TEAM:
        if team is None:
            errors["team"] = "Choose the team the family is allocated to"
        elif team.kind != TeamKind.LOCALITY_EARLY_HELP:
            errors["team"] = "Choose a locality early help team"
    if outcome == AllocationOutcome.ALLOCATE_PRACTITIONER:
        if practitioner is None:
            errors["practitioner"] = "Choose the practitioner the family is allocated to"
        elif not practitioner.is_active or practitioner.role not in ALLOCATABLE_ROLES:
            errors["practitioner"] = "Choose an early help practitioner or early help adviser"
    if outcome == AllocationOutcome.REFER_ELSEWHERE and not other_service:
        errors["other_service"] = "Enter the name of the service the family is referred to"
    if meeting.held_on > timezone.localdate():
        errors["outcome"] = f"This meeting is on {meeting.held_on:%-d %B %Y}: record decisions on or after that day"
    if errors:
        raise ValidationError(errors)
    locked = RequestForSupport.objects.select_for_update().get(pk=support_request.pk)
    if locked.status != RequestStatus.AWAITING_ALLOCATION:
        raise Refused("This request is not waiting for the allocation meeting")
    if outcome == AllocationOutcome.ALLOCATE_PRACTITIONER and team is None:
        team = _default_team(practitioner)
    allocating = outcome in (AllocationOutcome.ALLOCATE_TEAM, AllocationOutcome.ALLOCATE_PRACTITIONER)
    decision = AllocationDecision.objects.create(
        meeting=meeting, request=locked, outcome=outcome, reasons=reasons, decided_by=decided_by,
        team=team if allocating else None,
        practitioner=practitioner if outcome == AllocationOutcome.ALLOCATE_PRACTITIONER else None,
        other_service=other_service[:200] if outcome == AllocationOutcome.REFER_ELSEWHERE else "",
    )
    locked.status = ALLOCATION_STATUS[outcome]
    locked.save(update_fields=["status"])

    url = reverse("request-detail", kwargs={"request_id": locked.pk})
    family = locked.family.name if locked.family_id else f"request {locked.reference}"
    told: dict[int, str] = {}
    if decision.practitioner_id:
        told[decision.practitioner_id] = f"The allocation meeting allocated the {family} to you ({locked.reference})."
    elif decision.team_id:
        for manager in User.objects.filter(role=Role.TEAM_MANAGER, is_active=True, teams=decision.team).only("pk"):
            told[manager.pk] = f"The allocation meeting allocated the {family} to {decision.team.name} ({locked.reference})."
    if locked.requested_by_id:
        told.setdefault(
            locked.requested_by_id,
            f"The allocation meeting decided on your request for support {locked.reference}: "
            f"{AllocationOutcome(outcome).label}.",
        )
    told.pop(decided_by.pk, None)
    Notification.objects.bulk_create(
        [Notification(recipient_id=user_id, url=url, message=message[:300]) for user_id, message in told.items()]
    )
    if decision.practitioner_id and decision.practitioner_id != decided_by.pk:
        messaging.on_commit(messaging.request_allocated, request_id=locked.pk, practitioner_id=decision.practitioner_id)
    return decision

