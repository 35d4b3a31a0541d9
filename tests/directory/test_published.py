"""The published directory: Open Referral UK's endpoints, public, with CORS for any origin."""

import pytest
from django.test import Client

from earlyhelp.directory.models import Service
from earlyhelp.directory.services import directory_import_feed

pytestmark = pytest.mark.django_db

BASE = "/directory/oruk"
ENVELOPE = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@pytest.fixture
def directory(feed_server):
    directory_import_feed(base_url=feed_server.url)


def get(path, **params):
    response = Client().get(f"{BASE}{path}", params)  # nobody signed in
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def ids(path, **params):
    response = get(path, **params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == ENVELOPE
    return [item["id"] for item in body["contents"]]


def test_services_are_published_to_anyone_in_the_paged_envelope(directory):
    body = get("/services").json()
    assert (body["total_items"], body["total_pages"], body["page_number"], body["size"]) == (5, 1, 1, 5)
    assert body["first_page"] and body["last_page"] and not body["empty"]
    assert [item["name"] for item in body["contents"]] == sorted(item["name"] for item in body["contents"])
    second = get("/services", page=2, per_page=2).json()
    assert (second["total_pages"], second["page_number"], second["size"]) == (3, 2, 2)
    assert not second["first_page"] and not second["last_page"]
    past = get("/services", page=9, per_page=2).json()
    assert past["empty"] and past["contents"] == [] and past["last_page"]


def test_one_service_in_full(directory):
    body = get("/services/svc-parenting").json()
    assert body["name"] == "Parenting Together course" and body["status"] == "active"
    assert body["organization"] == {"id": "org-council", "name": "Exampleshire County Council",
                                    "description": "The council's family services",
                                    "email": "families@example.org", "url": "https://example.org"}
    assert body["phones"][0]["number"] == "01632 960100"
    assert (body["minimum_age"], body["maximum_age"]) == (0, 11)
    assert sorted(sal["location"]["addresses"][0]["postal_code"] for sal in body["service_at_locations"]) == \
        ["DE1 3AA", "DE23 8CC"]
    assert [a["taxonomy_term"]["name"] for a in body["attributes"]] == ["Parenting support"]
    for wanted in ("svc-nowhere", "%00", "x" * 300):
        missing = get(f"/services/{wanted}")
        assert missing.status_code == 404 and missing.json()["code"] == 404


def test_a_service_gone_from_its_feed_is_not_published(directory):
    Service.objects.filter(oruk_id="svc-money").update(gone_from_feed_at="2026-01-01T00:00:00Z")
    assert "svc-money" not in ids("/services")
    assert get("/services/svc-money").status_code == 404


@pytest.mark.parametrize("params, expected", [
    ({"search": "youth"}, ["svc-youth"]),  # name or description
    ({"search": "talking support"}, ["svc-talk"]),
    ({"search": "brightsteps"}, ["svc-youth", "svc-talk"]),  # the organization's name
    ({"taxonomy_term_id": "term-parenting"}, ["svc-parenting", "svc-toddlers"]),
    ({"taxonomy_term_id": "term-teen-mh"}, ["svc-talk"]),
    ({"minimum_age": "12"}, ["svc-youth", "svc-money", "svc-talk"]),  # open-ended ages match
    ({"maximum_age": "3"}, ["svc-money", "svc-parenting", "svc-toddlers"]),
    ({"minimum_age": "5", "maximum_age": "12"}, ["svc-youth", "svc-money", "svc-parenting"]),
    ({"postcode": "de1 3aa"}, ["svc-parenting", "svc-toddlers"]),
    ({"postcode": "DE21"}, ["svc-youth", "svc-money"]),  # a district
    ({"postcode": "DE2"}, []),  # not DE21 or DE23
    ({"postcode": "DE23 8CC", "minimum_age": "4"}, ["svc-parenting"]),
])
def test_service_filters(directory, params, expected):
    assert sorted(ids("/services", **params)) == sorted(expected)


@pytest.mark.parametrize("params, message", [
    ({"page": "0"}, "page must be a whole number"),
    ({"page": "two"}, "page must be a whole number"),
    ({"per_page": "100000"}, "per_page must be a whole number"),
    ({"minimum_age": "-1"}, "minimum_age must be a whole number"),
    ({"maximum_age": "old"}, "maximum_age must be a whole number"),
    ({"minimum_age": "10", "maximum_age": "5"}, "minimum_age must not be above maximum_age"),
    ({"postcode": "NOT A PC"}, "postcode must be a postcode"),
    ({"search": "x" * 201}, "search must be at most 200 characters"),
    ({"proximity": "1000"}, "proximity is not supported"),
])
@pytest.mark.parametrize("path", ["/services", "/service_at_locations"])
def test_bad_parameters_answer_400_json(directory, path, params, message):
    response = get(path, **params)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_service_at_locations_with_filters(directory):
    assert len(ids("/service_at_locations")) == 6
    body = get("/service_at_locations", postcode="DE21 4BB").json()
    assert sorted(item["service"]["id"] for item in body["contents"]) == ["svc-money", "svc-youth"]
    assert {item["location"]["name"] for item in body["contents"]} == {"Eastfield Community Centre"}
    assert ids("/service_at_locations", taxonomy_term_id="term-teen-mh") == ["svc-talk-at-loc-online"]
    assert sorted(ids("/service_at_locations", maximum_age="2")) == [
        "svc-money-at-loc-centre", "svc-parenting-at-loc-hub", "svc-parenting-at-loc-south", "svc-toddlers-at-loc-hub"]
    assert ids("/service_at_locations", search="drop-in") == ["svc-money-at-loc-centre"]


def test_taxonomies_and_terms(directory):
    assert ids("/taxonomies") == ["tax-needs"]
    assert get("/taxonomies").json()["contents"][0]["uri"] == "https://example.org/taxonomies/needs"
    assert len(ids("/taxonomy_terms")) == 4
    assert ids("/taxonomy_terms", search="money") == ["term-money"]
    assert len(ids("/taxonomy_terms", taxonomy_id="tax-needs")) == 4
    assert ids("/taxonomy_terms", taxonomy_id="tax-other") == []
    term = get("/taxonomy_terms", search="wellbeing").json()["contents"][0]
    assert (term["parent_id"], term["taxonomy_id"], term["code"]) == ("term-youth", "tax-needs", "YTH-MH")


def test_the_root_says_the_version_and_writes_are_refused(directory):
    assert get("/").json()["version"] == "3.0"
    response = Client().post(f"{BASE}/services", {})
    assert response.status_code == 405


def test_an_empty_directory_is_one_empty_page(db):
    body = get("/services").json()
    assert (body["total_items"], body["total_pages"], body["empty"], body["last_page"]) == (0, 1, True, True)
