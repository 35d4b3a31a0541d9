"""Drafts of long forms, and what a submission that met an expired session had typed.

A draft belongs to one user and one page (its path and query). The page's JavaScript (drafts.js)
posts the form's fields as the user types; opening the page again offers them back. A POST that
arrives after the session ended is kept as a draft for the user whose session it was, and the page
restores it after they sign in again, with a notice; it is never submitted for them.

The session holds the list of pages with a draft (DRAFT_PATHS_KEY), filled once per session, so a
page without a draft costs no query.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Draft

# The long forms whose pages save drafts as the user types.
DRAFT_URL_NAMES = frozenset({
    "episode-assessment-child", "episode-assessment-family", "episode-assessment-analysis",
    "episode-assessment-needs", "episode-assessment-engagement",
    "episode-outcome-create", "episode-action-create", "episode-review-create",
    "request-create-step", "note-create", "note-edit", "oversight-create",
})
# Called by scripts: a signed-out caller gets 401, never the sign-in page.
SCRIPT_URL_NAMES = frozenset({"draft-save", "session-extend"})
NEVER_KEPT = frozenset({"csrfmiddlewaretoken", "draft_path"})
MAX_DRAFT_CHARACTERS = 200_000
MAX_DRAFT_FIELDS = 300
DRAFT_PATHS_KEY = "earlyhelp_draft_paths"


class DraftRefused(Exception):
    """The page does not take drafts, or what was sent is too big."""


def draft_url_name(key: str) -> str | None:
    try:
        return resolve(urlsplit(key).path).url_name
    except Resolver404:
        return None


def fields_from_post(post) -> dict[str, list[str]]:
    """The form's fields as posted, less the CSRF token and anything that looks like a password."""
    fields = {
        name: post.getlist(name) for name in post
        if name not in NEVER_KEPT and "password" not in name.lower()
    }
    if len(fields) > MAX_DRAFT_FIELDS or sum(len(v) for values in fields.values() for v in values) > MAX_DRAFT_CHARACTERS:
        raise DraftRefused("too big")
    return fields


def _paths(session) -> list[str]:
    return session.get(DRAFT_PATHS_KEY, [])


def _remember(session, key: str, present: bool) -> None:
    paths = [path for path in _paths(session) if path != key]
    session[DRAFT_PATHS_KEY] = paths + [key] if present else paths


def drafts_expire() -> int:
    cutoff = timezone.now() - timedelta(days=settings.EARLYHELP_DRAFT_DAYS)
    return Draft.objects.filter(updated_at__lt=cutoff).delete()[0]


def draft_save(*, request, key: str, fields: dict[str, list[str]]) -> Draft:
    """Store what the signed-in user typed on a draft-enabled page (their own draft, nobody else's)."""
    if draft_url_name(key) not in DRAFT_URL_NAMES:
        raise DraftRefused("not a page with drafts")
    drafts_expire()
    draft, _ = Draft.objects.update_or_create(
        user=request.user, key=key,
        defaults={"data": {"fields": fields, "action": urlsplit(key).path}, "kept_at_sign_out": False},
    )
    _remember(request.session, key, True)
    return draft


def draft_discard(*, request, key: str) -> None:
    Draft.objects.filter(user=request.user, key=key).delete()
    _remember(request.session, key, False)


def draft_for_page(request) -> Draft | None:
    """The signed-in user's own draft of this page, if they have one (no query when they have none)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return None
    key = request.get_full_path()
    if key not in _paths(request.session):
        return None
    cutoff = timezone.now() - timedelta(days=settings.EARLYHELP_DRAFT_DAYS)
    return Draft.objects.filter(user=user, key=key, updated_at__gte=cutoff).first()


def _form_page(request) -> str:
    """The page the form was on: where the browser was (same site only), else the address posted to."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parts = urlsplit(referer)
        if draft_url_name(parts.path):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _expired_session_user_id(request) -> str | None:
    """Whose session this browser had, from its ended session (kept until clearsessions)."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return None
    session = Session.objects.filter(session_key=session_key).first()
    if session is None:
        return None
    data = session.get_decoded()
    return data.get(SESSION_KEY) if data.get(BACKEND_SESSION_KEY) and data.get(HASH_SESSION_KEY) else None


def keep_signed_out_submission(request) -> str | None:
    """Keep what an expired session's POST carried as a draft of the form's page, for the user whose
    session it was. Returns the page to come back to after signing in, or None when nothing is kept
    (no typed fields, or no way to know whose it was: then nobody can be shown it)."""
    try:
        fields = fields_from_post(request.POST)
    except DraftRefused:
        return None
    user_id = _expired_session_user_id(request) if fields else None
    if user_id is None:
        return None
    key = _form_page(request)
    Draft.objects.update_or_create(
        user_id=user_id, key=key,
        defaults={"data": {"fields": fields, "action": request.path}, "kept_at_sign_out": True},
    )
    return key


class KeepTypedLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, which also keeps what a signed-out POST typed, answers
    scripts with 401, fills the session's list of pages with drafts once, and forgets a page's
    draft when its form is saved (a redirect after a POST)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated and DRAFT_PATHS_KEY not in request.session:
            request.session[DRAFT_PATHS_KEY] = list(
                Draft.objects.filter(user=request.user).values_list("key", flat=True)
            )
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        match = request.resolver_match
        if match and match.url_name in SCRIPT_URL_NAMES:
            return JsonResponse({"signed_in": False}, status=401)
        if request.method == "POST":
            kept = keep_signed_out_submission(request)
            if kept:
                return redirect_to_login(kept, resolve_url(self.get_login_url(view_func)))
        return super().handle_no_permission(request, view_func)

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if (
            request.method == "POST" and response.status_code in (301, 302, 303)
            and user is not None and user.is_authenticated
        ):
            _forget_saved(request)
        return response


def _forget_saved(request) -> None:
    """A form was saved: its page's draft goes, and a kept draft of the page it was posted from."""
    paths = _paths(request.session)
    key = request.get_full_path()
    if key in paths:
        draft_discard(request=request, key=key)
    page = _form_page(request)
    if page != key and page in paths and Draft.objects.filter(
        user=request.user, key=page, data__action=request.path
    ).delete()[0]:
        _remember(request.session, page, False)
