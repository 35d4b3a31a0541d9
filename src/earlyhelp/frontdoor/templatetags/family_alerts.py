"""`{% family_alerts family %}`: on every page of a family, the way to raise a concern of
significant harm and, while one waits for Children's Social Care's decision, a warning (DOMAIN §3);
and the family's open alerts about risks to workers (earlyhelp.alerts). A page showing a person
may put `alert_family_ids` in its context: the alerts of all those families show."""

from django import template
from django.urls import reverse

from earlyhelp.alerts.selectors import family_open_alerts
from earlyhelp.frontdoor.harm import family_harm_alerts, harm_referral_reference

register = template.Library()


@register.inclusion_tag("web/includes/family_alerts.html", takes_context=True)
def family_alerts(context, family) -> dict:
    """`family` is a Family or a family id; at most two queries."""
    # Pages put a family in their context only once the user may see it; a family marked
    # `can_view=False` (annotate_visibility) is one the user may only know exists.
    if family is None or getattr(family, "can_view", True) is False:
        return {}
    family_id = getattr(family, "pk", family)
    if not family_id:
        return {}
    raise_url = reverse("harm-referral-create", kwargs={"family_id": family_id})
    request = context.get("request")
    # Not on the form itself, nor on pages that say they have just sent one.
    hide_link = context.get("hide_harm_raise_link") or (request is not None and request.path == raise_url)
    alert_family_ids = [family_id, *(context.get("alert_family_ids") or [])]
    safety_alerts = family_open_alerts(family_ids=dict.fromkeys(alert_family_ids))
    return {
        "safety_alerts": safety_alerts,
        "safety_alerts_families": len({alert.family_id for alert in safety_alerts}),
        "alerts_url": reverse("family-alerts", kwargs={"family_id": family_id}),
        "harm_alerts": [
            {"referral": referral, "reference": harm_referral_reference(referral)}
            for referral in family_harm_alerts(family_id=family_id)
        ],
        "harm_raise_url": None if hide_link else raise_url,
    }
