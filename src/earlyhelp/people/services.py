"""Every write to people and families. Each runs in one transaction: all of it, or none."""

import json
from datetime import date

from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone

from earlyhelp.accounts.models import Agency, Locality, User

from .models import (
    Family,
    FamilyAddress,
    FamilyMember,
    Involvement,
    Person,
    PersonMerge,
    Relationship,
    RelationshipKind,
)
from .relations import links_moved_on_merge
from .search import postcode_normalise

# The person fields a form may set (the rest are kept by the model or by merges).
PERSON_FIELDS = (
    "first_name", "middle_names", "last_name", "known_as", "date_of_birth", "expected_date_of_birth",
    "sex", "gender", "ethnicity", "nhs_number", "upn", "address", "postcode", "first_language",
    "interpreter_needed", "disability", "disability_details", "sen_status", "school", "phone", "email",
)


def _check_identifiers_free(*, nhs_number: str | None, upn: str | None, person_id: int | None) -> None:
    """NHS numbers and UPNs belong to one current record; say so beside the field."""
    errors = {}
    others = Person.objects.filter(merged_into__isnull=True).exclude(pk=person_id)
    if nhs_number and others.filter(nhs_number=nhs_number).exists():
        errors["nhs_number"] = (
            "Another person's record already has this NHS number. Check the number, or use the "
            "existing record instead of creating a new one"
        )
    if upn and others.filter(upn=upn).exists():
        errors["upn"] = (
            "Another person's record already has this UPN. Check the number, or use the existing "
            "record instead of creating a new one"
        )
    if errors:
        raise ValidationError(errors)


def _person_values(fields: dict) -> dict:
    values = {name: fields[name] for name in PERSON_FIELDS if name in fields}
    for name in ("nhs_number", "upn"):
        if name in values:
            values[name] = values[name] or None  # blank identifiers are NULL, so they are never "the same"
    if "postcode" in values:
        values["postcode"] = postcode_normalise(values["postcode"] or "")
    for name, value in list(values.items()):
        if value is None and name not in ("nhs_number", "upn", "date_of_birth", "expected_date_of_birth", "school"):
            values[name] = ""
    return values


@transaction.atomic
def family_create(
    *, name: str, address: str, postcode: str, locality: Locality | None, created_by: User,
    moved_in: date | None = None,
) -> Family:
    postcode = postcode_normalise(postcode)
    family = Family.objects.create(
        name=name.strip(), address=address.strip(), postcode=postcode, locality=locality, created_by=created_by
    )
    if address.strip():
        FamilyAddress.objects.create(family=family, address=address.strip(), postcode=postcode, moved_in=moved_in)
    return family


def family_move_lock(*, family: Family) -> tuple[Family, FamilyAddress | None]:
    """The family as saved now, locked, and its current address: for a move that compares them with
    the page (web/versioning.py)."""
    locked = Family.objects.select_for_update().get(pk=family.pk)
    return locked, locked.address_history.filter(moved_out__isnull=True).order_by("-pk").first()


@transaction.atomic
def family_move(*, family: Family, address: str, postcode: str, moved_in: date) -> FamilyAddress:
    """The family moves: the current address gets an end date and the new one becomes current."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    current = list(family.address_history.filter(moved_out__isnull=True))
    for previous in current:
        if previous.moved_in and previous.moved_in > moved_in:
            raise ValidationError(
                {"moved_in": f"The family moved to their current address on {previous.moved_in:%-d %B %Y}: "
                             "the new move must be on or after that date"}
            )
    family.address_history.filter(moved_out__isnull=True).update(moved_out=moved_in)
    postcode = postcode_normalise(postcode)
    new_address = FamilyAddress.objects.create(
        family=family, address=address.strip(), postcode=postcode, moved_in=moved_in
    )
    family.address, family.postcode = address.strip(), postcode
    family.save(update_fields=["address", "postcode"])
    # Members who lived at the old address move with the family.
    Person.objects.filter(
        memberships__family=family, memberships__left_on__isnull=True, address__in=[a.address for a in current]
    ).update(address=address.strip(), postcode=postcode)
    return new_address


@transaction.atomic
def person_create(*, family: Family, role: str, fields: dict, joined_on: date | None = None) -> Person:
    """A new person, added to the family with their role in the household."""
    values = _person_values(fields)
    _check_identifiers_free(nhs_number=values.get("nhs_number"), upn=values.get("upn"), person_id=None)
    person = Person.objects.create(**values)
    FamilyMember.objects.create(family=family, person=person, role=role, joined_on=joined_on)
    return person


def person_lock(*, person: Person) -> Person:
    """The person as saved now, locked for a save that compares it with the page (web/versioning.py)."""
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def person_update(*, person: Person, fields: dict) -> Person:
    values = _person_values(fields)
    _check_identifiers_free(nhs_number=values.get("nhs_number"), upn=values.get("upn"), person_id=person.pk)
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    return person


@transaction.atomic
def family_member_add(*, family: Family, person: Person, role: str, joined_on: date | None = None) -> FamilyMember:
    """An existing person joins the family (for example found as a likely duplicate)."""
    if person.merged_into_id:
        raise ValidationError("This record was merged into another one: add that person instead")
    if FamilyMember.objects.filter(family=family, person=person, left_on__isnull=True).exists():
        raise ValidationError(f"{person.full_name} is already in this family")
    return FamilyMember.objects.create(family=family, person=person, role=role, joined_on=joined_on)


@transaction.atomic
def relationship_create(
    *, person: Person, relative: Person, kind: str, has_parental_responsibility: bool = False, notes: str = ""
) -> Relationship:
    if person.pk == relative.pk:
        raise ValidationError({"relative": "Choose two different people"})
    if Relationship.objects.filter(person=person, relative=relative, kind=kind).exists():
        raise ValidationError(
            f"This is already recorded: {person.full_name} {RelationshipKind(kind).label} {relative.full_name}"
        )
    return Relationship.objects.create(
        person=person, relative=relative, kind=kind,
        has_parental_responsibility=has_parental_responsibility, notes=notes.strip(),
    )


def _current_lead(person_id: int) -> Involvement | None:
    return (
        Involvement.objects.filter(person_id=person_id, is_lead_professional=True, ended_on__isnull=True)
        .select_related("agency", "practitioner", "episode")
        .first()
    )


def _kept_by_open_episode(involvement: Involvement) -> bool:
    """A lead chosen on an episode still open is changed there (episodes/services/lead.py), not here."""
    return involvement.episode_id is not None and involvement.episode.is_open


@transaction.atomic
def involvement_create(
    *, person: Person, agency: Agency, practitioner: User | None = None, practitioner_name: str = "",
    contact_phone: str = "", contact_email: str = "", role_description: str = "",
    is_lead_professional: bool = False, started_on: date | None = None,
) -> Involvement:
    """Record who already works with a person. A person has at most one current lead professional."""
    # Lock the person so two people cannot make two leads at the same moment.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if is_lead_professional:
        if practitioner is None and not practitioner_name.strip():
            raise ValidationError(
                {"practitioner_name": "Enter the lead professional's name, or choose them from the list"}
            )
        existing = _current_lead(person.pk)
        if existing is not None and _kept_by_open_episode(existing):
            raise ValidationError(
                f"{person.full_name} already has a lead professional: {existing.contact_name}, chosen on early "
                f"help episode {existing.episode.reference}. A child has one lead professional at a time: to "
                "change who leads, transfer the role on the episode's lead professional page"
            )
        if existing is not None:
            raise ValidationError(
                f"{person.full_name} already has a lead professional: {existing.contact_name} "
                f"({existing.agency.name}). A child has one lead professional at a time: end that "
                "involvement first, then record the new lead professional"
            )
    return Involvement.objects.create(
        person=person, agency=agency, practitioner=practitioner, practitioner_name=practitioner_name.strip(),
        contact_phone=contact_phone.strip(), contact_email=contact_email.strip(),
        role_description=role_description.strip(), is_lead_professional=is_lead_professional,
        started_on=started_on,
    )


@transaction.atomic
def involvement_end(*, involvement: Involvement, ended_on: date | None = None) -> Involvement:
    ended_on = ended_on or timezone.localdate()
    if involvement.ended_on is not None:
        raise ValidationError("This involvement has already ended")
    if involvement.is_lead_professional and _kept_by_open_episode(involvement):
        raise ValidationError(
            f"{involvement.contact_name} is the lead professional of early help episode "
            f"{involvement.episode.reference}: to change who leads, transfer the role on the episode's "
            "lead professional page"
        )
    if involvement.started_on and ended_on < involvement.started_on:
        raise ValidationError("An involvement cannot end before it started")
    involvement.ended_on = ended_on
    involvement.save(update_fields=["ended_on"])
    return involvement


# Merging duplicates ---------------------------------------------------------------------------


def _snapshot(person: Person) -> dict:
    values = {}
    for field in person._meta.concrete_fields:
        value = getattr(person, field.attname)
        values[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def _delete_keeping_a_copy(row: models.Model) -> list[dict]:
    """Delete a row a merge drops, and return it (and whatever its deletion cascades to) as JSON."""
    collector = Collector(using=row._state.db, origin=row)
    try:
        collector.collect([row])
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            f"The duplicate's {row._meta.verbose_name} is already on the kept record, and the copy "
            f"cannot be removed because other records use it: {', '.join(map(str, error.args[1]))}"
        ) from error
    doomed = [obj for objs in collector.data.values() for obj in objs]
    doomed += [obj for rows in collector.fast_deletes for obj in rows]
    copy = json.loads(serializers.serialize("json", doomed))
    collector.delete()
    return copy


def _move_everything(*, kept: Person, duplicate: Person) -> tuple[dict[str, int], dict[str, list]]:
    """Point every row that points at the duplicate at `kept`, found by walking Person's relations.

    A row that cannot move because the kept record already has the equivalent (a unique
    constraint: the same family, episode, assessment, many-to-many link) or because it would link
    the kept record to itself (a check constraint: a relationship with itself) is deleted and
    returned, with whatever its deletion cascades to, so the merge record keeps it.
    """
    moved: dict[str, int] = {}
    dropped: dict[str, list] = {}
    by_model: dict[type[models.Model], list] = {}
    for link in links_moved_on_merge(Person):
        by_model.setdefault(link.model, []).append(link)
    for model, links in by_model.items():
        pointing = Q()
        for link in links:
            pointing |= Q(**{link.field.attname: duplicate.pk})
        for row in model._default_manager.filter(pointing).order_by("pk"):
            repointed = [link for link in links if getattr(row, link.field.attname) == duplicate.pk]
            for link in repointed:
                setattr(row, link.field.attname, kept.pk)
            try:
                row.validate_unique()
                row.validate_constraints()
            except ValidationError:
                for link in repointed:
                    setattr(row, link.field.attname, duplicate.pk)
                dropped.setdefault(repointed[0].label, []).extend(_delete_keeping_a_copy(row))
                continue
            row.save(update_fields=[link.field.name for link in repointed])
            for link in repointed:
                moved[link.label] = moved.get(link.label, 0) + 1
    return moved, dropped


@transaction.atomic
def person_merge(*, kept: Person, duplicate: Person, merged_by: User, reason: str) -> PersonMerge:
    """Two records are one person: move everything to `kept`, record the merge, keep the duplicate
    (pointing at `kept`) so that nothing of its history is lost.

    Everything is every row that points at the duplicate through any relation of Person, so a
    kind of record added later moves without changing this function. `moved` counts the rows per
    relation ("episodes.EpisodeChild.person"); rows the kept record already had an equivalent of
    are kept in the snapshot under "dropped_as_already_present". Left on the duplicate, as
    history (`relations.LEFT_ON_MERGE`): records merged earlier into it, earlier merge records,
    and who looked at it (audit access records, which a "who has looked at this child" query for
    the kept record follows through merged_into: docs/decisions/0003-merging-duplicates.md).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Explain why these two records are the same person"})
    if kept.pk == duplicate.pk:
        raise ValidationError("Choose two different records")
    locked = {person.pk: person for person in Person.objects.select_for_update().filter(pk__in=[kept.pk, duplicate.pk])}
    kept, duplicate = locked[kept.pk], locked[duplicate.pk]
    if kept.merged_into_id or duplicate.merged_into_id:
        raise ValidationError("One of these records has already been merged into another: merge the current record")
    leads = Involvement.objects.filter(
        person__in=[kept, duplicate], is_lead_professional=True, ended_on__isnull=True
    ).select_related("agency", "practitioner")
    if len(leads) > 1:
        names = " and ".join(f"{lead.contact_name} ({lead.agency.name})" for lead in leads)
        raise ValidationError(
            f"Both records have a current lead professional: {names}. A person has one lead "
            "professional at a time: end one of those involvements before merging"
        )

    snapshot = _snapshot(duplicate)
    moved, dropped = _move_everything(kept=kept, duplicate=duplicate)

    duplicate.merged_into = kept
    duplicate.save(update_fields=["merged_into"])
    # Identifiers and facts only the duplicate had now belong to the kept record.
    filled = []
    for name in ("nhs_number", "upn", "date_of_birth", "expected_date_of_birth", "school_id", "middle_names",
                 "known_as", "phone", "email"):
        if not getattr(kept, name) and getattr(duplicate, name):
            setattr(kept, name, getattr(duplicate, name))
            filled.append(name.removesuffix("_id"))
    if filled:
        kept.save()
    moved["details_filled"] = len(filled)

    snapshot["dropped_as_already_present"] = dropped
    snapshot["details_copied_to_kept"] = filled
    return PersonMerge.objects.create(
        kept=kept, duplicate=duplicate, merged_by=merged_by, reason=reason,
        duplicate_snapshot=snapshot, moved=moved,
    )
