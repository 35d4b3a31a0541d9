"""Reading a council's Open Referral UK feed into the local directory (one transaction per import).

The feed is read in full first (`/services` page by page, `/services/{id}` for each, then
`/taxonomies` and `/taxonomy_terms`), checked, and only then written in one transaction: a feed that
cannot be read or breaks the standard raises FeedError with a plain message and changes nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from earlyhelp.people.search import postcode_normalise

from .models import (
    Location,
    LocationType,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)

USER_AGENT = "earlyhelp directory import"
# A feed with more pages than this is refused rather than read for ever (a feed that never says last_page).
MAX_PAGES = 1000


class FeedError(Exception):
    """The feed could not be read or is not Open Referral UK; the message says which, plainly."""


@dataclass
class ImportResult:
    source: str
    services: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    marked_gone: int = 0
    taxonomy_terms: int = 0
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.source}: {self.services} services ({self.created} new, {self.updated} updated, "
                f"{self.deleted} removed, {self.marked_gone} gone from the feed but named by a plan), "
                f"{self.taxonomy_terms} taxonomy terms")


# Reading ---------------------------------------------------------------------------------------------------


def _get(session: requests.Session, url: str, params: dict | None = None):
    try:
        response = session.get(url, params=params, timeout=settings.EARLYHELP_DIRECTORY_TIMEOUT)
    except requests.RequestException as error:
        raise FeedError(f"Could not reach {url}: {error.__class__.__name__}") from error
    if response.status_code != 200:
        raise FeedError(f"{url} answered {response.status_code}, not 200")
    try:
        return response.json()
    except ValueError as error:
        raise FeedError(f"{url} did not answer with JSON") from error


def _pages(session: requests.Session, url: str) -> list[dict]:
    """Every item of a paged ORUK list (its envelope: contents, total_pages, last_page)."""
    items: list[dict] = []
    page = 1
    while True:
        body = _get(session, url, {"page": page, "per_page": 100})
        if isinstance(body, list):  # some feeds give taxonomies as a plain list
            return items + body
        if not isinstance(body, dict) or not isinstance(body.get("contents"), list):
            raise FeedError(f"{url} page {page} is not an Open Referral UK page (no contents list)")
        items += body["contents"]
        total_pages = body.get("total_pages")
        if body.get("last_page") is True or not body["contents"] \
                or (isinstance(total_pages, int) and page >= total_pages):
            return items
        page += 1
        if page > MAX_PAGES:
            raise FeedError(f"{url} has more than {MAX_PAGES} pages")


def feed_read(base_url: str) -> dict:
    """The feed's services (each in full) and taxonomy terms, as the feed gives them."""
    base = base_url.rstrip("/")
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    listed = _pages(session, f"{base}/services")
    services = []
    for item in listed:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise FeedError(f"{base}/services lists a service without an id")
        detail = _get(session, f"{base}/services/{quote(item['id'], safe='')}")
        if not isinstance(detail, dict):
            raise FeedError(f"{base}/services/{item['id']} is not a service")
        services.append(detail)
    taxonomies = _pages(session, f"{base}/taxonomies")
    terms = _pages(session, f"{base}/taxonomy_terms")
    return {"services": services, "taxonomies": taxonomies, "taxonomy_terms": terms}


# Checking --------------------------------------------------------------------------------------------------


def _text(record: dict, key: str, what: str, *, required: bool = False, limit: int = 300) -> str:
    value = record.get(key)
    if value is None:
        if required:
            raise FeedError(f"{what} has no {key}")
        return ""
    if not isinstance(value, str):
        raise FeedError(f"{what}'s {key} is not text")
    value = value.replace("\x00", "").strip()  # PostgreSQL keeps no NUL in text
    if required and not value and key != "description":
        raise FeedError(f"{what} has an empty {key}")
    return value[:limit]


def _web_address(record: dict, key: str, what: str) -> str:
    """Only http(s) addresses are kept: the plan links to them (a javascript: address would run)."""
    value = _text(record, key, what, limit=500)
    return value if value.lower().startswith(("http://", "https://")) else ""


def _age(record: dict, key: str, what: str) -> int | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value > 150:
        raise FeedError(f"{what}'s {key} is not an age in years")
    return int(value)


def _coordinate(record: dict, key: str, what: str) -> Decimal | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as error:
        raise FeedError(f"{what}'s {key} is not a number") from error
    if abs(number) > 180:
        raise FeedError(f"{what}'s {key} is out of range")
    return number


def _id(record, what: str) -> str:
    if not isinstance(record, dict):
        raise FeedError(f"{what} is not an object")
    value = record.get("id")
    if not isinstance(value, str) or not value.replace("\x00", "").strip():
        raise FeedError(f"{what} has no id")
    return value.replace("\x00", "").strip()[:200]


def _term_fields(term: dict) -> dict:
    what = f"Taxonomy term {_id(term, 'A taxonomy term')}"
    return {
        "name": _text(term, "name", what, required=True),
        "code": _text(term, "code", what, limit=200),
        "description": _text(term, "description", what, limit=5000),
        "taxonomy_id": _text(term, "taxonomy_id", what, limit=200),
        "parent_id": _text(term, "parent_id", what, limit=200),
    }


def feed_check(feed: dict) -> dict:
    """The feed as the directory's fields, or FeedError on the first thing that breaks the standard."""
    taxonomies = {}
    for taxonomy in feed["taxonomies"]:
        key = _id(taxonomy, "A taxonomy")
        what = f"Taxonomy {key}"
        taxonomies[key] = {"name": _text(taxonomy, "name", what, required=True),
                           "description": _text(taxonomy, "description", what, limit=5000),
                           "uri": _text(taxonomy, "uri", what, limit=500),
                           "version": _text(taxonomy, "version", what, limit=50)}
    terms = {_id(term, "A taxonomy term"): _term_fields(term) for term in feed["taxonomy_terms"]}
    organizations, locations, services = {}, {}, {}
    for service in feed["services"]:
        key = _id(service, "A service")
        what = f"Service {key}"
        status = service.get("status")
        if status not in ServiceStatus.values:
            raise FeedError(f"{what}'s status {status!r} is not one of {', '.join(ServiceStatus.values)}")
        organization = service.get("organization")
        org_id = _id(organization, f"{what}'s organization") if organization is not None \
            else _text(service, "organization_id", what, required=True, limit=200)
        if organization is not None:
            org_what = f"Organization {org_id}"
            organizations[org_id] = {"name": _text(organization, "name", org_what, required=True),
                                     "description": _text(organization, "description", org_what, required=True,
                                                          limit=5000),
                                     "email": _text(organization, "email", org_what),
                                     "url": _web_address(organization, "url", org_what)}
        elif org_id not in organizations:
            raise FeedError(f"{what} names organization {org_id} without giving it")
        phones = service.get("phones") or []
        phone = phones[0].get("number", "") if isinstance(phones, list) and phones and isinstance(phones[0], dict) \
            else ""
        sals = []
        for sal in service.get("service_at_locations") or []:
            sal_id = _id(sal, f"A location of {what}")
            location = sal.get("location")
            loc_id = _id(location, f"Location of {what}")
            loc_what = f"Location {loc_id}"
            location_type = location.get("location_type")
            if location_type not in LocationType.values:
                raise FeedError(f"{loc_what}'s location_type {location_type!r} is not one of "
                                f"{', '.join(LocationType.values)}")
            addresses = location.get("addresses") or [{}]
            address = addresses[0] if isinstance(addresses, list) and isinstance(addresses[0], dict) else {}
            locations[loc_id] = {
                "name": _text(location, "name", loc_what), "location_type": location_type,
                "address_1": _text(address, "address_1", loc_what), "city": _text(address, "city", loc_what, limit=100),
                "postcode": postcode_normalise(_text(address, "postal_code", loc_what, limit=10))[:10],
                "latitude": _coordinate(location, "latitude", loc_what),
                "longitude": _coordinate(location, "longitude", loc_what),
            }
            sals.append((sal_id, loc_id))
        term_ids = []
        for attribute in service.get("attributes") or []:
            if not isinstance(attribute, dict):
                raise FeedError(f"An attribute of {what} is not an object")
            term = attribute.get("taxonomy_term")
            term_id = (_id(term, f"A taxonomy term of {what}") if term is not None
                       else _text(attribute, "taxonomy_term_id", what, required=True, limit=200))
            if term is not None and term_id not in terms:
                terms[term_id] = _term_fields(term)
            if term_id not in terms:
                raise FeedError(f"{what} names taxonomy term {term_id}, which the feed does not give")
            term_ids.append(term_id)
        minimum, maximum = _age(service, "minimum_age", what), _age(service, "maximum_age", what)
        if minimum is not None and maximum is not None and minimum > maximum:
            raise FeedError(f"{what}'s minimum_age is above its maximum_age")
        services[key] = {
            "fields": {"name": _text(service, "name", what, required=True),
                       "description": _text(service, "description", what, limit=10000),
                       "status": status, "url": _web_address(service, "url", what),
                       "email": _text(service, "email", what), "phone": str(phone)[:50],
                       "eligibility_description": _text(service, "eligibility_description", what, limit=5000),
                       "minimum_age": minimum, "maximum_age": maximum},
            "organization": org_id, "service_at_locations": sals, "taxonomy_terms": term_ids,
        }
    return {"taxonomies": taxonomies, "taxonomy_terms": terms, "organizations": organizations,
            "locations": locations, "services": services}


# Writing ---------------------------------------------------------------------------------------------------


def _upsert(model, source: str, records: dict[str, dict], result: ImportResult | None = None) -> dict:
    """{id in the feed: record}, each created or updated in place; it is back in the feed if it had gone."""
    existing = {record.oruk_id: record for record in model.objects.filter(source=source, oruk_id__in=records)}
    saved = {}
    for oruk_id, fields in records.items():
        record = existing.get(oruk_id)
        if record is None:
            record = model.objects.create(source=source, oruk_id=oruk_id, **fields)
            if result:
                result.created += 1
        else:
            changed = [name for name, value in fields.items() if getattr(record, name) != value]
            if changed or record.gone_from_feed_at:
                for name in changed:
                    setattr(record, name, fields[name])
                record.gone_from_feed_at = None
                record.save()
                if result:
                    result.updated += 1
        saved[oruk_id] = record
    return saved


def _retire(model, source: str, kept, now, result: ImportResult | None = None) -> None:
    """Records gone from the feed: deleted, unless a plan action names the service (then marked)."""
    gone = model.objects.filter(source=source).exclude(oruk_id__in=list(kept))
    if model is Service:
        named = gone.filter(plan_actions__isnull=False).distinct()
        marked = named.filter(gone_from_feed_at__isnull=True).update(gone_from_feed_at=now)
        if result:
            result.marked_gone += marked
        gone = gone.exclude(pk__in=named.values("pk"))
    elif model is Organization:
        # An organization stays while a kept service (one a plan names) is still its.
        gone = gone.exclude(services__isnull=False)
    deleted = gone.count()
    gone.delete()
    if result and model is Service:
        result.deleted += deleted


@transaction.atomic
def directory_import(*, source: str, feed: dict) -> ImportResult:
    """Write a checked feed (feed_check's result) as the directory's records from `source`."""
    result = ImportResult(source=source)
    now = timezone.now()
    taxonomies = _upsert(Taxonomy, source, feed["taxonomies"])
    terms = _upsert(TaxonomyTerm, source, {
        key: {"name": term["name"], "code": term["code"], "description": term["description"],
              "taxonomy": taxonomies.get(term["taxonomy_id"])}
        for key, term in feed["taxonomy_terms"].items()
    })
    for key, term in feed["taxonomy_terms"].items():
        parent = terms.get(term["parent_id"])
        if terms[key].parent_id != (parent.pk if parent else None):
            terms[key].parent = parent
            terms[key].save(update_fields=["parent"])
    organizations = _upsert(Organization, source, feed["organizations"])
    locations = _upsert(Location, source, feed["locations"])
    services = _upsert(Service, source, {
        key: {**service["fields"], "organization": organizations[service["organization"]]}
        for key, service in feed["services"].items()
    }, result)
    sal_records = {}
    for key, service in feed["services"].items():
        for sal_id, loc_id in service["service_at_locations"]:
            sal_records[sal_id] = {"service": services[key], "location": locations[loc_id]}
        services[key].taxonomy_terms.set([terms[term_id] for term_id in service["taxonomy_terms"]])
    _upsert(ServiceAtLocation, source, sal_records)
    # Created above, so nothing new is retired; the order keeps foreign keys satisfied.
    _retire(ServiceAtLocation, source, sal_records, now)
    _retire(Service, source, services, now, result)
    _retire(Location, source, locations, now)
    _retire(Organization, source, organizations, now)
    _retire(TaxonomyTerm, source, terms, now)
    _retire(Taxonomy, source, taxonomies, now)
    result.services = len(services)
    result.updated = max(result.updated, 0)
    result.taxonomy_terms = len(terms)
    return result


def directory_import_feed(*, base_url: str) -> ImportResult:
    """Read, check and write one feed: all of it, or (FeedError) nothing."""
    source = base_url.rstrip("/")
    return directory_import(source=source, feed=feed_check(feed_read(source)))
