"""No silent overwrite: every form that edits an existing record carries what it was opened with.

`VersionedForm` adds a hidden `opened` field: a signed (django.core.signing) digest of each
field's value when the page was opened. That is the version the page was opened at, field by
field. On save, `save_unless_stale` locks the record (`select_for_update`), reads what is saved
now and compares, field by field:

- a field the user did not change is never written back from the page: what is saved now is kept,
  so a change someone else made to another field since is merged silently;
- a field the user changed that someone else also changed since (to something else) is a conflict:
  nothing is saved and `StaleEdit` says who changed it and when, with their version.

`show_stale` puts that on the form (GOV.UK error summary and a message at each field, their
version shown above what the user typed, which stays in the form) and gives a fresh `opened`
token, so the user can combine the two and save again. The page answers 409.

Who and when come from the record itself (`updated_by`, `recorded_by`, `completed_by` and
`updated_at`), else its change history (django-auditlog, audit/change_history.py).
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

OPENED_FIELD = "opened"
_SALT = "earlyhelp.web.versioning"
CONFLICT_STATUS = 409


class StaleEdit(Exception):
    """A save from a page opened before someone else changed the same fields."""

    def __init__(self, *, conflicts: dict[str, Any], who: str, when: datetime | None, token: str):
        self.conflicts, self.who, self.when, self.token = conflicts, who, when, token
        super().__init__(f"Changed by {who} since the page was opened: {', '.join(conflicts)}")


def _canonical(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "pk"):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)) or (
        hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict))
    ):
        return sorted(_canonical(item) for item in value)
    return str(value).replace("\r\n", "\n").strip()


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(_canonical(value)).encode()).hexdigest()[:20]


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "recently"
    local = timezone.localtime(moment)
    return f"on {local:%-d %B %Y} at {local:%-I:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")


def _saved_by(record) -> tuple[str, datetime | None] | None:
    for name in ("updated_by", "recorded_by", "completed_by"):  # records that say who saved them
        user = getattr(record, name, None)
        if user is not None:
            return user.get_full_name() or user.username, getattr(record, "updated_at", None)
    return None


def last_change(*records) -> tuple[str, datetime | None]:
    """Who last changed the record, and when: as it says itself, else its change history."""
    from auditlog.models import LogEntry

    for record in records:
        if record is not None and (saved := _saved_by(record)):
            return saved
    entries = [
        LogEntry.objects.get_for_object(record).select_related("actor").order_by("-timestamp").first()
        for record in records if record is not None and record.pk is not None
    ]
    latest = max((entry for entry in entries if entry), key=lambda entry: entry.timestamp, default=None)
    if latest is not None:
        actor = latest.actor
        return (actor.get_full_name() or actor.username) if actor else "Someone else", latest.timestamp
    updated = [getattr(record, "updated_at", None) for record in records if record is not None]
    return "Someone else", max((moment for moment in updated if moment), default=None)


class VersionedForm(forms.Form):
    """Mix into an edit form (before the form class): carries a signed digest of the opened values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[OPENED_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        # Lazy: forms that add fields after this __init__ (a child's section) are digested whole.
        self.initial = {**self.initial, OPENED_FIELD: lambda: self._token(self._opened_values())}

    def full_clean(self):
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            self.cleaned_data.pop(OPENED_FIELD, None)  # the token is not the record's: never saved

    # crispy renders only what its layout names: let it render the hidden `opened` field too
    @property
    def helper(self):
        return self.__dict__.get("_versioned_helper")

    @helper.setter
    def helper(self, value):
        if value is not None:
            value.render_hidden_fields = True
        self.__dict__["_versioned_helper"] = value

    def _edited_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if name != OPENED_FIELD and not field.disabled]

    def _normal(self, name: str, value):
        """A saved value as the field would clean it, so it compares with what was typed."""
        field = self.fields[name]
        try:
            return field.clean(field.prepare_value(value))
        except (forms.ValidationError, TypeError, ValueError):
            return value

    def _opened_values(self) -> dict:
        return {name: self.get_initial_for_field(self.fields[name], name) for name in self._edited_names()}

    def _token(self, values: dict) -> str:
        digests = {name: _digest(self._normal(name, values.get(name))) for name in self._edited_names()}
        return signing.dumps({"fields": digests, "opened": timezone.now().isoformat()}, salt=_SALT, compress=True)

    def merge_stale(self, current: dict, *, records=()) -> None:
        """Keep what is saved now in every field the user did not change; refuse a clash.

        `current` is what is saved now, shaped like the form's initial values. A form posted
        without its token (not from one of our pages) is saved as it is.
        """
        token = self.data.get(OPENED_FIELD)
        if not token:
            return
        try:
            opened = signing.loads(token, salt=_SALT)["fields"]
        except (signing.BadSignature, KeyError, TypeError):
            opened = {}  # tampered with: whatever differs from what is saved now is a clash
        conflicts = {}
        for name in self._edited_names():
            if name not in self.cleaned_data:
                continue
            theirs, mine = self._normal(name, current.get(name)), self.cleaned_data[name]
            original = opened.get(name)
            if _digest(mine) == original:
                self.cleaned_data[name] = theirs
            elif _digest(theirs) != original and _digest(theirs) != _digest(mine):
                conflicts[name] = theirs
        if conflicts:
            who, when = last_change(*records)
            raise StaleEdit(conflicts=conflicts, who=who, when=when, token=self._token(current))

    def field_title(self, name: str) -> str:
        return str(self.fields[name].label or name.replace("_", " ").capitalize())

    def display(self, name: str, value) -> str:
        """A value as the person reading the conflict would recognise it."""
        field = self.fields[name]
        choices = dict(getattr(field, "choices", None) or ())
        if isinstance(value, (list, tuple, set)):
            return "; ".join(str(choices.get(item, item)) for item in value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if value in (None, ""):
            return "(left empty)"
        return str(choices.get(value, value))


def versioned(form_class: type[forms.Form]) -> type[VersionedForm]:
    """An edit form made from a form class that also creates records (a person's details)."""
    return type(f"Versioned{form_class.__name__}", (VersionedForm, form_class), {"__module__": form_class.__module__})


def save_unless_stale(form: VersionedForm, *, lock: Callable[[], Any], current: Callable[[Any], dict],
                      save: Callable[[Any], Any]):
    """Lock the record, merge the form with what is saved now, then save: or raise StaleEdit."""
    with transaction.atomic():
        record = lock()
        records = record if isinstance(record, tuple) else (record,)
        form.merge_stale(current(record), records=records)
        return save(record)


def show_stale(form: VersionedForm, error: StaleEdit) -> None:
    """Say who changed what and when, show their version by each field and keep what was typed."""
    data = form.data.copy()
    data[OPENED_FIELD] = error.token  # saving again after combining the two is not a clash
    form.data = data
    when = _when(error.when)
    form.add_error(None, f"{error.who} changed this {when}, after you opened the page. Your changes have not "
                         "been saved: their version is shown next to each field marked below. Combine the two and "
                         "save again.")
    for name, value in error.conflicts.items():
        field = form.fields[name]
        field.help_text = form[name].help_text = format_html(
            '{}<div class="govuk-inset-text govuk-!-margin-top-2 govuk-!-margin-bottom-2 eh-their-version" '
            'data-field="{}"><strong>{}\u2019s version, saved {}:</strong>{}</div>',
            field.help_text, name, error.who, when, mark_safe(linebreaks(form.display(name, value), autoescape=True)),
        )
        form.add_error(name, f"{form.field_title(name)} was also changed by {error.who} {when}: "
                             "combine their version with yours")
