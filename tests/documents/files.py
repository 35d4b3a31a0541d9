"""Small real files of each kind, made here: no fixture files to keep."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] "
       b"/Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# The start of a JFIF JPEG (SOI, APP0) and its end: enough for any reader's signature check.
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xdb\x00\x43\x00" + bytes(range(64)) + b"\xff\xd9")


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def docx() -> bytes:
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
             b'officedocument.wordprocessingml.document.main+xml"/></Types>')
    return _zip([("[Content_Types].xml", types), ("_rels/.rels", b"<Relationships/>"),
                 ("word/document.xml", b"<w:document><w:body><w:p>School report</w:p></w:body></w:document>")])


def docm() -> bytes:
    """A macro-enabled Word document: not accepted."""
    types = (b'<Types><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.'
             b'macroEnabled.main+xml"/></Types>')
    return _zip([("[Content_Types].xml", types), ("word/document.xml", b"<w:document/>"),
                 ("word/vbaProject.bin", b"\x00" * 16)])


def odt() -> bytes:
    return _zip([("mimetype", b"application/vnd.oasis.opendocument.text"),
                 ("content.xml", b"<office:document-content>Letter</office:document-content>"),
                 ("META-INF/manifest.xml", b"<manifest:manifest/>")], stored_first=True)


def ods() -> bytes:
    return _zip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                 ("content.xml", b"<office:document-content/>")], stored_first=True)


def plain_zip() -> bytes:
    return _zip([("readme.txt", b"hello"), ("setup.exe", b"MZ" + b"\x00" * 64)])


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def word_97() -> bytes:
    """An OLE compound file's header, and a directory naming a WordDocument stream."""
    return OLE + b"\x00" * 504 + "Root Entry".encode("utf-16-le") + b"\x00" * 54 + \
        "WordDocument".encode("utf-16-le") + b"\x00" * 1000


def excel_97() -> bytes:
    return OLE + b"\x00" * 504 + "Root Entry".encode("utf-16-le") + b"\x00" * 54 + \
        "Workbook".encode("utf-16-le") + b"\x00" * 1000


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + \
    b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 200
SCRIPT = b"#!/bin/sh\nrm -rf ~\n"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
# The EICAR test string: every scanner reports it as a virus; it is harmless.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """As a browser would send it: the name and type it says are the sender's, never trusted."""
    return SimpleUploadedFile(name, content, content_type=content_type)
