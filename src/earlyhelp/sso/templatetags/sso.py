from django import template
from django.conf import settings

from earlyhelp.sso.provider import sso_enabled

register = template.Library()


@register.inclusion_tag("sso/sign_in_button.html")
def sso_sign_in_button(next_url=""):
    """The sign-in page's "Sign in with <council> account" button; nothing when single sign-on is not set up."""
    return {"enabled": sso_enabled(), "label": settings.EARLYHELP_OIDC_BUTTON_LABEL, "next": next_url}
