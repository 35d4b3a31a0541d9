from django import template

from earlyhelp.sharing.selectors import consent_summary_for_episode

register = template.Library()


@register.simple_tag
def episode_consent_summary(episode) -> dict:
    """Read once per episode page (DOMAIN §4): who has agreed, refused or withdrawn, and whether the
    work is paused because consent was withdrawn; the stage, the consent line and the refusal path use it."""
    return consent_summary_for_episode(episode)
