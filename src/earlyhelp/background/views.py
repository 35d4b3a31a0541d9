"""The page that shows how far a file has got, and its download. Thin: reads in selectors.py."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .kinds import kind_of
from .models import FileStatus
from .selectors import background_file_get_for_user

REFRESH_SECONDS = 3


@require_safe
def background_file_page(request, file_id):
    background_file = background_file_get_for_user(request.user, file_id)
    kind = kind_of(background_file.kind)
    context = {"background_file": background_file, "refresh_seconds": REFRESH_SECONDS,
               "hours_kept": settings.EARLYHELP_BACKGROUND_FILE_HOURS, "FileStatus": FileStatus}
    if background_file.status == FileStatus.PROBLEMS and kind.problems_template:
        context["problems_template"] = kind.problems_template
        context.update(kind.problems_context(request.user, background_file.problems))
    return render(request, "background/file.html", context)


@require_safe
def background_file_download(request, file_id):
    background_file = background_file_get_for_user(request.user, file_id)
    if background_file.status != FileStatus.READY:
        raise Http404("The file is not ready")
    kind_of(background_file.kind).record_download(request, background_file)
    response = FileResponse(background_file.file.open("rb"), as_attachment=True, filename=background_file.filename,
                            content_type=background_file.content_type)
    response["Cache-Control"] = "no-store"  # a file about families never sits in a shared cache
    return response
