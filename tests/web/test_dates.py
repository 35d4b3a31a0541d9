"""The one GOV.UK date field: every message, its year bounds, and no exception for any input."""

from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from earlyhelp.web.dates import GovDateField


class BirthForm(forms.Form):
    born = GovDateField(what="date of birth", earliest_year=1900, past=True,
                        past_message="Date of birth must be in the past")


class MeetingForm(forms.Form):
    held_on = GovDateField(what="the date of the meeting", years_back=2, years_ahead=2, required=False)


def errors(form_class, day, month, year):
    name = next(iter(form_class.base_fields))
    bound = form_class({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
    assert not bound.is_valid()
    return bound.errors[name]


def test_a_real_date_is_a_date():
    bound = BirthForm({"born_0": " 4", "born_1": "5 ", "born_2": "2016"})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["born"].isoformat() == "2016-05-04"


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("", "", "", "Enter date of birth"),
    ("4", "", "2016", "Date of birth must include a month"),
    ("", "5", "2016", "Date of birth must include a day"),
    ("4", "5", "", "Date of birth must include a year"),
    ("31", "2", "2016", "Date of birth must be a real date"),
    ("4", "13", "2016", "Date of birth must be a real date"),
    ("four", "5", "2016", "Date of birth must be a real date"),
    ("4", "5", "16", "Date of birth must include a year with 4 numbers"),
    ("4", "5", "99999999999999999999", "Date of birth must include a year with 4 numbers"),
    ("99999999999999999999", "5", "2016", "Date of birth must be a real date"),
    ("4", "99999999999999999999", "2016", "Date of birth must be a real date"),
    ("1", "1", "1899", f"Date of birth must be between 1900 and {timezone.localdate().year}"),
])
def test_every_mistake_has_its_govuk_message(day, month, year, message):
    assert errors(BirthForm, day, month, year) == [message]


def test_a_date_of_birth_after_today_must_be_in_the_past():
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert errors(BirthForm, str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)) == [
        "Date of birth must be in the past"]


def test_without_a_past_message_the_future_is_today_or_in_the_past():
    class MovedForm(forms.Form):
        moved_in = GovDateField(what="the date they moved in", past=True)

    year = timezone.localdate().year + 1
    assert errors(MovedForm, "1", "1", str(year)) == ["The date they moved in must be today or in the past"]


def test_meeting_dates_are_within_a_few_years_either_side():
    year = timezone.localdate().year
    between = f"The date of the meeting must be between {year - 2} and {year + 2}"
    assert errors(MeetingForm, "1", "1", str(year - 3)) == [between]
    assert errors(MeetingForm, "1", "1", str(year + 3)) == [between]
    assert MeetingForm({"held_on_0": "1", "held_on_1": "1", "held_on_2": str(year + 2)}).is_valid()
    assert MeetingForm({"held_on_0": "", "held_on_1": "", "held_on_2": ""}).is_valid()  # optional


def test_named_parts_arrive_as_readable_get_parameters():
    class FilterForm(forms.Form):
        start = GovDateField(what="the start date", named_parts=True, required=False)

    bound = FilterForm({"start_day": "1", "start_month": "4", "start_year": "2025"})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["start"].isoformat() == "2025-04-01"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_no_input_raises(day, month, year):
    bound = BirthForm({"born_0": day, "born_1": month, "born_2": year})
    bound.is_valid()  # a field error or a date, never an exception
