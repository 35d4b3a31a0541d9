"""Pages anyone may read without signing in: the accessibility statement and the cookies page.

Both are linked from every page's footer, staff and public. The cookies listed are read from the
settings, so the page names the cookies the service really sets.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse

# Pages for the public (a family asking for help): their header leads to the public start page,
# never to the staff sign-in.
PUBLIC_URL_NAMES = frozenset({
    "self-referral", "self-referral-step", "self-referral-sent", "privacy-notice", "accessibility-statement", "cookies",
})


def header_home_url(request) -> str:
    """Where the header's service name leads: the public start page on a public page read without
    signing in, the staff home page otherwise."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match and match.url_name in PUBLIC_URL_NAMES and not (user and user.is_authenticated):
        return reverse("self-referral")
    return "/"


def cookies_set() -> list[dict]:
    """The cookies this service sets, each strictly necessary: the names come from the settings."""
    idle_minutes = settings.SESSION_COOKIE_AGE // 60
    session_ends = ("when you close your browser, or after "
                    f"{idle_minutes} minutes without using the service") if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE \
        else f"after {idle_minutes} minutes without using the service"
    return [
        {"name": settings.SESSION_COOKIE_NAME,
         "purpose": "Keeps you signed in, keeps your answers to the 'Ask for help' questions between pages until "
                    "you send them, and remembers that you have sent them so that we can show you the reference",
         "expires": session_ends.capitalize()},
        {"name": settings.CSRF_COOKIE_NAME,
         "purpose": "Protects the forms you fill in from being sent by another website pretending to be you",
         "expires": "After 1 year" if settings.CSRF_COOKIE_AGE else "When you close your browser"},
        {"name": "messages",
         "purpose": "Shows you a message on the next page, such as 'Saved', after you send a form",
         "expires": "When you close your browser, or as soon as the message has been shown"},
    ]


@login_not_required
def accessibility_statement(request):
    return render(request, "web/public/accessibility.html", {
        "csc": {"name": settings.EARLYHELP_CSC_NAME, "phone": settings.EARLYHELP_CSC_PHONE},
    })


@login_not_required
def cookies(request):
    return render(request, "web/public/cookies.html", {"cookies": cookies_set()})
