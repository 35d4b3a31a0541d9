"""A small clamd stand-in for the tests: a real Unix socket speaking clamd's INSTREAM protocol
(`zINSTREAM\\0`, length-prefixed chunks, a zero length; `stream: OK` or `stream: <name> FOUND`).
It is not ClamAV: it "finds" only the EICAR test string."""

import os
import socket
import struct
import tempfile
import threading

from .files import EICAR


class FakeClamd:
    def __init__(self, *, answer: bytes | None = None):
        self.directory = tempfile.mkdtemp(prefix="clamd-", dir="/tmp")  # a Unix socket path has ~100 characters
        self.path = os.path.join(self.directory, "clamd.sock")
        self.answer = answer
        self.received: list[bytes] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(4)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, connection, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = connection.recv(size - len(data))
            if not part:
                raise ConnectionError("closed early")
            data += part
        return data

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                try:
                    command = self._read(connection, len(b"zINSTREAM\0"))
                    if command != b"zINSTREAM\0":
                        connection.sendall(b"UNKNOWN COMMAND\0")
                        continue
                    stream = b""
                    while length := struct.unpack("!L", self._read(connection, 4))[0]:
                        stream += self._read(connection, length)
                    self.received.append(stream)
                    if self.answer is not None:
                        connection.sendall(self.answer)
                    elif EICAR in stream:
                        connection.sendall(b"stream: Eicar-Test-Signature FOUND\0")
                    else:
                        connection.sendall(b"stream: OK\0")
                except (ConnectionError, OSError):
                    continue

    def close(self):
        self.server.close()
        os.unlink(self.path)
        os.rmdir(self.directory)
