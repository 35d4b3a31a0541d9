"""A real form given an impossible date: its message beside the field, 422, and nothing saved (web/form_errors.py)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.people.models import FamilyAddress


@pytest.mark.django_db
def test_an_impossible_date_on_a_real_form_answers_422_and_saves_nothing(family_for, partner):
    family = family_for("Smith", worker=partner)
    client = Client()
    client.force_login(partner)
    url = reverse("family-move", args=[family.pk])
    response = client.post(url, {"address": "2 New Road", "postcode": "LS1 2AB", "moved_in_0": "1",
                                 "moved_in_1": "1", "moved_in_2": "99999999999999999999"})
    assert response.status_code == 422
    assert "govuk-error-message" in response.content.decode()
    assert not FamilyAddress.objects.filter(family=family).exists()
    family.refresh_from_db()
    assert family.address.startswith("1 High Street")
    day = date(2024, 6, 1)
    response = client.post(url, {"address": "2 New Road", "postcode": "LS1 2AB", "moved_in_0": day.day,
                                 "moved_in_1": day.month, "moved_in_2": day.year})
    assert response.status_code in (302, 409)  # saved (or, with a version check, refused without a token)
