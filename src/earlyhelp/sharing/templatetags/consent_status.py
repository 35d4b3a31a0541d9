from django import template

from earlyhelp.sharing.selectors import consent_summary_for_episode

register = template.Library()


@register.inclusion_tag("sharing/includes/consent_status.html")
def consent_status(episode):
    """Shown on every page of an episode (DOMAIN §4): who has agreed, refused or withdrawn."""
    return {"summary": consent_summary_for_episode(episode)}
