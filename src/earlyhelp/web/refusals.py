"""The one way a service refuses a move: `Refused`, answered everywhere with a 409 page.

A low module (Django only), so every app's services may raise it. A refused move (the episode
is not in a state that allows it), a record already decided (a step up, a harm referral, a step
down, a disagreement, a closure), or the loser of two identical submissions racing for the same
row lock: the service raises Refused with a plain message and the transaction is rolled back.
RefusalMiddleware answers 409 Conflict with the message in a GOV.UK error summary and a link
back to the page, which now shows what was decided. Refused is also a BadRequest, so one raised
outside a view still reaches handler400 (web.views.bad_request), which answers the same. Views
need not catch it; a view that wants the message beside a field may catch it and add
`refused.message` to its form.
"""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


class Refused(BadRequest):
    """A move or decision the service will not make now, with the reason in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _back_to(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return referer
    return request.path


def refused_response(request, refused: Refused):
    return render(request, "web/refused.html", {"message": refused.message, "back": _back_to(request)}, status=409)


class RefusalMiddleware:
    """A Refused raised in any view: the 409 page, before Django's own handling of a BadRequest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return refused_response(request, exception) if isinstance(exception, Refused) else None
