"""What the page's scripts call: keep the session going, save and discard a draft.

None of them reads a record, so none writes an access record; each is CSRF-protected and
signed-in only (a signed-out script gets 401, see drafts.SCRIPT_URL_NAMES).
"""

from django.contrib import messages
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .drafts import DraftRefused, draft_discard, draft_save, fields_from_post
from .idle_timeout import keep_alive, seconds_left


def _session_seconds(request) -> int:
    return seconds_left(request.session)


@require_POST
def session_extend(request):
    """"Stay signed in": the idle time starts again now (web/idle_timeout.py); says how long it is."""
    keep_alive(request.session, now=True)
    return JsonResponse({"seconds": _session_seconds(request)})


def _key(request) -> str | None:
    key = request.POST.get("draft_path", "")
    if key.startswith("/") and url_has_allowed_host_and_scheme(key, allowed_hosts={request.get_host()}):
        return key
    return None


@require_POST
def draft_save_view(request):
    key = _key(request)
    if key is None:
        return HttpResponseBadRequest("Give the page's path as draft_path")
    try:
        draft = draft_save(request=request, key=key, fields=fields_from_post(request.POST))
    except DraftRefused as refused:
        status = 413 if str(refused) == "too big" else 400
        return JsonResponse({"saved": False, "reason": str(refused)}, status=status)
    return JsonResponse({"saved": True, "at": draft.updated_at.isoformat(), "seconds": _session_seconds(request)})


@require_POST
def draft_discard_view(request):
    key = _key(request)
    if key is None:
        return HttpResponseBadRequest("Give the page's path as draft_path")
    draft_discard(request=request, key=key)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"discarded": True})
    messages.success(request, "Your unsaved changes have been discarded.")
    return redirect(key)
