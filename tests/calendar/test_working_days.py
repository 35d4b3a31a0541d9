from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earlyhelp.calendar.models import ClosureDay
from earlyhelp.calendar.working_days import (
    add_working_days,
    bank_holidays_in,
    is_working_day,
    working_days_between,
)

NONE = frozenset()


def test_weekends_are_not_working_days():
    assert add_working_days(date(2026, 11, 20), 1, closed=NONE) == date(2026, 11, 23)  # Friday -> Monday


def test_ten_working_days_across_christmas_skip_the_bank_holidays():
    # 2026: Christmas is a Friday, so Boxing Day's holiday moves to Monday 28 December.
    assert date(2026, 12, 25) in bank_holidays_in(2026)
    assert date(2026, 12, 28) in bank_holidays_in(2026)
    # 21-24 Dec (4), 29-31 Dec (7), New Year's Day off, 4-6 Jan (10).
    assert add_working_days(date(2026, 12, 18), 10, closed=NONE) == date(2027, 1, 6)


def test_easter_good_friday_and_easter_monday_are_skipped():
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    assert add_working_days(date(2027, 3, 25), 1, closed=NONE) == date(2027, 3, 30)


def test_years_beyond_the_govuk_list_use_the_rules():
    holidays_2033 = bank_holidays_in(2033)
    assert date(2033, 12, 26) in holidays_2033
    assert date(2033, 5, 2) in holidays_2033  # early May bank holiday


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 23), closed=NONE) == 1
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 23), closed=NONE) == 0
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 20), closed=NONE) == 0


@pytest.mark.django_db
def test_closure_days_set_by_an_administrator_are_not_working_days():
    ClosureDay.objects.create(date=date(2026, 11, 24), reason="Office move")
    assert add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)
    assert not is_working_day(date(2026, 11, 24), frozenset({date(2026, 11, 24)}))


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)),
       length=st.integers(min_value=-10, max_value=1200),
       closed=st.frozensets(st.dates(min_value=date(2018, 1, 1), max_value=date(2031, 12, 31)), max_size=5))
def test_working_days_between_counts_as_walking_day_by_day_would(start, length, closed):
    end = start + timedelta(days=length)
    walked, day = 0, start
    while day < end:
        day += timedelta(days=1)
        walked += is_working_day(day, closed)
    assert working_days_between(start, end, closed=closed) == walked
