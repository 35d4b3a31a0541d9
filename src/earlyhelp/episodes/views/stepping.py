"""Pages for stepping up, stepping down and closing an episode (thin: services do the work)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.datastructures import MultiValueDict

from earlyhelp.accounts.models import Role
from earlyhelp.audit.services import access_record_create, record_listed
from earlyhelp.people.access import families_visible_to
from earlyhelp.people.models import Family, MemberRole
from earlyhelp.policy import may, require
from earlyhelp.web.form_errors import apply_errors

from ..forms_stepping import (
    ClosureForm,
    StepDownDecisionForm,
    StepDownForm,
    StepUpDecisionForm,
    StepUpForm,
)
from ..models import EpisodeState, StepDown, StepUp, StepUpReason
from ..selectors import episode_get_for_user
from ..services import stepping
from ..transitions import TRANSITIONS, Action


def episode_stepping(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="Step up, step down and close", path=request.path)
    may_change = may(request.user, "episodes.change_episode", episode)
    return render(request, "episodes/stepping/overview.html", {
        "episode": episode, "family": episode.family,
        "step_ups": episode.step_ups.select_related("requested_by", "social_worker"),
        "closure": getattr(episode, "closure", None),
        "step_down": StepDown.objects.filter(episode=episode).select_related("social_worker").first(),
        "can_step_up": may_change and (episode.state, Action.STEP_UP_REQUESTED) in TRANSITIONS,
        "can_close": may_change and (episode.state, Action.CLOSED) in TRANSITIONS,
    })


def episode_step_up(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="Step up", path=request.path)
    if not may(request.user, "episodes.change_episode", episode):
        raise PermissionDenied
    assessment = getattr(episode, "assessment", None)
    initial = {"assessment_factors": assessment.agreed_needs if assessment else []}
    form = StepUpForm(_answers(request, "step-up", episode), initial=initial)
    if request.method == "POST" and form.is_valid():
        if not _confirmed(request):
            return _check_answers(request, "step-up", episode, form, {
                "title": "Check your answers before sending the step up",
                "confirm_label": "Send the step up to Children's Social Care",
                "warning": "Once sent, the step up goes to Children's Social Care and cannot be taken back.",
            })
        try:
            stepping.episode_step_up(episode=episode, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            _forget_answers(request, "step-up", episode)
            messages.success(request, "The step up has been sent to Children's Social Care.")
            return redirect("episode-stepping", episode_id=episode.pk)
    return render(request, "episodes/stepping/step_up.html", {"episode": episode, "family": episode.family, "form": form})


def step_up_decide(request, step_up_id: int):
    step_up = get_object_or_404(StepUp.objects.only("episode_id"), pk=step_up_id)
    episode = episode_get_for_user(request.user, step_up.episode_id, page="Step-up referral", path=request.path)
    step_up = StepUp.objects.select_related("requested_by", "social_worker").get(pk=step_up_id)
    form = StepUpDecisionForm(request.POST or None)
    may_decide = may(request.user, "episodes.decide_step_up", step_up)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                stepping.step_up_decide(step_up=step_up, by=request.user,
                                        accept=form.cleaned_data["decision"] == "accept",
                                        notes=form.cleaned_data["notes"])
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, "Your decision has been recorded and early help has been told.")
                return redirect("step-up-decide", step_up_id=step_up.pk)
    assessment = getattr(episode, "assessment", None)
    return render(request, "episodes/stepping/step_up_decide.html", {
        "episode": episode, "family": episode.family, "step_up": step_up, "form": form,
        "assessment": assessment,
        "child_sections": assessment.child_sections.select_related("child") if assessment else [],
        "can_decide": may_decide and step_up.decided_at is None,
        "reason_labels": [StepUpReason(code).label for code in step_up.reasons if code in StepUpReason.values],
    })


def episode_close(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="Close the episode", path=request.path)
    if not may(request.user, "episodes.change_episode", episode):
        raise PermissionDenied
    if (episode.state, Action.CLOSED) not in TRANSITIONS and request.method != "POST":  # a POST: refused, 409
        messages.error(request, "This episode cannot be closed now: " + (
            "it is already closed" if episode.state == EpisodeState.CLOSED else "consent has not been recorded yet"))
        return redirect("episode-stepping", episode_id=episode.pk)
    assessment = getattr(episode, "assessment", None)
    needs = list(assessment.agreed_needs) if assessment else []
    form = ClosureForm(_answers(request, "close", episode), needs=needs)
    if request.method == "POST" and form.is_valid():
        if not _confirmed(request):
            return _check_answers(request, "close", episode, form, {
                "title": "Check your answers before closing the episode",
                "confirm_label": "Close the episode",
                "warning": "Once closed, the episode, its plan and the outcomes for each need can no longer be changed.",
            })
        try:
            stepping.episode_close(
                episode=episode, by=request.user, reason=form.cleaned_data["reason"],
                summary_for_family=form.cleaned_data["summary_for_family"], need_outcomes=form.need_outcomes(),
                new_authority=form.cleaned_data["new_authority"], other_reason=form.cleaned_data["other_reason"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            _forget_answers(request, "close", episode)
            messages.success(request, "The episode is closed.")
            return redirect("episode-stepping", episode_id=episode.pk)
    return render(request, "episodes/stepping/close.html", {"episode": episode, "family": episode.family, "form": form})


def step_down_propose(request, family_id: int):
    family = get_object_or_404(Family, pk=family_id)
    require(request.user, "episodes.propose_step_down", family)
    access_record_create(user=request.user, family=family, what="Propose a step down", path=request.path)
    children = family.members.filter(memberships__role__in=[MemberRole.CHILD, MemberRole.UNBORN],
                                     memberships__left_on__isnull=True).distinct()
    form = StepDownForm(request.POST or None, children_queryset=children)
    if request.method == "POST" and form.is_valid():
        try:
            step_down = stepping.step_down_propose(family=family, by=request.user, **{
                "children": list(form.cleaned_data["children"]),
                "final_assessment_summary": form.cleaned_data["final_assessment_summary"],
                "handover_plan": form.cleaned_data["handover_plan"],
                "proposed_lead": form.cleaned_data["proposed_lead"],
            })
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "The step down has been sent to early help.")
            return redirect("step-down-detail", step_down_id=step_down.pk)
    return render(request, "episodes/stepping/step_down_propose.html", {"family": family, "form": form})


def step_down_detail(request, step_down_id: int):
    step_down = get_object_or_404(
        StepDown.objects.select_related("family", "social_worker", "proposed_lead", "decided_by", "episode"),
        pk=step_down_id,
    )
    user = request.user
    may_decide = step_down.status == StepDown.Status.PROPOSED and may(user, "episodes.decide_step_down", step_down)
    require(user, "episodes.view_step_down", step_down)
    access_record_create(user=user, family=step_down.family, what="Step-down proposal", path=request.path)
    form = StepDownDecisionForm(request.POST or None, proposed_lead=step_down.proposed_lead)
    if request.method == "POST":
        if not may(user, "episodes.decide_step_down", step_down):
            raise PermissionDenied  # one already decided is refused by the service (409), not forbidden
        if form.is_valid():
            try:
                step_down = stepping.step_down_decide(
                    step_down=step_down, by=user, accept=form.cleaned_data["decision"] == "accept",
                    return_reasons=form.cleaned_data["return_reasons"],
                    chosen_with_family=form.lead_chosen_with_family(),
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, "Early help has accepted the step down and an episode is open."
                                 if step_down.episode_id else
                                 "The step down has been returned to Children's Social Care.")
                return redirect("step-down-detail", step_down_id=step_down.pk)
    return render(request, "episodes/stepping/step_down_detail.html", {
        "step_down": step_down, "family": step_down.family, "form": form,
        "children": step_down.children.all(),
        "can_decide": may_decide,
    })


def step_downs_list(request):
    user = request.user
    require(user, "episodes.list_step_downs")
    step_downs = (StepDown.objects.filter(family__in=families_visible_to(user))
                  .select_related("social_worker", "family").order_by("-proposed_at"))
    if user.role == Role.SOCIAL_WORKER:
        step_downs = step_downs.filter(social_worker=user)
    else:
        step_downs = step_downs.filter(status=StepDown.Status.PROPOSED)
    step_downs = list(step_downs[:200])
    record_listed(request, "Step downs", [step_down.family_id for step_down in step_downs])
    return render(request, "episodes/stepping/step_downs.html", {"step_downs": step_downs})


# Check your answers before a step up or a closure, neither of which can be taken back. A valid form
# is shown back as a summary list; its answers travel in hidden fields and are validated again when
# confirmed, so the service stays the only writer and refuses (409) as before. "Change" opens the
# form again with the answers kept (in the session, for this episode only).

CONFIRM_FIELD = "confirm"


def _answers_key(journey: str, episode) -> str:
    return f"check-answers:{journey}:{episode.pk}"


def _confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "yes"


def _answers(request, journey: str, episode):
    """The form's data: what was posted, or on "Change" the answers last checked (else unbound)."""
    if request.method == "POST":
        return request.POST
    kept = request.session.get(_answers_key(journey, episode)) if "change" in request.GET else None
    return MultiValueDict(kept) if kept else None


def _forget_answers(request, journey: str, episode) -> None:
    request.session.pop(_answers_key(journey, episode), None)


def _answer_value(form, name: str):
    """What was chosen or typed, as it was shown: choices by their labels."""
    value = form.cleaned_data.get(name)
    choices = dict(getattr(form.fields[name], "choices", ()) or ())
    if isinstance(value, (list, tuple)):
        return [str(choices.get(item, item)) for item in value]
    if choices:
        return str(choices.get(value, value or ""))
    return value or ""


def _check_answers(request, journey: str, episode, form, text: dict):
    answers = {name: request.POST.getlist(name) for name in form.data
               if name not in ("csrfmiddlewaretoken", "submit", CONFIRM_FIELD)}
    request.session[_answers_key(journey, episode)] = answers
    change_url = f"{request.path}?change"
    # Questions left blank that only apply to some answers (the authority moved to, an optional
    # comment) are not listed; a required question is always.
    rows = [
        {"key": getattr(form, "answer_labels", {}).get(name, form[name].label), "value": value, "choices": value if isinstance(value, list) else [],
         "href": f"{change_url}#div_{form[name].auto_id}"}
        for name in form.fields for value in [_answer_value(form, name)]
        if form.cleaned_data.get(name) not in (None, "", []) or form.fields[name].required
    ]
    hidden = [(name, value) for name, values in answers.items() for value in values]
    return render(request, "episodes/stepping/check_answers.html", {
        "episode": episode, "family": episode.family, "rows": rows, "hidden": hidden, "change_url": change_url,
        "confirm_field": CONFIRM_FIELD, **text,
    })
