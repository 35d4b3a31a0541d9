"""A file being made for a user by a background task, and the file once made."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models


def background_storage():
    """Private: never served from a URL of its own, only by background.views.background_file_download."""
    return storages["background_files"]


class FileStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to start"
    RUNNING = "running", "Being made"
    READY = "ready", "Ready to download"
    PROBLEMS = "problems", "Records to correct first"
    FAILED = "failed", "Could not be made"


UNFINISHED = (FileStatus.WAITING, FileStatus.RUNNING)


class BackgroundFile(models.Model):
    # Not a sequence number: the address of someone's file says nothing about anyone else's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    # What the kind needs to make the file again (a date, a format, a family's or a person's id, filters).
    params = models.JSONField(default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=FileStatus.choices, default=FileStatus.WAITING)
    progress_text = models.CharField(max_length=200, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(storage=background_storage, upload_to="%Y/%m/%d", max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # Records that must be corrected before the file can be made (Annex A's problems), as the kind wrote them.
    problems = models.JSONField(default=list, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="background_file_expires_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED
