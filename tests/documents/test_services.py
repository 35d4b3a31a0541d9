"""Storing a document: checked, stored under a random name with its row, or nothing at all."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.retention import family_anonymise
from earlyhelp.documents import services
from earlyhelp.documents.models import Document, DocumentCategory

from . import files
from .conftest import stored_files


def _add(world, upload, owner=None, **overrides):
    fields = {"category": DocumentCategory.REPORT, "description": "School attendance report",
              "dated": timezone.localdate() - timedelta(days=3), "by": world["users"]["lead"]}
    return services.document_add(owner=owner or world["family"], upload=upload, **{**fields, **overrides})


def test_a_document_is_stored_under_a_random_name_with_its_type_from_its_content(world, documents_dir):
    document = _add(world, files.upload("Mia's report.exe", files.PDF, "application/x-msdownload"))
    assert document.content_type == "application/pdf" and document.size == len(files.PDF)
    assert document.original_name == "Mia's report.exe"
    assert "Mia" not in document.storage_name and document.storage_name.endswith(".pdf")
    assert [path.read_bytes() for path in stored_files(documents_dir)] == [files.PDF]
    assert document.family == world["family"] and document.episode is None and document.person is None
    import hashlib

    assert document.sha256 == hashlib.sha256(files.PDF).hexdigest()


def test_on_an_episode_the_document_is_also_the_familys(world):
    document = _add(world, files.upload("plan.odt", files.odt()), owner=world["episode"])
    assert document.episode == world["episode"] and document.family == world["family"]


def test_on_a_person_it_belongs_to_the_person_alone(world):
    document = _add(world, files.upload("photo.png", files.png()), owner=world["people"]["mia"])
    assert document.person == world["people"]["mia"] and document.family is None


@pytest.mark.parametrize("name, data, message", [
    ("setup.pdf", files.PE, "is a program"),
    ("report.pdf", files.HTML, "must be a PDF"),
    ("empty.pdf", b"", "is empty"),
])
def test_a_refused_file_leaves_nothing_stored(world, documents_dir, name, data, message):
    with pytest.raises(ValidationError) as refused:
        _add(world, files.upload(name, data))
    assert message in " ".join(refused.value.message_dict["file"])
    assert stored_files(documents_dir) == [] and Document.objects.count() == 0


def test_an_oversized_file_is_refused_naming_the_limit(world, documents_dir, settings):
    settings.EARLYHELP_DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        _add(world, files.upload("big.pdf", files.PDF + b"%" * 1000))
    assert refused.value.message_dict["file"] == ["The selected file must be smaller than 1000 bytes"]
    assert stored_files(documents_dir) == []


def test_every_problem_is_reported_at_once_by_field(world):
    with pytest.raises(ValidationError) as refused:
        _add(world, files.upload("x.pdf", files.ELF), description="  ", category="nonsense",
             dated=timezone.localdate() + timedelta(days=1))
    assert set(refused.value.message_dict) == {"file", "description", "category", "dated"}


def test_when_the_row_cannot_be_written_the_stored_file_is_deleted(world, documents_dir, monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Document.objects, "create", fails)
    with pytest.raises(RuntimeError):
        _add(world, files.upload("report.pdf", files.PDF))
    assert stored_files(documents_dir) == []


def test_the_familys_copy_is_the_exact_pdf(world, documents_dir):
    pdf = files.PDF + b"% the copy printed for the family\n"
    document = services.family_copy_keep(episode=world["episode"], which="plan", pdf=pdf, by=world["users"]["lead"])
    assert document.category == DocumentCategory.GIVEN_TO_FAMILY and document.episode == world["episode"]
    assert document.dated == timezone.localdate()
    assert [path.read_bytes() for path in stored_files(documents_dir)] == [pdf]
    assert document.original_name == f"family-plan-EP-REC-1-{timezone.localdate():%Y-%m-%d}.pdf"


def test_anonymising_the_family_deletes_its_files_and_blanks_their_words(world, documents_dir,
                                                                         django_capture_on_commit_callbacks):
    family_doc = _add(world, files.upload("Dawn Hartley letter.pdf", files.PDF), description="Letter from Dawn")
    person_doc = _add(world, files.upload("Mia.png", files.png()), owner=world["people"]["mia"],
                      description="Mia's drawing")
    episode = world["episode"]
    episode.state, episode.closed_on = "closed", date(2015, 1, 5)
    episode.save()
    with django_capture_on_commit_callbacks(execute=True):
        action = family_anonymise(family=world["family"], done_by="test")
    assert stored_files(documents_dir) == []
    for document in (family_doc, person_doc):
        document.refresh_from_db()
        assert document.is_erased and document.description == "" and document.original_name == ""
    assert action.records_changed["documents.Document files"] == 2
