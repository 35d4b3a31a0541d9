"""NHS number and UPN checks: good numbers pass, a wrong check digit or length is explained."""

import random

import pytest
from django.core.exceptions import ValidationError
from stdnum.gb import upn

from earlyhelp.people.validators import clean_nhs_number, clean_upn
from earlyhelp.seed.families import _synthetic_upn


def test_a_valid_nhs_number_is_kept_as_ten_digits():
    assert clean_nhs_number("943 476 5919") == "9434765919"
    assert clean_nhs_number("943-476-5919") == "9434765919"
    assert clean_nhs_number("") == ""


def test_an_nhs_number_with_a_wrong_check_digit_is_refused_in_plain_english():
    with pytest.raises(ValidationError) as error:
        clean_nhs_number("943 476 5918")
    assert error.value.code == "nhs_checksum"
    assert "the last digit does not match" in error.value.messages[0]


@pytest.mark.parametrize("value, typed", [("943476591", 9), ("94347659190", 11)])
def test_an_nhs_number_of_the_wrong_length_says_how_long_it_should_be(value, typed):
    with pytest.raises(ValidationError) as error:
        clean_nhs_number(value)
    assert error.value.code == "nhs_length"
    assert error.value.messages[0] == f"An NHS number is 10 digits long; you entered {typed}"


def test_an_nhs_number_with_letters_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_nhs_number("943 476 591X")
    assert error.value.code == "nhs_format"


def test_a_valid_upn_is_kept_in_capitals():
    assert clean_upn("b801200005001") == "B801200005001"


def test_a_upn_with_a_wrong_check_letter_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_upn("A801200005001")
    assert error.value.code == "upn_checksum"
    assert "first letter does not match" in error.value.messages[0]


@pytest.mark.parametrize("value", ["B80120000500", "B8012000050011"])
def test_a_upn_of_the_wrong_length_is_refused(value):
    with pytest.raises(ValidationError) as error:
        clean_upn(value)
    assert error.value.code == "upn_length"
    assert "13 characters long" in error.value.messages[0]


def test_seeded_upns_pass_the_check_and_are_unique():
    rng, taken = random.Random(3), set()
    numbers = [_synthetic_upn(rng, taken, school_index=index % 7, admitted=2019) for index in range(300)]
    assert all(upn.is_valid(number) for number in numbers)
    assert len(set(numbers)) == 300
