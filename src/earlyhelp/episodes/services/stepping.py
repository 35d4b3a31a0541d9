"""Step up to Children's Social Care, step down from it, and closure (DOMAIN §8)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role, TeamKind, User
from earlyhelp.frontdoor.models import Notification
from earlyhelp.messaging import services as messaging
from earlyhelp.policy import may
from earlyhelp.standards import AssessmentFactor, CinReferralSource
from earlyhelp.web.refusals import Refused

from ..due import episode_refresh_due
from ..models import (
    Closure,
    ClosureReason,
    Episode,
    EpisodeState,
    NeedOutcome,
    StepDown,
    StepUp,
    StepUpReason,
)
from ..timeline import event_record
from ..transitions import Action, episode_transition
from .core import lead_professional_record

DECLINE_ACTION_BY_FROM_STATE = {
    EpisodeState.AWAITING_CONSENT: Action.STEP_UP_DECLINED_TO_CONSENT,
    EpisodeState.ASSESSMENT: Action.STEP_UP_DECLINED_TO_ASSESSMENT,
    EpisodeState.PLANNING: Action.STEP_UP_DECLINED_TO_PLANNING,
    EpisodeState.PLAN_ACTIVE: Action.STEP_UP_DECLINED,
}
# Closure reasons a practitioner chooses; the others are recorded by the step-up and consent journeys.
CHOSEN_CLOSURE_REASONS = [
    ClosureReason.NEEDS_MET, ClosureReason.STEPPED_DOWN, ClosureReason.CONSENT_WITHDRAWN,
    ClosureReason.MOVED_AWAY, ClosureReason.REACHED_18, ClosureReason.OTHER,
]


def _social_care_recipients(episode_or_family_locality_id) -> list[User]:
    social_workers = User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True)
    local = social_workers.filter(
        teams__kind=TeamKind.SOCIAL_CARE, teams__locality_id=episode_or_family_locality_id
    ).distinct()
    return list(local) or list(social_workers)


@transaction.atomic
def episode_step_up(*, episode: Episode, by: User, reasons: list[str], details: str,
                    assessment_factors: list[str]) -> StepUp:
    if not may(by, "episodes.change_episode", episode):
        raise PermissionDenied
    unknown = set(reasons) - set(StepUpReason.values)
    if not reasons or unknown:
        raise ValidationError({"reasons": "Choose at least one reason for stepping up"})
    if not details.strip():
        raise ValidationError({"details": "Describe what has changed and why early help is no longer enough"})
    step_up = StepUp.objects.create(
        episode=episode, reasons=reasons, details=details.strip(), assessment_factors=assessment_factors,
        referral_source=CinReferralSource.EARLY_HELP, requested_by=by, requested_at=timezone.now(),
    )
    episode_transition(episode=episode, action=Action.STEP_UP_REQUESTED, by=by)
    url = reverse("step-up-decide", kwargs={"step_up_id": step_up.pk})
    Notification.objects.bulk_create([
        Notification(recipient=worker, url=url,
                     message=f"Early help asks Children's Social Care to take on {episode.family.name} (episode {episode.reference})")
        for worker in _social_care_recipients(episode.family.locality_id)
    ])
    episode_refresh_due(episode)
    return step_up


@transaction.atomic
def step_up_decide(*, step_up: StepUp, by: User, accept: bool, notes: str) -> StepUp:
    """Children's Social Care decides. Accepting transfers the lead professional role to the social worker."""
    # Locked first: of two decisions sent at once the second waits here, then is refused as decided.
    step_up = StepUp.objects.select_for_update().get(pk=step_up.pk)
    if step_up.decided_at is not None:
        raise Refused("Children's Social Care has already decided on this step up")
    if not may(by, "episodes.decide_step_up", step_up):
        raise PermissionDenied
    if not accept and not notes.strip():
        raise ValidationError({"notes": "Explain why Children's Social Care is not taking the family on"})
    episode = step_up.episode
    step_up.accepted, step_up.social_worker, step_up.decision_notes = accept, by, notes.strip()
    step_up.decided_at = timezone.now()
    step_up.save(update_fields=["accepted", "social_worker", "decision_notes", "decided_at"])
    if accept:
        if episode.lead_professional_id != by.pk:
            # Through the one lead change, so each child's lead involvement names the social worker too.
            lead_professional_record(
                episode=episode, lead=by, by=by, chosen_with_family=False,
                handover_note="The child became subject to a statutory service: the lead professional role "
                              "transferred to Children's Social Care (DOMAIN §6).",
            )
        episode_transition(episode=episode, action=Action.STEP_UP_ACCEPTED, by=by,
                           summary=f"Children's Social Care accepted the step up; {by.get_full_name()} now leads")
        Closure.objects.create(
            episode=episode, reason=ClosureReason.STEPPED_UP, closed_by=by, closed_at=timezone.now(),
            summary_for_family=(f"Children's Social Care is now working with your family. "
                                f"{by.get_full_name()} is your social worker and your main contact."),
        )
    else:
        requested = episode.events.filter(kind=Action.STEP_UP_REQUESTED).order_by("-at", "-pk").first()
        from_state = requested.from_state if requested else EpisodeState.PLAN_ACTIVE
        episode_transition(episode=episode, action=DECLINE_ACTION_BY_FROM_STATE[from_state], by=by,
                           summary=f"Children's Social Care declined the step up: {notes.strip()[:200]}")
    if step_up.requested_by_id != by.pk:
        Notification.objects.create(
            recipient_id=step_up.requested_by_id,
            url=reverse("episode-detail", kwargs={"episode_id": episode.pk}),
            message=f"Children's Social Care {'accepted' if accept else 'declined'} the step up for {episode.family.name}",
        )
    messaging.on_commit(messaging.step_up_decided, step_up_id=step_up.pk)
    episode_refresh_due(episode)
    return step_up


@transaction.atomic
def step_down_propose(*, family, by: User, children: list, final_assessment_summary: str, handover_plan: str,
                      proposed_lead: User | None) -> StepDown:
    if not may(by, "episodes.propose_step_down", family):
        raise PermissionDenied
    errors = {}
    if not children:
        errors["children"] = "Choose the children being stepped down"
    if not final_assessment_summary.strip():
        errors["final_assessment_summary"] = "Summarise the final assessment"
    if not handover_plan.strip():
        errors["handover_plan"] = "Describe the handover plan"
    if errors:
        raise ValidationError(errors)
    step_down = StepDown.objects.create(
        family=family, social_worker=by, final_assessment_summary=final_assessment_summary.strip(),
        handover_plan=handover_plan.strip(), proposed_lead=proposed_lead, proposed_at=timezone.now(),
    )
    step_down.children.set(children)
    url = reverse("step-down-detail", kwargs={"step_down_id": step_down.pk})
    recipients = User.objects.filter(is_active=True).filter(
        role__in=[Role.FRONT_DOOR_OFFICER]
    ) | User.objects.filter(is_active=True, role=Role.TEAM_MANAGER, teams__kind=TeamKind.LOCALITY_EARLY_HELP,
                            teams__locality_id=family.locality_id)
    Notification.objects.bulk_create([
        Notification(recipient=user, url=url, message=f"Children's Social Care proposes stepping {family.name} down to early help")
        for user in recipients.distinct()
    ])
    return step_down


@transaction.atomic
def step_down_decide(*, step_down: StepDown, by: User, accept: bool, return_reasons: str = "",
                     chosen_with_family: bool | None = None) -> StepDown:
    """Early help accepts (an episode opens; RC9 on the social-care side) or returns it with reasons.

    Accepting with a proposed lead professional says whether the family helped choose them: it is
    asked, never assumed (DOMAIN §6).
    """
    step_down = StepDown.objects.select_for_update().select_related("family").get(pk=step_down.pk)
    if not may(by, "episodes.decide_step_down", step_down):
        raise PermissionDenied
    if step_down.status != StepDown.Status.PROPOSED:
        raise Refused("Early help has already decided on this step down")
    if not accept and not return_reasons.strip():
        raise ValidationError({"return_reasons": "Explain why early help is returning the step down"})
    if accept and step_down.proposed_lead_id and chosen_with_family is None:
        raise ValidationError({"chosen_with_family": "Select yes if the family helped choose the lead professional"})
    step_down.decided_by, step_down.decided_at = by, timezone.now()
    if accept:
        from .core import episode_open

        team = by.teams.filter(kind=TeamKind.LOCALITY_EARLY_HELP).first()
        episode = episode_open(
            family=step_down.family, opened_by=by, team=team, lead_professional=step_down.proposed_lead,
            children=list(step_down.children.all()), chosen_with_family=bool(chosen_with_family),
            lead_handover_note=f"Stepped down from Children's Social Care. Handover plan: {step_down.handover_plan}",
        )
        step_down.status, step_down.episode = StepDown.Status.ACCEPTED, episode
        step_down.social_care_closure_code = "RC9"  # case closed after assessment, referred to early help
        event_record(
            episode=episode, kind="stepped_down", by=by,
            summary=f"Stepped down from Children's Social Care ({step_down.social_worker.get_full_name()}); "
                    "the social worker attends the first Team Around the Family meeting",
        )
    else:
        step_down.status, step_down.return_reasons = StepDown.Status.RETURNED, return_reasons.strip()
    step_down.save()
    Notification.objects.create(
        recipient=step_down.social_worker,
        url=reverse("step-down-detail", kwargs={"step_down_id": step_down.pk}),
        message=f"Early help {'accepted' if accept else 'returned'} the step down of {step_down.family.name}",
    )
    messaging.on_commit(messaging.step_down_decided, step_down_id=step_down.pk)
    return step_down


@transaction.atomic
def episode_close(*, episode: Episode, by: User, reason: str, summary_for_family: str,
                  need_outcomes: dict[str, tuple[str, str]], new_authority: str = "", other_reason: str = "") -> Closure:
    """Close with the reason, the outcome for each need and a closing summary for the family."""
    if not may(by, "episodes.change_episode", episode):
        raise PermissionDenied
    errors = {}
    if reason not in CHOSEN_CLOSURE_REASONS:
        errors["reason"] = "Choose why the episode is closing"
    if reason == ClosureReason.MOVED_AWAY and not new_authority.strip():
        errors["new_authority"] = "Enter the local authority the family moved to"
    if reason == ClosureReason.OTHER and not other_reason.strip():
        errors["other_reason"] = "Say why the episode is closing"
    if not summary_for_family.strip():
        errors["summary_for_family"] = "Write a closing summary for the family"
    # Each missing outcome beside its own question, naming the need (never a bare code or "this need").
    for need, (result, _) in need_outcomes.items():
        if result not in NeedOutcome.Result.values:
            label = AssessmentFactor(need).label if need in AssessmentFactor.values else need
            errors[f"need_{need}"] = f"Choose the outcome for the need “{label}”"
    if errors:
        raise ValidationError(errors)
    action = Action.CONSENT_WITHDRAWN if reason == ClosureReason.CONSENT_WITHDRAWN else Action.CLOSED
    episode_transition(episode=episode, action=action, by=by,
                       summary=f"Closed: {ClosureReason(reason).label}")
    closure = Closure.objects.create(
        episode=episode, reason=reason, new_authority=new_authority.strip(), other_reason=other_reason.strip(),
        summary_for_family=summary_for_family.strip(), closed_by=by, closed_at=timezone.now(),
    )
    NeedOutcome.objects.bulk_create([
        NeedOutcome(closure=closure, need=need, result=result, comment=comment.strip())
        for need, (result, comment) in need_outcomes.items()
    ])
    episode_refresh_due(episode)
    return closure
