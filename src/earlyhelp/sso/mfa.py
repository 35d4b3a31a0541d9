"""Whether a sign-in's `amr` claim (RFC 8176) shows the provider asked for more than one factor.

Either the provider says so outright ("mfa"; Microsoft Entra ID's "ngcmfa" for Windows Hello and passkeys),
or the methods it lists come from two different kinds of factor: something known, held, or part of the
person. "pwd" with "otp" counts; "pwd" with "kba" (two things known) does not; one method alone does not;
"mca" (several channels) and Entra's "wiaormfa" ("one or the other") do not say a second factor was used.
"""

KNOWN = frozenset({"pwd", "pin", "kba"})
HELD = frozenset({"hwk", "swk", "otp", "sms", "tel", "sc", "pop"})
OF_THE_PERSON = frozenset({"fpt", "face", "iris", "retina", "vbm"})
SAYS_MULTI_FACTOR = frozenset({"mfa", "ngcmfa"})


def amr_is_multi_factor(amr) -> bool:
    if isinstance(amr, str):
        amr = [amr]
    if not isinstance(amr, list | tuple):
        return False
    methods = {str(method).lower() for method in amr}
    if methods & SAYS_MULTI_FACTOR:
        return True
    return sum(1 for kind in (KNOWN, HELD, OF_THE_PERSON) if methods & kind) >= 2
