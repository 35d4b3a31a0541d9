"""Long pick lists, follow-up questions and empty choices (web/widgets.py), as every form renders them."""

import importlib
import pkgutil
import re

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms

import earlyhelp
from earlyhelp.episodes.forms_core import EpisodeStartForm, LeadProfessionalForm
from earlyhelp.recording.forms import CaseNoteForm
from earlyhelp.web.widgets import LONG_LIST, PickList

DJANGO_EMPTY_LABEL = "---------"


def _project_forms() -> list[type[forms.Form]]:
    for module in pkgutil.walk_packages(earlyhelp.__path__, "earlyhelp."):
        if re.search(r"forms|views", module.name.rsplit(".", 1)[-1]):
            importlib.import_module(module.name)
    found, waiting = [], [forms.BaseForm]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("earlyhelp."):
                found.append(subclass)
    return found


def test_no_form_offers_djangos_dashes_as_an_empty_choice():
    project_forms = _project_forms()
    assert len(project_forms) > 40
    offending = []
    for form_class in project_forms:
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == DJANGO_EMPTY_LABEL:
                offending.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                if any(label == DJANGO_EMPTY_LABEL for _value, label in field.choices):
                    offending.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert not offending, "Give these selects an empty choice that says what to do: " + ", ".join(offending)


class _Workers(forms.Form):
    worker = forms.ChoiceField(widget=PickList)

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "Choose a worker")] + [(n, f"Worker {n}") for n in range(count)]


@pytest.mark.parametrize("count, enhanced", [(LONG_LIST, False), (LONG_LIST + 1, True)])
def test_a_pick_list_longer_than_the_limit_asks_for_the_autocomplete(count, enhanced):
    html = str(_Workers(count=count)["worker"])
    assert ('data-autocomplete="true"' in html) is enhanced
    assert html.count("<option") == count + 1 and "Choose a worker" in html


def _people(count):
    from earlyhelp.accounts.models import Role, User

    return [User.objects.create_user(username=f"worker{n}", first_name="Worker", last_name=f"{n:02d}",
                                     role=Role.EARLY_HELP_PRACTITIONER) for n in range(count)]


@pytest.mark.django_db
def test_choosing_the_lead_from_fifty_names_is_an_autocomplete_with_a_plain_select_beneath():
    html = render_crispy_form(LeadProfessionalForm(candidates=_people(50), transfer=False, saved={"lead": None}))
    select = re.search(r"<select[^>]*name=\"lead\"[^>]*>", html).group(0)
    assert 'data-autocomplete="true"' in select
    assert '<option value="" selected>Choose a practitioner</option>' in html
    assert DJANGO_EMPTY_LABEL not in html


@pytest.mark.django_db
def test_the_reason_to_start_early_help_anyway_is_revealed_by_its_answer():
    from tests.sharing.builders import make_episode

    children = [member.person for member in make_episode(lead=_people(1)[0]).family.memberships.all()][:2]
    form = EpisodeStartForm(children=children, workers=[], existing_leads=["a lead"])
    html = render_crispy_form(form)
    radio = re.search(r'<input[^>]*value="start"[^>]*>', html, re.S).group(0)
    target = re.search(r'data-aria-controls="([^"]+)"', radio).group(1)
    reveal = re.search(rf'<div class="([^"]+)" id="{target}">(.*?)</div>\s*</div>', html, re.S)
    assert reveal.group(1) == "govuk-radios__conditional govuk-radios__conditional--hidden"
    assert 'name="existing_lead_reason"' in reveal.group(2)
    assert html.count('name="existing_lead_reason"') == 1
    assert "data-aria-controls" not in re.search(r'<input[^>]*value="work_with"[^>]*>', html, re.S).group(0)

    chosen = render_crispy_form(EpisodeStartForm({"existing_lead": "start"}, children=children, workers=[],
                                                 existing_leads=["a lead"]))
    assert f'class="govuk-radios__conditional" id="{target}"' in chosen, "an answer already chosen shows its follow-up"


def test_a_reason_posted_with_the_other_answer_is_not_kept():
    form = EpisodeStartForm({"existing_lead": "work_with", "existing_lead_reason": "typed, then hidden"},
                            children=[], workers=[], existing_leads=["a lead"])
    form.fields["children"].required = False
    assert form.is_valid(), form.errors
    assert form.cleaned_data["existing_lead_reason"] == ""


def test_a_case_notes_kind_of_event_and_reason_for_restricting_are_revealed_by_their_checkboxes():
    html = render_crispy_form(CaseNoteForm())
    for box, follow_up in (("significant", "significant_category"), ("restricted", "restricted_reason")):
        checkbox = re.search(rf'<input[^>]*name="{box}"[^>]*>', html).group(0)
        assert f'data-aria-controls="conditional-id_{box}"' in checkbox
        reveal = re.search(rf'<div class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" '
                           rf'id="conditional-id_{box}">(.*?)</div>\s*</div>\s*</div>', html, re.S)
        assert f'name="{follow_up}"' in reveal.group(1)
    assert 'data-module="govuk-checkboxes"' in html
