from django.db import transaction

from .models import AccessKind, AccessRecord


@transaction.atomic
def access_record_create(
    *, user, what: str, kind: str = AccessKind.VIEW, family=None, person=None, path: str = "", reason: str = ""
) -> AccessRecord:
    if family is None and person is not None:
        membership = person.memberships.filter(left_on__isnull=True).only("family_id").first()
        family_id = membership.family_id if membership else None
    else:
        family_id = family.pk if family is not None else None
    return AccessRecord.objects.create(
        user=user, kind=kind, family_id=family_id, person=person, what=what[:200], path=path[:300], reason=reason
    )


def access_records_for_listing(*, user, family_ids, what: str, path: str = "",
                               kind: str = AccessKind.LISTED) -> int:
    """A page that lists several families (a queue, a meeting, a work list): one record for each
    family it showed, in one insert, so "who has looked at this child" finds the list too."""
    distinct = list(dict.fromkeys(family_id for family_id in family_ids if family_id))
    AccessRecord.objects.bulk_create([
        AccessRecord(user=user, kind=kind, family_id=family_id, what=what[:200], path=path[:300])
        for family_id in distinct
    ])
    return len(distinct)


def record_listed(request, what: str, family_ids) -> int:
    """What a list page showed, for the signed-in user (a view's one line)."""
    return access_records_for_listing(user=request.user, family_ids=family_ids, what=what, path=request.path)


@transaction.atomic
def break_glass_open(*, user, family, reason: str, path: str = ""):
    """Grant the user time-limited access to the family, tell its managers, and audit it."""
    from datetime import timedelta

    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from earlyhelp.frontdoor.models import Notification

    from .models import BreakGlassAccess
    from .selectors import family_managers

    reason = reason.strip()
    if len(reason) < 10:
        raise ValueError("Explain in a sentence why you need to see this family's record now")
    grant = BreakGlassAccess.objects.create(
        user=user, family=family, reason=reason,
        expires_at=timezone.now() + timedelta(minutes=settings.EARLYHELP_BREAK_GLASS_MINUTES),
    )
    access_record_create(user=user, kind=AccessKind.BREAK_GLASS, family=family,
                         what="Break-glass access opened", path=path, reason=reason)
    message = (f"{user.get_full_name()} ({user.get_role_display().lower()}) used break-glass access "
               f"to a family record: {reason[:150]}")
    Notification.objects.bulk_create(
        [Notification(recipient=manager, message=message[:300], url=reverse("audit-search"))
         for manager in family_managers(family=family) if manager.pk != user.pk]
    )
    return grant
