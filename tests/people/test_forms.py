"""The person form: every bad input gets a plain message beside the right field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Agency
from earlyhelp.people.forms import AlreadyKnownForm, FamilyForm, InvolvementForm, PersonForm
from earlyhelp.people.models import MemberRole

pytestmark = pytest.mark.django_db


def person_data(**changes) -> dict:
    data = {
        "role": MemberRole.CHILD, "first_name": "Lily", "last_name": "Smith",
        "date_of_birth_0": "4", "date_of_birth_1": "5", "date_of_birth_2": "2016",
        "sex": "b", "gender": "b", "ethnicity": "WBRI", "interpreter_needed": "no",
        "disability": "no", "sen_status": "none", "postcode": "ls1 1aa", "first_language": "English",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def form(**changes) -> PersonForm:
    return PersonForm(person_data(**changes), schools=Agency.objects.none())


def test_a_complete_form_is_valid_and_tidies_the_postcode():
    bound = form()
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["postcode"] == "LS1 1AA"
    assert bound.cleaned_data["date_of_birth"].isoformat() == "2016-05-04"
    assert bound.cleaned_data["interpreter_needed"] is False


def test_an_impossible_date_gets_a_plain_message():
    bound = form(date_of_birth_0="31", date_of_birth_1="2", date_of_birth_2="2020")
    assert not bound.is_valid()
    assert bound.errors["date_of_birth"] == ["Date of birth must be a real date"]


def test_a_date_of_birth_in_the_future_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    bound = form(date_of_birth_0=str(tomorrow.day), date_of_birth_1=str(tomorrow.month),
                 date_of_birth_2=str(tomorrow.year))
    assert not bound.is_valid()
    assert bound.errors["date_of_birth"] == ["Date of birth must be in the past"]


def test_a_missing_part_of_a_date_is_named():
    bound = form(date_of_birth_1="")
    assert not bound.is_valid()
    assert bound.errors["date_of_birth"] == ["Date of birth must include a month"]


def test_a_two_digit_year_is_refused_rather_than_guessed():
    bound = form(date_of_birth_2="16")
    assert not bound.is_valid()
    assert "year with 4 numbers" in bound.errors["date_of_birth"][0]


def test_a_child_needs_a_date_of_birth():
    bound = form(date_of_birth_0="", date_of_birth_1="", date_of_birth_2="")
    assert not bound.is_valid()
    assert bound.errors["date_of_birth"] == ["Enter the child's date of birth"]


def test_an_unborn_child_needs_an_expected_date_and_no_date_of_birth():
    bound = form(role=MemberRole.UNBORN, date_of_birth_0="", date_of_birth_1="", date_of_birth_2="")
    assert not bound.is_valid()
    assert bound.errors["expected_date_of_birth"] == ["Enter the expected date of birth"]
    due = timezone.localdate() + timedelta(days=60)
    bound = form(role=MemberRole.UNBORN, date_of_birth_0="", date_of_birth_1="", date_of_birth_2="",
                 expected_date_of_birth_0=str(due.day), expected_date_of_birth_1=str(due.month),
                 expected_date_of_birth_2=str(due.year))
    assert bound.is_valid(), bound.errors
    bound = form(role=MemberRole.UNBORN, expected_date_of_birth_0=str(due.day),
                 expected_date_of_birth_1=str(due.month), expected_date_of_birth_2=str(due.year))
    assert bound.errors["expected_date_of_birth"] == ["Enter a date of birth or an expected date of birth, not both"]


def test_a_bad_nhs_number_is_explained_beside_the_field():
    bound = form(nhs_number="943 476 5918")
    assert not bound.is_valid()
    assert "the last digit does not match" in bound.errors["nhs_number"][0]


def test_a_bad_upn_is_explained_beside_the_field():
    bound = form(upn="A801200005001")
    assert not bound.is_valid()
    assert "first letter does not match" in bound.errors["upn"][0]


@pytest.mark.parametrize("postcode", ["LS1", "12345", "LS1 1AAA", "hello"])
def test_a_postcode_must_look_like_a_uk_postcode(postcode):
    bound = form(postcode=postcode)
    assert not bound.is_valid()
    assert bound.errors["postcode"] == ["Enter a real UK postcode, for example LS1 1AA"]


def test_a_family_needs_a_name_address_postcode_and_locality(locality):
    bound = FamilyForm({}, localities=type(locality).objects.all())
    assert not bound.is_valid()
    assert bound.errors == {
        "name": ["Enter the family name"], "address": ["Enter the family's address"],
        "postcode": ["Enter the postcode"], "locality": ["Select the locality the family lives in"],
    }


def test_a_lead_professional_who_does_not_use_the_service_needs_a_name_and_a_contact(school):
    def involvement(**data):
        return InvolvementForm({"agency": school.pk, "is_lead_professional": "on", **data},
                               agencies=Agency.objects.all(), practitioners=school.staff.all())

    bound = involvement()
    assert not bound.is_valid()
    assert bound.errors["practitioner_name"] == ["Enter the lead professional's name, or choose them from the list"]
    bound = involvement(practitioner_name="Ann Lee")
    assert bound.errors["contact_phone"] == ["Enter a phone number or email address for the lead professional"]
    assert involvement(practitioner_name="Ann Lee", contact_phone="01632 960000").is_valid()


def test_already_known_needs_something_to_search_for():
    bound = AlreadyKnownForm({})
    assert not bound.is_valid()
    assert bound.non_field_errors() == ["Enter a name, date of birth, NHS number, UPN or postcode to search for"]
