"""Every free-text field has a limit with the GOV.UK message; over-long input is a field error, never a 500."""

import importlib

import pytest
from django import forms
from django.urls import reverse

from earlyhelp.web.limits import TEXT_LIMIT, limit_free_text, too_long_message

FORMS_MODULES = [
    "earlyhelp.accounts.forms", "earlyhelp.episodes.forms_assessment", "earlyhelp.episodes.forms_core",
    "earlyhelp.episodes.forms_plan", "earlyhelp.episodes.forms_stepping", "earlyhelp.frontdoor.forms",
    "earlyhelp.frontdoor.harm_forms", "earlyhelp.people.forms", "earlyhelp.reporting.forms", "earlyhelp.sharing.forms",
    "earlyhelp.documents.forms",
]


def test_the_message_names_the_field_or_the_question():
    assert too_long_message("Notes", 20_000) == "Notes must be 20,000 characters or fewer"
    assert too_long_message("Address (optional)", 500) == "Address must be 500 characters or fewer"
    assert too_long_message("What was discussed?", 20_000) == (
        "Your answer to “What was discussed?” must be 20,000 characters or fewer")


def test_a_field_without_a_limit_gets_one_and_a_chosen_message_is_kept():
    class NoteForm(forms.Form):
        notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
        reason = forms.CharField(label="Reason", max_length=200, error_messages={"max_length": "Keep it short"})
        name = forms.CharField(label="Name", max_length=100)
        email = forms.EmailField(label="Email", required=False)

    limit_free_text({"__name__": NoteForm.__module__, "NoteForm": NoteForm})
    long_email = "a@" + ".".join(["b" * 60] * 5) + ".org"  # valid, and longer than the model's 254
    bound = NoteForm({"notes": "x" * (TEXT_LIMIT + 1), "reason": "y" * 201, "name": "z" * 101, "email": long_email})
    assert not bound.is_valid()
    assert bound.errors == {
        "notes": [f"Notes must be {TEXT_LIMIT:,} characters or fewer"],
        "reason": ["Keep it short"],
        "name": ["Name must be 100 characters or fewer"],
        "email": ["Email must be 254 characters or fewer"],
    }
    assert NoteForm({"notes": "x" * TEXT_LIMIT, "reason": "y", "name": "z"}).is_valid()


@pytest.mark.parametrize("module", FORMS_MODULES)
def test_every_text_field_of_every_form_has_a_limit_and_a_plain_message(module):
    namespace = vars(importlib.import_module(module))
    form_classes = [value for value in namespace.values() if isinstance(value, type)
                    and issubclass(value, forms.BaseForm) and value.__module__ == module]
    assert form_classes
    for form_class in form_classes:
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput):
                assert field.max_length, f"{form_class.__name__}.{name} has no limit"
                assert "max_length" in field.error_messages, f"{form_class.__name__}.{name} has Django's message"


def test_an_over_large_request_body_is_a_400_not_a_500(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    assert client.post(reverse("sign-in"), {"notes": "x" * 20_000}).status_code == 400
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    assert client.post(reverse("sign-in"), {f"field{number}": "x" for number in range(20)}).status_code == 400
