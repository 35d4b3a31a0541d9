"""The idle timeout, without a database write on every page.

A session ends SESSION_COOKIE_AGE seconds (30 minutes) after the user's last request. Saving the
session on every request (Django's SESSION_SAVE_EVERY_REQUEST) does that exactly, at the price of
an UPDATE and a COMMIT on every page read. Here a request saves the session again only when
`touch_seconds()` (a tenth of the idle time, at most a minute) have passed since it was last
saved: so the session ends between SESSION_COOKIE_AGE - touch_seconds() and SESSION_COOKIE_AGE
after the last request, never later. The pages' time-out warning counts down from the last save
(`seconds_left`), so it always warns before the session ends; "Stay signed in" saves it at once.
"""

import time

from django.conf import settings

# When the session was last saved, in whole seconds since the epoch.
SAVED_AT_KEY = "_idle_from"


def _now() -> int:
    return int(time.time())


def touch_seconds() -> int:
    return min(60, settings.SESSION_COOKIE_AGE // 10)


def keep_alive(session, *, now: bool = False) -> None:
    """Start the idle time again if a save is due (or `now`): the session is then saved with the
    response, with a new expiry."""
    if not session.keys():  # nothing kept (or a session that has ended): nothing to keep alive
        return
    saved_at = session.get(SAVED_AT_KEY)
    moment = _now()
    if now or saved_at is None or moment - saved_at >= touch_seconds():
        session[SAVED_AT_KEY] = moment


def seconds_left(session) -> int:
    """How long the session has before it ends, if no request saves it again."""
    saved_at = session.get(SAVED_AT_KEY)
    age = session.get_expiry_age()
    return age if saved_at is None else max(0, age - (_now() - saved_at))


class IdleTimeoutMiddleware:
    """After SessionMiddleware: a request to a session that holds anything keeps it alive."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            keep_alive(session)
        return self.get_response(request)
