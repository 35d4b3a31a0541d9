"""The virus-scanning hook, against a local stand-in for clamd (tests/documents/clamd.py) that
speaks the INSTREAM protocol over a real Unix socket. It is not ClamAV."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.documents import scanning, services
from earlyhelp.documents.models import Document

from . import files
from .clamd import FakeClamd
from .conftest import stored_files


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.CLAMD_SOCKET = server.path
    settings.CLAMD_TIMEOUT = 5
    yield server
    server.close()


def _add(world, data: bytes):
    return services.document_add(owner=world["family"], upload=files.upload("letter.pdf", data), category="letter",
                                 description="A letter", dated=timezone.localdate(), by=world["users"]["lead"])


def test_a_clean_file_is_streamed_to_clamd_whole_and_stored(world, clamd, documents_dir):
    data = files.PDF + b"%" * (3 * scanning.CHUNK)  # several chunks
    _add(world, data)
    assert clamd.received == [data]
    assert [path.read_bytes() for path in stored_files(documents_dir)] == [data]


def test_a_file_clamd_finds_a_virus_in_is_refused_and_nothing_stored(world, clamd, documents_dir):
    with pytest.raises(ValidationError) as refused:
        _add(world, files.PDF + files.EICAR)
    assert refused.value.message_dict["file"] == [scanning.INFECTED]
    assert stored_files(documents_dir) == [] and Document.objects.count() == 0


def test_when_clamd_cannot_be_reached_the_upload_is_refused(world, settings, documents_dir, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "no-such.sock")
    with pytest.raises(ValidationError) as refused:
        _add(world, files.PDF)
    assert refused.value.message_dict["file"] == [scanning.UNAVAILABLE]
    assert stored_files(documents_dir) == []


def test_when_clamd_answers_an_error_the_upload_is_refused(world, settings, documents_dir):
    server = FakeClamd(answer=b"INSTREAM size limit exceeded. ERROR\0")
    settings.CLAMD_SOCKET = server.path
    try:
        with pytest.raises(ValidationError) as refused:
            _add(world, files.PDF)
    finally:
        server.close()
    assert refused.value.message_dict["file"] == [scanning.UNAVAILABLE]
    assert stored_files(documents_dir) == []


def test_without_clamd_socket_nothing_is_scanned(world, settings, documents_dir):
    settings.CLAMD_SOCKET = ""
    _add(world, files.PDF + files.EICAR)  # not scanned: stored as it is
    assert len(stored_files(documents_dir)) == 1
