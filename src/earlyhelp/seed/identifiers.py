"""Synthetic identifiers. NHS numbers come only from the 999 range that is never issued."""

import random

from stdnum.gb import nhs


def nhs_check_digit(first_nine: str) -> int | None:
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None  # no valid number has these nine digits
    return check


def synthetic_nhs_number(rng: random.Random) -> str:
    """A valid NHS number from 999 000 0000 to 999 999 9999 (reserved for testing)."""
    while True:
        first_nine = "999" + f"{rng.randrange(1_000_000):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            number = first_nine + str(check)
            assert nhs.is_valid(number)
            return number
