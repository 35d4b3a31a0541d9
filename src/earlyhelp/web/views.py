from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from earlyhelp.audit.services import record_listed

from .home import home_context_for, listed_family_ids
from .refusals import Refused, refused_response

ERROR_PAGES = {
    400: (
        "Sorry, we could not understand that request",
        ["Go back and try again. If you followed a link, it may be broken or out of date."],
    ),
    403: (
        "You do not have permission to see this page",
        [
            "Records are only shown to people working with the child or family.",
            "If you think you should have access, ask your team manager.",
        ],
    ),
    404: (
        "Page not found",
        [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
    ),
}


def _error_page(request, status: int):
    heading, paragraphs = ERROR_PAGES[status]
    return render(
        request, "web/error.html", {"heading": heading, "paragraphs": paragraphs}, status=status
    )


@login_not_required
def bad_request(request, exception=None):
    if isinstance(exception, Refused):  # a service's refusal: its plain message, 409 (web.refusals)
        return refused_response(request, exception)
    return _error_page(request, 400)


@login_not_required
def permission_denied(request, exception=None):
    return _error_page(request, 403)


@login_not_required
def page_not_found(request, exception=None):
    return _error_page(request, 404)


@login_not_required
def server_error(request):
    # No request context: the failure may have come from a context processor or the database.
    context = {
        "service_name": settings.EARLYHELP_SERVICE_NAME,
        "local_authority": settings.EARLYHELP_LOCAL_AUTHORITY,
        "phase": settings.EARLYHELP_PHASE,
        "support_email": settings.EARLYHELP_SUPPORT_EMAIL,
    }
    return HttpResponseServerError(loader.get_template("500.html").render(context))


@login_not_required
def csrf_failure(request, reason=""):
    return render(
        request,
        "web/error.html",
        {
            "heading": "Your form could not be sent",
            "paragraphs": [
                "This can happen when a page has been open for a long time or you signed out in another tab.",
                "Go back, reload the page and try again. What you typed has not been saved.",
            ],
        },
        status=403,
    )


def home(request):
    context = home_context_for(request.user)
    record_listed(request, "Home page", listed_family_ids(context))
    return render(request, f"web/home/{context['template']}.html", context)
