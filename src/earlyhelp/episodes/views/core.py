"""Starting early help, the episode overview, the lead professional, disagreements and My work.

Thin: reads go through episodes.selectors / selectors_core, writes through services.core.
Every episode page fetches its episode once with episode_get_for_user (need-to-know, audit).
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from earlyhelp.audit.services import record_listed
from earlyhelp.policy import may, require
from earlyhelp.web import versioning
from earlyhelp.web.form_errors import apply_errors

from .. import selectors_core as reads
from ..forms_core import (
    ChildAddForm,
    ChildRemoveForm,
    DisagreementForm,
    DisagreementOutcomeForm,
    EpisodeStartForm,
    LeadProfessionalForm,
    LeadSearchForm,
)
from ..selectors import episode_get_for_user, episode_step_down
from ..services import core as services


def _posted(request):
    """The submitted data on a POST (even an empty one), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _family_url(family_id: int) -> str:
    try:
        return reverse("family-detail", kwargs={"family_id": family_id})
    except NoReverseMatch:  # the family page belongs to the people app
        return ""


def episode_start(request, family_id: int):
    """'Start early help for this family': choose the children of concern and who holds the work."""
    family = reads.family_get_for_episode_start(request.user, family_id, path=request.path)
    require(request.user, "episodes.open_episode", family)
    existing = reads.open_episode_for_family(family)
    allocations = [] if existing else reads.allocations_waiting_to_start(family)
    children = reads.family_children_list(family)
    workers = reads.allocated_worker_choices(request.user)
    # Before starting: does a child already have a lead professional? (DOMAIN §2)
    existing_leads = reads.family_lead_professionals(family)
    form = None
    if existing is None:
        initial = {"children": [child.pk for child in children]}
        if request.user in workers:
            initial["allocated_worker"] = request.user.pk
        form = EpisodeStartForm(_posted(request), children=children, workers=workers, initial=initial,
                                existing_leads=existing_leads)
        if request.method == "POST" and form.is_valid() and form.works_with_existing_lead:
            messages.success(request, "Early help was not started. Contact the lead professional already working "
                                      "with the family: their details are below.")
            return redirect(_family_url(family.pk) + "#lead-professional")
        if request.method == "POST" and form.is_valid():
            chosen_worker = next(
                (worker for worker in workers if worker.pk == form.cleaned_data.get("allocated_worker")), None
            )
            try:
                episode = services.episode_open(
                    family=family, opened_by=request.user, allocated_worker=chosen_worker,
                    children=form.cleaned_data["children"],
                    existing_leads_reason=form.cleaned_data.get("existing_lead_reason", ""),
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, f"Early help started: episode {episode.reference}")
                return redirect("episode-detail", episode_id=episode.pk)
    return render(request, "episodes/core/start.html", {
        "family": family,
        "family_url": _family_url(family.pk),
        "existing": existing,
        "allocations": allocations,
        "children": children,
        "form": form,
        "existing_leads": existing_leads,
    })


@require_POST
def episode_start_from_allocation(request, family_id: int, decision_id: int):
    """The 'Start early help' button for an allocation meeting's decision."""
    family = reads.family_get_for_episode_start(request.user, family_id, path=request.path)
    decision = next((item for item in reads.allocations_waiting_to_start(family) if item.pk == decision_id), None)
    if decision is None:
        messages.error(request, "Early help has already started from that allocation, or it did not allocate the family.")
        return redirect("episode-start", family_id=family.pk)
    try:
        episode = services.episode_open_from_allocation(decision=decision, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("episode-start", family_id=family.pk)
    messages.success(request, f"Early help started: episode {episode.reference}")
    return redirect("episode-detail", episode_id=episode.pk)


def episode_detail(request, episode_id: int):
    """The overview: children of concern, who holds the work, what is due, and the timeline."""
    episode = episode_get_for_user(request.user, episode_id, page="overview", path=request.path)
    overview = reads.episode_overview(request.user, episode)
    add_form = None
    if overview.addable_children:
        add_form = ChildAddForm(
            request.POST if request.method == "POST" else None, children=overview.addable_children,
            auto_id="add_%s",
        )
    if request.method == "POST":
        if add_form is None:
            raise PermissionDenied
        if add_form.is_valid():
            person = next(child for child in overview.addable_children if child.pk == add_form.cleaned_data["person"])
            try:
                services.episode_child_add(episode=episode, person=person, by=request.user)
            except ValidationError as error:
                apply_errors(error, add_form)
            else:
                messages.success(request, f"{person.full_name} added as a child of concern")
                return redirect("episode-detail", episode_id=episode.pk)
    from earlyhelp.recording.selectors import oversight_latest  # a higher app: management oversight

    may_see_oversight, oversight = oversight_latest(request.user, episode)
    return render(request, "episodes/core/detail.html", {
        "episode": episode,
        "family": episode.family,
        "family_url": _family_url(episode.family_id),
        "overview": overview,
        "add_form": add_form,
        "may_see_oversight": may_see_oversight,
        "oversight": oversight,
        "step_down": episode_step_down(episode),
        "may_allocate": may(request.user, "episodes.allocate_episode", episode),
        **reads.due_dates(),
    })


def episode_child_remove(request, episode_id: int, child_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="remove a child", path=request.path)
    child = reads.episode_child_get(episode, child_id)
    if not may(request.user, "episodes.change_episode", episode) or not episode.is_open:
        raise PermissionDenied
    if child.removed_on is not None:
        return redirect("episode-detail", episode_id=episode.pk)
    only_child = reads.episode_current_child_total(episode) <= 1
    form = None if only_child else ChildRemoveForm(_posted(request))
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.episode_child_remove(
                episode_child=child, by=request.user,
                on=form.cleaned_data["removed_on"], reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, f"{child.person.full_name} is no longer a child of concern")
            return redirect("episode-detail", episode_id=episode.pk)
    return render(request, "episodes/core/child_remove.html", {
        "episode": episode, "family": episode.family, "child": child, "form": form, "only_child": only_child,
    })


def _lead_saved(saved) -> dict:
    """The lead a change of lead replaces, as saved (the form compares it: web/versioning.py)."""
    episode, _latest_change = saved
    return {"lead": episode.lead_professional}


def episode_lead_professional(request, episode_id: int):
    """Choose or transfer the lead professional; who led when; disagreements and their outcomes."""
    episode = episode_get_for_user(request.user, episode_id, page="lead professional", path=request.path)
    can_change = episode.is_open and may(request.user, "episodes.change_episode", episode)
    transfer = episode.lead_professional_id is not None
    leads_elsewhere = reads.children_leads_elsewhere(episode)
    search_form = LeadSearchForm(request.GET or None)
    search = request.POST.get("q", "") if request.method == "POST" else request.GET.get("q", "")
    form = None
    status = 200
    if can_change:
        posted = request.POST.get("lead", "") if request.method == "POST" else ""
        candidates = reads.lead_candidates(
            episode, search=search.replace("\x00", "")[:100], include=int(posted) if posted.isdigit() else None
        )
        form = LeadProfessionalForm(
            request.POST if request.method == "POST" else None, candidates=candidates, transfer=transfer,
            handover_needed=bool(leads_elsewhere), initial={"q": search}, saved={"lead": episode.lead_professional_id},
        )
        lock = partial(services.lead_professional_lock, episode=episode)
        if request.method == "POST" and not form.is_valid():
            # A lead someone else chose since the page was opened is said first, even when the older
            # page cannot be saved as it is (a first choice that has become a transfer).
            try:
                versioning.refuse_if_changed(form, lock=lock, current=_lead_saved)
            except versioning.StaleEdit as stale:
                versioning.show_stale(form, stale)
                status = versioning.CONFLICT_STATUS
        elif request.method == "POST":
            lead = next(user for user in candidates if user.pk == form.cleaned_data["lead"])
            try:
                versioning.save_unless_stale(
                    form, lock=lock, current=_lead_saved,
                    save=lambda saved: services.lead_professional_assign(
                        episode=episode, lead=lead, by=request.user,
                        chosen_with_family=form.cleaned_data["chosen_with_family"] == "yes",
                        handover_note=form.cleaned_data.get("handover_note", ""),
                    ),
                )
            except versioning.StaleEdit as stale:
                versioning.show_stale(form, stale)
                status = versioning.CONFLICT_STATUS
            except ValidationError as error:
                apply_errors(error, form)
            else:
                verb = "transferred to" if transfer else "is now"
                name = lead.get_full_name() or lead.username
                messages.success(request, f"Lead professional {verb} {name}" if transfer else f"{name} {verb} the lead professional")
                return redirect("episode-lead-professional", episode_id=episode.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "episodes/core/lead_professional.html", {
        "episode": episode,
        "family": episode.family,
        "can_change": can_change,
        "transfer": transfer,
        "search_form": search_form,
        "search": search,
        "form": form,
        "history": reads.lead_history(episode),
        "leads_elsewhere": leads_elsewhere,
        "disagreements": reads.disagreements_list(episode),
        "can_discuss": episode.is_open and may(request.user, "episodes.raise_disagreement", episode),
    }, status=status)


def disagreement_create(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="record a disagreement", path=request.path)
    if not may(request.user, "episodes.raise_disagreement", episode) or not episode.is_open:
        raise PermissionDenied
    form = DisagreementForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.disagreement_record(
                episode=episode, topic=form.cleaned_data["topic"], details=form.cleaned_data["details"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Disagreement recorded")
            return redirect("episode-lead-professional", episode_id=episode.pk)
    return render(request, "episodes/core/disagreement_form.html", {
        "episode": episode, "family": episode.family, "form": form,
    })


def disagreement_resolve(request, episode_id: int, disagreement_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="outcome of a disagreement", path=request.path)
    disagreement = reads.disagreement_get(episode, disagreement_id)
    if disagreement.resolved_at is not None:
        return redirect("episode-lead-professional", episode_id=episode.pk)
    require(request.user, "episodes.resolve_disagreement", disagreement)
    form = DisagreementOutcomeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.disagreement_resolve(
                disagreement=disagreement, outcome=form.cleaned_data["outcome"], by=request.user
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Outcome of the disagreement recorded")
            return redirect("episode-lead-professional", episode_id=episode.pk)
    return render(request, "episodes/core/disagreement_outcome.html", {
        "episode": episode, "family": episode.family, "disagreement": disagreement, "form": form,
    })


def my_work(request):
    """Each practitioner's open episodes, most urgent first; managers also see their teams' late work."""
    require(request.user, "episodes.view_my_work")
    may_see_late = may(request.user, "reporting.view_team_work")
    show_late = may_see_late and request.GET.get("show") == "late"
    episodes = reads.team_late_work_list(request.user) if show_late else reads.my_work_list(request.user)
    page = Paginator(episodes, reads.MY_WORK_PAGE_SIZE).get_page(request.GET.get("page"))
    from earlyhelp.reporting.worklists import (  # a higher app
        MY_WORK_QUEUE_ROWS,
        queue_family_ids,
        work_queues_for,
    )

    # The queues (allocations, step ups and downs, assessments, oversight) head the first page.
    queues = work_queues_for(request.user, limit=MY_WORK_QUEUE_ROWS) if not show_late and page.number == 1 else {}
    record_listed(request, "Late work in your teams" if show_late else "My work",
                  [episode.family_id for episode in page.object_list] + queue_family_ids(queues))
    return render(request, "episodes/core/my_work.html", {
        "page": page,
        "episodes": page.object_list,
        "queues": queues,
        "show_late": show_late,
        "is_manager": may_see_late,
        **reads.due_dates(),
    })
