"""The local directory of services, in the shape of Open Referral UK (HSDS 3.0 UK profile).

Every record keeps where it came from: `source` is the feed's base URL ("" for a record entered here)
and `oruk_id` its id in that feed, unique together, so a re-import updates and never duplicates. A
record no longer in its feed is deleted unless a plan action names it; then it is kept and marked
`gone_from_feed_at`, so the plan still says whom the family was referred to. The directory holds no
child's or family's details: it is published, read-only, to anyone.
"""

import uuid

from django.db import models


def new_oruk_id() -> str:
    return str(uuid.uuid4())


class ServiceStatus(models.TextChoices):
    # HSDS 3.0's values, spelt as the standard spells them.
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class FeedRecord(models.Model):
    source = models.CharField(max_length=500, blank=True, default="", db_index=True,
                              help_text="The feed's base URL; blank for a record entered here")
    oruk_id = models.CharField("Id in the feed", max_length=200, default=new_oruk_id)
    gone_from_feed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = []


def _once(name: str):
    return [models.UniqueConstraint(fields=["source", "oruk_id"], name=f"directory_{name}_once")]


class Organization(FeedRecord):
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    email = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = _once("organization")

    def __str__(self) -> str:
        return self.name


class Taxonomy(FeedRecord):
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    uri = models.CharField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"
        constraints = _once("taxonomy")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(FeedRecord):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.SET_NULL, null=True, blank=True, related_name="terms")
    code = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = _once("taxonomy_term")

    def __str__(self) -> str:
        return self.name


class Service(FeedRecord):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    url = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    eligibility_description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    taxonomy_terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")

    class Meta:
        ordering = ["name", "pk"]
        constraints = _once("service")

    def __str__(self) -> str:
        return self.name


class Location(FeedRecord):
    name = models.CharField(max_length=300, blank=True)
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    address_1 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    # Kept as "DE1 2AB" (capitals, one space) so a district ("DE1") matches by its prefix.
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = _once("location")

    def __str__(self) -> str:
        return self.name or self.postcode or self.oruk_id


class ServiceAtLocation(FeedRecord):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")

    class Meta:
        ordering = ["pk"]
        constraints = _once("service_at_location")
