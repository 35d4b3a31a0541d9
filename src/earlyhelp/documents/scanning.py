"""The virus-scanning hook: every upload goes to ClamAV's daemon before it is stored, when
`CLAMD_SOCKET` names the daemon's Unix socket (docs/deploy.md, docs/documents.md).

clamd's INSTREAM command: `zINSTREAM\\0`, then the file in chunks each preceded by its length
(4 bytes, network order), then a zero length; clamd answers `stream: OK`, or
`stream: <signature> FOUND`, or an error. Fails closed: a file is stored only when clamd says OK,
so an unreachable daemon, a time-out or an error refuses the upload with a plain message.
Without `CLAMD_SOCKET` nothing is scanned.
"""

import logging
import socket
import struct

from django.conf import settings

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
INFECTED = "The selected file contains a virus. It has not been saved"
UNAVAILABLE = ("The selected file could not be checked for viruses, so it has not been saved. "
               "Try again later, or contact the service desk if this keeps happening")


class ScanRefused(Exception):
    """The file must not be stored: `str(error)` is the message for beside the field."""


def scanning_enabled() -> bool:
    return bool(getattr(settings, "CLAMD_SOCKET", ""))


def _connect() -> socket.socket:
    address = settings.CLAMD_SOCKET
    if address.startswith("tcp://"):
        host, _, port = address.removeprefix("tcp://").rpartition(":")
        connection = socket.create_connection((host, int(port)), timeout=settings.CLAMD_TIMEOUT)
    else:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(settings.CLAMD_TIMEOUT)
        connection.connect(address)
    return connection


def _instream(handle) -> str:
    with _connect() as connection:
        connection.sendall(b"zINSTREAM\0")
        while chunk := handle.read(CHUNK):
            connection.sendall(struct.pack("!L", len(chunk)) + chunk)
        connection.sendall(struct.pack("!L", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            received = connection.recv(4096)
            if not received:
                break
            answer += received
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(handle) -> None:
    """Refuse (ScanRefused) unless clamd finds the file clean; nothing to do without CLAMD_SOCKET."""
    if not scanning_enabled():
        return
    handle.seek(0)
    try:
        answer = _instream(handle)
    except (OSError, ValueError) as error:
        logger.error("clamd at %s could not scan an upload: %s", settings.CLAMD_SOCKET, error)
        raise ScanRefused(UNAVAILABLE) from error
    finally:
        handle.seek(0)
    if answer.endswith("FOUND"):
        logger.warning("clamd refused an upload: %s", answer)
        raise ScanRefused(INFECTED)
    if answer != "stream: OK":
        logger.error("clamd could not scan an upload: %s", answer)
        raise ScanRefused(UNAVAILABLE)
