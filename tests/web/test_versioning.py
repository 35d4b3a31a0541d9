"""web/versioning.py on its own: what counts as changed, a clash, a merge, a forged or missing token."""

import re

import pytest
from crispy_forms_gds.helper import FormHelper
from django import forms

from earlyhelp.web.versioning import OPENED_FIELD, StaleEdit, VersionedForm, show_stale


def opened_token(response) -> str:
    """The `opened` token of the edit form on a page (for tests that save a page opened earlier)."""
    return re.search(r'name="opened" value="([^"]+)"', response.content.decode()).group(1)


class NotesForm(VersionedForm):
    text = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    tags = forms.MultipleChoiceField(choices=[("a", "Apples"), ("b", "Bananas")], required=False)
    urgent = forms.TypedChoiceField(choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()


OPENED = {"text": "Line one\nLine two", "tags": ["b", "a"], "urgent": "no"}


def _posted(**typed) -> NotesForm:
    token = NotesForm(initial=OPENED)[OPENED_FIELD].value()
    form = NotesForm({"text": "Line one\r\nLine two", "tags": ["a", "b"], "urgent": "no", OPENED_FIELD: token,
                      **typed})
    assert form.is_valid(), form.errors
    return form


def test_what_was_opened_is_not_a_change_however_the_browser_sends_it():
    form = _posted()
    form.merge_stale({**OPENED, "text": "Theirs"})
    assert form.cleaned_data == {"text": "Theirs", "tags": ["b", "a"], "urgent": False}
    assert OPENED_FIELD not in form.cleaned_data and form.helper.render_hidden_fields


def test_the_same_field_changed_by_both_is_a_clash_unless_they_agree():
    form = _posted(tags=["a"])
    form.merge_stale({**OPENED, "tags": ["a"]})  # both made the same change: no clash
    with pytest.raises(StaleEdit) as clash:
        _posted(tags=["a"], urgent="yes").merge_stale({**OPENED, "tags": ["b"], "urgent": "no"})
    assert clash.value.conflicts == {"tags": ["b"]} and clash.value.who == "Someone else"


def test_a_clash_is_shown_by_the_field_and_saving_again_after_combining_is_not_one():
    form = _posted(text="Mine")
    current = {**OPENED, "text": "Theirs <b>"}
    with pytest.raises(StaleEdit) as clash:
        form.merge_stale(current)
    show_stale(form, clash.value)
    assert "Theirs &lt;b&gt;" in str(form["text"].help_text) and "Someone else changed this" in form.non_field_errors()[0]
    again = NotesForm({"text": "Mine and theirs", "tags": ["a", "b"], "urgent": "no", OPENED_FIELD: form.data[OPENED_FIELD]})
    assert again.is_valid()
    again.merge_stale(current)
    assert again.cleaned_data["text"] == "Mine and theirs"


def test_a_forged_token_makes_every_difference_a_clash_and_no_token_saves_as_typed():
    forged = NotesForm({"text": "Mine", "urgent": "no", OPENED_FIELD: "forged"})
    assert forged.is_valid()
    with pytest.raises(StaleEdit) as clash:
        forged.merge_stale({**OPENED, "text": "Theirs"})
    assert set(clash.value.conflicts) == {"text", "tags"}
    untokened = NotesForm({"text": "Mine", "urgent": "no"})
    assert untokened.is_valid()
    untokened.merge_stale({**OPENED, "text": "Theirs"})
    assert untokened.cleaned_data["text"] == "Mine"


@pytest.mark.django_db
def test_who_changed_it_comes_from_the_record_or_its_text_free_history(demo_user):
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    from earlyhelp.episodes.models import ActionStatus
    from earlyhelp.episodes.services import assessment as service
    from earlyhelp.episodes.services import plan
    from earlyhelp.web.versioning import last_change
    from tests.episodes.test_assessment_support import build_episode

    practitioner = demo_user("practitioner")
    name = practitioner.get_full_name()
    episode = build_episode(lead=practitioner)[0]
    section = service.assessment_start(episode=episode, by=practitioner).child_sections.first()
    service.assessment_child_section_save(section=section, by=practitioner, wishes_and_feelings="A secret",
                                          how_heard="Alone", ratings={})
    section.refresh_from_db()
    assert last_change(section)[0] == name and not LogEntry.objects.get_for_object(section).exists()

    outcome = plan.outcome_create(episode=episode, by=practitioner, in_familys_words="School", needs=["14A"])
    action = plan.plan_action_create(episode=episode, by=practitioner, outcome=outcome, description="A secret too",
                                     due_on=episode.opened_on, owner_user=practitioner)
    with set_actor(practitioner):  # as the middleware does for a request
        plan.plan_action_status_update(episode=episode, by=practitioner, action=action, status=ActionStatus.DONE)
    entries = LogEntry.objects.get_for_object(action)
    assert entries.exists() and not any("A secret" in str(entry.changes) for entry in entries)
    assert last_change(action) == (name, entries.latest("timestamp").timestamp)
