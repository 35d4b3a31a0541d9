"""Every read of contacts and case notes, through the policy in recording/rules.py.

Pages about one note are written to the audit trail here; the lists go through the family's
own selector (people.selectors.family_get_for_user), which records the look.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from earlyhelp.audit.services import access_record_create
from earlyhelp.people.models import Family, Person
from earlyhelp.policy import may, require

from .models import Addendum, CaseNote, NoteChild

RESTRICTED_PLACEHOLDER = "A restricted note exists"


@dataclass
class NoteEntry:
    """One note as a list or the chronology shows it; a placeholder when the user may not read it."""

    at: datetime
    time_known: bool
    restricted_placeholder: bool
    note: CaseNote | None = None
    title: str = ""
    children: list[NoteChild] = field(default_factory=list)
    addenda: list[Addendum] = field(default_factory=list)
    url: str = ""

    @property
    def is_draft(self) -> bool:
        return self.note is not None and not self.note.is_completed

    @property
    def significant(self) -> bool:
        return self.note is not None and self.note.significant


def _notes(family: Family, *, child: Person | None, episode=None):
    notes = (
        CaseNote.objects.filter(family=family)
        .select_related("author", "author__agency", "episode")
        .prefetch_related(
            Prefetch("children", queryset=NoteChild.objects.select_related("child")),
            Prefetch("addenda", queryset=Addendum.objects.select_related("author")),
        )
        .order_by("-happened_at", "-pk")
    )
    if child is not None:
        notes = notes.filter(children__child=child)
    if episode is not None:
        notes = notes.filter(episode=episode)
    return notes


def _entries(user, notes) -> list[NoteEntry]:
    """Ask the policy about each note, once for each shape of note (what the rules read of it)."""
    answers: dict[tuple, tuple[bool, bool]] = {}
    entries = []
    for note in notes:
        key = (note.is_completed, note.author_id, note.restricted, note.episode_id)
        if key not in answers:
            answers[key] = (may(user, "recording.view_note", note),
                            note.restricted and note.is_completed and may(user, "recording.view_notes", note.family))
        readable, placeholder = answers[key]
        if readable:
            entries.append(NoteEntry(
                at=note.happened_at, time_known=note.time_known, restricted_placeholder=False, note=note,
                title=note.get_kind_display(), children=list(note.children.all()), addenda=list(note.addenda.all()),
                url=reverse("note-detail", kwargs={"note_id": note.pk}),
            ))
        elif placeholder:
            entries.append(NoteEntry(at=note.happened_at, time_known=False, restricted_placeholder=True,
                                     title=RESTRICTED_PLACEHOLDER))
    return entries


def notes_for_chronology(user, family: Family, child: Person | None = None) -> list[NoteEntry]:
    """The completed notes of the family (or about one child) the user may see, newest first; a
    restricted note they may not read is a placeholder saying only that it exists, and when.
    Writes no access record: the page that shows them does."""
    if not may(user, "recording.view_notes", family):
        return []
    return _entries(user, _notes(family, child=child).filter(completed_at__isnull=False))


def notes_list(user, family: Family, *, child: Person | None = None, episode=None) -> list[NoteEntry]:
    """For the notes pages: the chronology's entries and the user's own drafts (others' drafts are
    never fetched: they are their author's alone)."""
    require(user, "recording.view_notes", family)
    notes = _notes(family, child=child, episode=episode).filter(Q(completed_at__isnull=False) | Q(author=user))
    return _entries(user, notes)


def note_get_for_user(user, note_id: int, *, page: str, path: str = "") -> CaseNote:
    """The note if the user may read it (else 403); every look is audited."""
    note = get_object_or_404(
        CaseNote.objects.select_related("family", "episode", "author", "author__agency", "updated_by")
        .prefetch_related(Prefetch("children", queryset=NoteChild.objects.select_related("child")),
                          Prefetch("addenda", queryset=Addendum.objects.select_related("author", "author__agency"))),
        pk=note_id,
    )
    require(user, "recording.view_note", note)
    access_record_create(user=user, family=note.family, what=f"Case note: {page}", path=path)
    return note


def family_child_get(family: Family, person_id: int) -> Person | None:
    """A child of the family (current or former member), for the list of one child's notes."""
    return Person.objects.filter(pk=person_id, memberships__family=family).first()
