"""Forms for contacts and case notes. Every message says what is wrong and how to put it right."""

import re
from datetime import datetime, time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from earlyhelp.web.dates import GovDateField
from earlyhelp.web.limits import limit_free_text
from earlyhelp.web.versioning import VersionedForm
from earlyhelp.web.widgets import RevealCheckbox

from .models import CaseNote, ContactKind, OversightKind, SignificantEventCategory

SEEN_ALONE, SEEN, NOT_SEEN, NOT_ABOUT = "seen_alone", "seen", "not_seen", ""
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """'14:30', '2:30pm', '9am', '9.15 a.m.' -> a time; None for anything else."""
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None  # '9' alone: morning or evening?
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the page template holds the <form> and its buttons
    helper.layout = Layout(*fields)
    return helper


def child_field_name(child) -> str:
    return f"child_{child.pk}"


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of contact was it?", choices=ContactKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select what kind of contact it was"})
    happened_on = GovDateField(what="the date of the contact", label="When did it happen?", past=True,
                               years_back=10, help_text="For example, 27 3 2026")
    happened_time = forms.CharField(label="Time (optional)", required=False, max_length=10,
                                    help_text="For example, 9:30am or 14:30")
    present = forms.CharField(label="Who was present?", required=False, widget=forms.Textarea,
                              help_text="Names, and their role or relationship to the child")
    what_happened = forms.CharField(label="What happened?", required=False, widget=forms.Textarea)
    childs_words = forms.CharField(label="The child's own words (optional)", required=False, widget=forms.Textarea,
                                   help_text="What the child said, as they said it")
    analysis = forms.CharField(label="Your analysis (optional)", required=False, widget=forms.Textarea,
                               help_text="What it means for the child, and how worried you are")
    next_steps = forms.CharField(label="What happens next? (optional)", required=False, widget=forms.Textarea)
    significant = forms.BooleanField(label="This is a significant event", required=False,
                                     help_text="It shows on the family's and the child's chronology as one")
    significant_category = forms.ChoiceField(
        label="What kind of significant event? (if it is one)", required=False,
        choices=[("", "Choose a kind of event"), *SignificantEventCategory.choices])
    restricted = forms.BooleanField(
        label="Restrict this note", required=False,
        help_text="For example, a disclosure of domestic abuse. Only the lead professional, the allocated worker "
                  "and their managers can read it; others see only that a restricted note exists.")
    restricted_reason = forms.CharField(label="Why is it restricted? (if it is)", required=False, max_length=200)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        child_fields = []
        for child in self.children:
            name = child_field_name(child)
            self.fields[name] = forms.ChoiceField(
                label=f"Was {child.full_name} seen?", required=False, widget=forms.RadioSelect,
                choices=[(SEEN_ALONE, "Seen alone"), (SEEN, "Seen, but not alone"), (NOT_SEEN, "Not seen"),
                         (NOT_ABOUT, f"This note is not about {child.first_name}")],
            )
            child_fields.append(Field.radios(name, legend_size=Size.SMALL, small=True))
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2", small=True),
            Field("happened_on"),
            Field.text("happened_time", field_width=5, autocomplete="off", spellcheck="false"),
            Field.textarea("present", rows=2),
            *([Fieldset(HTML('<p class="govuk-body">For each child, say whether they were seen, and seen alone.</p>'),
                        *child_fields, legend="The children", legend_size=Size.MEDIUM, legend_tag="h2")]
              if child_fields else []),
            Field.textarea("what_happened", rows=6, label_size=Size.SMALL),
            Field.textarea("childs_words", rows=4),
            Field.textarea("analysis", rows=4),
            Field.textarea("next_steps", rows=3),
            # Each follow-up is revealed by its checkbox (without JavaScript it shows; the service
            # ignores a kind of event for a note that is not significant, a reason for one not restricted).
            Fieldset(RevealCheckbox("significant", ["significant_category"], small=True),
                     legend="Significant event", legend_size=Size.MEDIUM, legend_tag="h2"),
            Fieldset(RevealCheckbox("restricted", [Field.text("restricted_reason")], small=True),
                     legend="Who can read it", legend_size=Size.MEDIUM, legend_tag="h2"),
        )

    def clean(self):
        data = super().clean()
        text = data.get("happened_time", "")
        if text and parse_time(text) is None:
            self.add_error("happened_time", "Enter the time as, for example, 9:30am or 14:30")
        return data

    def note_fields(self) -> dict:
        """What the service needs, from what was typed."""
        data = self.cleaned_data
        moment = parse_time(data.get("happened_time", ""))
        happened_at = timezone.make_aware(datetime.combine(data["happened_on"], moment or time(0, 0)))
        return {
            "kind": data["kind"], "happened_at": happened_at, "time_known": moment is not None,
            "present": data["present"], "what_happened": data["what_happened"], "childs_words": data["childs_words"],
            "analysis": data["analysis"], "next_steps": data["next_steps"], "significant": data["significant"],
            "significant_category": data["significant_category"], "restricted": data["restricted"],
            "restricted_reason": data["restricted_reason"],
        }

    def children_seen(self):
        from .services import ChildSeen

        rows = []
        for child in self.children:
            answer = self.cleaned_data.get(child_field_name(child), "")
            if answer:
                rows.append(ChildSeen(child=child, seen=answer in (SEEN, SEEN_ALONE), seen_alone=answer == SEEN_ALONE))
        return rows

    @staticmethod
    def initial_for(note: CaseNote) -> dict:
        local = timezone.localtime(note.happened_at)
        initial = {
            "kind": note.kind, "happened_on": local.date(),
            "happened_time": f"{local:%H:%M}" if note.time_known else "",
            "present": note.present, "what_happened": note.what_happened, "childs_words": note.childs_words,
            "analysis": note.analysis, "next_steps": note.next_steps, "significant": note.significant,
            "significant_category": note.significant_category, "restricted": note.restricted,
            "restricted_reason": note.restricted_reason,
        }
        for row in note.children.all():
            initial[f"child_{row.child_id}"] = SEEN_ALONE if row.seen_alone else SEEN if row.seen else NOT_SEEN
        return initial


class CaseNoteEditForm(VersionedForm, CaseNoteForm):
    """A draft opened again: carries the version it was opened at, so two tabs never overwrite."""


class AddendumForm(forms.Form):
    text = forms.CharField(label="Addendum", widget=forms.Textarea,
                           help_text="It is added below the note with your name and the time; the note itself "
                                     "does not change.",
                           error_messages={"required": "Enter the addendum"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("text", rows=5, label_size=Size.MEDIUM, label_tag="h2"))


class OversightForm(forms.Form):
    kind = forms.ChoiceField(label="Is it supervision or management oversight?", choices=OversightKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select whether it is supervision or management oversight"})
    decision = forms.CharField(label="Decision", widget=forms.Textarea,
                               help_text="What you decided about the work with the family, and why",
                               error_messages={"required": "Enter the decision"})
    actions = forms.CharField(label="Actions (optional)", required=False, widget=forms.Textarea,
                              help_text="Who will do what, and by when")
    next_due_on = GovDateField(what="when the next oversight is due", label="When is the next oversight due? "
                               "(optional)", required=False, years_ahead=2,
                               help_text="For example, 27 3 2027. If you leave it empty, it is due in 4 weeks.")

    def __init__(self, *args, default_weeks: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_due_on"].help_text = (
            f"For example, 27 3 2027. If you leave it empty, it is due in {default_weeks} weeks.")
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2", small=True),
            Field.textarea("decision", rows=6, label_size=Size.MEDIUM, label_tag="h2"),
            Field.textarea("actions", rows=4, label_size=Size.MEDIUM, label_tag="h2"),
            Field("next_due_on"),
        )


class NoteSearchForm(forms.Form):
    """The search box of the family's notes page (its input is written in the page's template)."""

    q = forms.CharField(label="Search the notes and documents", required=False, max_length=200,
                        error_messages={"max_length": "Search for 200 characters or fewer"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("q"))


limit_free_text(globals())
