"""What a WeasyPrint PDF says, without a PDF library: its bookmarks (one for each heading) and title.

WeasyPrint writes each h1-h6 as an outline entry whose /Title is the heading's text, as a literal
string or as UTF-16 in hex; the content streams are deflated, so each is inflated first.
"""

import re
import zlib


def _decode(token: bytes) -> str:
    if token.startswith(b"<"):
        raw = bytes.fromhex(token[1:-1].decode())
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    text = token[1:-1]
    text = re.sub(rb"\\([()\\])", rb"\1", text)
    return text.decode("latin-1")


def pdf_headings(pdf: bytes) -> list[str]:
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    blob = b"\n".join(chunks)
    return [_decode(match.group(1)) for match in re.finditer(rb"/Title ?(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)", blob)]
