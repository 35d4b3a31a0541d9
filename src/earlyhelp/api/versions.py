"""The version an API client carries for an edit: the pages' own (web/versioning.py).

A draft note read through the API comes with `version`, the signed digest of each of its fields
(the token an edit page carries in its hidden `opened` field). A change sent back with it is
merged with what is saved now exactly as a page's save is: fields the client did not change keep
what is saved now, and a field someone else changed since is a conflict (409), nothing saved.
"""

from django import forms
from django.utils import timezone

from earlyhelp.recording.models import ContactKind, SignificantEventCategory
from earlyhelp.recording.services import NOTE_FIELDS
from earlyhelp.web.versioning import OPENED_FIELD, VersionedForm


class LocalDateTimeField(forms.DateTimeField):
    """One moment, one digest: an instant sent with any offset compares as the same local time."""

    def to_python(self, value):
        moment = super().to_python(value)
        return timezone.localtime(moment) if moment is not None else None


class NoteVersionForm(VersionedForm):
    """The note's fields as the API sends them (one value each, no date parts)."""

    kind = forms.ChoiceField(choices=ContactKind.choices)
    happened_at = LocalDateTimeField()
    time_known = forms.BooleanField(required=False)
    present = forms.CharField(required=False)
    what_happened = forms.CharField(required=False)
    childs_words = forms.CharField(required=False)
    analysis = forms.CharField(required=False)
    next_steps = forms.CharField(required=False)
    significant = forms.BooleanField(required=False)
    significant_category = forms.ChoiceField(choices=[("", ""), *SignificantEventCategory.choices], required=False)
    restricted = forms.BooleanField(required=False)
    restricted_reason = forms.CharField(required=False)
    children = forms.JSONField(required=False)


def note_current(note) -> dict:
    """What is saved now, shaped like the form."""
    values = {name: getattr(note, name) for name in NOTE_FIELDS}
    values["children"] = sorted(([row.child_id, row.seen, row.seen_alone] for row in note.children.all()))
    return values


def note_version(note) -> str:
    form = NoteVersionForm(initial=note_current(note))
    return form.get_initial_for_field(form.fields[OPENED_FIELD], OPENED_FIELD)


def note_form(note, changes: dict, version: str) -> NoteVersionForm:
    """The form as if the page had been opened at `version` and `changes` typed into it."""
    data = {**note_current(note), **changes, OPENED_FIELD: version}
    if "children" in changes:
        data["children"] = sorted([row["person"], row["seen"], row["seen_alone"]] for row in changes["children"])
    data["children"] = list(data["children"])
    return NoteVersionForm(data=data, initial=note_current(note))
