"""Working days in England: no weekends, no England and Wales bank holidays, no closure days.

Bank holidays come from GOV.UK's list bundled offline by govuk-bank-holidays; years it does
not cover come from the rule-based `holidays` package.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from govuk_bank_holidays.bank_holidays import BankHolidays


@lru_cache(maxsize=1)
def _govuk_bank_holidays() -> tuple[frozenset[date], frozenset[int]]:
    bank_holidays = BankHolidays(use_cached_holidays=True)
    days = frozenset(
        holiday["date"] for holiday in bank_holidays.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    )
    return days, frozenset(day.year for day in days)


@lru_cache(maxsize=64)
def bank_holidays_in(year: int) -> frozenset[date]:
    govuk_days, govuk_years = _govuk_bank_holidays()
    if year in govuk_years:
        return frozenset(day for day in govuk_days if day.year == year)
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


def closure_days() -> frozenset[date]:
    from .models import ClosureDay

    return frozenset(ClosureDay.objects.values_list("date", flat=True))


def is_working_day(day: date, closed: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in bank_holidays_in(day.year) and day not in closed


def add_working_days(start: date, count: int, *, closed: frozenset[date] | None = None) -> date:
    """The date `count` working days after `start` (start itself is day 0)."""
    closed = closure_days() if closed is None else closed
    day, remaining = start, count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, *, closed: frozenset[date] | None = None) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start)."""
    if end <= start:
        return 0
    closed = closure_days() if closed is None else closed
    # Counted, not walked day by day: queues and reports ask this for every row.
    weeks, extra = divmod((end - start).days, 7)
    total = weeks * 5
    last_full_week = start + timedelta(days=7 * weeks)
    total += sum(1 for offset in range(1, extra + 1) if (last_full_week + timedelta(days=offset)).weekday() < 5)
    not_working = set(closed).union(*(bank_holidays_in(year) for year in range(start.year, end.year + 1)))
    return total - sum(1 for day in not_working if start < day <= end and day.weekday() < 5)
