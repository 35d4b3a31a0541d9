"""Reads of files made in the background, each asking the one declaration (rules.py)."""

from django.http import Http404
from django.utils import timezone

from earlyhelp.policy import require

from .models import BackgroundFile
from .services import background_files_prune


def background_file_get_for_user(user, file_id) -> BackgroundFile:
    """The file if this user asked for it and still may; an expired one is gone (404)."""
    background_file = BackgroundFile.objects.filter(pk=file_id).first()
    if background_file is None:
        raise Http404("No such file")
    now = timezone.now()
    if background_file.expires_at is not None and background_file.expires_at <= now:
        background_files_prune(now=now)
        raise Http404("This file has expired")
    require(user, "background.view_file", background_file)
    return background_file
