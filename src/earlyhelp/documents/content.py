"""What a file is, from its content: never from its name or the type the browser sent.

The first bytes are read with `filetype` (pure Python, signatures only). PDF and the common
photo formats are known from their signature. Word (.docx) and OpenDocument text (.odt) are ZIP
containers: the container must say it is one ([Content_Types].xml's main part for Word, the
`mimetype` entry for OpenDocument), so any other ZIP (an archive, a spreadsheet, a macro-enabled
document) is refused. Legacy Word (.doc) is an OLE compound file that must hold a WordDocument
stream. Programs (Windows, Linux and macOS executables, scripts) are named as such in the message.
"""

import zipfile

import filetype
from django.template.defaultfilters import filesizeformat

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
DOC = "application/msword"

# Content type -> (what it is called on the page, the extension of the stored file).
ACCEPTED = {
    "application/pdf": ("PDF", ".pdf"),
    "image/jpeg": ("JPEG image", ".jpg"),
    "image/png": ("PNG image", ".png"),
    "image/gif": ("GIF image", ".gif"),
    "image/webp": ("WebP image", ".webp"),
    "image/heic": ("HEIC image", ".heic"),
    DOC: ("Word document", ".doc"),
    DOCX: ("Word document", ".docx"),
    ODT: ("OpenDocument text", ".odt"),
}
SIGNATURE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"}

WRONG_TYPE = "The selected file must be a PDF, a JPG, PNG, GIF, WebP or HEIC image, or a Word or OpenDocument document"
PROGRAM = ("The selected file is a program, not a document. Upload a PDF, an image, or a Word or OpenDocument "
           "document")
EMPTY = "The selected file is empty"

_PROGRAM_SIGNATURES = (
    b"MZ",  # Windows .exe, .dll, .scr
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # macOS Mach-O
    b"\xca\xfe\xba\xbe",  # macOS universal binary, Java class
    b"#!",  # a script
    b"\x00asm",  # WebAssembly
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ZIP_PART_LIMIT = 1024 * 1024  # bytes of [Content_Types].xml or mimetype read at most


class NotAccepted(Exception):
    """The file is not a kind accepted: `str(error)` is the message for beside the field."""


def too_large_message(limit: int) -> str:
    return f"The selected file must be smaller than {filesizeformat(limit)}".replace("\xa0", " ")


# What reading a damaged or unusual ZIP raises; zipfile signals a compression method it cannot
# read with NotImplementedError. Any of them: not a document we accept.
_UNREADABLE_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, NotImplementedError)


def _zip_type(handle) -> str | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= _ZIP_PART_LIMIT:
                if archive.read("mimetype").strip() == ODT.encode():
                    return ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if archive.getinfo("[Content_Types].xml").file_size > _ZIP_PART_LIMIT:
                    return None
                if _DOCX_MAIN in archive.read("[Content_Types].xml"):
                    return DOCX
    except _UNREADABLE_ZIP:
        return None
    return None


def _is_word_97(handle) -> bool:
    """An OLE compound file with a WordDocument stream named in its directory."""
    tail = b""
    while chunk := handle.read(64 * 1024):
        if _WORD_STREAM in tail + chunk:
            return True
        tail = chunk[-len(_WORD_STREAM):]
    return False


def content_type_of(handle) -> str:
    """The accepted content type of an open binary file (read from the start, left at the start),
    or NotAccepted with the message to show."""
    handle.seek(0)
    head = handle.read(8192)
    handle.seek(0)
    try:
        if not head:
            raise NotAccepted(EMPTY)
        if head.startswith(_PROGRAM_SIGNATURES):
            raise NotAccepted(PROGRAM)
        kind = filetype.guess(head)
        mime = kind.mime if kind else None
        if mime in SIGNATURE_TYPES:
            return mime
        if mime in ("application/x-executable", "application/x-msdownload", "application/wasm"):
            raise NotAccepted(PROGRAM)
        if head.startswith(b"PK\x03\x04"):
            found = _zip_type(handle)
            if found:
                return found
        elif head.startswith(_OLE) and _is_word_97(handle):
            return DOC
        raise NotAccepted(WRONG_TYPE)
    finally:
        handle.seek(0)
