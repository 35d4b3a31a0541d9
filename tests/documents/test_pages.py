"""The pages: upload, the lists, the download (checked and recorded), and what is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.documents.models import Document, DocumentCategory
from earlyhelp.episodes.models import Assessment

from . import files
from .conftest import stored_files


def _form(upload, **overrides) -> dict:
    day = timezone.localdate() - timedelta(days=2)
    return {"file": upload, "category": "report", "description": "Attendance report from Hill Primary",
            "dated_0": day.day, "dated_1": day.month, "dated_2": day.year, **overrides}


def _upload(client, world, upload, url_name="family-document-upload", owner_id=None, **overrides):
    owner_id = owner_id or world["family"].pk
    kwarg = {"family-document-upload": "family_id", "person-document-upload": "person_id",
             "episode-document-upload": "episode_id"}[url_name]
    return client.post(reverse(url_name, kwargs={kwarg: owner_id}), _form(upload, **overrides))


def test_upload_then_download_records_the_download(client, world, documents_dir):
    client.force_login(world["users"]["partner"])  # a partner in the Team Around the Family
    response = _upload(client, world, files.upload("attendance.pdf", files.PDF))
    assert response.status_code == 302 and response["Location"] == reverse("family-documents",
                                                                            args=[world["family"].pk])
    document = Document.objects.get()
    page = client.get(reverse("family-documents", args=[world["family"].pk])).content.decode()
    assert "Attendance report from Hill Primary" in page and reverse("document-download", args=[document.pk]) in page

    client.force_login(world["users"]["teacher"])
    before = AccessRecord.objects.count()
    last_pk = AccessRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    download = client.get(reverse("document-download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="attendance.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff" and download["Cache-Control"] == "no-store"
    record = AccessRecord.objects.get(pk__gt=last_pk) if AccessRecord.objects.count() == before + 1 else None
    assert record is not None and record.kind == AccessKind.DOWNLOAD
    assert record.user == world["users"]["teacher"] and record.family == world["family"]


@pytest.mark.parametrize("who", ["outsider", "far_manager"])
def test_someone_outside_the_network_is_refused_and_it_is_not_recorded_as_a_download(client, world, who):
    client.force_login(world["users"]["lead"])
    _upload(client, world, files.upload("attendance.pdf", files.PDF))
    document = Document.objects.get()
    client.force_login(world["users"][who])
    for url in (reverse("document-download", args=[document.pk]), reverse("family-documents", args=[world["family"].pk]),
                reverse("family-document-upload", args=[world["family"].pk])):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert b"Attendance report" not in response.content and b"%PDF" not in response.content
    assert _upload(client, world, files.upload("mine.pdf", files.PDF)).status_code in (403, 404)
    assert Document.objects.count() == 1
    assert not AccessRecord.objects.filter(user=world["users"][who], kind=AccessKind.DOWNLOAD).exists()


def test_a_renamed_program_is_refused_beside_the_field(client, world, documents_dir):
    client.force_login(world["users"]["lead"])
    response = _upload(client, world, files.upload("report.pdf", files.PE, "application/pdf"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "The selected file is a program, not a document" in page
    assert 'id="file-error"' in page or "govuk-error-message" in page
    assert Document.objects.count() == 0 and stored_files(documents_dir) == []


def test_an_oversized_file_gets_the_clear_message_not_an_error_page(client, world, documents_dir, settings):
    settings.EARLYHELP_DOCUMENT_MAX_BYTES = 100 * 1024
    client.force_login(world["users"]["lead"])
    big = files.PDF + b"%" * (DATA_LIMIT := settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)  # past the form limit too
    assert DATA_LIMIT > settings.EARLYHELP_DOCUMENT_MAX_BYTES
    response = _upload(client, world, files.upload("scan.pdf", big))
    assert response.status_code == 422
    assert "The selected file must be smaller than 100.0 KB" in response.content.decode()
    assert Document.objects.count() == 0 and stored_files(documents_dir) == []


def test_no_file_asks_for_one(client, world):
    client.force_login(world["users"]["lead"])
    response = client.post(reverse("family-document-upload", args=[world["family"].pk]),
                           {k: v for k, v in _form(None).items() if k != "file"})
    assert response.status_code == 422 and "Select a file" in response.content.decode()


def test_a_persons_document_is_seen_from_the_persons_page(client, world):
    mia = world["people"]["mia"]
    client.force_login(world["users"]["teacher"])  # works with Mia
    assert _upload(client, world, files.upload("drawing.png", files.png(), "image/png"), "person-document-upload",
                   mia.pk, category="childs_work", description="Mia's drawing of home").status_code == 302
    document = Document.objects.get()
    assert document.person == mia and document.content_type == "image/png"
    page = client.get(reverse("person-documents", args=[mia.pk])).content.decode()
    assert "Mia&#x27;s drawing of home" in page
    assert "Documents about Mia" in client.get(reverse("person-detail", args=[mia.pk])).content.decode()
    client.force_login(world["users"]["outsider"])
    assert client.get(reverse("document-download", args=[document.pk])).status_code in (403, 404)


def test_an_episodes_documents_are_on_its_tab(client, world):
    client.force_login(world["users"]["lead"])
    episode = world["episode"]
    _upload(client, world, files.upload("minutes.docx", files.docx()), "episode-document-upload", episode.pk,
            category="meeting", description="Team Around the Family minutes")
    page = client.get(reverse("episode-documents", args=[episode.pk])).content.decode()
    assert "Team Around the Family minutes" in page and "Word document" in page
    assert reverse("episode-documents", args=[episode.pk]) in client.get(
        reverse("episode-detail", args=[episode.pk])).content.decode()


def test_the_files_are_not_under_any_public_address(client, world, documents_dir, settings):
    from pathlib import Path

    client.force_login(world["users"]["lead"])
    _upload(client, world, files.upload("attendance.pdf", files.PDF))
    document = Document.objects.get()
    stored = Path(documents_dir, document.storage_name)
    assert stored.exists()
    for public in (Path(settings.STATIC_ROOT), Path(settings.WHITENOISE_ROOT)):
        assert public.resolve() not in stored.resolve().parents
    for url in (f"/media/{document.storage_name}", f"/{document.storage_name}",
                f"/static/{document.storage_name}", f"/no-public-url-for-documents/{document.storage_name}"):
        assert client.get(url).status_code == 404, url


def test_giving_the_plan_to_the_family_keeps_the_exact_pdf(client, world, documents_dir):
    episode = world["episode"]
    from earlyhelp.episodes.models import Outcome

    Assessment.objects.create(episode=episode, started_on=episode.opened_on, due_on=timezone.localdate(),
                              organisation=world["users"]["lead"].agency, agreed_needs=["16A"])
    Outcome.objects.create(episode=episode, in_familys_words="Mia gets to school on time", needs=["16A"])
    client.force_login(world["users"]["lead"])
    overview = client.get(reverse("episode-assessment", args=[episode.pk])).content.decode()
    assert reverse("episode-plan-given", args=[episode.pk]) in overview
    response = client.post(reverse("episode-plan-given", args=[episode.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("episode-documents", args=[episode.pk])
    document = Document.objects.get()
    assert document.category == DocumentCategory.GIVEN_TO_FAMILY and document.episode == episode
    stored = (documents_dir / document.storage_name).read_bytes()
    assert stored.startswith(b"%PDF") and document.size == len(stored)
    download = client.get(reverse("document-download", args=[document.pk]))
    assert b"".join(download.streaming_content) == stored

    # Only those who may change the episode keep the family's copy.
    client.force_login(world["users"]["teacher"])
    assert client.post(reverse("episode-plan-given", args=[episode.pk])).status_code == 403
    assert Document.objects.count() == 1
