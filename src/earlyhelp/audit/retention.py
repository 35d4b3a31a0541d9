"""Retention: after the authority's period since closure, records are anonymised.

A family is due when its last episode closed more than EARLYHELP_RETENTION_YEARS ago and
nothing is open: no episode, no request for support, no concern of significant harm
awaiting a decision. Names, dates of birth, identifiers, addresses and every free-text note
in the family's records are removed; counts and dates stay for statistics, and a
RetentionAction records that it was done. Stored files (documents) are deleted from storage
by their model's `erase_files_for_retention` once the anonymisation commits.
"""

from datetime import date

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from earlyhelp.people.models import Family, FamilyAddress, Person
from earlyhelp.people.relations import links_to

from .models import RetentionAction

ANONYMISED = "Anonymised"


def retention_cutoff(today: date | None = None) -> date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - settings.EARLYHELP_RETENTION_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - settings.EARLYHELP_RETENTION_YEARS, day=28)


def families_past_retention(today: date | None = None):
    from earlyhelp.episodes.models import Episode, EpisodeState
    from earlyhelp.frontdoor.models import OPEN_REQUEST_STATUSES, HarmReferral, RequestForSupport

    open_episode = Episode.objects.filter(family=OuterRef("pk")).exclude(state=EpisodeState.CLOSED)
    open_request = RequestForSupport.objects.filter(family=OuterRef("pk"), status__in=OPEN_REQUEST_STATUSES)
    open_harm = HarmReferral.objects.filter(family=OuterRef("pk"), decided_at__isnull=True)
    already = RetentionAction.objects.filter(family_reference=OuterRef("pk"))
    return (
        Family.objects.annotate(last_closed_on=Max("episodes__closed_on"))
        .filter(last_closed_on__lt=retention_cutoff(today))
        .filter(~Exists(open_episode), ~Exists(open_request), ~Exists(open_harm), ~Exists(already))
        .order_by("last_closed_on")
    )


def _blank_free_text(queryset: models.QuerySet) -> int:
    """Empty every optional text field of these rows (notes, views, reasons)."""
    model = queryset.model
    fields = {
        field.name: ""
        for field in model._meta.concrete_fields
        if isinstance(field, (models.TextField, models.CharField)) and field.blank and not field.choices
        and not field.unique and field.name not in {"reference"}
    }
    return queryset.update(**fields) if fields else 0


@transaction.atomic
def family_anonymise(*, family: Family, done_by: str) -> RetentionAction:
    last_closed_on = family.episodes.aggregate(last=Max("closed_on"))["last"]
    people = Person.objects.filter(memberships__family=family).distinct()
    person_ids = list(people.values_list("pk", flat=True))
    changed: dict[str, int] = {}
    for person in Person.objects.filter(pk__in=person_ids):
        born = person.date_of_birth
        Person.objects.filter(pk=person.pk).update(
            first_name=ANONYMISED, middle_names="", last_name=ANONYMISED, known_as="", search_name="",
            date_of_birth=born.replace(month=1, day=1) if born else None, expected_date_of_birth=None,
            nhs_number=None, upn=None, address="", postcode=person.postcode.split(" ")[0] if person.postcode else "",
            phone="", email="", disability_details="",
        )
    changed["people"] = len(person_ids)
    Family.objects.filter(pk=family.pk).update(name=f"{ANONYMISED} family", address="", postcode="")
    changed["addresses"] = FamilyAddress.objects.filter(family=family).update(address="", postcode="")
    for link in links_to(Family) + links_to(Person):
        record = link.record
        if record in (Person, Family, FamilyAddress) or record._meta.app_label in {"audit", "auditlog"}:
            continue
        owner_ids = [family.pk] if link.field.related_model is Family else person_ids
        # A record that keeps a file (a document) deletes the file from storage itself.
        erase_files = getattr(record, "erase_files_for_retention", None)
        if erase_files is not None:
            erased = erase_files(link.records(owner_ids))
            if erased:
                changed[f"{record._meta.label} files"] = changed.get(f"{record._meta.label} files", 0) + erased
        count = _blank_free_text(link.records(owner_ids))
        if count:
            changed[record._meta.label] = changed.get(record._meta.label, 0) + count
    return RetentionAction.objects.create(
        family_reference=family.pk, last_closed_on=last_closed_on, records_changed=changed, done_by=done_by
    )
