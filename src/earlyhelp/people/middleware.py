"""While a page is read, whether the user may see a family is asked of the database once.

A page asks it several times: its selector fetching the family, then its template's links and
buttons (`{% may %}`), each an EXISTS over every way into the family's network (people/access.py).
Only reads (GET, HEAD) keep answers: a write may change the network, so it asks again."""

from .access import family_answers_kept

READS = frozenset({"GET", "HEAD"})


class FamilyAnswersKeptForReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READS:
            return self.get_response(request)
        with family_answers_kept():
            return self.get_response(request)
