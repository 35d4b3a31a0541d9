"""Writes for consent and the information-sharing log (DOMAIN §4).

Every rule a practitioner can break is raised as a ValidationError keyed by the form field it
is about, so the page can explain it beside that field. Nothing is half-saved: each write is
one transaction.
"""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency, Role, User
from earlyhelp.episodes.due import episode_refresh_due
from earlyhelp.episodes.models import Closure, ClosureReason, Episode, EpisodeState
from earlyhelp.episodes.services.assessment import assessment_start
from earlyhelp.episodes.timeline import event_record
from earlyhelp.episodes.transitions import Action, episode_transition
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import FamilyMember
from earlyhelp.policy import may
from earlyhelp.web.refusals import Refused

from .models import (
    PUBLIC_INTEREST_BASES,
    Consent,
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    LawfulBasis,
    SharingDecision,
)
from .selectors import (
    CHILD_CONSENT_ROLES,
    PARENT_CARER_ROLES,
    consent_close_offer,
    sharing_consents_for_episode,
    sharing_decision_for_manager,
)

# Kept whole on the timeline event that closes the episode (its summary holds 300 characters).
NEEDS_MET_HOW_LIMIT = 200

CLOSE_REASONS = {
    Action.CONSENT_REFUSED: ClosureReason.CONSENT_REFUSED,
    Action.CONSENT_WITHDRAWN: ClosureReason.CONSENT_WITHDRAWN,
}


def _lock_open_episode(episode: Episode) -> Episode:
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    if locked.state == EpisodeState.CLOSED:
        raise ValidationError("The episode is closed, so its consent records cannot be changed")
    return locked


@transaction.atomic
def consent_record(
    *,
    episode: Episode,
    person_id: int | None,
    scopes: Sequence[str],
    agencies: Sequence[Agency],
    decision: str,
    method: str,
    given_on: date | None,
    recorded_by: User,
    refusal_reason: str = "",
    needs_will_escalate: bool | None = None,
    escalation_judgement: str = "",
) -> list[Consent]:
    """One person's decision, a record per scope. A parent's or carer's consent to the
    assessment, while the episode waits for it, starts the assessment."""
    if not may(recorded_by, "sharing.record_consent", episode):
        raise PermissionDenied
    locked = _lock_open_episode(episode)
    refusal_reason, escalation_judgement = refusal_reason.strip(), escalation_judgement.strip()
    scopes = list(dict.fromkeys(scopes))
    errors: dict[str, str] = {}
    membership = (
        FamilyMember.objects.filter(
            family_id=locked.family_id, person_id=person_id, left_on__isnull=True,
            role__in=[*PARENT_CARER_ROLES, *CHILD_CONSENT_ROLES],
        ).select_related("person").first()
        if person_id else None
    )
    if membership is None:
        errors["person"] = "Select the parent, carer or child whose decision this is"
    if not scopes or any(scope not in ConsentScope.values for scope in scopes):
        errors["scopes"] = "Select what the decision is about: the assessment, sharing information, or both"
    elif ConsentScope.SHARING in scopes and not agencies:
        errors["agencies"] = "Select the agencies the decision about sharing information covers"
    elif agencies and ConsentScope.SHARING not in scopes:
        errors["agencies"] = (
            "You selected agencies: also select that the decision is about sharing information, "
            "or clear the agencies"
        )
    if decision not in ConsentDecision.values:
        errors["decision"] = "Select whether consent was given or refused"
    if method not in ConsentMethod.values:
        errors["method"] = "Select whether the decision was given in writing or verbally"
    if given_on is None:
        errors["given_on"] = "Enter the date of the decision"
    elif given_on > timezone.localdate():
        errors["given_on"] = "The date of the decision cannot be in the future"
    if decision == ConsentDecision.REFUSED:
        if not refusal_reason:
            errors["refusal_reason"] = "Enter why consent was refused"
        if needs_will_escalate is None:
            errors["needs_will_escalate"] = (
                "Select yes if you judge the children's needs will escalate without help, or no if they will not"
            )
        if not escalation_judgement:
            errors["escalation_judgement"] = (
                "Explain your judgement: how the children's needs might still be met, and what may happen without help"
            )
    if errors:
        raise ValidationError(errors)

    refused = decision == ConsentDecision.REFUSED
    person = membership.person
    records = []
    for scope in scopes:
        consent = Consent.objects.create(
            family_id=locked.family_id, episode=locked, person=person, scope=scope, decision=decision,
            method=method, given_on=given_on, recorded_by=recorded_by,
            refusal_reason=refusal_reason if refused else "",
            needs_will_escalate=needs_will_escalate if refused else None,
            escalation_judgement=escalation_judgement if refused else "",
        )
        if scope == ConsentScope.SHARING:
            consent.agencies.set(agencies)
            what = "sharing information with " + ", ".join(sorted(agency.name for agency in agencies))
        else:
            what = "the assessment"
        consent.member_role = membership.role
        records.append(consent)
        event_record(
            episode=locked, kind="consent_recorded", by=recorded_by,
            summary=(f"Consent to {what} {ConsentDecision(decision).label.lower()} by {person.full_name} "
                     f"({ConsentMethod(method).label.lower()}, {given_on:%-d %B %Y})"
                     + (f"; needs will escalate without help: {'yes' if needs_will_escalate else 'no'}" if refused else "")),
        )

    starts_assessment = (
        decision == ConsentDecision.GIVEN
        and ConsentScope.ASSESSMENT in scopes
        and membership.role in PARENT_CARER_ROLES
        and locked.state == EpisodeState.AWAITING_CONSENT
    )
    if starts_assessment:
        episode_transition(
            episode=episode, action=Action.CONSENT_GIVEN, by=recorded_by,
            summary=f"Consent to the assessment given by {person.full_name}: assessment started",
        )
        # The assessment starts now, with its sections, and its 10 working days run from today:
        # the due date the consent page and My work show is the assessment's own. It also
        # refreshes the episode's due date.
        assessment_start(episode=episode, by=recorded_by)
    return records


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: date | None, reason: str, by: User) -> Consent:
    """Consent can be withdrawn at any time; the record stays, with when and why."""
    if consent.episode_id is None or not may(by, "sharing.record_consent", consent.episode):
        raise PermissionDenied
    _lock_open_episode(consent.episode)
    locked = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    reason = reason.strip()
    if locked.decision != ConsentDecision.GIVEN:
        raise ValidationError("Only consent that was given can be withdrawn")
    if locked.withdrawn_on:
        raise Refused(f"This consent was already withdrawn on {locked.withdrawn_on:%-d %B %Y}")
    errors: dict[str, str] = {}
    if withdrawn_on is None:
        errors["withdrawn_on"] = "Enter the date consent was withdrawn"
    elif withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = "The date consent was withdrawn cannot be in the future"
    elif withdrawn_on < locked.given_on:
        errors["withdrawn_on"] = (
            f"The date consent was withdrawn cannot be before it was given, on {locked.given_on:%-d %B %Y}"
        )
    if not reason:
        errors["reason"] = "Enter why consent was withdrawn, in the family's words if you can"
    if errors:
        raise ValidationError(errors)
    locked.withdrawn_on, locked.withdrawal_reason = withdrawn_on, reason
    locked.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    event_record(
        episode=consent.episode, kind="consent_withdrawn_by_person", by=by,
        summary=f"{locked.person.full_name} withdrew consent to {locked.scope_phrase} "
                f"on {withdrawn_on:%-d %B %Y}",
    )
    consent.withdrawn_on, consent.withdrawal_reason = locked.withdrawn_on, locked.withdrawal_reason
    return locked


@transaction.atomic
def episode_close_for_consent(*, episode: Episode, by: User, summary_for_family: str, needs_met_how: str = "",
                              needs_will_escalate: bool | None = None) -> Episode:
    """Close the episode because every parent or carer refused, or withdrew, consent.

    Refusal still leaves the harm route open: closing records why, it protects no one less. After a
    withdrawal the practitioner says how the needs will be met another way and whether they will
    escalate without help (DOMAIN §4); if they will, the way is a referral to Children's Social Care,
    not closing.
    """
    if not may(by, "sharing.record_consent", episode):
        raise PermissionDenied
    locked = _lock_open_episode(episode)
    summary_for_family, needs_met_how = summary_for_family.strip(), needs_met_how.strip()
    offer = consent_close_offer(locked)
    if offer is None:
        raise ValidationError(
            "The episode cannot be closed for lack of consent: a parent or carer's consent is current, "
            "or no parent or carer has refused or withdrawn it"
        )
    errors: dict[str, str] = {}
    withdrawn = offer["action"] == Action.CONSENT_WITHDRAWN
    if withdrawn:
        if not needs_met_how:
            errors["needs_met_how"] = "Enter how the children's needs will be met without early help"
        elif len(needs_met_how) > NEEDS_MET_HOW_LIMIT:
            errors["needs_met_how"] = (f"How the children's needs will be met must be {NEEDS_MET_HOW_LIMIT} "
                                       "characters or fewer")
        if needs_will_escalate is None:
            errors["needs_will_escalate"] = (
                "Select yes if you judge the children's needs will escalate without help, or no if they will not")
        elif needs_will_escalate:
            errors["needs_will_escalate"] = (
                "You judge the children's needs will escalate without help: do not close, refer to Children's "
                "Social Care (request a step up, or raise a concern of significant harm)")
    if not summary_for_family:
        errors["summary_for_family"] = "Enter what you will tell the family about closing the episode"
    if errors:
        raise ValidationError(errors)
    summary = (f"Consent withdrawn: episode closed. The children's needs will be met another way: {needs_met_how}"
               if withdrawn else "")
    episode_transition(episode=episode, action=offer["action"], by=by, summary=summary)
    Closure.objects.create(
        episode=locked, reason=CLOSE_REASONS[offer["action"]], summary_for_family=summary_for_family,
        closed_by=by, closed_at=timezone.now(),
    )
    episode_refresh_due(episode)
    return episode


@transaction.atomic
def sharing_decision_record(
    *,
    episode: Episode,
    decided_by: User,
    shared: bool | None,
    what: str,
    with_agency: Agency | None,
    with_whom: str,
    why: str,
    lawful_basis: str,
    justification: str,
    consulted: str,
) -> SharingDecision:
    """Every decision to share or not to share. Sharing without consent needs one of the
    public-interest circumstances and a written justification, and is shown to the manager."""
    if not may(decided_by, "sharing.record_sharing", episode):
        raise PermissionDenied
    what, with_whom, why = what.strip(), with_whom.strip(), why.strip()
    justification, consulted = justification.strip(), consulted.strip()
    errors: dict[str, str] = {}
    if shared is None:
        errors["shared"] = "Select yes if you shared information, or no if you decided not to share it"
    if not what:
        errors["what"] = "Enter what information was shared, or asked for"
    if with_agency is None and not with_whom:
        errors["with_agency"] = "Select the agency, or enter below who the information was shared with or asked for by"
    if not why:
        errors["why"] = "Enter why you decided to share, or not to share"
    if shared:
        if not lawful_basis:
            errors["lawful_basis"] = "Select the lawful basis for sharing: consent, or one of the circumstances listed"
        elif lawful_basis == LawfulBasis.CONSENT:
            if with_agency is None:
                errors["lawful_basis"] = (
                    "Consent covers only the agencies the family named: select the agency you shared with, "
                    "or choose the circumstance that justifies sharing without consent"
                )
            elif with_agency.pk not in sharing_consents_for_episode(episode):
                errors["lawful_basis"] = (
                    f"No one in the family has current consent to share information with {with_agency.name}. "
                    "Choose the circumstance that justifies sharing without consent and explain why, "
                    "or record that you did not share"
                )
        elif lawful_basis in PUBLIC_INTEREST_BASES:
            if not justification:
                errors["justification"] = (
                    "Explain why sharing without consent is justified, and why what you shared was proportionate"
                )
        else:
            errors["lawful_basis"] = "Select the lawful basis from the list"
    if errors:
        raise ValidationError(errors)

    decision = SharingDecision.objects.create(
        family_id=episode.family_id, episode=episode, shared=shared, what=what, with_agency=with_agency,
        with_whom=with_whom, why=why, lawful_basis=lawful_basis if shared else "",
        justification=justification if shared else "", consulted=consulted,
        decided_by=decided_by, decided_at=timezone.now(),
    )
    recipient = with_agency.name if with_agency else with_whom
    without_consent = shared and lawful_basis != LawfulBasis.CONSENT
    event_record(
        episode=episode, kind="sharing_decision", by=decided_by,
        summary=(f"Information shared with {recipient}" + (" without consent" if without_consent else " with consent"))
        if shared else f"Decided not to share information with {recipient}",
    )
    if without_consent:
        _tell_team_managers(decision=decision, episode=episode, decided_by=decided_by)
    return decision


def _tell_team_managers(*, decision: SharingDecision, episode: Episode, decided_by: User) -> None:
    if not episode.team_id:
        return
    managers = User.objects.filter(role=Role.TEAM_MANAGER, teams=episode.team_id, is_active=True).exclude(pk=decided_by.pk)
    message = (f"{decided_by.get_full_name()} shared information without consent in episode "
               f"{episode.reference}: please look at the decision")
    Notification.objects.bulk_create(
        [Notification(recipient=manager, message=message[:300], url=reverse("sharing-for-review"))
         for manager in managers.distinct()]
    )


@transaction.atomic
def sharing_decision_mark_seen(*, decision_id: int, by: User) -> SharingDecision:
    """A team manager has looked at a decision made without consent in their team."""
    decision = sharing_decision_for_manager(by, decision_id)
    if decision is None:
        raise PermissionDenied
    SharingDecision.objects.filter(pk=decision.pk, seen_by_manager_at__isnull=True).update(
        seen_by_manager_at=timezone.now(), seen_by_manager=by
    )
    decision.refresh_from_db(fields=["seen_by_manager_at", "seen_by_manager"])
    return decision
