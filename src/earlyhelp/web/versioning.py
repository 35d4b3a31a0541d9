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

Two more shapes of edit:

- a form that opens blank but replaces what is saved (a change of address, a new lead
  professional) names those fields in `compared_with_saved` and is given `saved=` (what is saved
  now) when made: for them the token carries the *saved* value, and a save is a clash when what
  is saved now differs from what was saved when the page was opened, whatever was typed (the
  typed value is new, never merged);
- a removal (`refuse_if_changed`) carries the token of the edit form beside it, and is refused
  when any field saved now differs from what the page was opened with; `show_stale_removal` then
  fills the edit form with what is saved now, and a fresh token, so the user can look and remove
  again.

Who and when come from the record itself (`updated_by`, `recorded_by`, `completed_by`,
`assigned_by` or an event's `by`, with `updated_at` or `at`), else its change history
(django-auditlog, audit/change_history.py).
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.core import signing
from django.db import transaction
from django.forms.utils import ErrorDict
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
    # records that say who saved them (an event: who did it)
    for name in ("updated_by", "recorded_by", "completed_by", "assigned_by", "by"):
        user = getattr(record, name, None)
        if user is not None:
            return user.get_full_name() or user.username, getattr(record, "updated_at", getattr(record, "at", None))
    return None


def last_change(*records) -> tuple[str, datetime | None]:
    """Who last changed the record, and when: as it says itself, else its change history."""
    from auditlog.models import LogEntry

    for record in records:
        if record is not None and (saved := _saved_by(record)):
            if saved[1] is None:  # says who, not when: when the records were last saved
                moments = [getattr(other, "updated_at", None) for other in records if other is not None]
                saved = saved[0], max((moment for moment in moments if moment), default=None)
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
    """Mix into an edit form (before the form class): carries a signed digest of the opened values.

    `compared_with_saved` names fields that open blank (or with a suggestion) but replace what is
    saved: their token digests `saved` (what was saved when the page was opened), not the field.
    """

    compared_with_saved: tuple[str, ...] = ()

    def __init__(self, *args, saved: dict | None = None, **kwargs):
        self.saved = dict(saved or {})
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
        return {
            name: self.saved.get(name) if name in self.compared_with_saved
            else self.get_initial_for_field(self.fields[name], name)
            for name in self._edited_names()
        }

    def _opened_digests(self) -> dict | None:
        """The digests the page was opened with; None for a form posted without its token."""
        token = self.data.get(OPENED_FIELD)
        if not token:
            return None
        try:
            return signing.loads(token, salt=_SALT)["fields"]
        except (signing.BadSignature, KeyError, TypeError):
            return {}  # tampered with: whatever differs from what is saved now is a clash

    def _token(self, values: dict) -> str:
        digests = {name: _digest(self._normal(name, values.get(name))) for name in self._edited_names()}
        return signing.dumps({"fields": digests, "opened": timezone.now().isoformat()}, salt=_SALT, compress=True)

    def merge_stale(self, current: dict, *, records=()) -> None:
        """Keep what is saved now in every field the user did not change; refuse a clash.

        `current` is what is saved now, shaped like the form's initial values. A form posted
        without its token (not from one of our pages) is saved as it is.
        """
        opened = self._opened_digests()
        if opened is None:
            return
        conflicts = {}
        for name in self._edited_names():
            if name not in self.cleaned_data:
                continue
            theirs, mine = self._normal(name, current.get(name)), self.cleaned_data[name]
            original = opened.get(name)
            if name in self.compared_with_saved:  # a new value replacing the saved one: never merged
                if _digest(theirs) != original:
                    conflicts[name] = theirs
            elif _digest(mine) == original:
                self.cleaned_data[name] = theirs
            elif _digest(theirs) != original and _digest(theirs) != _digest(mine):
                conflicts[name] = theirs
        if conflicts:
            who, when = last_change(*records)
            raise StaleEdit(conflicts=conflicts, who=who, when=when, token=self._token(current))

    def refuse_changed(self, current: dict, *, records=(), names=None) -> None:
        """Refuse (StaleEdit) when a field saved now is not what the page was opened with.

        For a removal, or a page that cannot be saved as it is: nothing typed is compared. `names`:
        the fields to compare, by default those that hold what is saved (`compared_with_saved`, else
        every field). A form posted without its token is not refused.
        """
        opened = self._opened_digests()
        if opened is None:
            return
        names = names or self.compared_with_saved or self._edited_names()
        theirs = {name: self._normal(name, current.get(name)) for name in names}
        conflicts = {name: value for name, value in theirs.items() if _digest(value) != opened.get(name)}
        if conflicts:
            who, when = last_change(*records)
            raise StaleEdit(conflicts=conflicts, who=who, when=when, token=self._token(current))

    def field_title(self, name: str) -> str:
        return str(self.fields[name].label or name.replace("_", " ").capitalize())

    def display(self, name: str, value) -> str:
        """A value as the person reading the conflict would recognise it."""
        field = self.fields[name]
        choices = dict(getattr(field, "choices", None) or ())
        if hasattr(value, "pk"):  # a record (a practitioner): as the list names it, never its number
            return str(choices.get(value.pk, value))
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


def refuse_if_changed(form: VersionedForm, *, lock: Callable[[], Any], current: Callable[[Any], dict],
                      save: Callable[[Any], Any] | None = None, names=None):
    """Lock the record and refuse (StaleEdit) if it changed since the page was opened; then `save`
    (a removal) under the same lock. Nothing saved now (removed already) is nothing to refuse."""
    with transaction.atomic():
        record = lock()
        records = record if isinstance(record, tuple) else (record,)
        if any(item is not None for item in records):
            form.refuse_changed(current(record), records=records, names=names)
        return save(record) if save is not None else None


def show_stale(form: VersionedForm, error: StaleEdit) -> None:
    """Say who changed what and when, show their version by each field and keep what was typed."""
    data = form.data.copy()
    data[OPENED_FIELD] = error.token  # saving again after combining the two is not a clash
    form.data = data
    when = _when(error.when)
    replaced = set(error.conflicts) <= set(form.compared_with_saved)  # new values, not edits of theirs
    form.add_error(None, f"{error.who} changed this {when}, after you opened the page. Your changes have not "
                         "been saved: their version is shown next to each field marked below. "
                         + ("Check it, then save again if yours should replace it." if replaced
                            else "Combine the two and save again."))
    for name, value in error.conflicts.items():
        field = form.fields[name]
        field.help_text = form[name].help_text = format_html(
            '{}<div class="govuk-inset-text govuk-!-margin-top-2 govuk-!-margin-bottom-2 eh-their-version" '
            'data-field="{}"><strong>{}\u2019s version, saved {}:</strong>{}</div>',
            field.help_text, name, error.who, when, mark_safe(linebreaks(form.display(name, value), autoescape=True)),
        )
        if name in form.compared_with_saved:
            form.add_error(name, f"{form.field_title(name)}: {error.who} saved a different one {when}, after "
                                 "you opened the page. Check theirs before you save yours")
        else:
            form.add_error(name, f"{form.field_title(name)} was also changed by {error.who} {when}: "
                                 "combine their version with yours")


def show_stale_removal(form: VersionedForm, error: StaleEdit) -> None:
    """A refused removal: the edit form (made with what is saved now as its initial values) gets
    the fresh token and says who changed what and when, so the user can look and remove again."""
    form.initial = {**form.initial, OPENED_FIELD: error.token}
    form._errors, form.cleaned_data = ErrorDict(), {}  # not bound: only these messages
    when = _when(error.when)
    form.add_error(None, f"{error.who} changed this {when}, after you opened the page. It has not been "
                         "removed: it is shown below as saved now. Remove it again if it should still go.")
    for name in error.conflicts:
        form.add_error(name, f"{form.field_title(name)} was changed by {error.who} {when}")
