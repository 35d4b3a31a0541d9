"""An upload handler that stops keeping a file once it is past the documents' size limit.

First in settings.FILE_UPLOAD_HANDLERS: it counts each file's bytes and passes them on to
Django's own handlers until the file passes EARLYHELP_DOCUMENT_MAX_BYTES; after that it drops
the rest, so an oversized file is never written out whole, and it hands the form an empty
`OversizedUpload` that knows its size, so the form says the file is too large (not a 400 page).
"""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(SimpleUploadedFile):
    def __init__(self, name: str, size: int):
        super().__init__(name, b"", content_type="application/octet-stream")
        self.size = size


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = settings.EARLYHELP_DOCUMENT_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the later handlers keep nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(self.file_name, self.received)
        return None  # the next handler returns the file it kept
