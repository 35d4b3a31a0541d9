"""Pages for stepping up, stepping down and closing an episode (thin: services do the work).

A step up and a closure are question pages (stepping_pages.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from earlyhelp.accounts.models import Role
from earlyhelp.audit.services import access_record_create, record_listed
from earlyhelp.people.access import families_visible_to
from earlyhelp.people.models import Family, MemberRole
from earlyhelp.policy import may, require
from earlyhelp.web.form_errors import apply_errors

from ..forms_stepping import StepDownDecisionForm, StepDownForm, StepUpDecisionForm
from ..models import StepDown, StepUp, StepUpReason
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
