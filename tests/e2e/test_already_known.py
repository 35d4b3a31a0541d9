""""Already known?" and the family's records in the browser: someone outside the family sees only
whom to contact; adding a family and a person, with a bad NHS number explained beside the field
first; the family and person pages; merging records.

A misspelt name finding the child and their lead professional is in test_front_door.py."""

import random

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.people.access import user_can_see_family
from earlyhelp.people.models import Involvement, Person
from earlyhelp.seed.identifiers import synthetic_nhs_number

from .helpers import DEMO_PASSWORD, assert_accessible, save_screenshot, sign_in
from .journeys import choose_from_long_list, misspell

pytestmark = pytest.mark.e2e


def test_someone_outside_the_network_sees_only_whom_to_contact(page, seeded_live):
    practitioner = User.objects.get(username="practitioner")
    # A practitioner from another school who works with none of the seeded families.
    outsider = User.objects.create_user(username="outsider", password=DEMO_PASSWORD, role="partner_practitioner",
                                        first_name="Olu", last_name="Outside",
                                        agency=practitioner.agency)
    leads = (
        Involvement.objects.filter(practitioner=practitioner, is_lead_professional=True, ended_on__isnull=True,
                                   person__last_name__regex=r"^[A-Za-z]{4,}$")
        .select_related("person").order_by("pk")
    )
    child = next(lead.person for lead in leads
                 if not user_can_see_family(outsider, lead.person.families.get().pk))
    sign_in(page, "outsider")
    page.goto("/already-known/")
    page.get_by_label("Name", exact=True).fill(f"{child.first_name} {misspell(child.last_name)}")
    page.get_by_role("button", name="Search").click()
    results = page.locator("[data-result][data-can-view=no]")
    expect(results.first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(child.full_name)
    expect(page.locator("main")).to_contain_text(practitioner.get_full_name())
    assert_accessible(page)


def _unused_nhs_number() -> str:
    rng = random.Random(2026)
    while True:
        number = synthetic_nhs_number(rng)
        if not Person.objects.filter(nhs_number=number).exists():
            return number


def test_adding_a_family_and_a_person_with_a_bad_nhs_number_corrected(page, seeded_live):
    nhs_number = _unused_nhs_number()
    wrong = nhs_number[:-1] + str((int(nhs_number[-1]) + 1) % 10)

    sign_in(page, "partner")
    page.goto("/already-known/")
    page.get_by_label("Name", exact=True).fill("Quillon Zephyrine")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No records found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add the family").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a family")
    assert_accessible(page)
    page.get_by_label("Family name").fill("Zephyrine family")
    page.get_by_label("Address").fill("14 Orchard Way\nNorthgate")
    page.get_by_label("Postcode").fill("ls2 7ab")
    page.get_by_role("group", name="Locality").get_by_role("radio").first.check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person to the family")
    expect(page.get_by_label("Postcode (optional)")).to_have_value("LS2 7AB")
    assert_accessible(page)
    page.get_by_role("group", name="What is their role in the household?").get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill("Quillon")
    page.get_by_label("Last name").fill("Zephyrine")
    page.locator("#id_date_of_birth_0").fill("27")
    page.locator("#id_date_of_birth_1").fill("3")
    page.locator("#id_date_of_birth_2").fill("2015")
    page.get_by_label("NHS number (optional)").fill(wrong)
    page.get_by_role("button", name="Continue").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("the last digit does not match")
    field = page.locator("#div_id_nhs_number")
    expect(field).to_contain_text("the last digit does not match")
    expect(page.get_by_label("NHS number (optional)")).to_have_value(wrong)
    expect(page.get_by_label("First name")).to_have_value("Quillon")
    expect(page.locator("#id_date_of_birth_0")).to_have_value("27")
    assert_accessible(page)
    save_screenshot(page, "person-form-nhs-error")
    assert not Person.objects.filter(last_name="Zephyrine").exists()

    page.get_by_label("NHS number (optional)").fill(nhs_number)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Zephyrine family")
    expect(page.locator("[data-member]").filter(has_text="Quillon Zephyrine")).to_contain_text("Child")
    assert_accessible(page)
    person = Person.objects.get(last_name="Zephyrine")
    assert person.nhs_number == nhs_number
    assert person.date_of_birth.isoformat() == "2015-03-27"


def test_the_family_and_person_pages_and_their_forms(page, seeded_live):
    partner = User.objects.get(username="partner")
    lead = (
        Involvement.objects.filter(practitioner=partner, is_lead_professional=True, ended_on__isnull=True)
        .select_related("person").order_by("pk").first()
    )
    child = lead.person
    family = child.families.get()
    sign_in(page, "partner")
    page.goto(f"/families/{family.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(family.name)

    # One lead professional at a time: a second is refused with a plain message.
    page.locator("[data-member]").get_by_role("link", name=child.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    assert_accessible(page)
    page.get_by_role("button", name="Add an involvement").click()
    choose_from_long_list(page, "Organisation", typed=lead.agency.name[:8], option=lead.agency.name)
    page.get_by_label("Practitioner's name (optional)").fill("Ann Lee")
    page.get_by_label("Phone (optional)").fill("01632 960444")
    page.get_by_label("They are the lead professional").check()
    page.get_by_role("button", name="Save involvement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already has a lead professional")
    expect(page.get_by_label("Practitioner's name (optional)")).to_have_value("Ann Lee")
    assert_accessible(page)

    # Adding a person who looks like someone already known asks before saving.
    page.goto(f"/families/{family.pk}/people/new/")
    page.get_by_role("group", name="What is their role in the household?").get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill(child.first_name)
    page.get_by_label("Last name").fill(child.last_name)
    born = child.date_of_birth
    page.locator("#id_date_of_birth_0").fill(str(born.day))
    page.locator("#id_date_of_birth_1").fill(str(born.month))
    page.locator("#id_date_of_birth_2").fill(str(born.year))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Is {child.first_name} {child.last_name} already known?")
    expect(page.locator("[data-result]").first).to_contain_text(child.full_name)
    assert_accessible(page)
    page.get_by_role("button", name="Change what I entered").click()
    expect(page.get_by_label("First name")).to_have_value(child.first_name)
    page.get_by_label("Known as (optional)").fill("Twin")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="This is a different person: save").click()
    expect(page.locator("[data-member]").filter(has_text="Twin")).to_have_count(1)
    assert Person.objects.filter(known_as="Twin", last_name=child.last_name).count() == 1

    page.get_by_role("button", name="Add a relationship").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a relationship")
    page.get_by_role("button", name="Save relationship").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the first person")
    assert_accessible(page)

    page.goto(f"/families/{family.pk}/address/")
    page.get_by_label("New address").fill("2 Station Road")
    page.get_by_label("Postcode").fill("LS2 7AB")
    page.locator("#id_moved_in_0").fill("30")
    page.locator("#id_moved_in_1").fill("2")
    page.locator("#id_moved_in_2").fill("2025")
    page.get_by_role("button", name="Save the new address").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date they moved in must be a real date")
    assert_accessible(page)


def test_an_administrator_merges_two_records(page, seeded_live):
    # Two children without a lead professional (two current leads would stop the merge).
    people = list(
        Person.objects.filter(memberships__role="child")
        .exclude(involvements__is_lead_professional=True, involvements__ended_on__isnull=True)
        .order_by("pk")[:2]
    )
    sign_in(page, "admin")
    page.get_by_role("link", name="Merge duplicate records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge duplicate records")
    page.get_by_label("Find records by name, NHS number or record number").fill(people[0].full_name)
    page.get_by_role("button", name="Find records").click()
    expect(page.locator("[data-merge-candidates]")).to_contain_text(people[0].full_name)
    assert_accessible(page)
    page.get_by_label("Record to keep (record number)").fill(str(people[0].pk))
    page.get_by_label("Duplicate record to merge into it (record number)").fill(str(people[1].pk))
    page.get_by_role("button", name="Compare the records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the records before merging")
    assert_accessible(page)
    page.get_by_label("Why are these the same person?").fill("Test merge: the school confirmed these are one child")
    page.get_by_role("button", name="Merge the records").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Record {people[1].pk} merged into record {people[0].pk}")
    assert_accessible(page)
    people[1].refresh_from_db()
    assert people[1].merged_into_id == people[0].pk
