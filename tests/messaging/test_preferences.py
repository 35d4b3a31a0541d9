"""Each user chooses which messages they receive, on a page under their account; the choice is kept when queuing."""

import re

import pytest
from django.urls import reverse

from earlyhelp.messaging import services
from earlyhelp.messaging.models import MessagePreference


def _checked(page: str) -> set[str]:
    boxes = re.findall(r'<input[^>]*name="wanted"[^>]*>', page)
    return {re.search(r'value="(\w+)"', box).group(1) for box in boxes if re.search(r"\schecked", box)}


@pytest.fixture
def practitioner(django_user_model):
    return django_user_model.objects.create_user(username="wren", password="x", role="early_help_practitioner",
                                                 email="wren@council.example")


@pytest.mark.django_db
def test_the_page_shows_the_defaults_then_keeps_the_users_choice(client, practitioner):
    client.force_login(practitioner)
    page = client.get(reverse("message-preferences")).content.decode()
    assert "govuk-checkboxes" in page and "wren@council.example" in page
    # Every kind is on until the user chooses.
    assert _checked(page) == {"allocation", "step_up_decided", "step_down_decided", "action_due", "review_due",
                              "taf_invitation"}
    assert "harm_raised" not in page and "family_acknowledgement" not in page

    response = client.post(reverse("message-preferences"), {"wanted": ["review_due", "action_due"]})
    assert response.status_code == 302
    assert services.user_wants(practitioner, "review_due") and not services.user_wants(practitioner, "allocation")
    assert services.message_queue(kind="allocation", user=practitioner) is None
    assert services.message_queue(kind="review_due", user=practitioner, values={"due_date": "1 May 2030"})
    page = client.get(reverse("message-preferences")).content.decode()
    assert _checked(page) == {"review_due", "action_due"}


@pytest.mark.django_db
def test_a_choice_not_offered_is_refused_beside_the_field_and_nothing_is_saved(client, practitioner):
    client.force_login(practitioner)
    response = client.post(reverse("message-preferences"), {"wanted": ["harm_raised"]})
    assert response.status_code == 422
    assert "Select only the messages listed" in response.content.decode()
    assert not MessagePreference.objects.exists()


@pytest.mark.django_db
def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get(reverse("message-preferences"))
    assert response.status_code == 302 and reverse("message-preferences") in response["Location"]
