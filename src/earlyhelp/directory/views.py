"""The published directory: Open Referral UK's read-only endpoints, public and open to any origin.

Plain JSON views (the directory holds no child's or family's details, so no sign-in, no policy check
and no access record). A parameter that is not understood answers 400 with a JSON message.
"""

import re
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from earlyhelp.people.search import postcode_compact, postcode_is_valid

from . import oruk, selectors

ORUK_VERSION = "3.0"
PER_PAGE = 50
MAX_PER_PAGE = 500
DISTRICT = r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"


class BadParameter(Exception):
    pass


def published(view):
    """Public, GET/HEAD only, CORS for any origin, and BadParameter → 400 JSON."""
    @login_not_required
    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except BadParameter as error:
            response = JsonResponse({"code": 400, "message": str(error)}, status=400)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return wrapped


def _whole(request, name: str, *, low: int, high: int, default=None):
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadParameter(f"{name} must be a whole number from {low} to {high}")
    return int(value)


def _text(request, name: str, limit: int = 200) -> str:
    value = request.GET.get(name, "").strip()
    if len(value) > limit or "\x00" in value:
        raise BadParameter(f"{name} must be at most {limit} characters")
    return value


def _postcode(request) -> str:
    value = _text(request, "postcode", 10)
    if value and not (postcode_is_valid(value) or re.match(DISTRICT, postcode_compact(value))):
        raise BadParameter("postcode must be a postcode, like DE1 2AB, or a postcode district, like DE1")
    return value


def _filters(request) -> dict:
    if request.GET.get("proximity", "").strip():
        # Distance needs the postcode's coordinates, which the service has no way to look up.
        raise BadParameter("proximity is not supported by this directory; use postcode")
    filters = {
        "search": _text(request, "search"), "taxonomy_term_id": _text(request, "taxonomy_term_id"),
        "minimum_age": _whole(request, "minimum_age", low=0, high=150),
        "maximum_age": _whole(request, "maximum_age", low=0, high=150),
        "postcode": _postcode(request),
    }
    if None not in (filters["minimum_age"], filters["maximum_age"]) and filters["minimum_age"] > filters["maximum_age"]:
        raise BadParameter("minimum_age must not be above maximum_age")
    return filters


def _paged(request, queryset, to_json) -> JsonResponse:
    """ORUK's paged envelope. A page past the end is empty, not an error (as ORUK's own feeds answer)."""
    page_number = _whole(request, "page", low=1, high=1_000_000, default=1)
    per_page = _whole(request, "per_page", low=1, high=MAX_PER_PAGE, default=PER_PAGE)
    paginator = Paginator(queryset, per_page)
    total_pages = max(paginator.num_pages, 1)
    contents = ([to_json(item) for item in paginator.page(page_number).object_list]
                if page_number <= paginator.num_pages else [])
    return JsonResponse({
        "total_items": paginator.count, "total_pages": total_pages, "page_number": page_number,
        "size": len(contents), "first_page": page_number == 1, "last_page": page_number >= total_pages,
        "empty": not contents, "contents": contents,
    })


@published
def root(request):
    return JsonResponse({"version": ORUK_VERSION, "profile": "https://openreferraluk.org/",
                         "openapi_url": None})


@published
def services(request):
    queryset = selectors.services_filtered(selectors.service_published_list(), **_filters(request))
    return _paged(request, queryset, oruk.service_json)


@published
def service(request, oruk_id: str):
    # An id no feed could hold (PostgreSQL refuses a NUL in text) is simply not found.
    found = selectors.service_published_get(oruk_id) if len(oruk_id) <= 200 and "\x00" not in oruk_id else None
    if found is None:
        return JsonResponse({"code": 404, "message": "There is no service with this id"}, status=404)
    return JsonResponse(oruk.service_json(found))


@published
def service_at_locations(request):
    queryset = selectors.services_filtered(selectors.service_at_location_published_list(), prefix="service__",
                                           **_filters(request))
    return _paged(request, queryset, lambda sal: oruk.service_at_location_json(sal, with_service=True))


@published
def taxonomies(request):
    queryset = selectors.taxonomy_published_list()
    search = _text(request, "search")
    if search:
        queryset = queryset.filter(name__icontains=search)
    return _paged(request, queryset, oruk.taxonomy_json)


@published
def taxonomy_terms(request):
    queryset = selectors.taxonomy_term_published_list()
    search, taxonomy_id = _text(request, "search"), _text(request, "taxonomy_id")
    if search:
        queryset = queryset.filter(name__icontains=search)
    if taxonomy_id:
        queryset = queryset.filter(taxonomy__oruk_id=taxonomy_id)
    return _paged(request, queryset, oruk.taxonomy_term_json)
