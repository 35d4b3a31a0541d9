"""Finding things in a family's notes and documents (issue 12, point 6): full-text on PostgreSQL, a
plain match on SQLite; never a word of a note or a draft the user may not read."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from earlyhelp.recording.models import Addendum, CaseNote
from earlyhelp.recording.selectors import family_search
from earlyhelp.recording.services import addendum_add, note_create

pytestmark = pytest.mark.django_db


def _note(world, by="lead", *, complete=True, **fields) -> CaseNote:
    values = {"kind": "home_visit", "happened_at": timezone.now() - timedelta(days=3),
              "what_happened": "A quiet visit"}
    values.update(fields)
    return note_create(family=world["family"], by=world["users"][by], children=[], complete=complete, **values)


def _found(user, world, query: str) -> set[int]:
    return {entry.note.pk for entry in family_search(user, world["family"], query).notes}


def test_words_in_any_part_of_a_note_or_its_addenda_match(world):
    lead = world["users"]["lead"]
    bike = _note(world, what_happened="Mia rode her new bicycle to school")
    words = _note(world, childs_words="I like the breakfast club", what_happened="Office visit")
    analysis = _note(world, analysis="Dawn is coping better with bedtimes")
    later = _note(world, what_happened="Phone call", next_steps="Book the dentist")
    other = _note(world, what_happened="Nothing of note")
    addendum_add(note=other, by=lead, text="Dawn mentioned the housing officer")
    assert _found(lead, world, "bicycle") == {bike.pk}
    assert _found(lead, world, "breakfast club") == {words.pk}
    assert _found(lead, world, "bedtimes") == {analysis.pk}
    assert _found(lead, world, "dentist") == {later.pk}
    assert _found(lead, world, "housing officer") == {other.pk}
    assert _found(lead, world, "Dawn") == {analysis.pk, other.pk}
    assert _found(lead, world, "giraffe") == set()
    assert family_search(lead, world["family"], "   ").notes == []


def test_postgresql_matches_other_forms_of_a_word_best_first(world):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search is PostgreSQL's; SQLite matches plainly")
    lead = world["users"]["lead"]
    once = _note(world, what_happened="Visited the school; the teacher is pleased")
    often = _note(world, what_happened="Home visit", analysis="The visits help", next_steps="Visit weekly")
    results = family_search(lead, world["family"], "visiting")
    assert results.full_text and [entry.note.pk for entry in results.notes] == [often.pk, once.pk]
    # Search syntax typed by a person is never an error.
    assert _found(lead, world, 'visit -school "home') == {often.pk}
    assert _found(lead, world, "& | ! :*") == set()


def test_a_restricted_note_matches_only_for_those_who_may_read_it(world):
    users = world["users"]
    secret = _note(world, what_happened="Dawn disclosed domestic abuse by her ex-partner", restricted=True,
                   restricted_reason="Domestic abuse disclosure")
    addendum_add(note=secret, by=users["lead"], text="The refuge has a place")
    for key in ("lead", "allocated", "manager", "allocated_manager"):
        assert _found(users[key], world, "disclosed") == {secret.pk}, key
        assert _found(users[key], world, "refuge") == {secret.pk}, key
    for key in ("partner", "teacher", "adviser"):
        for words in ("disclosed", "refuge", "abuse", "Dawn"):
            results = family_search(users[key], world["family"], words)
            # Not even the notice: it would say that a restricted note holds the words.
            assert results.notes == [], (key, words)


def test_others_drafts_never_match_and_ones_own_do(world):
    users = world["users"]
    draft = _note(world, by="partner", complete=False, what_happened="Draft about the trampoline")
    assert _found(users["partner"], world, "trampoline") == {draft.pk}
    for key in ("lead", "manager", "teacher"):
        assert _found(users[key], world, "trampoline") == set(), key


def test_document_descriptions_match_for_those_who_see_the_familys_documents(world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from earlyhelp.documents.services import document_add

    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    document = document_add(owner=world["family"], upload=ContentFile(b"%PDF-1.4\n%%EOF\n", name="letter.pdf"),
                            category="letter", description="Letter from the housing association about rent",
                            dated=timezone.localdate(), by=world["users"]["lead"])
    results = family_search(world["users"]["teacher"], world["family"], "housing association")
    assert [found.pk for found in results.documents] == [document.pk] and results.notes == []
    assert family_search(world["users"]["lead"], world["family"], "giraffe").documents == []


def test_the_search_box_on_the_familys_notes_page(client, world):
    users = world["users"]
    _note(world, what_happened="Mia talked about the swimming gala")
    secret = _note(world, what_happened="Swimming teacher raised a worry", restricted=True,
                   restricted_reason="A disclosure")
    url = reverse("family-notes", kwargs={"family_id": world["family"].pk})
    client.force_login(users["lead"])
    page = client.get(url, {"q": "swimming"}).content.decode()
    assert "2 notes and 0 documents match" in page and "swimming gala" in page and "raised a worry" in page
    client.force_login(users["partner"])
    response = client.get(url, {"q": "swimming"})
    page = response.content.decode()
    assert response.status_code == 200 and "1 note and 0 documents match" in page
    assert "raised a worry" not in page and "A restricted note exists" not in page
    assert f'data-note="{secret.pk}"' not in page
    assert client.get(url, {"q": "x" * 5000}).status_code == 422
    client.force_login(users["outsider"])
    assert client.get(url, {"q": "swimming"}).status_code == 403
    assert Addendum.objects.count() == 0
