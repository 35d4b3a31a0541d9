"""Each endpoint, as the family's lead professional (tests/test_access_matrix.py's world): what it
answers, its filters and pages, the access records it writes, and bad input refused with field messages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.recording.models import CaseNote

pytestmark = pytest.mark.django_db


def _records(user, **filters):
    return AccessRecord.objects.filter(user=user, **filters)


def test_the_family_list_shows_the_leads_family_filtered_by_name_and_postcode_and_records_the_listing(world, api_as):
    api, lead, family = api_as(world["lead"]), world["lead"], world["family"]
    response = api.get(reverse("api-families"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["results"][0] == {"id": family.pk, "name": "Zebedee-Quill family",
                                                         "postcode": "ZZ1 1ZZ", "locality": None}
    assert _records(lead, family=family, kind=AccessKind.LISTED, what="API: families").count() == 1
    assert api.get(reverse("api-families"), {"name": "zebedee"}).json()["count"] == 1
    assert api.get(reverse("api-families"), {"postcode": "zz1"}).json()["count"] == 1
    assert api.get(reverse("api-families"), {"name": "Nobody"}).json()["count"] == 0
    assert api.get(reverse("api-families"), {"postcode": "AB1"}).json()["count"] == 0


def test_a_familys_details_name_its_members_and_episodes_and_are_recorded(world, api_as):
    api, family = api_as(world["lead"]), world["family"]
    response = api.get(reverse("api-family", kwargs={"family_id": family.pk}))
    assert response.status_code == 200
    body = response.json()
    assert {member["name"] for member in body["members"]} == {"Xanthe Zebedee-Quill", "Yolanda Zebedee-Quill"}
    assert [episode["reference"] for episode in body["episodes"]] == ["EP-MATRIX-1"]
    assert body["address"] == "1 Hidden Lane"
    assert _records(world["lead"], family=family, kind=AccessKind.VIEW, what="API: family").count() == 1


def test_people_list_and_detail(world, api_as):
    api = api_as(world["lead"])
    body = api.get(reverse("api-people"), {"family": world["family"].pk}).json()
    assert {person["first_name"] for person in body["results"]} == {"Xanthe", "Yolanda"}
    assert api.get(reverse("api-people"), {"name": "xan"}).json()["count"] == 1
    assert api.get(reverse("api-people"), {"date_of_birth": "2016-03-03"}).json()["count"] == 1
    child_id = world["ids"]["person_id"]
    response = api.get(reverse("api-person", kwargs={"person_id": child_id}))
    assert response.status_code == 200 and response.json()["families"] == [world["family"].pk]
    assert _records(world["lead"], person_id=child_id, what="API: person").count() == 1


def test_pages_of_a_list(world, api_as, settings):
    api = api_as(world["lead"])
    body = api.get(reverse("api-people"), {"page_size": 1}).json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]
    second = api.get(reverse("api-people"), {"page_size": 1, "page": 2}).json()
    assert second["results"][0]["id"] != body["results"][0]["id"] and second["next"] is None
    assert api.get(reverse("api-people"), {"page": 9}).status_code == 404


def test_episodes_filtered_by_state_and_the_plan(world, api_as):
    api, episode = api_as(world["lead"]), world["episode"]
    assert api.get(reverse("api-episodes"), {"state": "plan_active"}).json()["count"] == 1
    assert api.get(reverse("api-episodes"), {"state": "closed"}).json()["count"] == 0
    detail = api.get(reverse("api-episode", kwargs={"episode_id": episode.pk})).json()
    assert detail["reference"] == "EP-MATRIX-1" and detail["lead_professional"] == "In-Practitioner Tester"
    plan = api.get(reverse("api-episode-plan", kwargs={"episode_id": episode.pk})).json()
    assert plan["outcomes"][0]["in_familys_words"] == "Xanthe eats breakfast"
    assert plan["outcomes"][0]["actions"][0]["description"] == "Breakfast club"
    assert plan["outcomes"][0]["actions"][0]["owner"]


def test_requests_list_and_detail(world, api_as):
    api = api_as(world["inside"][Role.PARTNER_PRACTITIONER])
    body = api.get(reverse("api-requests")).json()
    assert [row["reference"] for row in body["results"]] == ["EH-MATRIX-1"]
    request_id = world["ids"]["request_id"]
    detail = api.get(reverse("api-request", kwargs={"request_id": request_id})).json()
    assert detail["concern_details"] == "Xanthe is often hungry"
    assert api.get(reverse("api-requests"), {"status": "awaiting_triage"}).json()["count"] == 0


def test_notes_by_family_episode_and_date(world, api_as):
    api, family, episode = api_as(world["lead"]), world["family"], world["episode"]
    body = api.get(reverse("api-notes"), {"family": family.pk}).json()
    assert [note["what_happened"] for note in body["results"]] == ["Saw Xanthe at home"]
    assert api.get(reverse("api-notes"), {"episode": episode.pk}).json()["count"] == 1
    today = timezone.localdate()
    assert api.get(reverse("api-notes"), {"family": family.pk, "happened_from": today + timedelta(days=1)}
                   ).json()["count"] == 0
    assert api.get(reverse("api-notes"), {"family": family.pk, "happened_to": today}).json()["count"] == 1
    note_id = world["ids"]["note_id"]
    detail = api.get(reverse("api-note", kwargs={"note_id": note_id})).json()
    assert detail["children"] == [{"person": world["ids"]["person_id"], "seen": True, "seen_alone": True}]
    assert _records(world["lead"], family=family, what="Case note: API").count() == 1


def test_recording_a_note_goes_through_the_service_and_a_draft_is_changed_with_its_version(world, api_as):
    api, family, child_id = api_as(world["lead"]), world["family"], world["ids"]["person_id"]
    happened = (timezone.now() - timedelta(hours=2)).isoformat()
    response = api.post(reverse("api-notes"), {
        "family": family.pk, "kind": "home_visit", "happened_at": happened, "what_happened": "Visited at tea time",
        "children": [{"person": child_id, "seen": True}],
    })
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["completed"] is False and draft["episode"] == world["episode"].pk
    note = CaseNote.objects.get(pk=draft["id"])
    assert note.author == world["lead"] and note.children.get().child_id == child_id

    url = reverse("api-note", kwargs={"note_id": note.pk})
    opened = draft["version"]
    # Someone (the author, in another tab) changes the analysis since this client read the note.
    other = api.patch(url, {"version": opened, "analysis": "Meals are regular now"})
    assert other.status_code == 200 and other.json()["analysis"] == "Meals are regular now"
    # A change of another field with the old version is merged: the analysis is kept.
    merged = api.patch(url, {"version": opened, "next_steps": "Visit in two weeks"})
    assert merged.status_code == 200
    assert merged.json()["analysis"] == "Meals are regular now" and merged.json()["next_steps"] == "Visit in two weeks"
    # A change of the same field with the old version is a conflict: nothing saved.
    clash = api.patch(url, {"version": opened, "analysis": "Meals are still irregular"})
    assert clash.status_code == 409
    assert clash.json()["conflicts"] == {"analysis": "Meals are regular now"} and clash.json()["version"]
    note.refresh_from_db()
    assert note.analysis == "Meals are regular now"
    # Saving again with the version the conflict gave is not a clash; completing it ends changes.
    done = api.patch(url, {"version": clash.json()["version"], "analysis": "Meals are mostly regular",
                           "complete": True})
    assert done.status_code == 200 and done.json()["completed"] is True
    assert api.patch(url, {"version": done.json()["version"], "analysis": "Later"}).status_code == 409


def test_only_the_author_changes_a_draft(world, api_as):
    lead, manager = world["lead"], world["inside"][Role.TEAM_MANAGER]
    draft = api_as(lead).post(reverse("api-notes"), {
        "family": world["family"].pk, "kind": "phone_call", "happened_at": timezone.now().isoformat()}).json()
    response = api_as(manager).patch(reverse("api-note", kwargs={"note_id": draft["id"]}),
                                     {"version": draft["version"], "analysis": "Mine"})
    assert response.status_code in (403, 404)
    assert CaseNote.objects.get(pk=draft["id"]).analysis == ""


def test_sending_a_request_for_support(world, api_as):
    partner = world["inside"][Role.PARTNER_PRACTITIONER]
    api = api_as(partner)
    response = api.post(reverse("api-requests"), {
        "family": world["family"].pk, "people": [{"first_name": "Xanthe", "last_name": "Zebedee-Quill",
                                                  "date_of_birth": "2016-03-03"}],
        "concern_details": "Often tired in class", "family_agreement": "yes",
    })
    assert response.status_code == 201, response.content
    made = RequestForSupport.objects.get(pk=response.json()["id"])
    assert made.requested_by == partner and made.family == world["family"] and made.status == "awaiting_triage"
    assert _records(partner, family=world["family"], what__startswith="Request for support").exists()


@pytest.mark.parametrize("path_name, body, field", [
    ("api-notes", {"kind": "home_visit", "happened_at": "2026-01-01T10:00:00Z"}, "family"),
    ("api-notes", {"family": 1, "kind": "visit by owl", "happened_at": "2026-01-01T10:00:00Z"}, "kind"),
    ("api-notes", {"family": 1, "kind": "home_visit", "happened_at": "yesterday"}, "happened_at"),
    ("api-notes", {"family": 1, "kind": "home_visit", "happened_at": "2026-01-01T10:00:00Z",
                   "children": [{"person": "x"}]}, "children"),
    ("api-requests", {"people": [], "concern_details": "x", "family_agreement": "yes"}, "people"),
    ("api-requests", {"people": [{"first_name": "A", "last_name": "B"}], "concern_details": "x",
                      "family_agreement": "perhaps"}, "family_agreement"),
])
def test_bad_input_is_a_400_with_a_message_at_the_field(world, api_as, path_name, body, field):
    api = api_as(world["lead"])
    before = (CaseNote.objects.count(), RequestForSupport.objects.count())
    response = api.post(reverse(path_name), body)
    assert response.status_code == 400, response.content
    assert field in response.json() and response.json()[field]
    assert (CaseNote.objects.count(), RequestForSupport.objects.count()) == before


def test_the_services_own_refusals_are_400s_with_field_messages(world, api_as):
    api = api_as(world["lead"])
    future = (timezone.now() + timedelta(days=2)).isoformat()
    response = api.post(reverse("api-notes"), {"family": world["family"].pk, "kind": "home_visit",
                                               "happened_at": future, "complete": True})
    assert response.status_code == 400
    assert response.json()["happened_at"] == ["When the contact happened must be now or in the past"]
    assert response.json()["what_happened"] == ["Enter what happened"]
    adult = api.post(reverse("api-notes"), {"family": world["family"].pk, "kind": "home_visit",
                                            "happened_at": timezone.now().isoformat(),
                                            "children": [{"person": 999999}]})
    assert adult.status_code == 400 and "children" in adult.json()


@pytest.mark.parametrize("path_name, params, field", [
    ("api-families", {"name": "x" * 151}, "name"), ("api-people", {"family": "one"}, "family"),
    ("api-people", {"date_of_birth": "31/02/2020"}, "date_of_birth"), ("api-episodes", {"state": "asleep"}, "state"),
    ("api-notes", {}, "family"), ("api-notes", {"family": 1, "happened_from": "2026-02-02",
                                                "happened_to": "2026-01-01"}, "happened_to"),
])
def test_bad_filters_are_a_400_with_a_message_at_the_field(world, api_as, path_name, params, field):
    response = api_as(world["lead"]).get(reverse(path_name), params)
    assert response.status_code == 400 and response.json()[field]


def test_not_json_is_a_400_never_a_500(world, api_as):
    api = api_as(world["lead"])
    response = api.client.post(reverse("api-notes"), "{not json", content_type="application/json",
                               headers=api.headers)
    assert response.status_code == 400
    assert api.post(reverse("api-notes"), [1, 2]).status_code == 400
    wrong_type = api.client.post(reverse("api-notes"), "family=1", content_type="application/x-www-form-urlencoded",
                                 headers=api.headers)
    assert wrong_type.status_code == 415


def test_a_longer_list_asks_the_database_no_more_often(world, api_as):
    """No query per row: each list's page of one family's records and of several asks as many queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from earlyhelp.episodes import models as ep
    from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person

    lead = world["lead"]
    api = api_as(lead)
    paths = [reverse(name) for name in ("api-families", "api-people", "api-requests", "api-episodes")]

    def counts():
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert api.get(path).status_code == 200
            found.append(len(queries))
        return found

    api.get(paths[0])  # the token's first use notes when it was used (once a minute): not a list's query
    before = counts()
    for number in range(4):
        family = Family.objects.create(name=f"Extra family {number}", postcode="ZZ9 9ZZ")
        person = Person.objects.create(first_name=f"Extra{number}", last_name="Child")
        FamilyMember.objects.create(family=family, person=person, role=MemberRole.CHILD)
        episode = ep.Episode.objects.create(reference=f"EP-EXTRA-{number}", family=family, state="assessment",
                                            team=world["episode"].team, lead_professional=lead,
                                            allocated_worker=lead, opened_on=timezone.localdate())
        RequestForSupport.objects.create(
            reference=f"EH-EXTRA-{number}", source="practitioner", status="allocated", family=family,
            requested_by=lead, concern_details="Extra", family_agreement="yes", submitted_at=timezone.now(),
            triage_due_on=timezone.localdate())
        assert episode.pk
    assert api.get(paths[0]).json()["count"] == 5
    assert counts() == before
