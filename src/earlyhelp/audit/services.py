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
