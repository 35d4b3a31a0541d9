"""Harm from anywhere (DOMAIN §3): every "Already known?" result offers "Raise a concern of significant harm",
even for a family outside the practitioner's network, whose concern form then shows nothing more of it."""

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.frontdoor.models import HarmReferral


def _search(client, user, name):
    client.force_login(user)
    return client.post(reverse("already-known"), {"name": name}).content.decode()


def test_a_result_outside_the_network_offers_the_concern_without_the_familys_details(
        client, family_for, partner, outsider, hub):
    family = family_for("Smith", worker=partner)
    html = _search(client, outsider, "William Smith")
    concern_url = reverse("harm-referral-create", kwargs={"family_id": family.pk})
    result = html.split("data-result")[1]
    assert 'data-can-view="no"' in result and f'href="{concern_url}"' in result
    assert "Raise a concern of significant harm" in result

    form = client.get(concern_url).content.decode()
    assert "You are not working with this family" in form
    for detail in ("William", "Joanne", "Smith family", "1 High Street"):
        assert detail not in form, detail
    response = client.post(concern_url, {"what_is_known": "William told his teacher a man at home hits him.",
                                         "referral_source": "2A"})
    assert response.status_code == 302
    referral = HarmReferral.objects.get(family=family)
    assert referral.raised_by == outsider


def test_a_result_in_the_network_offers_the_concern_for_each_family(client, family_for, partner, hub):
    family = family_for("Smith", worker=partner)
    html = _search(client, partner, "William Smith")
    assert f'href="{reverse("harm-referral-create", kwargs={"family_id": family.pk})}"' in html
    assert "Raise a concern of significant harm<span class=\"govuk-visually-hidden\"> about William Smith" in html


@pytest.mark.parametrize("role", [Role.PARTNER_PRACTITIONER, Role.EARLY_HELP_PRACTITIONER])
def test_every_role_that_searches_may_raise_from_a_result(client, family_for, make_user, role, hub):
    family = family_for("Smith")
    user = make_user(f"searcher_{role}", role)
    html = _search(client, user, "William Smith")
    assert 'data-raise-harm' in html
    assert client.get(reverse("harm-referral-create", kwargs={"family_id": family.pk})).status_code == 200


def test_the_family_and_person_pages_name_the_way_to_raise_a_concern(client, family_for, partner, hub):
    family = family_for("Smith", worker=partner)
    client.force_login(partner)
    concern_url = reverse("harm-referral-create", kwargs={"family_id": family.pk})
    for url in (reverse("family-detail", args=[family.pk]), reverse("person-detail", args=[family.child.pk])):
        page = client.get(url).content.decode()
        assert f'href="{concern_url}">Raise a concern of significant harm' in page, url
