"""The episode's states and every allowed move between them: one explicit table.

Services call `episode_transition`; nothing else changes Episode.state. A move not in the
table is refused with a plain reason. Every move is an event on the episode's timeline.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from earlyhelp.web.refusals import Refused

from .models import Episode
from .models import EpisodeState as S
from .timeline import event_record


class Action:
    CONSENT_GIVEN = "consent_given"
    CONSENT_REFUSED = "consent_refused"
    ASSESSMENT_COMPLETED = "assessment_completed"
    PLAN_AGREED = "plan_agreed"
    STEP_UP_REQUESTED = "step_up_requested"
    STEP_UP_ACCEPTED = "step_up_accepted"
    # Declined step ups go back to where the episode was when the step up was asked for.
    STEP_UP_DECLINED = "step_up_declined"
    STEP_UP_DECLINED_TO_CONSENT = "step_up_declined_to_consent"
    STEP_UP_DECLINED_TO_ASSESSMENT = "step_up_declined_to_assessment"
    STEP_UP_DECLINED_TO_PLANNING = "step_up_declined_to_planning"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CLOSED = "closed"


@dataclass(frozen=True)
class Move:
    to: str
    label: str


# (from state, action) -> the state it leads to. Everything else is refused.
TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.AWAITING_CONSENT, Action.CONSENT_GIVEN): Move(S.ASSESSMENT, "Consent given: assessment started"),
    (S.AWAITING_CONSENT, Action.CONSENT_REFUSED): Move(S.CLOSED, "Consent refused: episode closed"),
    (S.AWAITING_CONSENT, Action.STEP_UP_REQUESTED): Move(S.STEP_UP_REQUESTED, "Step up to Children's Social Care requested"),
    (S.ASSESSMENT, Action.ASSESSMENT_COMPLETED): Move(S.PLANNING, "Assessment completed"),
    (S.ASSESSMENT, Action.STEP_UP_REQUESTED): Move(S.STEP_UP_REQUESTED, "Step up to Children's Social Care requested"),
    (S.ASSESSMENT, Action.CONSENT_WITHDRAWN): Move(S.CLOSED, "Consent withdrawn: episode closed"),
    (S.ASSESSMENT, Action.CLOSED): Move(S.CLOSED, "Episode closed"),
    (S.PLANNING, Action.PLAN_AGREED): Move(S.PLAN_ACTIVE, "Plan agreed with the family"),
    (S.PLANNING, Action.STEP_UP_REQUESTED): Move(S.STEP_UP_REQUESTED, "Step up to Children's Social Care requested"),
    (S.PLANNING, Action.CONSENT_WITHDRAWN): Move(S.CLOSED, "Consent withdrawn: episode closed"),
    (S.PLANNING, Action.CLOSED): Move(S.CLOSED, "Episode closed"),
    (S.PLAN_ACTIVE, Action.STEP_UP_REQUESTED): Move(S.STEP_UP_REQUESTED, "Step up to Children's Social Care requested"),
    (S.PLAN_ACTIVE, Action.CONSENT_WITHDRAWN): Move(S.CLOSED, "Consent withdrawn: episode closed"),
    (S.PLAN_ACTIVE, Action.CLOSED): Move(S.CLOSED, "Episode closed"),
    (S.STEP_UP_REQUESTED, Action.STEP_UP_ACCEPTED): Move(S.CLOSED, "Children's Social Care accepted the step up"),
    (S.STEP_UP_REQUESTED, Action.STEP_UP_DECLINED): Move(S.PLAN_ACTIVE, "Children's Social Care declined the step up: the plan continues"),
    (S.STEP_UP_REQUESTED, Action.STEP_UP_DECLINED_TO_CONSENT): Move(S.AWAITING_CONSENT, "Children's Social Care declined the step up: early help continues"),
    (S.STEP_UP_REQUESTED, Action.STEP_UP_DECLINED_TO_ASSESSMENT): Move(S.ASSESSMENT, "Children's Social Care declined the step up: the assessment continues"),
    (S.STEP_UP_REQUESTED, Action.STEP_UP_DECLINED_TO_PLANNING): Move(S.PLANNING, "Children's Social Care declined the step up: early help continues"),
}

# Why a move is refused, in words a practitioner understands.
REFUSALS: dict[str, str] = {
    S.AWAITING_CONSENT: "Consent must be recorded before anything else can happen",
    S.ASSESSMENT: "The assessment must be completed first",
    S.PLANNING: "The plan must be agreed first",
    S.PLAN_ACTIVE: "This cannot be done while the plan is in place",
    S.STEP_UP_REQUESTED: "Children's Social Care must first decide on the step up",
    S.CLOSED: "The episode is closed",
}


class TransitionRefused(Refused):
    """A move the table does not allow from the episode's state: answered 409 (web.refusals)."""


def refusal(state: str, action: str) -> str | None:
    """Why the table refuses the move from this state, in words; None when it allows it."""
    if (state, action) in TRANSITIONS:
        return None
    return REFUSALS.get(state, "That cannot be done now")


def allowed_actions(state: str) -> list[str]:
    return [action for (from_state, action) in TRANSITIONS if from_state == state]


@transaction.atomic
def episode_transition(*, episode: Episode, action: str, by, summary: str = "") -> Episode:
    """Move the episode, locking it so two people cannot move it at once."""
    locked = Episode.objects.select_for_update().get(pk=episode.pk)
    refused = refusal(locked.state, action)
    if refused:
        raise TransitionRefused(refused)
    move = TRANSITIONS[(locked.state, action)]
    now = timezone.now()
    from_state = locked.state
    locked.state = move.to
    update_fields = ["state", "updated_at"]
    if move.to == S.CLOSED:
        locked.closed_on = timezone.localdate()
        update_fields.append("closed_on")
        if action != Action.STEP_UP_ACCEPTED:  # after a step up the social worker goes on leading
            from .services.lead import child_leads_end

            child_leads_end(episode=locked, on=locked.closed_on)
    locked.save(update_fields=update_fields)
    event_record(episode=locked, kind=action, from_state=from_state, to_state=move.to,
                 summary=summary or move.label, by=by, at=now)
    episode.state, episode.closed_on = locked.state, locked.closed_on
    return locked
