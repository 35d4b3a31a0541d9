"""Bad input: a plain message beside the field, and a 4xx status, never a 200 or a 500.

`apply_errors` is the one way a view puts a service's refusal on its form: a ValidationError's
messages beside the fields they name (on whichever of the page's forms has the field), anything
else, such as a `Refused` move, at the top of the form.

A page that shows the GOV.UK error summary marks the request (`{% invalid_submission %}` in
the error-summary templates), so every form that fails its own validation is covered without
each view remembering. `InvalidSubmissionMiddleware` then answers such a page 422 (Unprocessable
Content), or 409 when the form shows a refused move, instead of 200: the browser shows the same page, and a person or a script that checks
the status knows nothing was saved. A view that already chose another status (409 for a stale
edit, 429 for a limit) keeps it.
"""

from django import forms
from django.core.exceptions import ValidationError

INVALID_STATUS = 422
REFUSED_STATUS = 409  # a move refused or a record already decided, as web/refusals.py answers one
_MARK = "earlyhelp.invalid_submission"


def mark_invalid(request, form=None) -> None:
    if request is not None:
        refused = REFUSED_STATUS in (getattr(form, "refused_status", None), request.META.get(_MARK))
        request.META[_MARK] = REFUSED_STATUS if refused else INVALID_STATUS


def apply_errors(error: Exception, *forms_to_fill: forms.Form, aliases: dict | None = None) -> None:
    """Put a service's refusal beside the fields it names, on whichever form has them."""
    if not isinstance(error, ValidationError):  # a Refused move: the page answers 409
        forms_to_fill[0].refused_status = REFUSED_STATUS
        forms_to_fill[0].add_error(None, getattr(error, "message", None) or str(error))
        return
    if not hasattr(error, "error_dict"):
        forms_to_fill[0].add_error(None, error)
        return
    aliases = aliases or {}
    for key, messages in error.error_dict.items():
        target_form, target_field = forms_to_fill[0], None
        name = aliases.get(key, key)
        for form in forms_to_fill:
            if name in form.fields:
                target_form, target_field = form, name
                break
        target_form.add_error(target_field, messages)


def field_anchor(form: forms.Form, name: str) -> str:
    """The id of the first input of a field, for the error summary's link."""
    bound = form[name]
    if isinstance(bound.field, forms.MultiValueField):
        return f"{bound.auto_id}_0"
    if isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound.auto_id}_1"  # crispy-forms-gds numbers the choices from 1
    return bound.auto_id


def summary_errors(*forms_to_check: forms.Form) -> list[dict]:
    """Every error on the page, in the order of the page, each linked to its field."""
    errors = []
    for form in forms_to_check:
        if form is None or not form.is_bound:
            continue
        if hasattr(form, "forms_for_summary"):  # a question page made of several forms (rows of people)
            errors.extend(summary_errors(*form.forms_for_summary()))
            continue
        for message in form.non_field_errors():
            errors.append({"href": "#main-content", "text": message})
        for name in form.fields:
            for message in form.errors.get(name, []):
                errors.append({"href": f"#{field_anchor(form, name)}", "text": message})
    return errors


class InvalidSubmissionMiddleware:
    """A page shown with its error summary answers 422, not 200."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = request.META.get(_MARK)
        if response.status_code == 200 and status:
            response.status_code = status
            response.reason_phrase = "Conflict" if status == REFUSED_STATUS else "Unprocessable Content"
        return response
