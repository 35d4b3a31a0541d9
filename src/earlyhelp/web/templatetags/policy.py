"""`{% may "app.verb_record" record as allowed %}`: templates ask the declared policy (earlyhelp.policy)."""

from django import template

from earlyhelp.policy import may as policy_may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, permission: str, record=None) -> bool:
    request = context.get("request")
    return policy_may(getattr(request, "user", None), permission, record)
