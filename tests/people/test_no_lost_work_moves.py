"""A change of address: a move saved from a page opened before someone else recorded one is refused
(409) with their address beside what was typed, never a second move on top (web/versioning.py)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.people.models import Family, FamilyAddress
from tests.web.test_versioning import opened_token


@pytest.fixture
def setting(family_for, partner, make_user):
    from earlyhelp.people.models import Involvement

    family = family_for("Smith", worker=partner)
    FamilyAddress.objects.create(family=family, address=family.address, postcode=family.postcode,
                                 moved_in=timezone.localdate() - timedelta(days=400))
    colleague = make_user("colleague")
    Involvement.objects.create(person=family.child, agency=colleague.agency, practitioner=colleague,
                               role_description="Teaching assistant")
    first, second = Client(), Client()
    first.force_login(partner)
    second.force_login(colleague)
    return family, reverse("family-move", args=[family.pk]), first, second


def _move(address: str, postcode: str, opened: str, days_ago: int = 3) -> dict:
    day = timezone.localdate() - timedelta(days=days_ago)
    return {"address": address, "postcode": postcode, "moved_in_0": day.day, "moved_in_1": day.month,
            "moved_in_2": day.year, "opened": opened}


def test_a_move_from_a_page_opened_before_someone_elses_move_is_refused_with_their_address(setting):
    family, url, first, second = setting
    older = opened_token(first.get(url))
    assert second.post(url, _move("22 Station Road\nNorthgate", "LS2 7AB", opened_token(second.get(url)))
                       ).status_code == 302

    response = first.post(url, _move("9 Mill Lane\nNorthgate", "LS3 1CD", older, days_ago=2))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Colleague Tester changed this on" in page and "govuk-error-summary" in page
    assert "22 Station Road" in page and "LS2 7AB" in page  # their address, beside
    assert "9 Mill Lane" in page and 'value="LS3 1CD"' in page  # what was typed, kept
    family.refresh_from_db()
    assert (family.address, family.postcode) == ("22 Station Road\nNorthgate", "LS2 7AB")
    assert FamilyAddress.objects.filter(family=family, moved_out__isnull=True).get().postcode == "LS2 7AB"

    # Saved again from the refused page, having seen their address: the user's move is recorded
    assert first.post(url, _move("9 Mill Lane\nNorthgate", "LS3 1CD", opened_token(response), days_ago=2)
                      ).status_code == 302
    assert Family.objects.get(pk=family.pk).postcode == "LS3 1CD"


def test_a_move_from_a_page_opened_after_the_last_move_is_saved(setting):
    family, url, first, second = setting
    assert second.post(url, _move("22 Station Road", "LS2 7AB", opened_token(second.get(url)))).status_code == 302

    assert first.post(url, _move("9 Mill Lane", "LS3 1CD", opened_token(first.get(url)), days_ago=2)
                      ).status_code == 302

    assert Family.objects.get(pk=family.pk).postcode == "LS3 1CD"
    assert FamilyAddress.objects.filter(family=family).count() == 3


def test_a_stale_move_with_the_same_address_is_still_refused(setting):
    """Whatever was typed: a second move on top of one the user has not seen is never recorded."""
    family, url, first, second = setting
    older = opened_token(first.get(url))
    assert second.post(url, _move("22 Station Road", "LS2 7AB", opened_token(second.get(url)))).status_code == 302

    assert first.post(url, _move("22 Station Road", "LS2 7AB", older, days_ago=2)).status_code == 409
    assert FamilyAddress.objects.filter(family=family).count() == 2
