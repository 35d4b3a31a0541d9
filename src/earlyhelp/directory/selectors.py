"""Reads of the directory. It holds no child's or family's details, so anyone may read it (no policy
check, no access record); records gone from their feed are never offered or published."""

from django.db.models import Prefetch, Q, QuerySet

from earlyhelp.people.search import postcode_compact, postcode_normalise

from .models import Location, Service, ServiceAtLocation, ServiceStatus, Taxonomy, TaxonomyTerm


def service_pick_list() -> QuerySet[Service]:
    """The services a practitioner may refer a family to: active, still in their feed."""
    return (Service.objects.filter(gone_from_feed_at__isnull=True, status=ServiceStatus.ACTIVE)
            .select_related("organization").order_by("name", "organization__name", "pk"))


def service_published_list() -> QuerySet[Service]:
    return (Service.objects.filter(gone_from_feed_at__isnull=True)
            .select_related("organization")
            .prefetch_related(
                Prefetch("service_at_locations",
                         queryset=ServiceAtLocation.objects.select_related("location").order_by("pk")),
                Prefetch("taxonomy_terms", queryset=TaxonomyTerm.objects.select_related("taxonomy", "parent")))
            .order_by("name", "pk"))


def service_published_get(oruk_id: str) -> Service | None:
    return service_published_list().filter(oruk_id=oruk_id).first()


def postcode_filter(postcode: str, prefix: str = "") -> Q:
    """A full postcode matches itself; an outward code ("DE1") every postcode in that district."""
    compact = postcode_compact(postcode)
    normal = postcode_normalise(compact)
    if " " in normal:
        return Q(**{f"{prefix}postcode": normal})
    return Q(**{f"{prefix}postcode__startswith": f"{compact} "})


def services_filtered(services: QuerySet, *, search: str = "", taxonomy_term_id: str = "",
                      minimum_age: int | None = None, maximum_age: int | None = None,
                      postcode: str = "", prefix: str = "") -> QuerySet:
    """ORUK's filters. The ages give the range of the people to be helped: a service matches when its own
    age range (open at either end when not given) overlaps it."""
    if search:
        services = services.filter(Q(**{f"{prefix}name__icontains": search})
                                   | Q(**{f"{prefix}description__icontains": search})
                                   | Q(**{f"{prefix}organization__name__icontains": search}))
    if taxonomy_term_id:
        services = services.filter(**{f"{prefix}taxonomy_terms__oruk_id": taxonomy_term_id})
    if minimum_age is not None:
        services = services.filter(Q(**{f"{prefix}maximum_age__isnull": True})
                                   | Q(**{f"{prefix}maximum_age__gte": minimum_age}))
    if maximum_age is not None:
        services = services.filter(Q(**{f"{prefix}minimum_age__isnull": True})
                                   | Q(**{f"{prefix}minimum_age__lte": maximum_age}))
    if postcode:
        loc = "service_at_locations__location__" if not prefix else "location__"
        services = services.filter(postcode_filter(postcode, loc))
    return services.distinct()


def service_at_location_published_list() -> QuerySet[ServiceAtLocation]:
    return (ServiceAtLocation.objects.filter(service__gone_from_feed_at__isnull=True)
            .select_related("service", "location").order_by("pk"))


def taxonomy_published_list() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.filter(gone_from_feed_at__isnull=True).order_by("name", "pk")


def taxonomy_term_published_list() -> QuerySet[TaxonomyTerm]:
    return (TaxonomyTerm.objects.filter(gone_from_feed_at__isnull=True)
            .select_related("taxonomy", "parent").order_by("name", "pk"))


def location_published_list() -> QuerySet[Location]:
    return Location.objects.filter(gone_from_feed_at__isnull=True).order_by("name", "pk")
