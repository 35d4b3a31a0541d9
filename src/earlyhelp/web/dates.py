"""The one GOV.UK date input for the whole project, with the Design System's error wording.

A low module: it imports only Django and crispy-forms-gds, so every app may use it. Each use
says what the date is ("the date of the meeting") and the years it may fall in; an impossible or
overflowing date is a field error, never an exception.
"""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.widgets import DateInputWidget
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

EARLIEST_YEAR = 1900
PARTS = ("day", "month", "year")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class NamedDateWidget(DateInputWidget):
    """Day, month and year arrive as start_day, start_month, start_year: readable in a GET address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widgets_names = ["_day", "_month", "_year"]


class GovDateField(DateInputField):
    """Day, month and year boxes whose every message names the date and says how to put it right.

    earliest_year: the first year allowed (absolute); years_back / years_ahead: the years allowed
    around today. past: the date may not be after today ("must be today or in the past", or
    past_message). Out of bounds: "<What> must be between <first year> and <last year>".
    """

    def __init__(self, *, what: str, earliest_year: int | None = None, years_back: int | None = None,
                 years_ahead: int | None = 10, past: bool = False, past_message: str = "",
                 named_parts: bool = False, **kwargs):
        kwargs.setdefault("require_all_fields", False)  # a missing part is reported, never ignored
        if named_parts:
            kwargs["widget"] = NamedDateWidget
        super().__init__(**kwargs)
        self.what = what
        self.earliest_year, self.years_back, self.years_ahead = earliest_year, years_back, years_ahead
        self.past = past
        name = _sentence(what)
        self.past_message = past_message or f"{name} must be today or in the past"
        self.real_message = f"{name} must be a real date"
        self.error_messages = {**self.error_messages, "required": f"Enter {what}", "incomplete": f"Enter {what}",
                               "invalid": self.real_message}
        for part, subfield in zip(PARTS, self.fields):
            subfield.required = True
            subfield.max_length = None
            subfield.error_messages["incomplete"] = f"{name} must include a {part}"
            subfield.validators = [RegexValidator(r"^\s*[0-9]+\s*$", self.real_message)]

    def year_bounds(self, today: date) -> tuple[int, int]:
        earliest = max(EARLIEST_YEAR, self.earliest_year or EARLIEST_YEAR)
        if self.years_back is not None:
            earliest = max(earliest, today.year - self.years_back)
        latest = today.year if self.past else today.year + (self.years_ahead or 0)
        return earliest, latest

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = (part.strip() for part in data_list)
        if len(year) != 4:
            raise ValidationError(f"{_sentence(self.what)} must include a year with 4 numbers", code="invalid_year")
        if len(day) > 2 or len(month) > 2:
            raise ValidationError(self.real_message, code="invalid_date")
        try:
            return date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(self.real_message, code="invalid_date") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if self.past and value > today:
            raise ValidationError(self.past_message, code="future")
        earliest, latest = self.year_bounds(today)
        if not earliest <= value.year <= latest:
            raise ValidationError(f"{_sentence(self.what)} must be between {earliest} and {latest}", code="bounds")
