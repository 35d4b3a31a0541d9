"""Harm always overrides (DOMAIN §3): concerns of significant harm and the notifications they send.

Raising a concern is never blocked by a missing form, consent, request or unfinished
assessment: any role that works with families may raise one, even about a family outside
their network (then they learn nothing more about the family than they typed). The family
shows a warning on every page until a social worker records Children's Social Care's decision.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import AgencyKind, Role, TeamKind, User
from earlyhelp.messaging import services as messaging
from earlyhelp.people.models import CHILD_ROLES, Family, Person
from earlyhelp.policy import may, require
from earlyhelp.standards import CinReferralSource
from earlyhelp.web.refusals import Refused

from .models import HarmDecision, HarmReferral, Notification, RequestForSupport

# The CIN census referral source a referrer's organisation usually is; anyone else is "other".
REFERRAL_SOURCE_BY_AGENCY_KIND: dict[str, str] = {
    AgencyKind.SCHOOL: CinReferralSource.SCHOOLS,
    AgencyKind.GP_PRACTICE: CinReferralSource.GP,
    AgencyKind.HEALTH_VISITING: CinReferralSource.HEALTH_VISITOR,
    AgencyKind.SCHOOL_NURSING: CinReferralSource.SCHOOL_NURSE,
    AgencyKind.MIDWIFERY: CinReferralSource.OTHER_HEALTH,
    AgencyKind.CAMHS: CinReferralSource.OTHER_HEALTH,
    AgencyKind.HOUSING: CinReferralSource.HOUSING,
    AgencyKind.POLICE: CinReferralSource.POLICE,
    AgencyKind.LA_EARLY_HELP: CinReferralSource.EARLY_HELP,
    AgencyKind.CHILDRENS_SOCIAL_CARE: CinReferralSource.LA_SOCIAL_CARE,
}

# Roles that look after the queue of concerns as a whole, whether or not they know the family.

UNREAD_COUNT_LIMIT = 100

DECISION_REQUIRED = (
    "Select the decision: section 47 enquiry, section 17 assessment, no further action or back to early help"
)


def harm_referral_reference(referral: HarmReferral) -> str:
    return f"HR-{referral.pk:06d}"


def default_referral_source(user: User) -> str:
    kind = user.agency.kind if user.agency_id else None
    return REFERRAL_SOURCE_BY_AGENCY_KIND.get(kind, CinReferralSource.OTHER)


# Reads -------------------------------------------------------------------------------------


def family_for_harm_concern(*, user: User, family_id: int) -> tuple[Family, bool]:
    """The family a concern is about, and whether this user may see its details.

    Any role working with families may raise a concern about any family it can name; the
    second value says whether the page may show who is in it.
    """
    require(user, "frontdoor.raise_harm")
    family = get_object_or_404(Family.objects.only("pk", "name", "locality_id"), pk=family_id)
    return family, may(user, "people.view_family", family)


def family_children_list(*, family: Family) -> list[Person]:
    """The family's current children (and unborn children), youngest last."""
    return list(
        Person.objects.filter(
            memberships__family=family, memberships__left_on__isnull=True, memberships__role__in=CHILD_ROLES,
            merged_into__isnull=True,
        )
        .distinct()
        .order_by("date_of_birth", "expected_date_of_birth", "first_name")
    )


def support_request_for_family(*, family: Family, request_id: int | None) -> RequestForSupport | None:
    """The request a concern was raised from, if it is one of this family's."""
    if not request_id:
        return None
    return (
        RequestForSupport.objects.filter(pk=request_id, family=family)
        .only("pk", "reference", "family_id")
        .first()
    )


def family_harm_alerts(*, family_id: int) -> list[HarmReferral]:
    """Concerns about this family still waiting for a decision, in one query (for the warning).

    The caller has already decided that the user may see this family's pages.
    """
    return list(
        HarmReferral.objects.filter(family_id=family_id, decided_at__isnull=True)
        .select_related("raised_by", "raised_by__agency")
        .only(
            "pk", "family_id", "raised_at",
            "raised_by__first_name", "raised_by__last_name", "raised_by__username", "raised_by__agency__name",
        )
        .order_by("raised_at")
    )


def _referrals_with_details() -> QuerySet[HarmReferral]:
    return HarmReferral.objects.select_related(
        "family", "raised_by", "raised_by__agency", "decided_by", "request"
    ).prefetch_related(
        Prefetch("children", queryset=Person.objects.order_by("date_of_birth", "first_name"))
    )


def _require_queue_role(user: User) -> None:
    require(user, "frontdoor.view_harm_queue")


def harm_referrals_awaiting_decision(user: User) -> QuerySet[HarmReferral]:
    """Every concern Children's Social Care has not yet decided, oldest first (social workers, front door)."""
    _require_queue_role(user)
    return _referrals_with_details().filter(decided_at__isnull=True).order_by("raised_at")


def harm_referrals_recently_decided(user: User, *, limit: int = 20) -> QuerySet[HarmReferral]:
    _require_queue_role(user)
    return _referrals_with_details().filter(decided_at__isnull=False).order_by("-decided_at")[:limit]


def harm_referral_get_for_user(user: User, referral_id: int) -> tuple[HarmReferral, bool]:
    """The referral, for its referrer, social workers, the front door and the family's network.

    The second value says whether the user may see the family's record itself.
    """
    referral = get_object_or_404(_referrals_with_details(), pk=referral_id)
    require(user, "frontdoor.view_harm_referral", referral)
    can_see_family = may(user, "people.view_family", referral.family_id)
    return referral, can_see_family


def notifications_for_user(user: User, *, limit: int = 200) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit]


def notifications_unread_count(user: User) -> int:
    """Unread notifications, counted up to UNREAD_COUNT_LIMIT so the query stays cheap."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[:UNREAD_COUNT_LIMIT].count()


# Writes ------------------------------------------------------------------------------------


def _harm_recipients(*, family: Family, raised_by: User) -> QuerySet[User]:
    """Every active front door officer, and the social workers of the family's locality team."""
    who = Q(role=Role.FRONT_DOOR_OFFICER)
    if family.locality_id:
        who |= Q(
            role=Role.SOCIAL_WORKER, teams__kind=TeamKind.SOCIAL_CARE, teams__locality_id=family.locality_id
        )
    return User.objects.filter(who, is_active=True).exclude(pk=raised_by.pk).distinct()


@transaction.atomic
def harm_referral_raise(
    *,
    family: Family,
    raised_by: User,
    what_is_known: str,
    referral_source: str | None = None,
    children: Iterable[int | Person] | None = None,
    support_request: RequestForSupport | None = None,
) -> HarmReferral:
    """Refer a concern of significant harm to Children's Social Care now, and tell the front door.

    Nothing else is checked: no request, checklist, consent or assessment is needed.
    `children` limits the referral to some of the family's children; none means all of them.
    """
    require(raised_by, "frontdoor.raise_harm", message="Only people who work with families can raise a concern here")
    what_is_known = (what_is_known or "").strip()
    if not what_is_known:
        raise ValidationError({"what_is_known": "Enter what you know about the concern"})
    referral_source = referral_source or default_referral_source(raised_by)
    if referral_source not in CinReferralSource.values:
        raise ValidationError({"referral_source": "Select who is making the referral"})
    if support_request is not None and support_request.family_id not in (None, family.pk):
        raise ValidationError("That request for support is about a different family")

    family_children = family_children_list(family=family)
    wanted = {child if isinstance(child, int) else child.pk for child in (children or [])}
    chosen = [child for child in family_children if child.pk in wanted] or family_children

    referral = HarmReferral.objects.create(
        family=family,
        request=support_request,
        raised_by=raised_by,
        raised_at=timezone.now(),
        what_is_known=what_is_known,
        referral_source=referral_source,
    )
    referral.children.set(chosen)

    agency = f" ({raised_by.agency.name})" if raised_by.agency_id else ""
    message = (
        f"Concern of significant harm about the {family.name}, raised by "
        f"{raised_by.get_full_name() or raised_by.username}{agency}. "
        "It is waiting for Children's Social Care's decision."
    )
    url = reverse("harm-referral-detail", kwargs={"referral_id": referral.pk})
    Notification.objects.bulk_create(
        [
            Notification(recipient=recipient, message=message[:300], url=url)
            for recipient in _harm_recipients(family=family, raised_by=raised_by).only("pk")
        ]
    )
    messaging.on_commit(messaging.harm_raised, referral_id=referral.pk)
    return referral


@transaction.atomic
def harm_referral_decide(
    *, referral: HarmReferral, decided_by: User, decision: str, notes: str
) -> HarmReferral:
    """Record Children's Social Care's decision; the family's warning goes and the referrer is told."""
    require(decided_by, "frontdoor.decide_harm_referral", referral,
            "Only a social worker can record Children's Social Care's decision")
    errors = {}
    if decision not in HarmDecision.values:
        errors["decision"] = DECISION_REQUIRED
    notes = (notes or "").strip()
    if not notes:
        errors["notes"] = "Enter the reasons for the decision"
    if errors:
        raise ValidationError(errors)
    # Locked so two social workers cannot both decide the same concern.
    locked = HarmReferral.objects.select_for_update().get(pk=referral.pk)
    if locked.decided_at is not None:
        raise Refused("Children's Social Care's decision on this concern has already been recorded")
    locked.decision = decision
    locked.decision_notes = notes
    locked.decided_by = decided_by
    locked.decided_at = timezone.now()
    # The deciding social worker keeps the family in their network after the decision.
    locked.social_worker = decided_by
    locked.save(update_fields=["decision", "decision_notes", "decided_by", "decided_at", "social_worker"])

    if locked.raised_by_id != decided_by.pk:
        Notification.objects.create(
            recipient_id=locked.raised_by_id,
            # The referrer may not know the family: name the concern, not the family.
            message=(
                f"Children's Social Care decided on your concern of significant harm "
                f"{harm_referral_reference(locked)}: {HarmDecision(decision).label}."
            )[:300],
            url=reverse("harm-referral-detail", kwargs={"referral_id": locked.pk}),
        )
    return locked


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; False if there is no such unread one."""
    return bool(
        Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


@transaction.atomic
def notification_open(*, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications, marked read as it is opened (404 for anyone else's)."""
    notification = get_object_or_404(Notification.objects.select_for_update(), pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
