"""A family's need under a headline outcome: a save from a page opened before someone else's save
never overwrites it (web/versioning.py)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.reporting import services
from earlyhelp.reporting.models import FamilyOutcomeNeed
from tests.web.test_versioning import opened_token

from .builders import build_council
from .test_supporting_families import _form


def _need_open_twice(second_role: str):
    """A family's housing need, and its page open in two browsers: the manager's and `second_role`'s."""
    council = build_council()
    family = council.families["E6"]
    services.family_outcome_need_save(family=family, headline_outcome="housing", by=council.manager,
                                      need="Rent arrears", in_family_plan=True)
    first, second = Client(), Client()
    first.force_login(council.manager)
    second.force_login(getattr(council, second_role))
    url = reverse("supporting-families-need", kwargs={"family_id": family.pk, "outcome": "housing"})
    return family, url, first, second


@pytest.fixture
def setting(db):
    return _need_open_twice("manager")


def _unchanged(**changes) -> dict:
    return _form(**{"need": "Rent arrears", "improvement_evidence": "", "improved_on_0": "", "improved_on_1": "",
                    "improved_on_2": "", "sustained": "not_checked", "sustained_checked_on_0": "",
                    "sustained_checked_on_1": "", "sustained_checked_on_2": "", **changes})


def test_a_clash_is_refused_with_both_versions_and_another_field_merges(setting):
    family, url, first, second = setting
    opened = opened_token(first.get(url))
    assert second.post(url, {**_unchanged(need="Rent arrears and an eviction notice"),
                             "opened": opened_token(second.get(url))}).status_code == 302

    response = first.post(url, {**_unchanged(need="Rent arrears, now paid"), "opened": opened})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Rent arrears and an eviction notice" in page and "Rent arrears, now paid" in page
    assert FamilyOutcomeNeed.objects.get(family=family).need == "Rent arrears and an eviction notice"

    # Only whether it is in the family's plan changed on the first page: merged, their text kept
    assert first.post(url, {**_unchanged(in_family_plan="no"), "opened": opened}).status_code == 302
    need = FamilyOutcomeNeed.objects.get(family=family)
    assert (need.need, need.in_family_plan) == ("Rent arrears and an eviction notice", False)


@pytest.fixture
def two_people(db):
    return _need_open_twice("practitioner")


def _remove_token(page: str) -> str:
    before, after = page.split('name="action" value="remove"', 1)
    remove_form = before.rsplit("<form", 1)[1] + after.split("</form>", 1)[0]
    return re.search(r'name="opened" value="([^"]+)"', remove_form).group(1)


def test_removing_a_need_someone_changed_since_the_page_was_opened_is_refused(two_people):
    family, url, first, second = two_people
    opened = first.get(url)
    assert _remove_token(opened.content.decode()) == opened_token(opened)  # the same version as the edit form
    assert second.post(url, {**_unchanged(need="Rent arrears and an eviction notice"),
                             "opened": opened_token(second.get(url))}).status_code == 302

    response = first.post(url, {"action": "remove", "opened": _remove_token(opened.content.decode())})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Pat Prentice changed this on" in page and "govuk-error-summary" in page
    assert "Rent arrears and an eviction notice" in page  # the need as saved now, in the edit form
    assert FamilyOutcomeNeed.objects.get(family=family).need == "Rent arrears and an eviction notice"

    # Removed again from the refused page, having seen it: gone
    assert first.post(url, {"action": "remove", "opened": _remove_token(page)}).status_code == 302
    assert not FamilyOutcomeNeed.objects.filter(family=family).exists()


def test_removing_an_unchanged_need_removes_it(two_people):
    family, url, first, second = two_people
    assert second.post(url, {**_unchanged(need="Rent arrears and an eviction notice"),
                             "opened": opened_token(second.get(url))}).status_code == 302
    page = first.get(url).content.decode()
    assert first.post(url, {"action": "remove", "opened": _remove_token(page)}).status_code == 302
    assert not FamilyOutcomeNeed.objects.filter(family=family).exists()
