"""Consent and information-sharing pages. Thin: reads in selectors.py, writes in services.py.

Every episode page fetches its episode once through episode_get_for_user, which checks
need-to-know and writes the one audit record for the view.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from earlyhelp.audit.services import record_listed
from earlyhelp.episodes.selectors import episode_get_for_user
from earlyhelp.episodes.transitions import Action, TransitionRefused
from earlyhelp.policy import may, require
from earlyhelp.web.form_errors import apply_errors

from . import selectors, services
from .forms import CloseForConsentForm, ConsentForm, SharingDecisionForm, WithdrawConsentForm
from .models import ConsentDecision, ConsentScope, LawfulBasis

# Records shown on one confirmation page: one decision makes at most one record per scope.
MAX_RECORDS_CONFIRMED = len(ConsentScope.values)


def _episode(request, episode_id: int, page: str):
    return episode_get_for_user(request.user, episode_id, page=page, path=request.path)


def _episode_context(episode, **extra) -> dict:
    # `family` makes the layout show any concern of significant harm on every episode page.
    return {"episode": episode, "family": episode.family, **extra}


def episode_consent(request, episode_id: int):
    """Every consent record of the episode, and a form to record one person's decision."""
    episode = _episode(request, episode_id, "Consent")
    may_record = may(request.user, "sharing.record_consent", episode)
    if request.method == "POST" and not may_record:
        raise PermissionDenied
    form = people = None
    if may_record and episode.is_open:
        people = selectors.consent_people_for_episode(episode)
        agencies = selectors.consent_agency_choices(episode)
        if request.method == "POST":
            form = ConsentForm(request.POST, people=people, agencies=agencies)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    records = services.consent_record(
                        episode=episode, person_id=data["person"], scopes=data["scopes"],
                        agencies=list(data["agencies"]), decision=data["decision"], method=data["method"],
                        given_on=data["given_on"], recorded_by=request.user,
                        refusal_reason=data["refusal_reason"], needs_will_escalate=data["needs_will_escalate"],
                        escalation_judgement=data["escalation_judgement"],
                    )
                except (ValidationError, TransitionRefused) as error:
                    apply_errors(error, form)
                else:
                    query = urlencode([("record", record.pk) for record in records])
                    return redirect(f"{reverse('episode-consent-recorded', kwargs={'episode_id': episode.pk})}?{query}")
        else:
            form = ConsentForm(people=people, agencies=agencies, initial={"given_on": timezone.localdate()})
    elif request.method == "POST":
        messages.info(request, "The episode is closed, so its consent records cannot be changed.")
        return redirect("episode-consent", episode_id=episode.pk)
    return render(request, "sharing/consent.html", _episode_context(
        episode,
        records=selectors.consent_records_for_episode(episode),
        close_offer=selectors.consent_close_offer(episode) if may_record else None,
        may_record=may_record,
        people=people,
        form=form,
    ))


def consent_recorded(request, episode_id: int):
    """The confirmation: what happens next, the route to a harm referral, and closing on refusal."""
    episode = _episode(request, episode_id, "Consent recorded")
    ids = [int(value) for value in request.GET.getlist("record") if value.isdigit()][:MAX_RECORDS_CONFIRMED]
    records = selectors.consents_by_ids_for_episode(episode, ids)
    if not records:
        return redirect("episode-consent", episode_id=episode.pk)
    first = records[0]
    may_record = may(request.user, "sharing.record_consent", episode)
    return render(request, "sharing/consent_recorded.html", _episode_context(
        episode,
        records=records,
        person=first.person,
        refused=first.decision == ConsentDecision.REFUSED,
        needs_will_escalate=first.decision == ConsentDecision.REFUSED and bool(first.needs_will_escalate),
        about_assessment=any(record.scope == ConsentScope.ASSESSMENT for record in records),
        child_decision=first.member_role in selectors.CHILD_CONSENT_ROLES,
        close_offer=selectors.consent_close_offer(episode) if may_record else None,
    ))


def consent_withdraw(request, episode_id: int, consent_id: int):
    episode = _episode(request, episode_id, "Withdraw consent")
    consent = selectors.consent_get_for_episode(episode, consent_id)
    if consent is None:
        raise Http404
    if not may(request.user, "sharing.record_consent", episode):
        raise PermissionDenied
    if consent.decision != ConsentDecision.GIVEN or consent.withdrawn_on or not episode.is_open:
        messages.info(request, "That consent cannot be withdrawn: it was refused, is already withdrawn, "
                               "or the episode is closed.")
        return redirect("episode-consent", episode_id=episode.pk)
    if request.method == "POST":
        form = WithdrawConsentForm(request.POST)
        if form.is_valid():
            try:
                services.consent_withdraw(
                    consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"],
                    reason=form.cleaned_data["reason"], by=request.user,
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                paused = (" The work it covered is paused until a parent or carer agrees again: "
                          "see how the children's needs can still be met.") if selectors.consent_pause(episode) else ""
                messages.success(
                    request, f"{consent.person.full_name}'s consent to {consent.scope_phrase} "
                             f"is recorded as withdrawn.{paused}",
                )
                return redirect("episode-consent", episode_id=episode.pk)
    else:
        form = WithdrawConsentForm(initial={"withdrawn_on": timezone.localdate()})
    return render(request, "sharing/consent_withdraw.html", _episode_context(episode, consent=consent, form=form))


def consent_close(request, episode_id: int):
    """Close the episode because consent was refused or withdrawn, with a summary for the family."""
    episode = _episode(request, episode_id, "Close for lack of consent")
    if not may(request.user, "sharing.record_consent", episode):
        raise PermissionDenied
    offer = selectors.consent_close_offer(episode)
    if offer is None:
        messages.info(request, "The episode cannot be closed for lack of consent: a parent or carer's "
                               "consent is current, or none has refused or withdrawn it.")
        return redirect("episode-consent", episode_id=episode.pk)
    judge_needs = offer["action"] == Action.CONSENT_WITHDRAWN
    if request.method == "POST":
        form = CloseForConsentForm(request.POST, button="Close the episode", judge_needs=judge_needs)
        if form.is_valid():
            try:
                services.episode_close_for_consent(
                    episode=episode, by=request.user, summary_for_family=form.cleaned_data["summary_for_family"],
                    needs_met_how=form.cleaned_data.get("needs_met_how", ""),
                    needs_will_escalate=form.cleaned_data.get("needs_will_escalate"),
                )
            except (ValidationError, TransitionRefused) as error:
                apply_errors(error, form)
            else:
                messages.success(request, f"Episode {episode.reference} is closed.")
                return redirect("episode-consent", episode_id=episode.pk)
    else:
        form = CloseForConsentForm(button="Close the episode", judge_needs=judge_needs)
    return render(request, "sharing/consent_close.html", _episode_context(episode, offer=offer, form=form))


def episode_sharing(request, episode_id: int):
    """The information-sharing log: every decision to share or not to share."""
    episode = _episode(request, episode_id, "Information sharing")
    return render(request, "sharing/sharing_log.html", _episode_context(
        episode,
        decisions=selectors.sharing_decisions_for_episode(episode),
        consents=selectors.sharing_consent_agencies(episode),
        may_record=episode.is_open and may(request.user, "sharing.record_sharing", episode),
    ))


def sharing_create(request, episode_id: int):
    episode = _episode(request, episode_id, "Record a sharing decision")
    if not may(request.user, "sharing.record_sharing", episode):
        raise PermissionDenied
    if not episode.is_open:
        messages.info(request, "The episode is closed: record new sharing decisions on the family's current episode.")
        return redirect("episode-sharing", episode_id=episode.pk)
    agencies = selectors.consent_agency_choices(episode)
    if request.method == "POST":
        form = SharingDecisionForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = services.sharing_decision_record(
                    episode=episode, decided_by=request.user, shared=data["shared"], what=data["what"],
                    with_agency=data["with_agency"], with_whom=data["with_whom"], why=data["why"],
                    lawful_basis=data["lawful_basis"], justification=data["justification"],
                    consulted=data["consulted"],
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                if decision.shared and decision.lawful_basis != LawfulBasis.CONSENT:
                    messages.success(request, "Sharing decision recorded. You shared without consent, "
                                              "so your team manager will see this decision.")
                else:
                    messages.success(request, "Sharing decision recorded.")
                return redirect("episode-sharing", episode_id=episode.pk)
    else:
        form = SharingDecisionForm(agencies=agencies)
    return render(request, "sharing/sharing_create.html", _episode_context(
        episode, form=form, consents=selectors.sharing_consent_agencies(episode),
    ))


def sharing_for_review(request):
    """Team managers: information shared without consent in their teams' episodes, not yet seen."""
    require(request.user, "sharing.list_for_review")
    decisions = list(selectors.sharing_for_review(request.user))
    record_listed(request, "Information shared without consent, for review",
                  [decision.family_id for decision in decisions])
    return render(request, "sharing/sharing_for_review.html", {"decisions": decisions})


@require_POST
def sharing_mark_seen(request, decision_id: int):
    decision = services.sharing_decision_mark_seen(decision_id=decision_id, by=request.user)
    messages.success(request, f"Marked as seen: the decision in episode {decision.episode.reference}.")
    return redirect("sharing-for-review")
