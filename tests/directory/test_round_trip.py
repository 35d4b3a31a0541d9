"""The round trip: the directory published by the running service (live_server) and read back by the
importer gives the same directory."""

import pytest

from earlyhelp.directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from earlyhelp.directory.services import directory_import_feed


def snapshot(source: str) -> dict:
    def rows(model, *fields):
        return sorted(tuple(str(value) for value in row)
                      for row in model.objects.filter(source=source).values_list("oruk_id", *fields))
    return {
        "organizations": rows(Organization, "name", "description", "email", "url"),
        "services": rows(Service, "organization__oruk_id", "name", "description", "status", "url", "email", "phone",
                         "eligibility_description", "minimum_age", "maximum_age"),
        "service terms": rows(Service, "taxonomy_terms__oruk_id"),
        "locations": rows(Location, "name", "location_type", "address_1", "city", "postcode", "latitude", "longitude"),
        "service_at_locations": rows(ServiceAtLocation, "service__oruk_id", "location__oruk_id"),
        "taxonomies": rows(Taxonomy, "name", "description", "uri", "version"),
        "taxonomy_terms": rows(TaxonomyTerm, "taxonomy__oruk_id", "code", "name", "description", "parent__oruk_id"),
    }


@pytest.mark.django_db(transaction=True)
def test_publish_then_read_back_gives_the_same_directory(feed_server, live_server):
    directory_import_feed(base_url=feed_server.url)
    published = f"{live_server.url}/directory/oruk"
    result = directory_import_feed(base_url=published)
    assert result.services == 5 and result.created == 5
    original, read_back = snapshot(feed_server.url), snapshot(published)
    assert original["services"] and original["locations"] and original["taxonomy_terms"]
    assert read_back == original
    # A second read of the published feed changes nothing.
    again = directory_import_feed(base_url=published)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert snapshot(published) == original
