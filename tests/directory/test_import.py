"""Reading an Open Referral UK feed from a real local HTTP server into the directory."""

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from earlyhelp.directory.services import FeedError, directory_import_feed

pytestmark = pytest.mark.django_db

COUNTS = {Organization: 3, Service: 5, Location: 4, ServiceAtLocation: 6, Taxonomy: 1, TaxonomyTerm: 4}


def counts():
    return {model: model.objects.count() for model in COUNTS}


def test_the_command_reads_every_page_of_the_sample_feed(feed_server, capsys):
    call_command("directory_import", feed_server.url)
    assert counts() == COUNTS
    # Five services, two a page: three pages listed, each service read in full.
    assert sum(path.startswith("/oruk/services?") for path in feed_server.requests) == 3
    assert sum(path.startswith("/oruk/services/") for path in feed_server.requests) == 5
    parenting = Service.objects.get(source=feed_server.url, oruk_id="svc-parenting")
    assert parenting.name == "Parenting Together course"
    assert parenting.organization.name == "Exampleshire County Council"
    assert (parenting.minimum_age, parenting.maximum_age, parenting.phone) == (0, 11, "01632 960100")
    assert parenting.email == "parenting@example.org"
    assert sorted(t.code for t in parenting.taxonomy_terms.all()) == ["PAR"]
    assert sorted(sal.location.postcode for sal in parenting.service_at_locations.all()) == ["DE1 3AA", "DE23 8CC"]
    assert Location.objects.get(oruk_id="loc-centre").postcode == "DE21 4BB"  # tidied from "de21 4bb"
    assert str(Location.objects.get(oruk_id="loc-hub").latitude) == "52.922500"
    assert Service.objects.get(oruk_id="svc-talk").status == "temporarily closed"
    assert TaxonomyTerm.objects.get(oruk_id="term-teen-mh").parent.oruk_id == "term-youth"
    assert "5 services (5 new" in capsys.readouterr().out


def test_a_reimport_updates_in_place_and_removes_what_left_the_feed(feed_server):
    directory_import_feed(base_url=feed_server.url)
    first = {service.oruk_id: service.pk for service in Service.objects.all()}
    feed = feed_server.feed
    feed["services"][0]["name"] = "Parenting Together (new course)"
    feed["services"][0]["service_at_locations"].pop()  # no longer at Southway Library
    feed["services"] = [service for service in feed["services"] if service["id"] != "svc-youth"]
    result = directory_import_feed(base_url=feed_server.url)
    assert {service.oruk_id: service.pk for service in Service.objects.all()} == \
        {key: pk for key, pk in first.items() if key != "svc-youth"}
    assert Service.objects.get(oruk_id="svc-parenting").name == "Parenting Together (new course)"
    assert ServiceAtLocation.objects.filter(service__oruk_id="svc-parenting").count() == 1
    assert not Location.objects.filter(oruk_id="loc-south").exists()
    assert (result.created, result.deleted, result.marked_gone) == (0, 1, 0)
    assert Organization.objects.count() == 3  # the charity still runs Talk It Through


def test_a_service_a_plan_names_is_marked_not_deleted_and_comes_back(feed_server, seeded):
    from earlyhelp.episodes.models import PlanAction

    directory_import_feed(base_url=feed_server.url)
    action = PlanAction.objects.filter(owner_agency__isnull=False).first() or PlanAction.objects.first()
    youth = Service.objects.get(oruk_id="svc-youth")
    action.service = youth
    action.save(update_fields=["service"])
    kept = feed_server.feed["services"]
    feed_server.feed["services"] = [service for service in kept if service["id"] != "svc-youth"]
    result = directory_import_feed(base_url=feed_server.url)
    youth.refresh_from_db()
    assert youth.gone_from_feed_at is not None and result.marked_gone == 1
    action.refresh_from_db()
    assert action.service == youth
    feed_server.feed["services"] = kept
    directory_import_feed(base_url=feed_server.url)
    youth.refresh_from_db()
    assert youth.gone_from_feed_at is None
    assert Service.objects.filter(oruk_id="svc-youth").count() == 1


def _broken_service(feed):
    feed["services"][3]["status"] = "open"


def _no_org_description(feed):
    del feed["services"][4]["organization"]["description"]


def _bad_location_type(feed):
    feed["services"][2]["service_at_locations"][0]["location"]["location_type"] = "house"


def _unknown_term(feed):
    feed["services"][1]["attributes"] = [{"taxonomy_term_id": "term-nowhere"}]


@pytest.mark.parametrize("spoil, message", [
    (_broken_service, "Service svc-talk's status 'open' is not one of"),
    (_no_org_description, "Organization org-council has no description"),
    (_bad_location_type, "Location loc-centre's location_type 'house'"),
    (_unknown_term, "names taxonomy term term-nowhere"),
])
def test_a_feed_that_breaks_the_standard_changes_nothing(feed_server, spoil, message):
    directory_import_feed(base_url=feed_server.url)
    before = {service.oruk_id: service.name for service in Service.objects.all()}
    feed_server.feed["services"][0]["name"] = "A change that must not be kept"
    spoil(feed_server.feed)
    with pytest.raises(CommandError, match=message):
        call_command("directory_import", feed_server.url)
    assert {service.oruk_id: service.name for service in Service.objects.all()} == before
    assert counts() == COUNTS


@pytest.mark.parametrize("path, answer, message", [
    ("/oruk/services/svc-toddlers", (500, "{}"), "answered 500"),
    ("/oruk/taxonomy_terms", (200, "<html>not json</html>"), "did not answer with JSON"),
    ("/oruk/services", (200, '{"items": []}'), "not an Open Referral UK page"),
])
def test_a_feed_that_cannot_be_read_leaves_nothing_half_done(feed_server, path, answer, message):
    feed_server.broken[path] = answer
    with pytest.raises(FeedError, match=message):
        directory_import_feed(base_url=feed_server.url)
    assert set(counts().values()) == {0}


def test_an_unreachable_feed_is_a_plain_error(feed_server):
    url = feed_server.url
    feed_server.shutdown()
    feed_server.server_close()
    with pytest.raises(CommandError, match="Could not reach"):
        call_command("directory_import", url)


def test_the_command_needs_a_feed():
    with pytest.raises(CommandError, match="EARLYHELP_DIRECTORY_FEEDS"):
        call_command("directory_import")


def test_only_http_web_addresses_are_kept(feed_server):
    feed_server.feed["services"][0]["url"] = "javascript:alert(1)"
    feed_server.feed["services"][1]["organization"]["url"] = "ftp://eastfield.example"  # only Money Matters'
    directory_import_feed(base_url=feed_server.url)
    assert Service.objects.get(oruk_id="svc-parenting").url == ""
    assert Organization.objects.get(oruk_id="org-advice").url == ""
    assert Service.objects.get(oruk_id="svc-youth").url == "https://brightsteps.example/youth"
