"""Bad input gets its message beside the field and a 4xx: 422, or 409 for a refused move (web/form_errors.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.test import RequestFactory

from earlyhelp.web.form_errors import InvalidSubmissionMiddleware, apply_errors
from earlyhelp.web.refusals import Refused


class _NoteForm(forms.Form):
    note = forms.CharField(max_length=10)
    other = forms.CharField(required=False)


def _page(form) -> int:
    request = RequestFactory().post("/somewhere")
    middleware = InvalidSubmissionMiddleware(
        lambda request: render(request, "web/includes/error_summary.html", {"form": form}))
    return middleware(request).status_code


def test_a_page_showing_its_error_summary_answers_422():
    form = _NoteForm({"note": "x" * 11})
    assert not form.is_valid()
    assert _page(form) == 422


def test_a_page_with_a_valid_form_keeps_its_status():
    form = _NoteForm({"note": "fine"})
    assert form.is_valid()
    assert _page(form) == 200


def test_a_refused_move_on_the_form_answers_409_with_its_message():
    form = _NoteForm({"note": "fine"})
    form.is_valid()
    apply_errors(Refused("This step up has already been sent"), form)
    assert form.non_field_errors() == ["This step up has already been sent"]
    assert _page(form) == 409


def test_a_services_validation_error_lands_beside_the_field_it_names_on_whichever_form_has_it():
    first, second = _NoteForm({"note": "a"}, prefix="a"), _NoteForm({"note": "b"}, prefix="b")
    first.is_valid(), second.is_valid()
    del first.fields["other"]
    apply_errors(ValidationError({"other": "Say what else", "nowhere": "Not a field"}), first, second)
    assert second.errors["other"] == ["Say what else"]
    assert first.non_field_errors() == ["Not a field"]
