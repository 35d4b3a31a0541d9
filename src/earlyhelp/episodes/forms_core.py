"""Forms for starting early help, children of concern, the lead professional and disagreements."""

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.people.models import Person
from earlyhelp.web.dates import GovDateField
from earlyhelp.web.limits import limit_free_text
from earlyhelp.web.versioning import VersionedForm
from earlyhelp.web.widgets import PickList, Reveals

from .models import Disagreement


def child_label(child: Person, *, on: date | None = None) -> str:
    on = on or timezone.localdate()
    if child.date_of_birth:
        age = child.age_on(on)
        return f"{child.full_name}, born {child.date_of_birth:%-d %B %Y} (age {age})"
    if child.expected_date_of_birth:
        return f"{child.full_name}, unborn, due {child.expected_date_of_birth:%-d %B %Y}"
    return child.full_name


def practitioner_label(user: User) -> str:
    parts = [user.get_full_name() or user.username]
    if user.job_title:
        parts.append(user.job_title)
    if user.agency_id:
        parts.append(user.agency.name)
    return ", ".join(parts)


class EpisodeStartForm(forms.Form):
    children = forms.TypedMultipleChoiceField(
        label="Which children are you worried about?",
        help_text="They will be the children of concern. You can add or remove children later.",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one child of concern",
            "invalid_choice": "Select children who live in this family",
        },
    )
    allocated_worker = forms.TypedChoiceField(
        label="Who will hold the family's early help work?",
        help_text="The practitioner the family's work is allocated to. You can leave this for your team manager.",
        coerce=int,
        empty_value=None,
        required=False,
        widget=PickList,
        error_messages={"invalid_choice": "Choose a practitioner from your team"},
    )

    existing_lead = forms.ChoiceField(
        label="A child in this family already has a lead professional. Do you still need to start early help?",
        help_text="The procedure is to work with the lead professional already there instead of starting a new "
                  "assessment.",
        choices=[
            ("work_with", "No: I will work with the existing lead professional instead"),
            ("start", "Yes: early help is still needed"),
        ],
        widget=forms.RadioSelect, required=False,
        error_messages={"invalid_choice": "Select whether you still need to start early help"},
    )
    existing_lead_reason = forms.CharField(
        label="Why early help is still needed", required=False, max_length=250,
        help_text="For example: you spoke to them and they agree early help should lead",
    )

    def __init__(self, *args, children: list[Person], workers: list[User], existing_leads=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [(child.pk, child_label(child)) for child in children]
        self.has_existing_leads = bool(existing_leads)
        fields = []
        if self.has_existing_leads:
            fields.append(Reveals("existing_lead", {"start": ["existing_lead_reason"]}, legend_size="m"))
        else:
            del self.fields["existing_lead"], self.fields["existing_lead_reason"]
        fields.append(Field.checkboxes("children", legend_size="m", small=True))
        if workers:
            self.fields["allocated_worker"].choices = [("", "Not allocated yet")] + [
                (worker.pk, practitioner_label(worker)) for worker in workers
            ]
            fields.append(Field.select("allocated_worker", label_size="m"))
        else:
            del self.fields["allocated_worker"]
        self.helper = FormHelper()
        self.helper.layout = Layout(*fields, Submit("submit", "Start early help"))

    def clean(self):
        cleaned = super().clean()
        if self.has_existing_leads:
            answer = cleaned.get("existing_lead")
            if not answer:
                self.add_error("existing_lead", "Select whether you still need to start early help")
            elif answer == "start" and not (cleaned.get("existing_lead_reason") or "").strip():
                self.add_error("existing_lead_reason", "Say why early help is still needed")
            elif answer != "start":
                cleaned["existing_lead_reason"] = ""  # a follow-up hidden with another answer is still posted
        return cleaned

    @property
    def works_with_existing_lead(self) -> bool:
        return self.has_existing_leads and self.cleaned_data.get("existing_lead") == "work_with"


class ChildAddForm(forms.Form):
    person = forms.TypedChoiceField(
        label="Add a child of concern",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the child to add",
            "invalid_choice": "Select a child who lives in this family",
        },
    )

    def __init__(self, *args, children: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(child.pk, child_label(child)) for child in children]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("person", legend_size="s", small=True),
            Submit("add_child", "Add child", css_class="govuk-button--secondary"),
        )


class ChildRemoveForm(forms.Form):
    removed_on = GovDateField(
        label="When did the child stop being a child of concern?",
        help_text="For example, 27 3 2026",
        what="the date the child stopped being a child of concern", years_back=5, past=True,
        past_message="The date cannot be in the future",
    )
    reason = forms.CharField(
        label="Why is the child no longer a child of concern?",
        help_text="For example, moved to live with their father in another authority.",
        max_length=200,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter why the child is no longer a child of concern",
            "max_length": "The reason must be 200 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("removed_on", context={"legend_size": "govuk-fieldset__legend--s"}),
            Field.textarea("reason", label_size="s", rows=3, max_characters=200),
            Submit("submit", "Remove child"),
        )


class LeadSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a practitioner",
        help_text="Search by name, job or organisation, for example 'health visitor' or 'Patel'.",
        required=False,
        max_length=100,
    )


YES_NO = (("yes", "Yes"), ("no", "No"))


class LeadProfessionalForm(VersionedForm):
    """Choose or transfer the lead: refused when someone else changed the lead since the page was
    opened (made with saved= the episode's lead)."""

    compared_with_saved = ("lead",)

    lead = forms.TypedChoiceField(
        label="Lead professional",
        coerce=int,
        widget=PickList,
        error_messages={
            "required": "Select the lead professional",
            "invalid_choice": "Select a practitioner from the list",
        },
    )
    chosen_with_family = forms.ChoiceField(
        label="Was the lead professional chosen with the family?",
        help_text="The family, and the child where old enough, should help choose who leads.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the family helped choose the lead professional"},
    )
    handover_note = forms.CharField(
        label="Handover note",
        help_text="What the new lead professional needs to know: the plan, what is due, and how the family likes to be contacted.",
        widget=forms.Textarea,
        required=False,
    )
    q = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, candidates: list[User], transfer: bool, handover_needed: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transfer = transfer
        # A child's lead recorded elsewhere is replaced too (one lead a child): a handover from them.
        handover_from_elsewhere = bool(handover_needed) and not transfer
        if handover_from_elsewhere:
            self.fields["handover_note"].label = "Why the role moves, and the handover"
            self.fields["handover_note"].help_text = (
                "Someone already leads for a child in this family (listed above). Say why the role moves to "
                "the practitioner you choose, that the current lead knows, and what the new lead needs to know. "
                "Not needed if you choose the current lead."
            )
        # Asked for either way; required by the form for a transfer, by the service when someone is replaced.
        transfer = transfer or handover_from_elsewhere
        self.fields["lead"].choices = [("", "Choose a practitioner")] + [
            (user.pk, practitioner_label(user)) for user in candidates
        ]
        if self.transfer:
            self.fields["lead"].label = "New lead professional"
            self.fields["handover_note"].required = True
            self.fields["handover_note"].error_messages["required"] = "Write a handover note for the new lead professional"
        fields = [
            Field.select("lead", label_size="s"),
            Field.radios("chosen_with_family", legend_size="s", inline=True),
        ]
        if transfer:
            fields.append(Field.textarea("handover_note", label_size="s", rows=5))
        else:
            del self.fields["handover_note"]
        fields.append("q")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *fields, Submit("submit", "Transfer the lead professional" if self.transfer else "Choose lead professional")
        )


class DisagreementForm(forms.Form):
    topic = forms.ChoiceField(
        label="What is the disagreement about?",
        choices=Disagreement.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the disagreement is about"},
    )
    details = forms.CharField(
        label="Describe the disagreement",
        help_text="Who disagrees with whom, what each thinks, and where it has been escalated under the dispute resolution policy.",
        widget=forms.Textarea,
        error_messages={"required": "Describe the disagreement and who disagrees"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("topic", legend_size="m"),
            Field.textarea("details", label_size="s", rows=6),
            Submit("submit", "Record the disagreement"),
        )


class DisagreementOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="What was the outcome?",
        help_text="What was agreed, by whom, and what happens now.",
        widget=forms.Textarea,
        error_messages={"required": "Enter the outcome: what was agreed and by whom"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("outcome", label_size="s", rows=5),
            Submit("submit", "Record the outcome"),
        )


limit_free_text(globals())  # every text field has a limit (web/limits.py)
