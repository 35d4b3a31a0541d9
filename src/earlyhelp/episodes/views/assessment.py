"""Pages of the Early Help Assessment. Thin: reads and writes go through services/assessment.py,
and every page reads the episode once through episode_get_for_user (need-to-know and audit).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from earlyhelp.alerts.selectors import assessment_alert_kind
from earlyhelp.audit.models import AccessKind
from earlyhelp.audit.services import access_record_create
from earlyhelp.policy import may
from earlyhelp.web import versioning
from earlyhelp.web.form_errors import INVALID_STATUS, REFUSED_STATUS, apply_errors
from earlyhelp.web.refusals import Refused

from ..documents import assessment_pdf, plan_pdf
from ..forms_assessment import (
    AgreedNeedsForm,
    AnalysisForm,
    ChildSectionForm,
    EngagementForm,
    FamilyRatingsForm,
    FamilyViewsForm,
    MonitoringFormForm,
    SignOffForm,
)
from ..models import EpisodeState
from ..selectors import episode_get_for_user
from ..services import assessment as service
from ..services.assessment import AssessmentIncomplete

PART_URL_NAMES = {
    "family_ratings": "episode-assessment-family-ratings",
    "family": "episode-assessment-family",
    "analysis": "episode-assessment-analysis",
    "needs": "episode-assessment-needs",
    "engagement": "episode-assessment-engagement",
}


def _episode(request, episode_id: int, page: str):
    return episode_get_for_user(request.user, episode_id, page=page, path=request.path)


def _overview_url(episode) -> str:
    return reverse("episode-assessment", kwargs={"episode_id": episode.pk})


def _part_url(episode, part) -> str:
    if part.key == "child":
        return reverse("episode-assessment-child", kwargs={"episode_id": episode.pk, "section_id": part.section_id})
    if part.key == "add_children":
        return _overview_url(episode) + "#add-children"
    return reverse(PART_URL_NAMES[part.key], kwargs={"episode_id": episode.pk})


def _require_assessment(episode):
    assessment = service.assessment_for_episode(episode)
    if assessment is None:
        raise Http404("The assessment has not started")
    return assessment


# --- The assessment page ---------------------------------------------------------------------


def _overview(request, episode, *, errors: list[dict] | None = None, status: int | None = None):
    """The assessment page; with errors (a move refused, parts missing) it answers 4xx."""
    status = status or (INVALID_STATUS if errors else 200)
    assessment = service.assessment_for_episode(episode)
    may_edit = may(request.user, "episodes.change_episode", episode)
    context = {
        "episode": episode,
        "family": episode.family,
        "assessment": assessment,
        "may_edit": may_edit,
        "errors": errors or [],
        "sign_off_required": settings.EARLYHELP_ASSESSMENT_SIGN_OFF,
        "working_days": settings.EARLYHELP_ASSESSMENT_WORKING_DAYS,
    }
    if assessment is None:
        context["may_start"] = may_edit and episode.state == EpisodeState.ASSESSMENT
        return render(request, "episodes/assessment/overview.html", context, status=status)
    parts = service.assessment_parts(assessment)
    items = [
        {"part": part, "url": _part_url(episode, part) if part.key != "add_children" else "",
         "id": f"part-{number}", "hint": _PART_HINTS.get("optional" if part.optional else part.key, "")}
        for number, part in enumerate(parts, start=1)
    ]
    locked = service.assessment_is_locked(assessment)
    context.update({
        "child_items": [item for item in items if item["part"].key in ("child", "add_children")],
        "family_items": [item for item in items if item["part"].key not in ("child", "add_children")],
        "children_without_section": service.assessment_children_without_section(assessment),
        "awaiting_sign_off": service.assessment_is_awaiting_sign_off(assessment),
        "overdue": service.assessment_is_overdue(assessment),
        "may_change": may_edit and not locked and episode.is_open,
        "may_complete": may_edit and not locked and episode.state == EpisodeState.ASSESSMENT,
        "may_sign_off": may(request.user, "episodes.sign_off_assessment", episode),
        "monitoring": service.monitoring_form_for(assessment),
        "plan_exists": service.plan_exists(episode),
    })
    return render(request, "episodes/assessment/overview.html", context, status=status)


_PART_HINTS = {
    "optional": "Optional: only when the family is hard to engage",
    "child": "Developmental needs, wishes and feelings",
    "family_ratings": "Once for all the children, with notes where a child differs",
}


def assessment_overview(request, episode_id: int):
    episode = _episode(request, episode_id, "assessment")
    return _overview(request, episode)


@require_POST
def assessment_start(request, episode_id: int):
    episode = _episode(request, episode_id, "start the assessment")
    try:
        assessment = service.assessment_start(episode=episode, by=request.user)
    except ValidationError as error:
        return _overview(request, episode, errors=[{"message": message, "href": "#start"} for message in error.messages])
    messages.success(request, f"Assessment started. It is due by {assessment.due_on:%-d %B %Y}.")
    return redirect("episode-assessment", episode_id=episode.pk)


@require_POST
def assessment_add_children(request, episode_id: int):
    episode = _episode(request, episode_id, "add children to the assessment")
    assessment = _require_assessment(episode)
    try:
        added = service.assessment_sections_add_missing(assessment=assessment, by=request.user)
    except ValidationError as error:
        return _overview(request, episode, errors=[{"message": m, "href": "#add-children"} for m in error.messages])
    if added:
        messages.success(request, f"{added} section{'s' if added != 1 else ''} added.")
    return redirect("episode-assessment", episode_id=episode.pk)


def assessment_check(request, episode_id: int):
    """Check your answers before completing: every part's answers, each with a link to change it."""
    episode = _episode(request, episode_id, "check the assessment's answers")
    assessment = _require_assessment(episode)
    may_edit = may(request.user, "episodes.change_episode", episode)
    if not may_edit or service.assessment_is_locked(assessment) or episode.state != EpisodeState.ASSESSMENT:
        return redirect("episode-assessment", episode_id=episode.pk)
    return render(request, "episodes/assessment/check.html", {
        "episode": episode, "family": episode.family, "assessment": assessment,
        **_answers_context(episode, assessment),
        "sign_off_required": settings.EARLYHELP_ASSESSMENT_SIGN_OFF,
        "overview_url": _overview_url(episode),
    })


def _answers_context(episode, assessment) -> dict:
    """Every part's answers and where to change them, for check your answers and sign-off."""
    parts = [part for part in service.assessment_parts(assessment) if part.key != "add_children"]
    sections = service.assessment_current_sections(assessment)
    by_section = {section.pk: section for section in sections}
    return {
        "children": [
            {"part": part, "url": _part_url(episode, part), "section": by_section[part.section_id],
             "domains": service.section_ratings_by_domain(by_section[part.section_id])}
            for part in parts if part.key == "child"
        ],
        "family_part": {"url": reverse(PART_URL_NAMES["family_ratings"], kwargs={"episode_id": episode.pk}),
                        "domains": service.family_ratings_by_domain(assessment, sections)},
        "part_urls": {key: reverse(name, kwargs={"episode_id": episode.pk}) for key, name in PART_URL_NAMES.items()},
        "missing": [{"message": message, "href": _part_url(episode, part)} for part in parts for message in part.missing],
        "agreed_needs": service.agreed_need_labels(assessment.agreed_needs),
    }


@require_POST
def assessment_complete(request, episode_id: int):
    episode = _episode(request, episode_id, "complete the assessment")
    assessment = _require_assessment(episode)
    try:
        service.assessment_complete(assessment=assessment, by=request.user)
    except AssessmentIncomplete as incomplete:
        errors = [
            {"message": message, "href": _part_url(episode, part)}
            for part in incomplete.parts for message in part.missing
        ]
        return _overview(request, episode, errors=errors)
    except ValidationError as error:
        return _overview(request, episode, errors=[{"message": m, "href": "#complete"} for m in error.messages])
    except Refused as refused:  # a move the table refuses, or consent withdrawn
        return _overview(request, episode, errors=[{"message": refused.message, "href": "#complete"}],
                         status=REFUSED_STATUS)
    if settings.EARLYHELP_ASSESSMENT_SIGN_OFF:
        messages.success(request, "Assessment completed. A team manager has been asked to sign it off.")
        return redirect("episode-assessment", episode_id=episode.pk)
    messages.success(request, "Assessment completed. Now fill in the EHA monitoring form.")
    return redirect("episode-monitoring", episode_id=episode.pk)


# --- The parts of the assessment -------------------------------------------------------------


def _next_url(episode, assessment, current_key: str, current_section_id: int | None) -> str:
    """Where "Save and continue" goes: the next part on the task list, then the assessment page."""
    parts = [part for part in service.assessment_parts(assessment) if part.key != "add_children"]
    for index, part in enumerate(parts):
        if part.key == current_key and part.section_id == current_section_id and index + 1 < len(parts):
            return _part_url(episode, parts[index + 1])
    return _overview_url(episode)


def _locked_reason(assessment) -> str:
    if assessment.completed_on:
        return f"The assessment was completed on {assessment.completed_on:%-d %B %Y} and can no longer be changed."
    if service.assessment_is_awaiting_sign_off(assessment):
        return "The assessment is waiting for a team manager's sign-off and cannot be changed now."
    return ""


def _part_page(request, episode_id: int, *, key: str, section_id: int | None = None):
    episode = _episode(request, episode_id, f"assessment: {key}")
    assessment = _require_assessment(episode)
    may_edit = may(request.user, "episodes.change_episode", episode)
    can_edit = may_edit and not service.assessment_is_locked(assessment) and episode.is_open
    page = _PARTS[key]
    section = None
    if key == "child":
        section = service.assessment_child_section_get(assessment=assessment, section_id=section_id)
        form_kwargs, current = {"section": section}, ChildSectionForm.initial_for
    elif key == "family_ratings":
        sections = service.assessment_current_sections(assessment)
        form_kwargs = {"sections": sections, "initial": FamilyRatingsForm.initial_for(assessment, sections)}
        current = lambda locked: FamilyRatingsForm.initial_for(  # noqa: E731 - what is saved now, as the form shows it
            locked, service.assessment_current_sections(service.assessment_for_episode(episode)))
    elif key == "needs":
        requested = [] if assessment.agreed_needs else service.assessment_requested_factors(assessment)
        form_kwargs = {"initial": page["initial"](assessment), "from_request": bool(requested)}
        current = page["initial"]
    else:
        form_kwargs, current = {"initial": page["initial"](assessment)}, page["initial"]
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = page["form"](request.POST, **form_kwargs)
        if not can_edit:
            form.is_valid()
            form.add_error(None, _locked_reason(assessment) or "The episode is closed")
        elif form.is_valid():
            try:
                versioning.save_unless_stale(
                    form,
                    lock=lambda: service.assessment_lock_for_edit(
                        assessment=assessment, by=request.user, section_id=section.pk if section else None),
                    current=current,
                    save=lambda record: page["save"](assessment=assessment, section=section, by=request.user, form=form),
                )
            except versioning.StaleEdit as stale:
                versioning.show_stale(form, stale)
                status = versioning.CONFLICT_STATUS
            except ValidationError as error:
                apply_errors(error, form)
            else:
                if request.POST.get("next") == "later":
                    messages.success(request, f"{page['saved']} saved. You can come back to it at any time.")
                    return redirect("episode-assessment", episode_id=episode.pk)
                return redirect(_next_url(episode, assessment, key, section.pk if section else None))
    else:
        form = page["form"](**form_kwargs)
    title = section.child.full_name if section else page["title"]
    return render(request, "episodes/assessment/part.html", {
        "episode": episode,
        "family": episode.family,
        "assessment": assessment,
        "section": section,
        "child": section.child if section else None,
        "form": form,
        "can_edit": can_edit or (request.method == "POST" and may_edit),
        "locked_reason": _locked_reason(assessment),
        "title": title,
        "intro": page["intro"],
        "readonly_template": f"episodes/assessment/readonly/{key}.html",
        "ratings": service.section_ratings_by_domain(section) if section else [],
        "family_domains": (service.family_ratings_by_domain(assessment, service.assessment_current_sections(assessment))
                           if key == "family_ratings" else []),
        "agreed_needs": service.agreed_need_labels(assessment.agreed_needs),
        "overview_url": _overview_url(episode),
    }, status=status)


def _save_child(*, assessment, section, by, form):
    service.assessment_child_section_save(
        section=section, by=by, wishes_and_feelings=form.cleaned_data["wishes_and_feelings"],
        how_heard=form.cleaned_data["how_heard"], ratings=form.ratings(),
    )


def _save_family_ratings(*, assessment, section, by, form):
    service.assessment_family_ratings_save(assessment=assessment, by=by, ratings=form.ratings(),
                                           child_notes=form.child_notes())


def _save_family(*, assessment, section, by, form):
    service.assessment_family_views_save(assessment=assessment, by=by, parents_views=form.cleaned_data["parents_views"])


def _save_analysis(*, assessment, section, by, form):
    service.assessment_analysis_save(assessment=assessment, by=by, **form.cleaned_data)


def _save_needs(*, assessment, section, by, form):
    service.assessment_needs_save(assessment=assessment, by=by, agreed_needs=form.agreed_needs())


def _save_engagement(*, assessment, section, by, form):
    service.assessment_engagement_save(assessment=assessment, by=by, **form.cleaned_data)


_PARTS = {
    "child": {
        "form": ChildSectionForm, "save": _save_child, "initial": None, "title": "", "saved": "The child's section",
        "intro": "",
    },
    "family_ratings": {
        "form": FamilyRatingsForm, "save": _save_family_ratings, "initial": None, "title": service.FAMILY_RATINGS_TITLE,
        "saved": "The family's part", "intro": "",
    },
    "family": {
        "form": FamilyViewsForm, "save": _save_family, "title": "Parents' and carers' views", "saved": "The family's views",
        "initial": lambda assessment: {"parents_views": assessment.parents_views},
        "intro": "If a parent or carer would not or could not give their views, say why under 'When engagement is hard'.",
    },
    "analysis": {
        "form": AnalysisForm, "save": _save_analysis, "title": "Analysis: what needs to change", "saved": "The analysis",
        "initial": lambda assessment: {"what_needs_to_change": assessment.what_needs_to_change,
                                       "impact_if_not": assessment.impact_if_not},
        "intro": "Bring together what you have learned from the children, the family and the agencies around them.",
    },
    "needs": {
        "form": AgreedNeedsForm, "save": _save_needs, "title": "Agreed needs", "saved": "The agreed needs",
        # Until the needs are first agreed, they start from what the request for support said.
        "initial": lambda assessment: AgreedNeedsForm.initial_for(
            assessment.agreed_needs or service.assessment_requested_factors(assessment)),
        "intro": "The needs you and the family agreed the plan should address.",
    },
    "engagement": {
        "form": EngagementForm, "save": _save_engagement, "title": "When engagement is hard", "saved": "The engagement section",
        "initial": lambda assessment: {"engagement_attempts": assessment.engagement_attempts,
                                       "not_assessed": assessment.not_assessed,
                                       "risk_to_workers": assessment.risk_to_workers,
                                       "risk_kind": assessment_alert_kind(assessment_id=assessment.pk)},
        "intro": "Only if the family has been hard to engage: record the attempts you made, what you could not "
                 "assess and any risk to workers.",
    },
}


def assessment_child(request, episode_id: int, section_id: int):
    return _part_page(request, episode_id, key="child", section_id=section_id)


def assessment_family_ratings(request, episode_id: int):
    return _part_page(request, episode_id, key="family_ratings")


def assessment_family(request, episode_id: int):
    return _part_page(request, episode_id, key="family")


def assessment_analysis(request, episode_id: int):
    return _part_page(request, episode_id, key="analysis")


def assessment_needs(request, episode_id: int):
    return _part_page(request, episode_id, key="needs")


def assessment_engagement(request, episode_id: int):
    return _part_page(request, episode_id, key="engagement")


# --- Sign-off and the monitoring form --------------------------------------------------------


def assessment_sign_off(request, episode_id: int):
    episode = _episode(request, episode_id, "sign off the assessment")
    assessment = _require_assessment(episode)
    if not may(request.user, "episodes.sign_off_assessment", episode):
        raise PermissionDenied
    if not service.assessment_is_awaiting_sign_off(assessment):
        messages.info(request, "There is no completed assessment waiting for sign-off.")
        return redirect("episode-assessment", episode_id=episode.pk)
    form = SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == SignOffForm.SIGN_OFF:
                service.assessment_sign_off(assessment=assessment, by=request.user)
                messages.success(request, "Assessment signed off. The episode has moved on to agreeing the plan.")
            else:
                service.assessment_sign_off_return(assessment=assessment, by=request.user,
                                                   reason=form.cleaned_data["reason"])
                messages.success(request, "Assessment sent back for changes.")
        except (ValidationError, Refused) as error:
            apply_errors(error, form)
        else:
            return redirect("episode-assessment", episode_id=episode.pk)
    return render(request, "episodes/assessment/sign_off.html", {
        "episode": episode, "family": episode.family, "assessment": assessment, "form": form,
        "overview_url": _overview_url(episode), **_answers_context(episode, assessment),
    })


def assessment_monitoring(request, episode_id: int):
    episode = _episode(request, episode_id, "EHA monitoring form")
    assessment = _require_assessment(episode)
    if assessment.completed_on is None:
        messages.info(request, "The EHA monitoring form follows a completed assessment.")
        return redirect("episode-assessment", episode_id=episode.pk)
    may_edit = may(request.user, "episodes.change_episode", episode)
    existing = service.monitoring_form_for(assessment)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = MonitoringFormForm(request.POST)
        if form.is_valid():
            try:
                versioning.save_unless_stale(
                    form, lock=lambda: service.monitoring_form_lock(assessment=assessment),
                    current=lambda saved: MonitoringFormForm.initial_for(assessment=assessment, existing=saved),
                    save=lambda saved: service.monitoring_form_save(
                        assessment=assessment, by=request.user, **form.cleaned_data),
                )
            except versioning.StaleEdit as stale:
                versioning.show_stale(form, stale)
                status = versioning.CONFLICT_STATUS
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, "EHA monitoring form saved.")
                return redirect("episode-assessment", episode_id=episode.pk)
    else:
        form = MonitoringFormForm(initial=MonitoringFormForm.initial_for(assessment=assessment, existing=existing))
    return render(request, "episodes/assessment/monitoring.html", {
        "episode": episode, "family": episode.family, "assessment": assessment, "form": form,
        "may_edit": may_edit, "monitoring": existing, "overview_url": _overview_url(episode),
        "monitoring_display": service.monitoring_form_display(existing) if existing else None,
    }, status=status)


# --- Documents for the family ----------------------------------------------------------------


def _pdf_response(*, request, episode, content: bytes, filename: str, what: str) -> HttpResponse:
    access_record_create(user=request.user, kind=AccessKind.DOWNLOAD, family=episode.family,
                         what=f"Episode {episode.reference}: {what}", path=request.path)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # a document about a family never sits in a shared cache
    return response


def assessment_pdf_download(request, episode_id: int):
    episode = _episode(request, episode_id, "assessment document")
    assessment = _require_assessment(episode)
    return _pdf_response(
        request=request, episode=episode, content=assessment_pdf(assessment=assessment),
        filename=f"early-help-assessment-{episode.reference}.pdf", what="assessment (PDF)",
    )


def plan_pdf_download(request, episode_id: int):
    episode = _episode(request, episode_id, "plan document")
    if not service.plan_exists(episode):
        raise Http404("There is no plan yet")
    return _pdf_response(
        request=request, episode=episode, content=plan_pdf(episode=episode),
        filename=f"family-plan-{episode.reference}.pdf", what="family plan (PDF)",
    )
