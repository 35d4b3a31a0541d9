"""`{% invalid_submission %}`: an error summary on the page marks the request invalid (web/form_errors.py)."""

from django import template

from earlyhelp.web.form_errors import mark_invalid

register = template.Library()


@register.simple_tag(takes_context=True)
def invalid_submission(context, form=None) -> str:
    # An inclusion tag's template (crispy-forms-gds's error summary) has the request only as an attribute.
    mark_invalid(getattr(context, "request", None) or context.get("request"), form)
    return ""
