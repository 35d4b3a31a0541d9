"""Writes for files made in the background: asking for one, making it (in the worker), removing expired ones."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from earlyhelp.policy import require

from .kinds import Made, kind_of
from .models import BackgroundFile, FileStatus

logger = logging.getLogger(__name__)

FAILED_MESSAGE = ("The file could not be made. Ask for it again; if it cannot be made again, "
                  "tell your system administrator.")


@transaction.atomic
def background_file_request(*, user, kind: str, title: str, params: dict) -> BackgroundFile:
    """Ask for a file: refused unless the kind's permission allows it; made later by a worker.

    The database backend writes the task in this transaction, so a refused or failed request leaves neither.
    """
    from .tasks import make_background_file

    registered = kind_of(kind)
    require(user, registered.permission, registered.policy_object(params))
    # Expires even if never made (a worker stopped under it), so no row is left for ever; made, it is kept anew.
    background_file = BackgroundFile.objects.create(requested_by=user, kind=kind, title=title[:200], params=params,
                                                    progress_text="Waiting for a worker to start",
                                                    expires_at=_expiry(timezone.now()))
    result = make_background_file.enqueue(file_id=str(background_file.pk))
    background_file.task_result_id = str(result.id)
    background_file.save(update_fields=["task_result_id"])
    return background_file


def _progress(file_id):
    def progress(percent: int, text: str) -> None:
        # Written at once (no transaction around the making) so the page shows it while the work goes on.
        BackgroundFile.objects.filter(pk=file_id).update(progress_percent=max(0, min(100, int(percent))),
                                                         progress_text=text[:200])

    return progress


def _expiry(now: datetime) -> datetime:
    return now + timedelta(hours=settings.EARLYHELP_BACKGROUND_FILE_HOURS)


def background_file_make(*, file_id: str) -> str:
    """Make the file (run by the worker): the kind's maker, then the file stored privately, or its problems.

    A failure is recorded with a plain message for the page, and raised again so the task shows it too.
    """
    background_file = BackgroundFile.objects.select_related("requested_by").filter(pk=file_id).first()
    if background_file is None or background_file.finished:
        return "gone"
    kind = kind_of(background_file.kind)
    BackgroundFile.objects.filter(pk=file_id).update(status=FileStatus.RUNNING, started_at=timezone.now(),
                                                     progress_percent=0, progress_text="Started")
    try:
        made: Made = kind.make(background_file.requested_by, background_file.params, _progress(file_id))
    except Exception:
        logger.exception("Background file %s (%s) could not be made", file_id, background_file.kind)
        now = timezone.now()
        BackgroundFile.objects.filter(pk=file_id).update(
            status=FileStatus.FAILED, error_message=FAILED_MESSAGE, finished_at=now, expires_at=_expiry(now))
        raise
    background_file.refresh_from_db()
    now = timezone.now()
    background_file.finished_at, background_file.expires_at = now, _expiry(now)
    background_file.progress_percent = 100
    if made.problems:
        background_file.status, background_file.problems = FileStatus.PROBLEMS, made.problems
        background_file.progress_text = "Records must be corrected first"
    else:
        background_file.file.save(made.filename, ContentFile(made.content), save=False)
        background_file.status, background_file.filename = FileStatus.READY, made.filename
        background_file.content_type, background_file.progress_text = made.content_type, "Ready"
    background_file.save()
    background_files_prune(now=now)
    return background_file.status


def background_files_prune(*, now: datetime) -> int:
    """Delete files past their expiry, the stored file first, then the row."""
    expired = list(BackgroundFile.objects.filter(expires_at__lte=now))
    for background_file in expired:
        if background_file.file:
            background_file.file.delete(save=False)
        background_file.delete()
    return len(expired)
