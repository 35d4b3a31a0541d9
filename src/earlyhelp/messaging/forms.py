"""The user's choice of messages, and the invitation to a Team Around the Family meeting."""

import re
from datetime import datetime, time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.web.dates import GovDateField

from .kinds import choosable_kinds


class PreferencesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label="Which e-mails do you want to receive?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Messages say only that something happened, with a link: "
                  "never a child's or a family's details.",
        error_messages={"invalid_choice": "Select only the messages listed"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wanted"].choices = [(kind.name, kind.label) for kind in choosable_kinds()]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.checkboxes("wanted", legend_size=Size.MEDIUM, legend_tag="h2"))


MEETING_LENGTHS = [(30, "30 minutes"), (60, "1 hour"), (90, "1 hour 30 minutes"), (120, "2 hours")]
CLOCK_TIME = re.compile(r"^\s*([01]?[0-9]|2[0-3])[:.]([0-5][0-9])\s*$")


class TafInvitationForm(forms.Form):
    """When and where the meeting is, and who of the people working with the family is invited."""

    meeting_on = GovDateField(what="the date of the meeting", years_back=0, years_ahead=1,
                              label="What day is the meeting?")
    starts = forms.CharField(label="What time does it start?", max_length=5,
                             help_text="Use the 24-hour clock, for example 09:30 or 14:00",
                             error_messages={"required": "Enter the time the meeting starts"})
    minutes = forms.TypedChoiceField(label="How long is it?", coerce=int, choices=MEETING_LENGTHS, initial=60,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Select how long the meeting is",
                                                     "invalid_choice": "Select how long the meeting is"})
    place = forms.CharField(label="Where is it?", max_length=200,
                            help_text="A meeting room or 'Video call'. The invitation goes by e-mail, so do not "
                                      "give the family's address or name.",
                            error_messages={"required": "Enter where the meeting is"})
    invitees = forms.TypedMultipleChoiceField(
        label="Who is invited?", coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text="The people working with the family. Each gets an e-mail with a calendar file.",
        error_messages={"required": "Select who is invited", "invalid_choice": "Select only the people listed"})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["invitees"].choices = [
            (person.pk, f"{person.get_full_name()}" + (f", {person.agency.name}" if person.agency_id else "")
             + ("" if person.email else " (no e-mail address)"))
            for person in people]
        self.fields["meeting_on"].help_text = f"For example, 27 3 {timezone.localdate().year}"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("meeting_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("starts", label_size=Size.SMALL, field_width=5),
            Field.radios("minutes", legend_size=Size.SMALL, small=True),
            Field.text("place", label_size=Size.SMALL),
            Field.checkboxes("invitees", legend_size=Size.SMALL, small=True),
        )

    def clean_starts(self) -> time:
        found = CLOCK_TIME.match(self.cleaned_data["starts"])
        if not found:
            raise ValidationError("Enter the time as hours and minutes on the 24-hour clock, for example 14:00")
        return time(int(found.group(1)), int(found.group(2)))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting_on") and cleaned.get("starts") is not None:
            starts_at = timezone.make_aware(datetime.combine(cleaned["meeting_on"], cleaned["starts"]))
            if starts_at <= timezone.now():
                self.add_error("meeting_on", "The meeting must be in the future")
            cleaned["starts_at"] = starts_at
        return cleaned

    def invited(self) -> list:
        return [self.people[pk] for pk in self.cleaned_data["invitees"]]
