"""A person's details: a save from a page opened before someone else's save never overwrites it
(web/versioning.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.test_versioning import opened_token

from .test_views import person_post


@pytest.fixture
def setting(family_for, partner, make_user):
    from earlyhelp.people.models import Involvement

    family = family_for("Smith", worker=partner)
    colleague = make_user("colleague")
    Involvement.objects.create(person=family.child, agency=colleague.agency, practitioner=colleague,
                               role_description="Teaching assistant")
    first, second = Client(), Client()
    first.force_login(partner)
    second.force_login(colleague)
    url = reverse("person-update", args=[family.child.pk])
    return family.child, url, first, second


def _details(**changes) -> dict:
    return {key: value for key, value in person_post(**changes).items() if key != "role"}


def test_a_clash_on_a_persons_details_is_refused_with_both_versions(setting):
    child, url, first, second = setting
    opened = opened_token(first.get(url))
    assert second.post(url, {**_details(known_as="Billy"), "opened": opened_token(second.get(url))}).status_code == 302

    response = first.post(url, {**_details(known_as="Will"), "opened": opened})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Colleague Tester changed this on" in page and "Billy" in page and 'value="Will"' in page
    child.refresh_from_db()
    assert child.known_as == "Billy"


def test_another_fields_change_is_merged_and_untouched_fields_are_kept(setting):
    child, url, first, second = setting
    opened = opened_token(first.get(url))
    assert second.post(url, {**_details(middle_names="James"), "opened": opened_token(second.get(url))}).status_code == 302

    assert first.post(url, {**_details(known_as="Will"), "opened": opened}).status_code == 302

    child.refresh_from_db()
    assert (child.middle_names, child.known_as) == ("James", "Will")
