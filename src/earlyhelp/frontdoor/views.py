"""Pages for requests for support, the front door queue, triage and the allocation meeting.

Thin: reads go through selectors.py, writes through services.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from earlyhelp.audit.services import record_listed
from earlyhelp.policy import may
from earlyhelp.standards import AssessmentFactor, Vulnerability
from earlyhelp.web.form_errors import apply_errors
from earlyhelp.web.refusals import Refused

from . import forms as f
from . import selectors, services
from .indicators import (
    INDICATORS_BY_CODE,
    indicated_level,
    indicators_by_domain,
    level_counts,
    request_harm_signals,
)
from .models import (
    ChecklistOutcome,
    LevelOfNeed,
    RequestStatus,
    TriageOutcome,
)

SELF_REFERRAL_SESSION_KEY = "self_referral_reference"


def _url_or_blank(name: str, **kwargs) -> str:
    """The url of a page another part of the service provides, or "" while it is switched off."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def csc_contact() -> dict:
    """Children's Social Care's name and phone, for the pages that say whom to call about harm."""
    return {"name": settings.EARLYHELP_CSC_NAME, "phone": settings.EARLYHELP_CSC_PHONE}


def _request_context(access: selectors.RequestAccess) -> dict:
    """What every page about one request shows; `family` only when the user may see it (it brings the harm warning)."""
    support_request = access.request
    context = {"support_request": support_request, "can_see_family": access.can_see_family}
    if access.can_see_family:
        context["family"] = support_request.family
        context["family_url"] = _url_or_blank("family-detail", family_id=support_request.family_id)
    return context


# Asking for help: the question pages are in request_pages.py ------------------------------------------


def request_submitted(request, request_id: int):
    access = selectors.request_get_for_user(request.user, request_id, page="sent", path=request.path)
    if access.request.requested_by_id != request.user.pk:
        return redirect("request-detail", request_id=request_id)
    return render(request, "frontdoor/request_submitted.html", {
        **_request_context(access), "triage_working_days": settings.EARLYHELP_TRIAGE_WORKING_DAYS,
    })


def requests_mine(request):
    if not selectors.user_may_ask_for_help(request.user):
        raise PermissionDenied
    return render(request, "frontdoor/requests_mine.html", {"requests": selectors.requests_made_by(request.user)})


# The public self-referral (its question pages: self_referral_pages.py) -----------------------------------


@login_not_required
def self_referral_sent(request):
    reference = request.session.get(SELF_REFERRAL_SESSION_KEY)
    if not reference:
        return redirect("self-referral")
    return render(request, "frontdoor/self_referral/sent.html", {
        "reference": reference, "triage_working_days": settings.EARLYHELP_TRIAGE_WORKING_DAYS, "csc": csc_contact(),
    })


@login_not_required
def privacy_notice(request):
    return render(request, "frontdoor/self_referral/privacy.html", {
        "retention_years": getattr(settings, "EARLYHELP_RETENTION_YEARS", 6), "csc": csc_contact(),
    })


# One request ------------------------------------------------------------------------------------------------


def _labelled(codes, choices) -> list[str]:
    labels = dict(choices)
    return [labels.get(code, code) for code in codes]


def request_detail(request, request_id: int):
    access = selectors.request_get_for_user(request.user, request_id, path=request.path)
    support_request = access.request
    user = request.user
    decisions = selectors.request_level_decisions(support_request)
    for decision in decisions:
        decision.counts = level_counts(decision.indicators)
        decision.indicator_labels = [
            INDICATORS_BY_CODE[code].label for code in decision.indicators if code in INDICATORS_BY_CODE
        ]
    checklist = getattr(support_request, "checklist", None)
    allocation = getattr(support_request, "allocation", None)
    is_front_door = selectors.is_front_door(user)
    family_id = support_request.family_id
    context = {
        **_request_context(access),
        "people_children": [p for p in support_request.people.all() if p.is_child],
        "people_adults": [p for p in support_request.people.all() if not p.is_child],
        "concern_labels": _labelled(support_request.concerns, Vulnerability.choices),
        "factor_labels": [f"{label} ({code})" for code, label in zip(
            support_request.assessment_factors,
            _labelled(support_request.assessment_factors, AssessmentFactor.choices),
        )],
        "checklist": checklist,
        "allocation": allocation,
        "allocation_to_start": selectors.allocation_waiting_to_start(user, support_request),
        "decisions": decisions,
        "harm_referrals": selectors.request_harm_referrals(support_request),
        "lead_professionals": selectors.family_lead_professionals(family_id) if access.can_see_family else [],
        "is_front_door": is_front_door,
        "may_triage": is_front_door and support_request.status == RequestStatus.AWAITING_TRIAGE,
        "harm_url": _url_or_blank("harm-referral-create", family_id=family_id) if family_id else "",
        "csc": csc_contact(),
        "is_overdue": support_request.status == RequestStatus.AWAITING_TRIAGE
        and support_request.triage_due_on < timezone.localdate(),
        "ChecklistOutcome": ChecklistOutcome,
        "RequestStatus": RequestStatus,
    }
    return render(request, "frontdoor/request_detail.html", context)


def request_checklist(request, request_id: int):
    access = selectors.request_get_for_user(request.user, request_id, page="pre-assessment checklist", path=request.path)
    support_request = access.request
    if getattr(support_request, "checklist", None) is not None:
        messages.info(request, "The pre-assessment checklist for this request has already been completed.")
        return redirect("request-detail", request_id=support_request.pk)
    harm_signals = request_harm_signals(support_request)
    form = f.ChecklistForm(request.POST or None, harm_signals=harm_signals)
    if request.method == "POST" and form.is_valid():
        try:
            checklist = services.checklist_complete(
                support_request=support_request, completed_by=request.user, **form.answers()
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, f"Checklist completed: {ChecklistOutcome(checklist.outcome).label}.")
            return redirect(f"{reverse('request-detail', kwargs={'request_id': support_request.pk})}#checklist")
    return render(request, "frontdoor/request_checklist.html", {
        **_request_context(access), "form": form, "errors": f.summary_errors(form),
        "lead_professionals": selectors.family_lead_professionals(support_request.family_id)
        if access.can_see_family else [],
        "already_known_url": _url_or_blank("already-known"),
        "harm_signals": harm_signals,
    })


def request_level(request, request_id: int):
    access = selectors.request_get_for_user(request.user, request_id, page="level of need", path=request.path)
    support_request = access.request
    form = f.LevelDecisionForm(request.POST or None)
    counts = None
    if request.method == "POST" and form.is_valid():
        if "check" in request.POST:
            counts = level_counts(form.indicators)
        else:
            try:
                services.level_decision_record(
                    support_request=support_request, decided_by=request.user, level=form.cleaned_data["level"],
                    indicators=form.indicators, reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as error:
                apply_errors(error, form, aliases={"indicators": form.domain_fields[0]})
            else:
                messages.success(request, "Level of need decision recorded.")
                return redirect(f"{reverse('request-detail', kwargs={'request_id': support_request.pk})}#level-of-need")
    if counts is None and form.is_bound and hasattr(form, "cleaned_data"):
        counts = level_counts(form.indicators)
    return render(request, "frontdoor/request_level.html", {
        **_request_context(access), "form": form, "errors": f.summary_errors(form),
        "counts": counts, "indicated": indicated_level(form.indicators) if counts else None,
        "levels": LevelOfNeed, "domains": indicators_by_domain(),
    })


def level_disagree(request, decision_id: int):
    decision = selectors.level_decision_get_for_user(request.user, decision_id)
    access = selectors.request_get_for_user(
        request.user, decision.request_id, page="disagreement about the level of need", path=request.path
    )
    form = f.EscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_raise(
                decision=decision, raised_by=request.user, disagreement=form.cleaned_data["disagreement"],
                proposed_level=form.cleaned_data["proposed_level"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Disagreement recorded. A team manager will record the outcome.")
            return redirect(f"{reverse('request-detail', kwargs={'request_id': decision.request_id})}#level-of-need")
    return render(request, "frontdoor/level_disagree.html", {
        **_request_context(access), "decision": decision, "form": form, "errors": f.summary_errors(form),
    })


def escalation_resolve(request, escalation_id: int):
    escalation = selectors.escalation_get_for_user(request.user, escalation_id)
    access = selectors.request_get_for_user(
        request.user, escalation.decision.request_id, page="outcome of a disagreement", path=request.path
    )
    may_resolve = escalation.resolved_at is None and may(request.user, "frontdoor.resolve_escalation", escalation)
    form = f.EscalationResolveForm(request.POST or None, initial={"new_level": escalation.proposed_level})
    if request.method == "POST":
        if not may(request.user, "frontdoor.resolve_escalation", escalation):
            raise PermissionDenied  # one already resolved is refused by the service (409), not forbidden
        if form.is_valid():
            try:
                services.escalation_resolve(
                    escalation=escalation, resolved_by=request.user, outcome=form.cleaned_data["outcome"],
                    notes=form.cleaned_data["outcome_notes"], new_level=form.cleaned_data.get("new_level"),
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, "Outcome of the disagreement recorded.")
                return redirect(
                    f"{reverse('request-detail', kwargs={'request_id': escalation.decision.request_id})}#level-of-need"
                )
    return render(request, "frontdoor/escalation_resolve.html", {
        **_request_context(access), "escalation": escalation, "form": form if may_resolve else None,
        "errors": f.summary_errors(form) if may_resolve else [],
    })


# Triage ----------------------------------------------------------------------------------------------------


def _first_child_search(support_request) -> dict:
    child = next((p for p in support_request.people.all() if p.is_child), None)
    if child is None:
        return {}
    initial = {"name": f"{child.first_name} {child.last_name}"}
    if child.date_of_birth:
        born = child.date_of_birth
        initial["date_of_birth"] = [born.day, born.month, born.year]
    return initial


def _offered_key(request_id: int) -> str:
    return f"frontdoor_offered_families_{request_id}"


def request_triage(request, request_id: int):
    """The front door links the family and records its decision."""
    if not selectors.is_front_door(request.user):
        raise PermissionDenied
    if request.method == "POST" and selectors.request_triaged(request_id):  # 409, even once closed by it
        raise Refused(services.ALREADY_TRIAGED)
    access = selectors.request_get_for_user(request.user, request_id, page="triage", path=request.path)
    support_request = access.request
    if support_request.status != RequestStatus.AWAITING_TRIAGE:
        if request.method == "POST":  # sent again from a page still open: refused, 409
            raise Refused(services.ALREADY_TRIAGED)
        messages.info(request, f"{services.ALREADY_TRIAGED}.")
        return redirect("request-detail", request_id=support_request.pk)

    search = f.FamilySearchForm(request.GET if "search-name" in request.GET else None,
                                initial=_first_child_search(support_request))
    candidates = None
    if search.is_bound and search.is_valid():
        candidates = selectors.family_candidates(
            request.user, support_request, name=search.cleaned_data["name"],
            date_of_birth=search.cleaned_data["date_of_birth"],
        )
        # Only a family the search offered (or one the user already sees) may be linked.
        request.session[_offered_key(support_request.pk)] = [candidate.family.pk for candidate in candidates]
    harm_signals = request_harm_signals(support_request)
    decision = f.TriageDecisionForm(request.POST or None, harm_signals=harm_signals,
                                    factors=support_request.assessment_factors)
    if request.method == "POST" and decision.is_valid():
        try:
            decided, referral = services.triage_decide(
                support_request=support_request, by=request.user, outcome=decision.cleaned_data["outcome"],
                notes=decision.cleaned_data["notes"], referred_to=decision.cleaned_data["referred_to"],
                harm_reconsidered=decision.cleaned_data.get("harm_reconsidered", False),
                assessment_factors=decision.assessment_factors,
            )
        except ValidationError as error:
            apply_errors(error, decision)
        else:
            if referral is not None:
                messages.success(
                    request, "Triage recorded. The concern of significant harm has gone to Children's Social Care."
                )
                return redirect("harm-referral-detail", referral_id=referral.pk)
            messages.success(request, f"Triage recorded for {decided.reference}: {TriageOutcome(decided.triage_outcome).label}.")
            return redirect("front-door")
    return render(request, "frontdoor/request_triage.html", {
        **_request_context(access), "search": search, "candidates": candidates, "decision": decision,
        "errors": f.summary_errors(search, decision), "csc": csc_contact(), "harm_signals": harm_signals,
        # Who already leads for the linked family, whoever recorded it (DOMAIN §2: work with them).
        "lead_professionals": selectors.family_lead_professionals(support_request.family_id)
        if access.can_see_family else [],
    })


@require_POST
def request_family_link(request, request_id: int):
    if not selectors.is_front_door(request.user):
        raise PermissionDenied
    access = selectors.request_get_for_user(request.user, request_id, page="link the family", path=request.path)
    family_id = request.POST.get("family")
    if not str(family_id or "").isdigit():
        messages.error(request, "Choose a family to link.")
        return redirect("request-triage", request_id=request_id)
    family = selectors.family_to_link(
        request.user, int(family_id), offered=request.session.get(_offered_key(request_id), [])
    )
    if family is None:
        messages.error(request, "Search for the family again, then choose it from the list.")
        return redirect("request-triage", request_id=request_id)
    try:
        services.request_family_link(support_request=access.request, family=family, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Request linked to the {family.name}.")
    return redirect("request-triage", request_id=request_id)


@require_POST
def request_family_create(request, request_id: int):
    if not selectors.is_front_door(request.user):
        raise PermissionDenied
    access = selectors.request_get_for_user(request.user, request_id, page="create the family", path=request.path)
    try:
        family = services.request_family_create(support_request=access.request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Family record created: the {family.name}.")
    return redirect("request-triage", request_id=request_id)


# The front door queue and the allocation meeting -----------------------------------------------------------


def front_door(request):
    if not selectors.is_front_door(request.user):
        raise PermissionDenied
    triage = selectors.triage_queue(request.user, page_number=request.GET.get("page"))
    awaiting_allocation = selectors.allocation_queue(request.user, page_number=request.GET.get("allocation_page"))
    record_listed(request, "Front door queues", [row.request.family_id for row in triage.rows + awaiting_allocation.rows])
    return render(request, "frontdoor/front_door.html", {
        "triage": triage,
        "awaiting_allocation": awaiting_allocation,
        "triage_working_days": settings.EARLYHELP_TRIAGE_WORKING_DAYS,
    })


def allocation_meetings(request):
    if not selectors.is_front_door(request.user):
        raise PermissionDenied
    form = f.MeetingForm(request.POST or None, chairs=selectors.meeting_chairs(),
                         initial={"chair": request.user if request.user.role in services.CHAIR_ROLES else None})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                held_on=form.cleaned_data["held_on"], chair=form.cleaned_data["chair"], created_by=request.user,
                attendees=form.cleaned_data["attendees"], notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Meeting created.")
            return redirect("allocation-meeting-detail", meeting_id=meeting.pk)
    return render(request, "frontdoor/meetings.html", {
        "meetings": selectors.allocation_meetings_list(request.user), "form": form,
        "errors": f.summary_errors(form),
        "awaiting_total": selectors.allocation_queue_total(request.user),
    })


def allocation_meeting_detail(request, meeting_id: int):
    meeting = selectors.allocation_meeting_get_for_user(request.user, meeting_id)
    decisions = selectors.allocation_meeting_decisions(meeting)
    awaiting_allocation = selectors.allocation_queue(request.user, page_number=request.GET.get("page"))
    record_listed(request, f"Allocation meeting of {meeting.held_on:%d/%m/%Y}",
                  [decision.request.family_id for decision in decisions]
                  + [row.request.family_id for row in awaiting_allocation.rows])
    return render(request, "frontdoor/meeting_detail.html", {
        "meeting": meeting,
        "decisions": decisions,
        "awaiting_allocation": awaiting_allocation,
        "meeting_is_future": meeting.held_on > timezone.localdate(),
    })


def allocation_decision_create(request, meeting_id: int, request_id: int):
    meeting = selectors.allocation_meeting_get_for_user(request.user, meeting_id)
    decided = request.method == "POST" and selectors.request_decided_at_meeting(meeting, request_id)
    if decided:  # sent again, or N at once: 409, even once the decision took the request out of sight
        raise Refused(f"{decided} is not waiting for the allocation meeting")
    access = selectors.request_get_for_user(request.user, request_id, page="allocation decision", path=request.path)
    support_request = access.request
    if support_request.status != RequestStatus.AWAITING_ALLOCATION:
        if request.method == "POST":  # decided already, from a page still open: refused, 409
            raise Refused(f"{support_request.reference} is not waiting for the allocation meeting")
        messages.info(request, f"{support_request.reference} is not waiting for the allocation meeting.")
        return redirect("allocation-meeting-detail", meeting_id=meeting.pk)
    form = f.AllocationDecisionForm(
        request.POST or None, teams=selectors.allocation_teams(), practitioners=selectors.allocatable_practitioners(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_decide(
                meeting=meeting, support_request=support_request, decided_by=request.user,
                outcome=form.cleaned_data["outcome"], reasons=form.cleaned_data["reasons"],
                team=form.cleaned_data.get("team"), practitioner=form.cleaned_data.get("practitioner"),
                other_service=form.cleaned_data.get("other_service", ""),
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, f"Decision recorded for {support_request.reference}.")
            return redirect("allocation-meeting-detail", meeting_id=meeting.pk)
    return render(request, "frontdoor/allocation_decision.html", {
        **_request_context(access), "meeting": meeting, "form": form, "errors": f.summary_errors(form),
        "checklist": getattr(support_request, "checklist", None),
        "decisions": selectors.request_level_decisions(support_request),
    })
