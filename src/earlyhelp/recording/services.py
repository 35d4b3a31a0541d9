"""Every write of contacts and case notes: a draft, its completion, addenda.

Who may do what is declared once, in recording/rules.py. A completed note is never changed:
a change to one is Refused (409), and anything more to say goes in an addendum.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.episodes.due import oversight_due_after
from earlyhelp.episodes.models import OPEN_EPISODE_STATES, Episode, EpisodeChild
from earlyhelp.people.models import CHILD_ROLES, Family, FamilyMember, Person
from earlyhelp.policy import require
from earlyhelp.web.refusals import Refused

from .models import (
    Addendum,
    CaseNote,
    ContactKind,
    NoteChild,
    OversightKind,
    OversightNote,
    SignificantEventCategory,
)

COMPLETED_REFUSAL = "This note has been completed and can no longer be changed. Add an addendum instead."
NOTE_FIELDS = ("kind", "happened_at", "time_known", "present", "what_happened", "childs_words", "analysis",
               "next_steps", "significant", "significant_category", "restricted", "restricted_reason")


@dataclass(frozen=True)
class ChildSeen:
    child: Person
    seen: bool = False
    seen_alone: bool = False


def family_open_episode(family: Family) -> Episode | None:
    return Episode.objects.filter(family=family, state__in=OPEN_EPISODE_STATES).first()


def note_children_choices(family: Family, episode: Episode | None = None) -> list[Person]:
    """The children a note can be about: the family's current children, and the episode's."""
    people = {
        membership.person_id: membership.person
        for membership in FamilyMember.objects.filter(
            family=family, role__in=CHILD_ROLES, left_on__isnull=True, person__merged_into__isnull=True,
        ).select_related("person")
    }
    if episode is not None:
        for row in EpisodeChild.objects.filter(episode=episode, removed_on__isnull=True).select_related("person"):
            people.setdefault(row.person_id, row.person)
    return sorted(people.values(), key=lambda person: (person.date_of_birth is None, person.date_of_birth
                                                       or person.expected_date_of_birth, person.pk))


def _validate(*, family: Family, episode: Episode | None, fields: dict, children: list[ChildSeen],
              completing: bool) -> None:
    errors: dict[str, list[str]] = {}
    if fields.get("kind") not in ContactKind.values:
        errors["kind"] = ["Select what kind of contact it was"]
    happened_at = fields.get("happened_at")
    if not isinstance(happened_at, datetime):
        errors["happened_at"] = ["Enter when the contact happened"]
    elif happened_at > timezone.now():
        errors["happened_at"] = ["When the contact happened must be now or in the past"]
    if fields.get("significant"):
        if fields.get("significant_category") not in SignificantEventCategory.values:
            errors["significant_category"] = ["Select what kind of significant event it was"]
    elif fields.get("significant_category"):
        fields["significant_category"] = ""
    if not fields.get("restricted"):
        fields["restricted_reason"] = ""
    elif completing and not fields.get("restricted_reason", "").strip():
        errors["restricted_reason"] = ["Say why the note is restricted"]
    if completing and not fields.get("what_happened", "").strip():
        errors["what_happened"] = ["Enter what happened"]
    allowed = {person.pk for person in note_children_choices(family, episode)}
    for row in children:
        if row.child.pk not in allowed:
            errors.setdefault("children", []).append(f"{row.child.full_name} is not a child in this family")
        if row.seen_alone and not row.seen:
            errors.setdefault("children", []).append(
                f"{row.child.first_name} cannot have been seen alone without being seen")
    if errors:
        raise ValidationError(errors)


def _write_children(note: CaseNote, children: list[ChildSeen]) -> None:
    NoteChild.objects.filter(note=note).delete()
    NoteChild.objects.bulk_create([
        NoteChild(note=note, child=row.child, seen=row.seen, seen_alone=row.seen_alone) for row in children
    ])


@transaction.atomic
def note_create(*, family: Family, by, children: list[ChildSeen], complete: bool = False, **fields) -> CaseNote:
    """A new note on the family, and on its episode if one is open: a draft, or completed at once."""
    require(by, "recording.add_note", family)
    unknown = set(fields) - set(NOTE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown note fields: {sorted(unknown)}")
    episode = family_open_episode(family)
    _validate(family=family, episode=episode, fields=fields, children=children, completing=complete)
    now = timezone.now()
    note = CaseNote.objects.create(
        family=family, episode=episode, author=by, updated_by=by,
        completed_at=now if complete else None, **fields,
    )
    _write_children(note, children)
    return note


def note_lock_for_edit(*, note_id: int, by) -> CaseNote:
    """The draft, locked for saving (inside a transaction): refused once completed."""
    note = CaseNote.objects.select_for_update(of=("self",)).select_related("updated_by", "family").get(pk=note_id)
    if note.is_completed:
        raise Refused(COMPLETED_REFUSAL)
    require(by, "recording.change_note", note)
    return note


@transaction.atomic
def note_update(*, note: CaseNote, by, children: list[ChildSeen], complete: bool = False, **fields) -> CaseNote:
    """Save a draft again (its author only), and complete it if asked. Never a completed note."""
    note = CaseNote.objects.select_for_update().get(pk=note.pk)
    if note.is_completed:
        raise Refused(COMPLETED_REFUSAL)
    require(by, "recording.change_note", note)
    unknown = set(fields) - set(NOTE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown note fields: {sorted(unknown)}")
    merged = {name: fields.get(name, getattr(note, name)) for name in NOTE_FIELDS}
    _validate(family=note.family, episode=note.episode, fields=merged, children=children, completing=complete)
    for name, value in merged.items():
        setattr(note, name, value)
    note.updated_by = by
    if complete:
        note.completed_at = timezone.now()
    note.save()
    _write_children(note, children)
    return note


@transaction.atomic
def note_complete(*, note: CaseNote, by) -> CaseNote:
    """Complete a draft as it is saved."""
    note = CaseNote.objects.select_for_update().get(pk=note.pk)
    if note.is_completed:
        raise Refused(COMPLETED_REFUSAL)
    require(by, "recording.change_note", note)
    fields = {name: getattr(note, name) for name in NOTE_FIELDS}
    children = [ChildSeen(row.child, row.seen, row.seen_alone) for row in note.children.select_related("child")]
    _validate(family=note.family, episode=note.episode, fields=fields, children=children, completing=True)
    note.completed_at = timezone.now()
    note.updated_by = by
    note.save(update_fields=["completed_at", "updated_by", "updated_at"])
    return note


@transaction.atomic
def note_discard(*, note: CaseNote, by) -> None:
    """Delete a draft that was never completed (its author only)."""
    note = CaseNote.objects.select_for_update().get(pk=note.pk)
    if note.is_completed:
        raise Refused("This note has been completed and cannot be deleted.")
    require(by, "recording.change_note", note)
    note.delete()


@transaction.atomic
def addendum_add(*, note: CaseNote, by, text: str) -> Addendum:
    """Add to a completed note, with its own author and time; the note itself is unchanged."""
    note = CaseNote.objects.select_for_update().get(pk=note.pk)
    if not note.is_completed:
        raise Refused("This note is still a draft: change the note itself, or complete it first.")
    require(by, "recording.add_addendum", note)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Enter the addendum"]})
    return Addendum.objects.create(note=note, family_id=note.family_id, text=text, author=by)


# Management oversight ---------------------------------------------------------------------------


def oversight_default_due(today: date | None = None) -> date:
    """When the next oversight is due if the manager does not say: EARLYHELP_OVERSIGHT_WEEKS on."""
    return oversight_due_after(today or timezone.localdate())


@transaction.atomic
def oversight_record(*, episode: Episode, by, kind: str, decision: str, actions: str = "",
                     next_due_on: date | None = None) -> OversightNote:
    """A manager's supervision or oversight of an open episode, complete at once and never changed;
    the episode's stored oversight_due_on becomes its next_due_on (by default, in
    EARLYHELP_OVERSIGHT_WEEKS)."""
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if not episode.is_open:
        raise Refused("This episode is closed: oversight can no longer be recorded on it.")
    require(by, "recording.add_oversight", episode)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in OversightKind.values:
        errors["kind"] = ["Select whether it is supervision or management oversight"]
    decision = (decision or "").strip()
    if not decision:
        errors["decision"] = ["Enter the decision"]
    if next_due_on is None:
        next_due_on = oversight_default_due(today)
    elif next_due_on <= today:
        errors["next_due_on"] = ["When the next oversight is due must be in the future"]
    if errors:
        raise ValidationError(errors)
    note = OversightNote.objects.create(
        episode=episode, family_id=episode.family_id, kind=kind, decision=decision,
        actions=(actions or "").strip(), next_due_on=next_due_on, recorded_by=by,
    )
    Episode.objects.filter(pk=episode.pk).update(oversight_due_on=next_due_on)
    return note
