"""Pages for Team Around the Family meetings, the plan and its reviews. Thin: the work is in services/plan.py."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from earlyhelp.policy import may
from earlyhelp.web import versioning
from earlyhelp.web.form_errors import REFUSED_STATUS, apply_errors
from earlyhelp.web.refusals import Refused

from ..forms_plan import (
    ActionStatusForm,
    AgreedActionForm,
    OutcomeForm,
    PlanActionForm,
    ReviewForm,
    TafMeetingForm,
)
from ..models import EpisodeState, ReviewDecision
from ..selectors import episode_get_for_user
from ..services import plan as services

# How many actions agreed at a meeting can be recorded with it; more go on the plan page.
MEETING_ACTION_ROWS = 3


def _episode(request, episode_id: int, page: str):
    return episode_get_for_user(request.user, episode_id, page=page, path=request.path)


def _context(episode, **extra) -> dict:
    return {"episode": episode, "family": episode.family, **extra}


def _optional_url(name: str, episode_id: int) -> str:
    """A link to a page another part of the service provides, if it is installed."""
    try:
        return reverse(name, kwargs={"episode_id": episode_id})
    except NoReverseMatch:
        return ""


def _plan_url(episode) -> str:
    return reverse("episode-plan", kwargs={"episode_id": episode.pk})


def _refuse_if_not_workable(request, episode, *, plan_change: bool = True):
    """Forms that change the plan are offered only to those who may change it, while it can change."""
    if not may(request.user, "episodes.change_episode", episode):
        raise PermissionDenied
    refusal = services.plan_state_refusal(episode) if plan_change else (
        services.CLOSED_REFUSAL if not episode.is_open else "")
    if refusal:
        messages.info(request, refusal)
        return redirect(_plan_url(episode))
    return None


# --- The plan page ---------------------------------------------------------------------------

def plan_page(request, episode_id: int):
    episode = _episode(request, episode_id, "meetings and plan")
    may_change = may(request.user, "episodes.change_episode", episode)
    attended = services.plan_user_attended_meeting(request.user, episode)
    outcomes = services.plan_outcomes(episode)
    for outcome in outcomes:
        for action in outcome.actions.all():
            action.may_update = episode.is_open and services.plan_user_may_update_action(
                request.user, action, episode=episode, may_change=may_change, attended=attended
            )
    return render(request, "episodes/plan/plan.html", _context(
        episode,
        may_change=may_change and episode.state in services.PLAN_STATES,
        may_record_meeting=may_change and episode.is_open,
        meetings=services.taf_meetings_for_episode(episode),
        outcomes=outcomes,
        agreement_missing=(services.plan_agreement_missing(episode)
                           if episode.state == EpisodeState.PLANNING else []),
        versions=services.plan_versions(episode),
        timing=services.review_timing(episode),
        reviews_url=_optional_url("episode-reviews", episode.pk),
        pdf_url=_optional_url("episode-plan-pdf", episode.pk),
    ))


# --- Team Around the Family meetings ---------------------------------------------------------

def taf_meeting_create(request, episode_id: int):
    episode = _episode(request, episode_id, "record a Team Around the Family meeting")
    refused = _refuse_if_not_workable(request, episode, plan_change=False)
    if refused:
        return refused
    attendees = services.taf_attendee_choices(episode, recorder=request.user)
    owners = services.action_owner_choices(episode, recorder=request.user)
    outcomes = services.plan_outcomes(episode)
    first_meeting = not services.taf_meetings_for_episode(episode)
    step_down_worker = services.step_down_social_worker(episode) if first_meeting else None
    form_kwargs = {
        "attendees": attendees, "all_agencies": services.agencies_all_active(),
        "users_by_email": services.users_by_email, "step_down_worker": step_down_worker,
    }

    def action_forms(data=None):
        if not outcomes:
            return []
        return [
            AgreedActionForm(data, prefix=f"action-{number}", outcomes=outcomes, owners=owners, number=number)
            for number in range(1, MEETING_ACTION_ROWS + 1)
        ]

    if request.method == "POST":
        form = TafMeetingForm(request.POST, **form_kwargs)
        actions = action_forms(request.POST)
        valid = form.is_valid()
        valid = all([action.is_valid() for action in actions]) and valid
        if valid:
            agreed = [
                services.AgreedAction(
                    outcome=action.cleaned_data["outcome"], description=action.cleaned_data["description"],
                    due_on=action.cleaned_data["due_on"], **action.cleaned_data["owner"],
                )
                for action in actions if action.has_changed()
            ]
            try:
                meeting = services.taf_meeting_record(
                    episode=episode, by=request.user, held_on=form.cleaned_data["held_on"],
                    practitioners=form.attending_practitioners(), agencies=form.represented_agencies(),
                    family_members=form.cleaned_data["family_members"],
                    discussed=form.cleaned_data["discussed"], decided=form.cleaned_data["decided"],
                    actions=agreed,
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, f"Meeting on {meeting.held_on.day} {meeting.held_on:%B %Y} recorded")
                return redirect("episode-taf-detail", episode_id=episode.pk, meeting_id=meeting.pk)
    else:
        initial_ids = [request.user.pk]
        if step_down_worker is not None:
            initial_ids.append(step_down_worker.pk)
        known = {user.pk for user in attendees["users"]}
        form = TafMeetingForm(initial={"practitioners": [pk for pk in initial_ids if pk in known]}, **form_kwargs)
        actions = action_forms()
    return render(request, "episodes/plan/taf_create.html", _context(
        episode, form=form, action_forms=actions, forms=[form, *actions], first_meeting=first_meeting,
        has_errors=any(f.errors for f in [form, *actions]),
        step_down_worker=step_down_worker,
    ))


def taf_meeting_detail(request, episode_id: int, meeting_id: int):
    episode = _episode(request, episode_id, "Team Around the Family meeting")
    try:
        meeting = services.taf_meeting_get(episode, meeting_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(request, "episodes/plan/taf_detail.html", _context(episode, meeting=meeting))


# --- Outcomes and actions --------------------------------------------------------------------

def outcome_create(request, episode_id: int):
    episode = _episode(request, episode_id, "add an outcome to the plan")
    refused = _refuse_if_not_workable(request, episode)
    if refused:
        return refused
    form_kwargs = {
        "need_choices": services.outcome_need_choices(episode),
        "from_assessment": services.outcome_needs_are_agreed(episode),
    }
    if request.method == "POST":
        form = OutcomeForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                outcome = services.outcome_create(
                    episode=episode, by=request.user,
                    in_familys_words=form.cleaned_data["in_familys_words"], needs=form.cleaned_data["needs"],
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, "Outcome added. Now add the actions that will help achieve it.")
                return redirect("episode-action-create", episode_id=episode.pk, outcome_id=outcome.pk)
    else:
        form = OutcomeForm(**form_kwargs)
    return render(request, "episodes/plan/outcome_create.html", _context(episode, form=form))


def plan_action_create(request, episode_id: int, outcome_id: int):
    episode = _episode(request, episode_id, "add an action to the plan")
    refused = _refuse_if_not_workable(request, episode)
    if refused:
        return refused
    try:
        outcome = services.outcome_get(episode, outcome_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    owners = services.action_owner_choices(episode, recorder=request.user)
    if request.method == "POST":
        form = PlanActionForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                services.plan_action_create(
                    episode=episode, by=request.user, outcome=outcome,
                    description=form.cleaned_data["description"], due_on=form.cleaned_data["due_on"],
                    service=form.cleaned_data.get("service"), **form.cleaned_data["owner"],
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, "Action added to the plan")
                return redirect(_plan_url(episode) + f"#outcome-{outcome.pk}")
    else:
        form = PlanActionForm(owners=owners)
    return render(request, "episodes/plan/action_create.html", _context(episode, form=form, outcome=outcome))


ActionStatusEditForm = versioning.versioned(ActionStatusForm)


def plan_action_status(request, episode_id: int, action_id: int):
    episode = _episode(request, episode_id, "change the status of an action")
    try:
        action = services.plan_action_get(episode, action_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not services.plan_user_may_update_action(request.user, action, episode=episode):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ActionStatusEditForm(request.POST)
        if form.is_valid():
            try:
                action = versioning.save_unless_stale(
                    form, lock=lambda: services.plan_action_lock(action), current=lambda saved: {"status": saved.status},
                    save=lambda saved: services.plan_action_status_update(
                        episode=episode, by=request.user, action=saved, status=form.cleaned_data["status"]),
                )
            except versioning.StaleEdit as stale:
                versioning.show_stale(form, stale)
                status = versioning.CONFLICT_STATUS
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, f"Status saved: {action.get_status_display()}")
                return redirect(_plan_url(episode) + f"#outcome-{action.outcome_id}")
    else:
        form = ActionStatusEditForm(initial={"status": action.status})
    return render(request, "episodes/plan/action_status.html", _context(
        episode, form=form, action=action, owner_label=services.action_owner_label(action),
    ), status=status)


# --- Agreeing the plan and its versions ------------------------------------------------------

def plan_agree(request, episode_id: int):
    episode = _episode(request, episode_id, "agree the plan with the family")
    if not may(request.user, "episodes.change_episode", episode):
        raise PermissionDenied
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            version = services.plan_agree(episode=episode, by=request.user)
        except ValidationError as error:
            errors = error.messages
        except Refused as refused:  # consent withdrawn: the plan waits, 409 like every refused move
            errors, status = [refused.message], REFUSED_STATUS
        else:
            messages.success(
                request,
                f"Plan agreed with the family and kept as version {version.number}. The first review is due by "
                f"{episode.review_due_on.day} {episode.review_due_on:%B %Y} and no later than "
                f"{episode.review_latest_on.day} {episode.review_latest_on:%B %Y}.",
            )
            return redirect(_plan_url(episode))
    return render(request, "episodes/plan/agree.html", _context(
        episode, outcomes=services.plan_outcomes(episode), meetings=services.taf_meetings_for_episode(episode),
        missing=services.plan_agreement_missing(episode), errors=errors, timing=services.review_timing(episode),
    ), status=status)


def plan_version_detail(request, episode_id: int, number: int):
    episode = _episode(request, episode_id, f"plan version {number}")
    try:
        version = services.plan_version_get(episode, number)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(request, "episodes/plan/version.html", _context(episode, version=version))


# --- Reviews ---------------------------------------------------------------------------------

def reviews_page(request, episode_id: int):
    episode = _episode(request, episode_id, "reviews")
    return render(request, "episodes/plan/reviews.html", _context(
        episode,
        may_review=may(request.user, "episodes.change_episode", episode) and episode.state == EpisodeState.PLAN_ACTIVE,
        timing=services.review_timing(episode),
        reviews=services.reviews_for_episode(episode),
        versions=services.plan_versions(episode),
    ))


def review_create(request, episode_id: int):
    episode = _episode(request, episode_id, "record a review")
    if not may(request.user, "episodes.change_episode", episode):
        raise PermissionDenied
    if episode.state != EpisodeState.PLAN_ACTIVE:
        messages.info(request, "A review can only be recorded while the plan is in place")
        return redirect("episode-reviews", episode_id=episode.pk)
    outcomes = services.plan_outcomes(episode)
    if request.method == "POST":
        form = ReviewForm(request.POST, outcomes=outcomes)
        if form.is_valid():
            try:
                review = services.review_create(
                    episode=episode, by=request.user, held_on=form.cleaned_data["held_on"],
                    progress=form.progress(), new_or_unmet_needs=form.cleaned_data["new_or_unmet_needs"],
                    decision=form.cleaned_data["decision"], notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, "Review recorded and a new version of the plan kept")
                return redirect("episode-review-detail", episode_id=episode.pk, review_id=review.pk)
    else:
        form = ReviewForm(outcomes=outcomes)
    return render(request, "episodes/plan/review_create.html", _context(
        episode, form=form, timing=services.review_timing(episode),
    ))


def review_detail(request, episode_id: int, review_id: int):
    episode = _episode(request, episode_id, "review")
    try:
        review = services.review_get(episode, review_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    next_step = {}
    if review.decision == ReviewDecision.STEP_UP:
        next_step = {"url": _optional_url("episode-step-up", episode.pk) or _optional_url("episode-stepping", episode.pk),
                     "text": "Request the step up to Children's Social Care"}
    elif review.decision in (ReviewDecision.STEP_DOWN, ReviewDecision.CLOSE):
        next_step = {"url": _optional_url("episode-close", episode.pk) or _optional_url("episode-stepping", episode.pk),
                     "text": "Close the episode and record the outcome for each need"}
    return render(request, "episodes/plan/review_detail.html", _context(
        episode, review=review, next_step=next_step, timing=services.review_timing(episode),
        is_latest=services.reviews_for_episode(episode)[0].pk == review.pk,
        may_change=may(request.user, "episodes.change_episode", episode),
    ))
