"""The access matrix over the API: every role, inside and outside the family's network, asks for
every kind of record; the API's answer agrees with the page showing the same record, and a
refusal shows nothing of the family. Lists show the family only to those the pages let in."""

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AccessRecord
from earlyhelp.recording.models import CaseNote

from ..test_access_matrix import ROLES, _row_counts

# Each kind of record: the API's route, the page showing the same record, the kwarg.
PAIRS = [
    ("api-family", "family-detail", "family_id"),
    ("api-person", "person-detail", "person_id"),
    ("api-request", "request-detail", "request_id"),
    ("api-episode", "episode-detail", "episode_id"),
    ("api-episode-plan", "episode-plan", "episode_id"),
    ("api-note", "note-detail", "note_id"),
]
LISTS = ["api-families", "api-people", "api-requests", "api-episodes"]


def _everyone(world):
    return [(f"outside {role}", user) for role, user in world["outside"].items()] + [
        (f"inside {role}", user) for role, user in world["inside"].items()]


@pytest.mark.django_db
def test_the_api_agrees_with_the_pages_for_every_role_and_every_kind_of_record(client, world, api_as):
    disagreements, leaks = [], []
    for who, user in _everyone(world):
        api = api_as(user)
        client.force_login(user)
        for api_name, page_name, kwarg in PAIRS:
            kwargs = {kwarg: world["ids"][kwarg]}
            page = client.get(reverse(page_name, kwargs=kwargs)).status_code
            answer = api.get(reverse(api_name, kwargs=kwargs))
            if (page == 200) != (answer.status_code == 200) or answer.status_code not in (200, 403, 404):
                disagreements.append(f"{who}: {api_name} {answer.status_code}, page {page}")
            if answer.status_code != 200:
                body = answer.content.decode()
                leaks += [f"{who}: {api_name} shows {secret}" for secret in world["secrets"] if secret in body]
    assert disagreements == [] and leaks == []


@pytest.mark.django_db
def test_inside_the_network_every_role_reads_the_record_and_outside_no_role_lists_it(world, api_as):
    family = world["family"]
    for role, user in world["inside"].items():
        api = api_as(user)
        assert api.get(reverse("api-family", kwargs={"family_id": family.pk})).status_code == 200, role
        assert family.pk in [row["id"] for row in api.get(reverse("api-families")).json()["results"]], role
    for role in ROLES:
        api = api_as(world["outside"][role])
        for name in LISTS:
            response = api.get(reverse(name))
            assert response.status_code == 200, (role, name)
            body = response.content.decode()
            assert not [secret for secret in world["secrets"] if secret in body], (role, name)
        notes = api.get(reverse("api-notes"), {"family": family.pk})
        assert notes.status_code in (403, 404) and "Saw Xanthe" not in notes.content.decode(), role


@pytest.mark.django_db
def test_outside_the_network_no_role_writes_and_nothing_changes(world, api_as):
    from django.utils import timezone

    before = _row_counts()
    note_url = reverse("api-note", kwargs={"note_id": world["ids"]["note_id"]})
    for role in ROLES:
        api = api_as(world["outside"][role])
        note = api.post(reverse("api-notes"), {"family": world["family"].pk, "kind": "home_visit",
                                               "happened_at": timezone.now().isoformat(), "what_happened": "x"})
        assert note.status_code in (403, 404), role
        request = api.post(reverse("api-requests"), {
            "family": world["family"].pk, "people": [{"first_name": "A", "last_name": "B"}],
            "concern_details": "x", "family_agreement": "yes"})
        assert request.status_code in (403, 404), role
        assert api.patch(note_url, {"version": "x", "what_happened": "y"}).status_code in (403, 404), role
    assert _row_counts() == before


@pytest.mark.django_db
def test_every_answer_with_the_familys_details_is_recorded_and_refusals_are_not(world, api_as):
    lead = world["lead"]
    api = api_as(lead)
    for api_name, _, kwarg in PAIRS:
        before = AccessRecord.objects.filter(user=lead).count()
        assert api.get(reverse(api_name, kwargs={kwarg: world["ids"][kwarg]})).status_code == 200
        assert AccessRecord.objects.filter(user=lead, family=world["family"]).count() == before + 1, api_name
    for name in LISTS + ["api-notes"]:
        before = AccessRecord.objects.filter(user=lead, family=world["family"]).count()
        params = {"family": world["family"].pk} if name == "api-notes" else {}
        assert api.get(reverse(name), params).status_code == 200
        assert AccessRecord.objects.filter(user=lead, family=world["family"]).count() == before + 1, name
    outsider = world["outside"][Role.EARLY_HELP_PRACTITIONER]
    api_as(outsider).get(reverse("api-family", kwargs={"family_id": world["family"].pk}))
    assert not AccessRecord.objects.filter(user=outsider, family=world["family"]).exists()
    assert CaseNote.objects.count() == 1
