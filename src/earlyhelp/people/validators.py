"""NHS number and UPN checks with python-stdnum, explained in plain English."""

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum.gb import nhs, upn


def clean_nhs_number(value: str) -> str:
    """Returns the 10 digits, or raises ValidationError saying what is wrong."""
    digits = nhs.compact(value or "")
    if not digits:
        return ""
    if not digits.isdigit():
        raise ValidationError("An NHS number can only contain numbers, for example 943 476 5919", code="nhs_format")
    if len(digits) != 10:
        raise ValidationError(
            f"An NHS number is 10 digits long; you entered {len(digits)}", code="nhs_length"
        )
    try:
        return nhs.validate(digits)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            "This NHS number is not valid: the last digit does not match the others. Check you copied it correctly",
            code="nhs_checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError("Enter a valid NHS number, for example 943 476 5919", code="nhs_invalid") from None


def clean_upn(value: str) -> str:
    """Returns the 13-character UPN in capitals, or raises ValidationError saying what is wrong."""
    compact = upn.compact(value or "")
    if not compact:
        return ""
    if len(compact) != 13:
        raise ValidationError(
            f"A unique pupil number (UPN) is 13 characters long; you entered {len(compact)}", code="upn_length"
        )
    try:
        return upn.validate(compact)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            "This UPN is not valid: its first letter does not match the rest. Check you copied it correctly",
            code="upn_checksum",
        ) from None
    except stdnum_errors.InvalidComponent:
        raise ValidationError(
            "This UPN is not valid: characters 2 to 4 must be a local authority code", code="upn_la"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            "Enter a UPN as a letter followed by 12 characters, for example H801200001001", code="upn_invalid"
        ) from None
