"""Every read of contacts and case notes, through the policy in recording/rules.py.

Pages about one note are written to the audit trail here; the lists go through the family's
own selector (people.selectors.family_get_for_user), which records the look.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import connection
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from earlyhelp.audit.services import access_record_create
from earlyhelp.people.access import family_answers_kept
from earlyhelp.people.models import Family, Person
from earlyhelp.policy import may, require

from .models import Addendum, CaseNote, NoteChild, OversightNote

RESTRICTED_NOTICE = "A restricted note exists"


@dataclass
class NoteEntry:
    """One note as a list or the chronology shows it; a notice when the user may not read it."""

    at: datetime
    time_known: bool
    restricted_notice: bool
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
        .select_related("family", "author", "author__agency", "episode")
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


def _shape(user, note) -> tuple:
    """What the rules read of a note (recording/rules.py): a completed unrestricted note is open to
    the whole network, a draft to its author; a restricted note to its author and its episode's
    workers and managers, or with no episode at all, the managers of its author's teams."""
    if not note.restricted:
        return (note.is_completed, note.is_completed or note.author_id == user.pk)
    return (note.is_completed, note.episode_id, note.author_id == user.pk,
            None if note.episode_id else note.author_id)


def _entries(user, notes) -> list[NoteEntry]:
    """Ask the policy about each shape of note once (_shape), and about the family's network once."""
    answers: dict[tuple, tuple[bool, bool]] = {}
    entries = []
    with family_answers_kept():
        for note in notes:
            key = _shape(user, note)
            if key not in answers:
                answers[key] = (may(user, "recording.view_note", note),
                                note.restricted and note.is_completed
                                and may(user, "recording.view_notes", note.family))
            readable, notice = answers[key]
            if readable:
                entries.append(NoteEntry(
                    at=note.happened_at, time_known=note.time_known, restricted_notice=False, note=note,
                    title=note.get_kind_display(), children=list(note.children.all()),
                    addenda=list(note.addenda.all()), url=reverse("note-detail", kwargs={"note_id": note.pk}),
                ))
            elif notice:
                entries.append(NoteEntry(at=note.happened_at, time_known=False, restricted_notice=True,
                                         title=RESTRICTED_NOTICE))
    return entries


def notes_for_chronology(user, family: Family, child: Person | None = None) -> list[NoteEntry]:
    """The completed notes of the family (or about one child) the user may see, newest first; a
    restricted note they may not read is a notice saying only that it exists, and when.
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


# Management oversight ---------------------------------------------------------------------------


def oversight_list(user, episode) -> list[OversightNote]:
    """The episode's oversight notes, newest first, for those who may read them (else 403). The
    page's episode selector writes the access record."""
    require(user, "recording.view_oversight", episode)
    return list(OversightNote.objects.filter(episode=episode).select_related("recorded_by"))


def oversight_latest(user, episode) -> tuple[bool, OversightNote | None]:
    """For the episode's overview: whether the user may read its oversight, and the latest oversight
    note (None if there is none, or if they may not: then it is not fetched). One query, and the
    policy's."""
    if not may(user, "recording.view_oversight", episode):
        return False, None
    return True, OversightNote.objects.filter(episode=episode).select_related("recorded_by").first()


# Finding things in a family's notes -------------------------------------------------------------

SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 8
SEARCH_LIMIT = 100
# The words of a note that search reads; the same list, in the same order, as the GIN index of
# migration 0004 (PostgreSQL only), so that the index serves the query.
NOTE_SEARCH_FIELDS = ("what_happened", "childs_words", "analysis", "next_steps")
SEARCH_CONFIG = "english"


@dataclass
class SearchResults:
    query: str
    notes: list[NoteEntry]
    documents: list  # documents.Document, when the documents app is installed
    full_text: bool  # PostgreSQL's full-text search (stemmed words), or a plain match (SQLite)


def _words(query: str) -> list[str]:
    return query.split()[:SEARCH_MAX_WORDS]


def _plain_match(fields, words) -> Q:
    """Each word somewhere in one of the fields (SQLite: no full-text search)."""
    match = Q()
    for word in words:
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        match &= either
    return match


def _matching_notes(notes, query: str):
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        vector = SearchVector(*NOTE_SEARCH_FIELDS, config=SEARCH_CONFIG)
        in_addenda = Addendum.objects.annotate(
            words=SearchVector("text", config=SEARCH_CONFIG)).filter(words=search).values("note_id")
        return (notes.annotate(words=vector, rank=SearchRank(vector, search))
                .filter(Q(words=search) | Q(pk__in=in_addenda))
                .order_by("-rank", "-happened_at", "-pk"))
    words = _words(query)
    in_addenda = Addendum.objects.filter(_plain_match(["text"], words)).values("note_id")
    return notes.filter(_plain_match(NOTE_SEARCH_FIELDS, words) | Q(pk__in=in_addenda))


def _matching_documents(user, family, query: str) -> list:
    if not apps.is_installed("earlyhelp.documents") or not may(user, "documents.view_document", family):
        return []
    from earlyhelp.documents.selectors import documents_for_family

    documents = documents_for_family(family).filter(erased_at__isnull=True)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        vector = SearchVector("description", config=SEARCH_CONFIG)
        documents = (documents.annotate(words=vector, rank=SearchRank(vector, search)).filter(words=search)
                     .order_by("-rank", "-dated", "-pk"))
    else:
        documents = documents.filter(_plain_match(["description"], _words(query))).order_by("-dated", "-pk")
    return list(documents[:SEARCH_LIMIT])


def family_search(user, family: Family, query: str) -> SearchResults:
    """The family's notes (with their addenda) and documents whose words match the query, best
    first: only what the user may read. A restricted note the user may not read, and anyone's
    draft but the user's own, are never searched, so that no word of theirs shows through the
    results (not even as a notice). Writes no access record: the page does."""
    require(user, "recording.view_notes", family)
    query = " ".join((query or "").split())[:SEARCH_MAX_LENGTH]
    full_text = connection.vendor == "postgresql"
    if not query:
        return SearchResults(query="", notes=[], documents=[], full_text=full_text)
    notes = _notes(family, child=None).filter(Q(completed_at__isnull=False) | Q(author=user))
    entries = [entry for entry in _entries(user, _matching_notes(notes, query)[:SEARCH_LIMIT])
               if not entry.restricted_notice]
    return SearchResults(query=query, notes=entries, documents=_matching_documents(user, family, query),
                         full_text=full_text)
