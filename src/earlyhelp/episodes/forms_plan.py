"""Forms for Team Around the Family meetings, the plan and its reviews.

Every message says in plain English what to do; the forms take their choices from the
services so that they offer only the people, agencies and needs that belong to the episode.
"""

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html

from earlyhelp.web.dates import GovDateField
from earlyhelp.web.limits import limit_field, limit_free_text
from earlyhelp.web.widgets import PickList

from .models import ActionStatus, Outcome, ReviewDecision

OWNER_KINDS = {"user": "Practitioners", "agency": "Agencies", "person": "Family members"}
NO_OWNER = "Choose who will do this: a practitioner, an agency or a family member"
MOST_OTHER_PRACTITIONERS = 30  # email addresses typed for one meeting


def _select(name: str) -> Field:
    return Field(name, context={"label_size": Size.for_label(Size.SMALL)})


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def _textarea(name: str, rows: int = 3) -> Field:
    return Field.textarea(name, label_size=Size.SMALL, rows=rows)


def _user_label(user) -> str:
    name = user.get_full_name() or user.username
    details = ", ".join(part for part in (user.job_title, user.agency.name if user.agency_id else "") if part)
    return f"{name} ({details})" if details else name


def _person_label(person) -> str:
    return person.full_name


def owner_choices(owners: dict) -> list:
    """One select, grouped, so an action always has exactly one owner."""
    groups = [
        (OWNER_KINDS["user"], [(f"user-{user.pk}", _user_label(user)) for user in owners["users"]]),
        (OWNER_KINDS["agency"], [(f"agency-{agency.pk}", agency.name) for agency in owners["agencies"]]),
        (OWNER_KINDS["person"], [(f"person-{person.pk}", _person_label(person)) for person in owners["family_members"]]),
    ]
    return [("", "Choose who will do this")] + [(label, options) for label, options in groups if options]


def owner_from_choice(value: str, owners: dict) -> dict:
    """'user-12' -> {'owner_user': <User 12>}: the keyword the service takes."""
    kind, _, pk = value.partition("-")
    lookup = {
        "user": ("owner_user", owners["users"]),
        "agency": ("owner_agency", owners["agencies"]),
        "person": ("owner_person", owners["family_members"]),
    }
    if kind not in lookup or not pk.isdigit():
        return {}
    keyword, candidates = lookup[kind]
    found = next((item for item in candidates if item.pk == int(pk)), None)
    return {keyword: found} if found is not None else {}


def _owner_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Who will do this?", widget=PickList,
        help_text="A practitioner, an agency or a member of the family.",
        error_messages={"required": NO_OWNER, "invalid_choice": NO_OWNER},
    )


def _due_field() -> GovDateField:
    return GovDateField(
        what="the date it will be done by", years_back=5, years_ahead=5, label="Done by",
        help_text=f"For example, 27 3 {timezone.localdate().year}",
    )


class _ActionFields(forms.Form):
    """What every action asks for: what, who and by when."""

    description = forms.CharField(
        label="What will be done?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )

    def __init__(self, *args, owners: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = owners
        self.fields["owner"] = _owner_field()
        self.fields["owner"].choices = owner_choices(owners)
        self.fields["due_on"] = _due_field()

    def clean_owner(self):
        owner = owner_from_choice(self.cleaned_data["owner"], self.owners)
        if not owner:
            raise ValidationError(NO_OWNER)
        return owner


class PlanActionForm(_ActionFields):
    service = forms.ModelChoiceField(
        label="Is the family referred to a service in the directory? (optional)", queryset=None, required=False,
        widget=PickList, empty_label="Choose a service, or leave this blank",
        help_text="Services from the directory of services; its contact details show on the plan.",
        error_messages={"invalid_choice": "Choose an active service from the directory"},
    )

    def __init__(self, *args, **kwargs):
        from earlyhelp.directory.selectors import service_pick_list

        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = service_pick_list()
        self.fields["service"].label_from_instance = lambda service: f"{service.name}, {service.organization.name}"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _textarea("description"),
            _select("owner"),
            _date("due_on"),
            _select("service"),
            Submit("submit", "Add the action"),
        )


class AgreedActionForm(_ActionFields):
    """One optional action agreed at a meeting: left blank, it is ignored."""

    outcome = forms.TypedChoiceField(
        label="Which outcome is it for?", coerce=int,
        error_messages={"required": "Choose the outcome this action is for",
                        "invalid_choice": "Choose one of the plan's outcomes"},
    )

    def __init__(self, *args, outcomes: list[Outcome], number: int, **kwargs):
        super().__init__(*args, empty_permitted=True, use_required_attribute=False, **kwargs)
        self.outcomes = {outcome.pk: outcome for outcome in outcomes}
        self.fields["outcome"].choices = [("", "Choose an outcome")] + [
            (outcome.pk, outcome.in_familys_words[:120]) for outcome in outcomes
        ]
        self.order_fields(["outcome", "description", "owner", "due_on"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _select("outcome"),
                _textarea("description"),
                _select("owner"),
                _date("due_on"),
                legend=f"Action {number}", legend_size=Size.SMALL,
            )
        )

    def clean_outcome(self):
        return self.outcomes[self.cleaned_data["outcome"]]


class TafMeetingForm(forms.Form):
    held_on = GovDateField(what="the date of the meeting", years_back=5, label="When was the meeting?")
    practitioners = forms.TypedMultipleChoiceField(
        label="Practitioners who attended", coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose practitioners from the list"},
    )
    other_practitioners = forms.CharField(
        label="Other practitioners who attended",
        help_text="The email addresses of anyone else who uses this service, one on each line.",
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=MOST_OTHER_PRACTITIONERS * 100,
    )
    agencies = forms.TypedMultipleChoiceField(
        label="Agencies represented", coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose agencies from the list"},
    )
    other_agency = forms.TypedChoiceField(
        label="Another agency that was represented", coerce=int, required=False, empty_value=None, widget=PickList,
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    family_members = forms.TypedMultipleChoiceField(
        label="Family members who attended", coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose family members from this family"},
    )
    discussed = forms.CharField(
        label="What was discussed?", widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what was discussed at the meeting"},
    )
    decided = forms.CharField(
        label="What was decided?", required=False, widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, attendees: dict, all_agencies: list, users_by_email, step_down_worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees = attendees
        self.users_by_email = users_by_email
        self.fields["practitioners"].choices = [(user.pk, _user_label(user)) for user in attendees["users"]]
        self.fields["agencies"].choices = [(agency.pk, agency.name) for agency in attendees["agencies"]]
        self.fields["other_agency"].choices = [("", "None")] + [(agency.pk, agency.name) for agency in all_agencies]
        self.all_agencies = {agency.pk: agency for agency in all_agencies}
        self.fields["family_members"].choices = [
            (person.pk, _person_label(person)) for person in attendees["family_members"]
        ]
        # The page explains why a step-down social worker is ticked (DOMAIN §8: they attend the first meeting).
        self.step_down_worker = step_down_worker
        self.fields["held_on"].help_text = f"For example, 3 2 {timezone.localdate().year}"
        fields = [_date("held_on")]
        if attendees["users"]:
            fields.append(Field.checkboxes("practitioners", legend_size=Size.SMALL, small=True))
        fields.append(_textarea("other_practitioners", rows=2))
        if attendees["agencies"]:
            fields.append(Field.checkboxes("agencies", legend_size=Size.SMALL, small=True))
        fields.append(_select("other_agency"))
        if attendees["family_members"]:
            fields.append(Field.checkboxes("family_members", legend_size=Size.SMALL, small=True))
        fields += [
            _textarea("discussed", rows=5),
            _textarea("decided", rows=4),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields)

    def clean_held_on(self) -> date:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError("The meeting date cannot be in the future")
        return held_on

    def clean_practitioners(self):
        chosen = set(self.cleaned_data["practitioners"])
        return [user for user in self.attendees["users"] if user.pk in chosen]

    def clean_other_practitioners(self):
        emails = [line.strip() for line in self.cleaned_data["other_practitioners"].replace(",", "\n").splitlines()]
        emails = [email for email in emails if email]
        if len(emails) > MOST_OTHER_PRACTITIONERS:
            raise ValidationError(f"Enter at most {MOST_OTHER_PRACTITIONERS} email addresses: tick the others above, "
                                  "or name them in what was discussed")
        users, unknown = self.users_by_email(emails)
        if unknown:
            raise ValidationError(
                "No one using this service has the email address "
                + ", ".join(unknown)
                + ". Check it, or name them in what was discussed"
            )
        return users

    def clean_agencies(self):
        chosen = set(self.cleaned_data["agencies"])
        return [agency for agency in self.attendees["agencies"] if agency.pk in chosen]

    def clean_other_agency(self):
        pk = self.cleaned_data["other_agency"]
        return self.all_agencies.get(pk) if pk else None

    def clean_family_members(self):
        chosen = set(self.cleaned_data["family_members"])
        return [person for person in self.attendees["family_members"] if person.pk in chosen]

    def attending_practitioners(self) -> list:
        seen, result = set(), []
        for user in self.cleaned_data["practitioners"] + self.cleaned_data["other_practitioners"]:
            if user.pk not in seen:
                seen.add(user.pk)
                result.append(user)
        return result

    def represented_agencies(self) -> list:
        agencies = list(self.cleaned_data["agencies"])
        other = self.cleaned_data.get("other_agency")
        if other is not None and other.pk not in {agency.pk for agency in agencies}:
            agencies.append(other)
        return agencies


class OutcomeForm(forms.Form):
    in_familys_words = forms.CharField(
        label="What does the family want to change?",
        help_text="In the family's own words, for example “We want Jack to go to school every day”.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the outcome in the family's own words"},
    )
    needs = forms.MultipleChoiceField(
        label="Which needs is it about?", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the needs this outcome is about",
                        "invalid_choice": "Choose needs from the list"},
    )

    def __init__(self, *args, need_choices: list[tuple[str, str]], from_assessment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = need_choices
        self.fields["needs"].help_text = (
            "The needs agreed in the assessment." if from_assessment
            else "There is no assessment with agreed needs yet, so every assessment factor is listed."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _textarea("in_familys_words"),
            Field.checkboxes("needs", legend_size=Size.SMALL, small=True),
            Submit("submit", "Add the outcome"),
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status", "invalid_choice": "Choose the action's status"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("status", legend_size=Size.MEDIUM, legend_tag="h2"),
            Submit("submit", "Save the status"),
        )


class ReviewForm(forms.Form):
    held_on = GovDateField(what="the date of the review", years_back=5, label="When was the review?")
    new_or_unmet_needs = forms.CharField(
        label="New or unmet needs", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything the plan does not yet cover, or needs that have not been met.",
    )
    decision = forms.ChoiceField(
        label="What happens next?", choices=ReviewDecision.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens next: continue, step up, step down or close",
                        "invalid_choice": "Choose what happens next: continue, step up, step down or close"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, outcomes: list[Outcome], **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        self.fields["held_on"].help_text = f"For example, 14 4 {timezone.localdate().year}"
        fieldsets = []
        for number, outcome in enumerate(outcomes, start=1):
            score, comment = f"score_{outcome.pk}", f"comment_{outcome.pk}"
            self.fields[score] = forms.CharField(
                label="Progress score, from 0 (no progress) to 10 (achieved)",
                error_messages={"required": "Enter a progress score from 0 to 10"},
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[comment] = forms.CharField(
                label="How are things going?", required=False, widget=forms.Textarea(attrs={"rows": 2}),
            )
            limit_field(self.fields[comment])
            fieldsets.append(Fieldset(
                Field.text(score, field_width=2, label_size=Size.SMALL),
                _textarea(comment, rows=2),
                legend=format_html("Outcome {}: {}", number, outcome.in_familys_words), legend_size=Size.SMALL,
            ))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _date("held_on"),
            HTML('<h2 class="govuk-heading-m">Progress on each outcome</h2>') if outcomes else HTML(""),
            *fieldsets,
            _textarea("new_or_unmet_needs"),
            Field.radios("decision", legend_size=Size.MEDIUM, legend_tag="h2"),
            _textarea("notes"),
            Submit("submit", "Record the review"),
        )

    def clean_held_on(self) -> date:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError("The review date cannot be in the future")
        return held_on

    def clean(self):
        cleaned = super().clean()
        for outcome in self.outcomes:
            name = f"score_{outcome.pk}"
            raw = (cleaned.get(name) or "").strip()
            if name in self.errors:
                continue
            if not raw.isdigit() or not 0 <= int(raw) <= 10:
                self.add_error(name, "Enter a progress score from 0 to 10, as a whole number")
            else:
                cleaned[name] = int(raw)
        return cleaned

    def progress(self) -> dict[int, tuple[int, str]]:
        return {
            outcome.pk: (self.cleaned_data[f"score_{outcome.pk}"], self.cleaned_data.get(f"comment_{outcome.pk}", ""))
            for outcome in self.outcomes
        }


limit_free_text(globals())  # every text field has a limit (web/limits.py)
