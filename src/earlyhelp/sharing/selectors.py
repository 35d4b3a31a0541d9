"""Reads of consent and the sharing log."""

from .models import Consent, ConsentDecision, ConsentScope


def consent_summary_for_episode(episode) -> dict:
    """The latest assessment-consent decision of each person, in one query."""
    latest: dict[int, Consent] = {}
    consents = (
        Consent.objects.filter(episode=episode, scope=ConsentScope.ASSESSMENT)
        .select_related("person")
        .order_by("person_id", "-given_on", "-pk")
    )
    for consent in consents:
        latest.setdefault(consent.person_id, consent)
    given = [c for c in latest.values() if c.decision == ConsentDecision.GIVEN and not c.withdrawn_on]
    refused = [c for c in latest.values() if c.decision == ConsentDecision.REFUSED]
    withdrawn = [c for c in latest.values() if c.withdrawn_on]
    if withdrawn:
        status, colour = "Withdrawn", "red"
    elif refused:
        status, colour = "Refused", "red"
    elif given:
        status, colour = "Given", "green"
    else:
        status, colour = "Not recorded yet", "yellow"
    return {"status": status, "colour": colour, "given": given, "refused": refused, "withdrawn": withdrawn}
