"""Pages for concerns of significant harm and for notifications. Thin: reads and writes go through harm.py."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from earlyhelp.audit.models import AccessKind
from earlyhelp.audit.services import access_record_create, access_records_for_listing
from earlyhelp.policy import may, require
from earlyhelp.web.form_errors import apply_errors

from . import harm
from .harm_forms import HarmConcernForm, HarmDecisionForm
from .models import HarmDecision
from .notification_targets import notification_target_openable

HARM_QUEUE_PAGE_SIZE = 25

# Referrals this browser raised about a family the user could not see: their confirmation
# page must not show more of the family than the user typed.
RAISED_WITHOUT_ACCESS = "harm_referrals_raised_without_access"


def _family_url(family_id: int) -> str:
    try:
        return reverse("family-detail", kwargs={"family_id": family_id})
    except NoReverseMatch:  # the family page belongs to the people app and may be switched off
        return ""


def _csc_contact() -> dict:
    return {"name": settings.EARLYHELP_CSC_NAME, "phone": settings.EARLYHELP_CSC_PHONE}


def harm_referral_create(request, family_id: int):
    """'Concern of significant harm': a short form that refers the family to Children's Social Care."""
    family, can_see_family = harm.family_for_harm_concern(user=request.user, family_id=family_id)
    children = harm.family_children_list(family=family) if can_see_family else []
    request_id = request.GET.get("request") or request.POST.get("request")
    support_request = harm.support_request_for_family(
        family=family, request_id=int(request_id) if str(request_id or "").isdigit() else None
    )
    if request.method == "POST":
        form = HarmConcernForm(request.POST, children=children)
        if form.is_valid():
            try:
                referral = harm.harm_referral_raise(
                    family=family,
                    raised_by=request.user,
                    what_is_known=form.cleaned_data["what_is_known"],
                    referral_source=form.cleaned_data["referral_source"],
                    children=form.cleaned_data.get("children") or [],
                    support_request=support_request,
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                if not can_see_family:
                    request.session[RAISED_WITHOUT_ACCESS] = [
                        *request.session.get(RAISED_WITHOUT_ACCESS, [])[-49:], referral.pk
                    ]
                return redirect("harm-referral-raised", referral_id=referral.pk)
    else:
        form = HarmConcernForm(
            children=children, initial={"referral_source": harm.default_referral_source(request.user)}
        )
    context = {
        "form": form,
        "family_reference": family.pk,
        "support_request": support_request,
        "csc": _csc_contact(),
    }
    if can_see_family:
        # Only a family the user may see goes in the context: the layout's warning names who
        # raised earlier concerns.
        context.update({"family": family, "family_url": _family_url(family.pk)})
    access_record_create(
        user=request.user, family=family, path=request.path,
        what="Raise a concern of significant harm" + ("" if can_see_family else " (the family's details not shown)"),
    )
    return render(request, "frontdoor/harm/create.html", context)


def harm_referral_raised(request, referral_id: int):
    """The confirmation: what happens next, and the phone route for a child in danger now."""
    referral, can_see_family = harm.harm_referral_get_for_user(request.user, referral_id)
    if referral.raised_by_id != request.user.pk:
        return redirect("harm-referral-detail", referral_id=referral.pk)
    blind = referral.pk in request.session.get(RAISED_WITHOUT_ACCESS, [])
    context = {
        "referral": referral,
        "reference": harm.harm_referral_reference(referral),
        "blind": blind,
        "csc": _csc_contact(),
        "hide_harm_raise_link": True,
    }
    if can_see_family and not blind:
        context.update({"family": referral.family, "family_url": _family_url(referral.family_id)})
    access_record_create(user=request.user, family=referral.family, path=request.path,
                         what=f"Concern of significant harm {context['reference']}: confirmation")
    return render(request, "frontdoor/harm/raised.html", context)


def harm_referral_detail(request, referral_id: int):
    """The referral, for its referrer, social workers, the front door and the family's network.

    Social workers record Children's Social Care's decision here.
    """
    referral, can_see_family = harm.harm_referral_get_for_user(request.user, referral_id)
    if referral.pk in request.session.get(RAISED_WITHOUT_ACCESS, []):
        can_see_family = False
    may_decide = may(request.user, "frontdoor.decide_harm_referral", referral) and referral.is_awaiting_decision
    form = None
    if request.method == "POST":
        if not may(request.user, "frontdoor.decide_harm_referral", referral):
            raise PermissionDenied
        form = HarmDecisionForm(request.POST)
        if form.is_valid():
            try:
                decided = harm.harm_referral_decide(
                    referral=referral, decided_by=request.user,
                    decision=form.cleaned_data["decision"], notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(
                    request,
                    f"Decision recorded: {HarmDecision(decided.decision).label}. "
                    "The warning no longer shows on the family's pages.",
                )
                return redirect("harm-referral-detail", referral_id=referral.pk)
    elif may_decide:
        form = HarmDecisionForm()
    access_record_create(
        user=request.user, kind=AccessKind.VIEW, family=referral.family,
        what=f"Concern of significant harm {harm.harm_referral_reference(referral)}", path=request.path,
    )
    context = {
        "referral": referral,
        "reference": harm.harm_referral_reference(referral),
        "can_see_family": can_see_family,
        "show_family": can_see_family or may(request.user, "frontdoor.view_harm_queue"),
        "form": form,
        "csc": _csc_contact(),
    }
    if can_see_family:
        context.update({"family": referral.family, "family_url": _family_url(referral.family_id)})
    return render(request, "frontdoor/harm/detail.html", context)


def harm_referral_list(request):
    """Concerns waiting for Children's Social Care's decision (social workers and the front door)."""
    require(request.user, "frontdoor.view_harm_queue")
    # A page at a time, oldest first: the queue can hold hundreds at a council's scale.
    page = Paginator(harm.harm_referrals_awaiting_decision(request.user), HARM_QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page"))
    awaiting = list(page.object_list)
    decided = list(harm.harm_referrals_recently_decided(request.user)) if page.number == 1 else []
    access_records_for_listing(user=request.user, family_ids=[r.family_id for r in awaiting + decided],
                               what="Concerns of significant harm list", path=request.get_full_path())
    return render(request, "frontdoor/harm/list.html", {
        "awaiting": awaiting,
        "page": page,
        "decided": decided,
    })


def notification_list(request):
    notifications = list(harm.notifications_for_user(request.user))
    return render(request, "frontdoor/harm/notifications.html", {
        "notifications": notifications,
        "unread_total": sum(1 for notification in notifications if notification.read_at is None),
    })


@require_POST
def notification_read(request, notification_id: int):
    if not harm.notification_mark_read(user=request.user, notification_id=notification_id):
        raise Http404
    return redirect("notifications")


def notification_open(request, notification_id: int):
    """Open a notification: it is marked read, and leads to its page if the reader may open it now."""
    notification = harm.notification_open(user=request.user, notification_id=notification_id)
    if notification.url and notification_target_openable(request.user, notification.url):
        return redirect(notification.url)
    if notification.url:
        messages.info(request, "What that notification was about is no longer yours to open: it has moved on "
                               "to someone else's work. It is marked as read.")
    return redirect("notifications")


@require_POST
def notifications_read_all(request):
    marked = harm.notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked as read.")
    return redirect("notifications")
