"""The case-recording seed (issue 12, point 7): notes within each episode, children seen on
visits, significant and restricted notes, addenda after completion, oversight by the episode's
team manager with a stored due date, alerts, and documents whose files are real and of the
type they claim; the same for the same seed, and removed by a reset."""

from collections import Counter

import filetype
import pytest
from django.db.models import Count
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.alerts.models import Alert
from earlyhelp.documents.models import Document
from earlyhelp.documents.services import documents_storage
from earlyhelp.episodes.models import Episode, EpisodeChild
from earlyhelp.recording.models import Addendum, CaseNote, NoteChild, OversightNote
from earlyhelp.seed import seed_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_database(families=60, seed=11, reset=True)


def _snapshot():
    return (
        sorted(CaseNote.objects.values_list("episode__reference", "kind", "happened_at", "what_happened",
                                            "significant_category", "restricted", "completed_at")),
        sorted(OversightNote.objects.values_list("episode__reference", "kind", "next_due_on")),
        sorted(Document.objects.values_list("episode__reference", "category", "dated", "sha256")),
        sorted(Alert.objects.values_list("family__name", "kind", "ended_at")),
        Addendum.objects.count(), NoteChild.objects.count(),
    )


def test_every_kind_of_record_is_made_within_its_episode(seeded):
    today = timezone.localdate()
    assert CaseNote.objects.count() > Episode.objects.count() * 3
    assert CaseNote.objects.filter(significant=True).exists()
    assert not CaseNote.objects.filter(significant=True, significant_category="").exists()
    assert CaseNote.objects.filter(restricted=True).exclude(restricted_reason="").exists()
    assert NoteChild.objects.filter(seen_alone=True).exists() and NoteChild.objects.filter(seen=False).exists()
    for note in CaseNote.objects.select_related("episode"):
        assert note.happened_at.date() >= note.episode.opened_on
        assert note.happened_at.date() <= (note.episode.closed_on or today)
    # The children on a note are the episode's.
    episode_children = set(EpisodeChild.objects.values_list("episode_id", "person_id"))
    assert all(pair in episode_children for pair in NoteChild.objects.values_list("note__episode_id", "child_id"))
    # A draft is only ever the newest note of an open episode, and has no addendum.
    drafts = CaseNote.objects.filter(completed_at__isnull=True).select_related("episode")
    assert drafts.exists()
    for draft in drafts:
        assert draft.episode.closed_on is None
        assert not draft.episode.case_notes.filter(happened_at__gt=draft.happened_at).exists()
    assert not Addendum.objects.filter(note__completed_at__isnull=True).exists()
    assert Addendum.objects.exists()
    for addendum in Addendum.objects.select_related("note"):
        assert addendum.added_at > addendum.note.happened_at and addendum.family_id == addendum.note.family_id


def test_oversight_is_by_a_manager_of_the_team_and_sets_the_episode_due_date(seeded):
    assert OversightNote.objects.exists()
    for oversight in OversightNote.objects.select_related("episode", "recorded_by"):
        assert oversight.recorded_by.role == Role.TEAM_MANAGER
        assert oversight.recorded_by.teams.filter(pk=oversight.episode.team_id).exists()
    open_with_oversight = Episode.objects.filter(closed_on__isnull=True).annotate(
        made=Count("oversight_notes")).filter(made__gt=0)
    assert open_with_oversight.exists()
    for episode in open_with_oversight:
        assert episode.oversight_due_on == episode.oversight_notes.order_by("-recorded_at").first().next_due_on
    # Every open episode has its next oversight due, the first from when it opened.
    assert not Episode.objects.filter(closed_on__isnull=True, oversight_due_on__isnull=True).exists()
    # Some are late, so the managers' late work shows them.
    assert Episode.objects.filter(closed_on__isnull=True, oversight_due_on__lt=timezone.localdate()).exists()


def test_documents_are_real_files_of_the_type_they_claim(seeded):
    documents = list(Document.objects.all())
    assert {document.category for document in documents} == {"consent", "report", "childs_work"}
    storage = documents_storage()
    for document in documents[:40]:
        with storage.open(document.storage_name) as handle:
            body = handle.read()
        assert len(body) == document.size
        assert filetype.guess_mime(body) == document.content_type


def test_alerts_follow_some_families_and_ended_ones_say_why(seeded):
    alerts = Alert.objects.all()
    assert alerts.exists()
    assert max(Counter(alerts.values_list("family_id", flat=True)).values()) == 1
    assert not alerts.filter(ended_at__isnull=False, end_reason="").exists()


def test_the_same_seed_makes_the_same_records_and_a_reset_removes_the_files(seeded):
    first = _snapshot()
    names = list(Document.objects.values_list("storage_name", flat=True))
    seed_database(families=60, seed=11, reset=True)
    assert _snapshot() == first
    storage = documents_storage()
    # The reset deleted the earlier files (the new ones may take the same names again).
    kept = set(Document.objects.values_list("storage_name", flat=True))
    assert not [name for name in names if name not in kept and storage.exists(name)]
