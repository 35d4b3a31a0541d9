"""Forms for families, people, relationships, involvements, search and merges.

Every message says in plain English what is wrong and how to put it right.
"""

from datetime import timedelta

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.standards import AnnexAGender, Ethnicity
from earlyhelp.web.dates import GovDateField
from earlyhelp.web.limits import limit_free_text
from earlyhelp.web.versioning import VersionedForm
from earlyhelp.web.widgets import PickList

from .models import Disability, MemberRole, RelationshipKind, SenStatus
from .search import postcode_is_valid, postcode_normalise
from .validators import clean_nhs_number, clean_upn

YES_NO = [("yes", "Yes"), ("no", "No")]
# An expected date of birth is at most this far ahead (a pregnancy lasts about 40 weeks).
LONGEST_PREGNANCY = timedelta(weeks=44)


def _helper(*fields, submit: str | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template writes the <form>, so hidden fields can go with it
    helper.layout = Layout(*fields, *([Submit("submit", submit)] if submit else []))
    return helper


def _clean_postcode(value: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError("Enter the postcode")
        return ""
    if not postcode_is_valid(value):
        raise ValidationError("Enter a real UK postcode, for example LS1 1AA")
    return postcode_normalise(value)


class FamilyForm(forms.Form):
    name = forms.CharField(
        label="Family name", max_length=150,
        help_text="How the household is known, for example 'Smith family' or 'Smith and Khan family'",
        error_messages={"required": "Enter the family name", "max_length": "Family name must be 150 characters or fewer"},
    )
    address = forms.CharField(
        label="Address", widget=forms.Textarea, help_text="The house and street, town or city",
        error_messages={"required": "Enter the family's address"},
    )
    postcode = forms.CharField(label="Postcode", max_length=10, error_messages={
        "required": "Enter the postcode", "max_length": "Enter a real UK postcode, for example LS1 1AA",
    })
    locality = forms.ModelChoiceField(
        label="Locality", queryset=None, widget=forms.RadioSelect, empty_label=None,
        help_text="The area the family lives in. Early help teams work by locality",
        error_messages={"required": "Select the locality the family lives in",
                        "invalid_choice": "Select a locality from the list"},
    )

    def __init__(self, *args, localities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities
        self.helper = _helper(
            Field.text("name", field_width=30),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=10, autocomplete="postal-code", spellcheck="false"),
            Field.radios("locality", legend_size=Size.SMALL),
            submit="Save and continue",
        )

    def clean_postcode(self):
        return _clean_postcode(self.cleaned_data["postcode"], required=True)


class FamilyMoveForm(VersionedForm):
    """A new address: refused when someone else recorded a move since the page was opened."""

    compared_with_saved = ("address", "postcode")  # opens blank; made with saved= the current address

    address = forms.CharField(label="New address", widget=forms.Textarea,
                              error_messages={"required": "Enter the new address"})
    postcode = forms.CharField(label="Postcode", max_length=10, error_messages={
        "required": "Enter the postcode", "max_length": "Enter a real UK postcode, for example LS1 1AA",
    })
    moved_in = GovDateField(what="the date they moved in", label="When did they move in?", past=True,
                            help_text="For example, 27 3 2025")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=10, spellcheck="false"),
            Field("moved_in"),
            submit="Save the new address",
        )

    def clean_postcode(self):
        return _clean_postcode(self.cleaned_data["postcode"], required=True)


def _ethnicity_choices():
    return [("", "Select ethnicity"), *((code, f"{label} ({code})") for code, label in Ethnicity.choices)]


class PersonForm(forms.Form):
    role = forms.ChoiceField(
        label="What is their role in the household?", choices=MemberRole.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select their role in the household",
                        "invalid_choice": "Select their role in the household from the list"},
    )
    first_name = forms.CharField(label="First name", max_length=100, help_text="Their legal first name", error_messages={
        "required": "Enter their first name", "max_length": "First name must be 100 characters or fewer"})
    middle_names = forms.CharField(label="Middle names (optional)", max_length=150, required=False, error_messages={
        "max_length": "Middle names must be 150 characters or fewer"})
    last_name = forms.CharField(label="Last name", max_length=100, help_text="Their legal last name", error_messages={
        "required": "Enter their last name", "max_length": "Last name must be 100 characters or fewer"})
    known_as = forms.CharField(label="Known as (optional)", max_length=100, required=False,
                               help_text="The name they use, if it is different", error_messages={
                                   "max_length": "Known as must be 100 characters or fewer"})
    date_of_birth = GovDateField(what="date of birth", label="Date of birth", required=False, past=True,
                                 past_message="Date of birth must be in the past",
                                 help_text="For example, 27 3 2015. Leave blank for an unborn child")
    expected_date_of_birth = GovDateField(
        what="the expected date of birth", years_back=1, years_ahead=1,
        label="Expected date of birth (unborn child only)", required=False,
        help_text="For example, 14 9 2026",
    )
    sex = forms.ChoiceField(label="Sex", choices=AnnexAGender.choices, widget=forms.RadioSelect,
                            initial=AnnexAGender.NOT_STATED, error_messages={"required": "Select their sex"})
    gender = forms.ChoiceField(label="Gender", choices=AnnexAGender.choices, widget=forms.RadioSelect,
                               initial=AnnexAGender.NOT_STATED, help_text="How they describe themselves",
                               error_messages={"required": "Select their gender"})
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=_ethnicity_choices, widget=PickList, initial=Ethnicity.NOBT,
                                  help_text="As the person or their family describe it. Choose 'Information not yet obtained' if you do not know",
                                  error_messages={"required": "Select their ethnicity",
                                                  "invalid_choice": "Select their ethnicity from the list"})
    nhs_number = forms.CharField(label="NHS number (optional)", required=False, max_length=20,
                                 help_text="10 digits, for example 943 476 5919")
    upn = forms.CharField(label="Unique pupil number (UPN) (optional)", required=False, max_length=20,
                          help_text="13 characters from the school, for example H801200001001")
    address = forms.CharField(label="Address (optional)", widget=forms.Textarea, required=False,
                              help_text="Where they live. It starts as the family's address")
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10,
                               error_messages={"max_length": "Enter a real UK postcode, for example LS1 1AA"})
    first_language = forms.CharField(label="First language", max_length=60, required=False, initial="English")
    interpreter_needed = forms.TypedChoiceField(
        label="Do they need an interpreter?", choices=YES_NO, widget=forms.RadioSelect, initial="no",
        coerce=lambda value: value == "yes", error_messages={"required": "Select whether they need an interpreter"},
    )
    disability = forms.ChoiceField(label="Do they have a disability?", choices=Disability.choices,
                                   widget=forms.RadioSelect, initial=Disability.UNKNOWN,
                                   error_messages={"required": "Select whether they have a disability"})
    disability_details = forms.CharField(label="About their disability (optional)", widget=forms.Textarea,
                                         required=False, help_text="What it is and what help they need")
    sen_status = forms.ChoiceField(label="Special educational needs", choices=SenStatus.choices,
                                   widget=forms.RadioSelect, initial=SenStatus.UNKNOWN,
                                   error_messages={"required": "Select their special educational needs"})
    school = forms.ModelChoiceField(label="School or early years setting (optional)", queryset=None, required=False,
                                    widget=PickList,
                                    empty_label="Not at a school or setting",
                                    error_messages={"invalid_choice": "Select a school or setting from the list"})
    phone = forms.CharField(label="Phone (optional)", max_length=30, required=False)
    email = forms.EmailField(label="Email (optional)", required=False, error_messages={
        "invalid": "Enter an email address in the correct format, like name@example.com"})

    def __init__(self, *args, schools, with_role: bool = True, submit: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if not with_role:
            del self.fields["role"]
        self.helper = _helper(
            *([Field.radios("role", legend_size=Size.SMALL)] if with_role else []),
            Fieldset(
                Field.text("first_name", field_width=20, autocomplete="off", spellcheck="false"),
                Field.text("middle_names", field_width=20, autocomplete="off", spellcheck="false"),
                Field.text("last_name", field_width=20, autocomplete="off", spellcheck="false"),
                Field.text("known_as", field_width=20, autocomplete="off", spellcheck="false"),
                legend="Name", legend_size=Size.SMALL,
            ),
            Field("date_of_birth"),
            Field("expected_date_of_birth"),
            Field.radios("sex", small=True),
            Field.radios("gender", small=True),
            Field.select("ethnicity"),
            Field.text("nhs_number", field_width=10, spellcheck="false", inputmode="numeric"),
            Field.text("upn", field_width=20, spellcheck="false"),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=10, spellcheck="false"),
            Field.text("first_language", field_width=20),
            Field.radios("interpreter_needed", inline=True, small=True),
            Field.radios("disability", inline=True, small=True),
            Field.textarea("disability_details", rows=3),
            Field.radios("sen_status", small=True),
            Field.select("school"),
            Field.text("phone", field_width=20),
            Field.text("email", field_width=30, spellcheck="false"),
            submit=submit,
        )

    def clean_nhs_number(self):
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean_upn(self):
        return clean_upn(self.cleaned_data["upn"])

    def clean_postcode(self):
        return _clean_postcode(self.cleaned_data["postcode"])

    def clean_expected_date_of_birth(self):
        due = self.cleaned_data.get("expected_date_of_birth")
        if due is None:
            return None
        today = timezone.localdate()
        if due < today - timedelta(days=31):
            raise ValidationError(
                "The expected date of birth is more than a month ago. If the baby has been born, "
                "enter their date of birth instead"
            )
        if due > today + LONGEST_PREGNANCY:
            raise ValidationError("The expected date of birth must be within the next 10 months")
        return due

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        born = cleaned.get("date_of_birth")
        due = cleaned.get("expected_date_of_birth")
        has_date_errors = "date_of_birth" in self.errors or "expected_date_of_birth" in self.errors
        if born and due:
            self.add_error("expected_date_of_birth",
                           "Enter a date of birth or an expected date of birth, not both")
        elif role == MemberRole.UNBORN:
            if not due and "expected_date_of_birth" not in self.errors:
                self.add_error("expected_date_of_birth", "Enter the expected date of birth")
        elif role == MemberRole.CHILD:
            if not born and not has_date_errors:
                self.add_error("date_of_birth", "Enter the child's date of birth")
        elif due:
            self.add_error("expected_date_of_birth", "Only an unborn child has an expected date of birth")
        return cleaned

    def person_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "role"}


class ExistingPersonForm(forms.Form):
    """Add a person found among the likely duplicates to this family instead."""

    existing_person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=MemberRole.choices)


class RelationshipForm(forms.Form):
    person = forms.TypedChoiceField(label="Person", coerce=int, error_messages={
        "required": "Select the first person", "invalid_choice": "Select a person from this family"})
    kind = forms.ChoiceField(label="Relationship", choices=[("", "Select the relationship"), *RelationshipKind.choices],
                             error_messages={"required": "Select the relationship",
                                             "invalid_choice": "Select the relationship from the list"})
    relative = forms.TypedChoiceField(label="Relative", coerce=int, error_messages={
        "required": "Select the second person", "invalid_choice": "Select a person from this family"})
    has_parental_responsibility = forms.BooleanField(
        label="They have parental responsibility", required=False,
        help_text="For a parent, step-parent or carer with legal responsibility for the child",
    )
    notes = forms.CharField(label="Notes (optional)", max_length=200, required=False,
                            error_messages={"max_length": "Notes must be 200 characters or fewer"})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Select a person"), *((person.pk, person.full_name) for person in people)]
        self.fields["person"].choices = choices
        self.fields["relative"].choices = choices
        self.helper = _helper(
            Field.select("person"),
            Field.select("kind"),
            Field.select("relative"),
            Field.checkbox("has_parental_responsibility", small=True),
            Field.text("notes"),
            submit="Save relationship",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person") and cleaned.get("person") == cleaned.get("relative"):
            self.add_error("relative", "Choose two different people")
        return cleaned


class InvolvementForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Organisation", queryset=None, empty_label="Select the organisation", widget=PickList,
        error_messages={"required": "Select the organisation that works with them",
                        "invalid_choice": "Select an organisation from the list"},
    )
    practitioner = forms.ModelChoiceField(
        label="Practitioner who uses this service (optional)", queryset=None, required=False, widget=PickList,
        empty_label="Not listed", help_text="If they are not listed, enter their name below",
        error_messages={"invalid_choice": "Select a practitioner from the list"},
    )
    practitioner_name = forms.CharField(label="Practitioner's name (optional)", max_length=150, required=False,
                                        error_messages={"max_length": "Name must be 150 characters or fewer"})
    role_description = forms.CharField(label="Their role (optional)", max_length=150, required=False,
                                       help_text="For example, health visitor, class teacher, youth worker")
    contact_phone = forms.CharField(label="Phone (optional)", max_length=30, required=False)
    contact_email = forms.EmailField(label="Email (optional)", required=False, error_messages={
        "invalid": "Enter an email address in the correct format, like name@example.com"})
    is_lead_professional = forms.BooleanField(
        label="They are the lead professional", required=False,
        help_text="The single point of contact who coordinates support. A child has one lead professional at a time",
    )
    started_on = GovDateField(what="the start date", label="When did they start working with them? (optional)",
                              required=False, past=True, help_text="For example, 4 9 2025")

    def __init__(self, *args, agencies, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["practitioner"].queryset = practitioners
        self.fields["practitioner"].label_from_instance = lambda user: (
            f"{user.get_full_name()}, {user.job_title or user.get_role_display()}"
            + (f", {user.agency.name}" if user.agency_id else "")
        )
        self.helper = _helper(
            Field.select("agency"),
            Field.select("practitioner"),
            Field.text("practitioner_name", field_width=30),
            Field.text("role_description", field_width=30),
            Field.text("contact_phone", field_width=20),
            Field.text("contact_email", field_width=30, spellcheck="false"),
            Field.checkbox("is_lead_professional", small=True),
            Field("started_on"),
            submit="Save involvement",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("practitioner") and cleaned.get("practitioner_name"):
            self.add_error("practitioner_name", "Choose the practitioner from the list or enter a name, not both")
        if cleaned.get("is_lead_professional") and not cleaned.get("practitioner"):
            if not cleaned.get("practitioner_name") and "practitioner_name" not in self.errors:
                self.add_error("practitioner_name", "Enter the lead professional's name, or choose them from the list")
            elif not (cleaned.get("contact_phone") or cleaned.get("contact_email")) and "contact_email" not in self.errors:
                self.add_error("contact_phone", "Enter a phone number or email address for the lead professional")
        return cleaned


class AlreadyKnownForm(forms.Form):
    """'Already known?': any one of these is enough."""

    name = forms.CharField(label="Name", max_length=200, required=False,
                           help_text="First name and last name, or just one of them. Spelling mistakes and nicknames are allowed")
    date_of_birth = GovDateField(what="date of birth", label="Date of birth", required=False, past=True,
                                 past_message="Date of birth must be in the past", help_text="For example, 27 3 2015")
    nhs_number = forms.CharField(label="NHS number", max_length=20, required=False,
                                 help_text="10 digits, for example 943 476 5919")
    upn = forms.CharField(label="Unique pupil number (UPN)", max_length=20, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False,
                               error_messages={"max_length": "Enter a real UK postcode, for example LS1 1AA"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name", field_width=30, autocomplete="off", spellcheck="false"),
            Field("date_of_birth"),
            Field.text("nhs_number", field_width=10, spellcheck="false", inputmode="numeric"),
            Field.text("upn", field_width=20, spellcheck="false"),
            Field.text("postcode", field_width=10, spellcheck="false"),
            submit="Search",
        )

    def clean_nhs_number(self):
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean_upn(self):
        return clean_upn(self.cleaned_data["upn"])

    def clean_postcode(self):
        return _clean_postcode(self.cleaned_data["postcode"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(
            cleaned.get(name) for name in ("name", "date_of_birth", "nhs_number", "upn", "postcode")
        ):
            raise ValidationError("Enter a name, date of birth, NHS number, UPN or postcode to search for")
        return cleaned


class MergeSearchForm(forms.Form):
    q = forms.CharField(label="Find records by name, NHS number or record number", max_length=200, required=False,
                        widget=forms.TextInput(attrs={"spellcheck": "false"}))


class MergeForm(forms.Form):
    kept = forms.IntegerField(label="Record to keep (record number)", min_value=1, error_messages={
        "required": "Enter the record number of the record to keep",
        "invalid": "Enter a record number, like 1234", "min_value": "Enter a record number, like 1234"})
    duplicate = forms.IntegerField(label="Duplicate record to merge into it (record number)", min_value=1,
                                   error_messages={
                                       "required": "Enter the record number of the duplicate",
                                       "invalid": "Enter a record number, like 1234",
                                       "min_value": "Enter a record number, like 1234"})
    reason = forms.CharField(label="Why are these the same person?", widget=forms.Textarea, required=False,
                             help_text="For example, the same NHS number, name and date of birth; confirmed with the school")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kept") and cleaned.get("kept") == cleaned.get("duplicate"):
            self.add_error("duplicate", "Enter two different record numbers")
        return cleaned


limit_free_text(globals())  # every text field has a limit (web/limits.py)
