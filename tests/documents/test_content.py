"""A document's type comes from its content, never its name or the type the browser sent."""

import io

import pytest

from earlyhelp.documents import content

from . import files

ACCEPTED = [
    ("PDF", files.PDF, "application/pdf"),
    ("PNG", files.png(), "image/png"),
    ("JPEG", files.JPEG, "image/jpeg"),
    ("GIF", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00"
            b"\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "image/gif"),
    ("Word", files.docx(), content.DOCX),
    ("Word 97", files.word_97(), content.DOC),
    ("OpenDocument text", files.odt(), content.ODT),
]
REFUSED = [
    ("a Linux program", files.ELF, content.PROGRAM),
    ("a Windows program", files.PE, content.PROGRAM),
    ("a script", files.SCRIPT, content.PROGRAM),
    ("a web page", files.HTML, content.WRONG_TYPE),
    ("a ZIP archive", files.plain_zip(), content.WRONG_TYPE),
    ("a macro-enabled Word document", files.docm(), content.WRONG_TYPE),
    ("an OpenDocument spreadsheet", files.ods(), content.WRONG_TYPE),
    ("an Excel 97 workbook", files.excel_97(), content.WRONG_TYPE),
    ("a broken ZIP", b"PK\x03\x04" + b"\x00" * 100, content.WRONG_TYPE),
    ("plain text", b"Just some words\n", content.WRONG_TYPE),
    ("an empty file", b"", content.EMPTY),
]


@pytest.mark.parametrize("what, data, expected", ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_accepted_kinds_are_known_from_their_content(what, data, expected):
    handle = io.BytesIO(data)
    assert content.content_type_of(handle) == expected
    assert handle.tell() == 0  # left at the start, for the scan and the storage


@pytest.mark.parametrize("what, data, message", REFUSED, ids=[row[0] for row in REFUSED])
def test_other_kinds_are_refused_with_a_plain_message(what, data, message):
    with pytest.raises(content.NotAccepted) as refused:
        content.content_type_of(io.BytesIO(data))
    assert str(refused.value) == message


def test_the_name_counts_for_nothing():
    """A program named report.pdf is a program; a PDF named photo.exe is a PDF."""
    renamed = files.upload("report.pdf", files.ELF, "application/pdf")
    with pytest.raises(content.NotAccepted, match="is a program"):
        content.content_type_of(renamed)
    assert content.content_type_of(files.upload("photo.exe", files.PDF, "application/x-msdownload")) == \
        "application/pdf"


def test_the_size_message_names_the_limit():
    assert content.too_large_message(20 * 1024 * 1024) == "The selected file must be smaller than 20.0 MB"
