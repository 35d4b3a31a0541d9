"""A practitioner adds a plan action that refers the family to a service from the directory, picked
from the long list's autocomplete, and the plan shows how to contact the service."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from earlyhelp.accounts.models import User
from earlyhelp.directory.models import Organization, Service
from earlyhelp.episodes.models import PlanAction

from ..episodes.test_plan_support import build_episode
from .helpers import assert_accessible, sign_in
from .journeys import add_outcome, choose_from_long_list, fill_action

pytestmark = pytest.mark.e2e

SERVICE_LABEL = "Is the family referred to a service in the directory? (optional)"


@pytest.fixture
def directory(seeded_live):
    charity = Organization.objects.create(name="Brightsteps Family Charity", description="A synthetic charity")
    # More than a short list's worth, so the pick list is the accessible autocomplete.
    Service.objects.bulk_create(Service(organization=charity, name=f"Activity group {n:02}") for n in range(20))
    return Service.objects.create(organization=charity, name="Parenting Together course", phone="01632 960100",
                                  email="parenting@brightsteps.example", url="https://brightsteps.example/parenting")


def test_a_plan_action_refers_the_family_to_a_directory_service(page: Page, directory):
    episode, _ = build_episode(lead=User.objects.get(username="practitioner"))
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/plan/")
    add_outcome(page, in_familys_words="Mum feels more confident with Jack", need="Socially unacceptable behaviour")
    fill_action(page, what="Mum joins the parenting course", due_on=timezone.localdate() + timedelta(days=14),
                owner="Tom Fletcher (Family practitioner, Early Help Service)")
    choose_from_long_list(page, SERVICE_LABEL, typed="Parenting",
                          option="Parenting Together course, Brightsteps Family Charity")
    assert_accessible(page)
    page.get_by_role("button", name="Add the action").click()
    referral = page.locator(".app-directory-service")
    expect(referral).to_contain_text("Referred to Parenting Together course, Brightsteps Family Charity")
    expect(referral).to_contain_text("Phone: 01632 960100")
    expect(referral.get_by_role("link", name="parenting@brightsteps.example")).to_have_attribute(
        "href", "mailto:parenting@brightsteps.example")
    assert_accessible(page)
    assert PlanAction.objects.get(outcome__episode=episode).service == directory
