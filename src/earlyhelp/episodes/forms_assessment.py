"""Forms for the Early Help Assessment. No part is required to save: the practitioner saves as
they go, and completion checks that every required part is there (services/assessment.py).
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.utils.html import format_html

from earlyhelp.accounts.models import AgencyKind
from earlyhelp.alerts.models import AlertKind
from earlyhelp.standards import (
    FRAMEWORK_SUBDIMENSIONS,
    AssessmentFactor,
    FrameworkDomain,
    PrimaryNeed,
)
from earlyhelp.web.limits import limit_field, limit_free_text
from earlyhelp.web.versioning import VersionedForm

from .factor_domains import FACTOR_DOMAIN, GroupedFactorsMixin
from .models import Assessment, AssessmentChildSection, MonitoringForm

SCORE_HINT = "Optional. 0 means very worried, 10 means no worries at all."


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the page template holds the <form> and its buttons
    helper.layout = Layout(*fields)
    return helper


def _textarea(label: str, help_text: str = "") -> forms.CharField:
    field = forms.CharField(label=label, help_text=help_text, required=False, widget=forms.Textarea)
    limit_field(field)  # fields made in a form's __init__ are not reached by limit_free_text below
    return field


def _score_field(label: str) -> forms.IntegerField:
    message = f"Score for {label} must be a whole number from 0 to 10"
    return forms.IntegerField(
        label="Score from 0 to 10", help_text=SCORE_HINT, required=False, min_value=0, max_value=10,
        # A text input, as the GOV.UK Design System advises for numbers; what was typed is kept on error.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def _subdimension_fields(form: forms.Form, domain: str) -> list:
    """Strengths, needs and a score for each sub-dimension of one domain: fields and their layout."""
    layout = []
    for key, label in FRAMEWORK_SUBDIMENSIONS[domain]:
        form.fields[f"{key}_strengths"] = _textarea("Strengths")
        form.fields[f"{key}_needs"] = _textarea("Needs")
        form.fields[f"{key}_score"] = _score_field(label)
        layout.append(Fieldset(
            Field.textarea(f"{key}_strengths", rows=3),
            Field.textarea(f"{key}_needs", rows=3),
            Field.text(f"{key}_score", field_width=2),
            legend=label, legend_size="m", legend_tag="h3", css_id=f"subdimension-{key}",
        ))
    return layout


def _ratings_initial(ratings) -> dict:
    initial = {}
    for rating in ratings:
        initial[f"{rating.subdimension}_strengths"] = rating.strengths
        initial[f"{rating.subdimension}_needs"] = rating.needs
        initial[f"{rating.subdimension}_score"] = rating.score
    return initial


def _ratings_cleaned(data: dict, domains) -> dict[str, dict]:
    return {
        key: {"strengths": data[f"{key}_strengths"], "needs": data[f"{key}_needs"], "score": data[f"{key}_score"]}
        for domain in domains for key, _ in FRAMEWORK_SUBDIMENSIONS[domain]
    }


def _subdimension_title(name: str) -> str | None:
    key, _, part = name.rpartition("_")
    labels = {sub: label for subdimensions in FRAMEWORK_SUBDIMENSIONS.values() for sub, label in subdimensions}
    return f"{labels[key]}: {part}" if key in labels else None


class ChildSectionForm(VersionedForm):
    """One child's section: their own words, then their developmental needs (the framework's first
    domain; the other two are the family's, FamilyRatingsForm)."""

    wishes_and_feelings = _textarea(
        "Wishes and feelings",
        "In the child's own words: what they want, what worries them, what makes them happy.",
    )
    how_heard = _textarea(
        "How the child was seen and listened to",
        "For example: seen alone at school, through drawings or play, with an interpreter, by signing.",
    )

    def __init__(self, *args, section: AssessmentChildSection, **kwargs):
        name = section.child.first_name
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(section)
        super().__init__(*args, **kwargs)
        self.fields["wishes_and_feelings"].label = f"What {name} told us: wishes and feelings"
        self.fields["how_heard"].label = f"How {name} was seen and listened to"
        layout = [
            Field.textarea("wishes_and_feelings", label_size="m", label_tag="h2", rows=5),
            Field.textarea("how_heard", label_size="s", rows=3),
            HTML(format_html(
                '<h2 class="govuk-heading-l govuk-!-margin-top-8">{}</h2>'
                '<p class="govuk-body">For each area, write what is going well for {} and what help is needed. '
                "Fill in the areas that matter: you do not need to fill in every one. Parenting capacity and the "
                "family's circumstances are in the family's part of the assessment.</p>",
                FrameworkDomain.CHILD_DEVELOPMENT.label, name,
            )),
            *_subdimension_fields(self, FrameworkDomain.CHILD_DEVELOPMENT),
        ]
        self.helper = _helper(*layout)

    def field_title(self, name: str) -> str:
        return _subdimension_title(name) or super().field_title(name)

    @staticmethod
    def initial_for(section: AssessmentChildSection) -> dict:
        return {"wishes_and_feelings": section.wishes_and_feelings, "how_heard": section.how_heard,
                **_ratings_initial(section.ratings.all())}

    def ratings(self) -> dict[str, dict]:
        return _ratings_cleaned(self.cleaned_data, (FrameworkDomain.CHILD_DEVELOPMENT,))


FAMILY_DOMAINS = (FrameworkDomain.PARENTING_CAPACITY, FrameworkDomain.FAMILY_ENVIRONMENT)
_NOTE_FIELDS = {FrameworkDomain.PARENTING_CAPACITY: "parenting_capacity_note",
                FrameworkDomain.FAMILY_ENVIRONMENT: "family_environment_note"}


class FamilyRatingsForm(VersionedForm):
    """The family's part: parenting capacity and family and environmental factors, once for all the
    children, and after each domain one optional note per child for where it differs for them."""

    def __init__(self, *args, sections: list[AssessmentChildSection], **kwargs):
        self.sections = list(sections)
        super().__init__(*args, **kwargs)
        layout = [HTML(
            '<p class="govuk-body">These areas are about the whole family, so you fill them in once for all the '
            "children. Fill in the areas that matter: you do not need to fill in every one.</p>"
        )]
        for domain in FAMILY_DOMAINS:
            label = FrameworkDomain(domain).label
            layout.append(HTML(format_html('<h2 class="govuk-heading-l govuk-!-margin-top-8">{}</h2>', label)))
            layout += _subdimension_fields(self, domain)
            if len(self.sections) > 1:
                notes = []
                for section in self.sections:
                    name = self.note_name(section, domain)
                    verb = "differs" if domain == FrameworkDomain.PARENTING_CAPACITY else "differ"
                    self.fields[name] = _textarea(f"{section.child.first_name}: where {label.lower()} {verb}",
                                                  "Optional. Say which area, and how.")
                    notes.append(Field.textarea(name, rows=2))
                layout.append(Fieldset(*notes, legend=f"Where {label.lower()} differ for a child (optional)",
                                       legend_size="m", legend_tag="h3", css_id=f"differs-{domain}"))
        self.helper = _helper(*layout)

    @staticmethod
    def note_name(section: AssessmentChildSection, domain: str) -> str:
        return f"differs_{section.pk}_{domain}"

    def field_title(self, name: str) -> str:
        return _subdimension_title(name) or super().field_title(name)

    @classmethod
    def initial_for(cls, assessment: Assessment, sections) -> dict:
        initial = _ratings_initial(assessment.family_ratings.all())
        for section in sections:
            for domain, note_field in _NOTE_FIELDS.items():
                initial[cls.note_name(section, domain)] = getattr(section, note_field)
        return initial

    def ratings(self) -> dict[str, dict]:
        return _ratings_cleaned(self.cleaned_data, FAMILY_DOMAINS)

    def child_notes(self) -> dict[int, dict[str, str]]:
        """Each child's note per domain; with one child the page asks for none (nothing is changed)."""
        return {
            section.pk: {domain: self.cleaned_data[self.note_name(section, domain)] for domain in FAMILY_DOMAINS}
            for section in self.sections if self.note_name(section, FAMILY_DOMAINS[0]) in self.cleaned_data
        }


class FamilyViewsForm(VersionedForm):
    parents_views = _textarea(
        "What the parents and carers told us",
        "Their views of the family's strengths and needs, in their own words where you can. "
        "Include each parent or carer, and say who said what.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("parents_views", label_size="m", rows=8))


class AnalysisForm(VersionedForm):
    what_needs_to_change = _textarea(
        "What needs to change", "For the children, in plain words the family will understand."
    )
    impact_if_not = _textarea(
        "The impact on the children if nothing changes",
        "What is likely to happen to the children's health, development or safety without help.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("what_needs_to_change", label_size="m", rows=6),
            Field.textarea("impact_if_not", label_size="m", rows=6),
        )


class AgreedNeedsForm(GroupedFactorsMixin, VersionedForm):
    """The agreed needs, grouped by the assessment framework's domains (factor_domains.py)."""

    field_prefix = "needs"
    invalid_choice_message = "Select needs from the list"
    NO_FACTORS_MESSAGE = "Select either 'No factors identified' or the needs you agreed, not both"

    def __init__(self, *args, from_request: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [HTML(
            '<p class="govuk-body">Select all the needs you agreed with the family. These are the national '
            "assessment factors; the plan's outcomes link to them.</p>"
        )]
        if from_request:
            layout.append(HTML(
                '<div class="govuk-inset-text">The needs the request for support named are already selected. '
                "Change them to what you agreed with the family.</div>"
            ))
        self.helper = _helper(*layout, *self.factor_group_fields())

    def clean(self):
        cleaned = super().clean()
        codes = self.agreed_needs()
        if AssessmentFactor.NO_FACTORS in codes and len(codes) > 1:
            self.add_error(self.group_name(FACTOR_DOMAIN[AssessmentFactor.NO_FACTORS]), self.NO_FACTORS_MESSAGE)
        return cleaned

    def agreed_needs(self) -> list[str]:
        return self.chosen_factors()


class EngagementForm(VersionedForm):
    engagement_attempts = _textarea(
        "What attempts were made to engage the family?",
        "Dates, how you tried (visits, calls, letters, through other agencies) and what happened.",
    )
    not_assessed = _textarea(
        "What could not be assessed, and why?",
        "For example, a parent's views if they would not meet you, or a child you could not see alone.",
    )
    risk_to_workers = _textarea(
        "Is there any risk to workers?",
        "Any violence or intimidation, threats, or dangerous animals: what happened and when. "
        "This is not printed on the family's copy of the assessment. A risk recorded here becomes an alert "
        "on every page of the family until someone ends it with a reason.",
    )
    risk_kind = forms.ChoiceField(
        label="What kind of risk to workers is it? (optional)", required=False, widget=forms.RadioSelect,
        choices=AlertKind.choices, help_text="Only if you recorded a risk to workers. If you do not say, the alert "
                                             "shows as 'other risk to workers'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("engagement_attempts", label_size="m", rows=5),
            Field.textarea("not_assessed", label_size="m", rows=5),
            Field.textarea("risk_to_workers", label_size="m", rows=4),
            Field.radios("risk_kind", legend_size="s", small=True),
        )


class SignOffForm(forms.Form):
    SIGN_OFF, RETURN = "sign_off", "return"
    decision = forms.ChoiceField(
        label="Do you sign off this assessment?",
        choices=[(SIGN_OFF, "Yes, sign it off"), (RETURN, "No, send it back for changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you sign off the assessment or send it back"},
    )
    reason = _textarea("What needs to change before you sign it off?", "Only if you send it back.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size="m", legend_tag="h2"),
            Field.textarea("reason", label_size="s", rows=4),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter what needs to change before you can sign it off")
        return cleaned


class MonitoringFormForm(VersionedForm):
    primary_need = forms.ChoiceField(
        label="What is the family's primary need?",
        help_text="The one need that best describes why the family needs help.",
        choices=PrimaryNeed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the family's primary need", "invalid_choice": "Select the family's primary need"},
    )
    factors = forms.MultipleChoiceField(
        label="Which factors were identified?",
        help_text="Filled in from the agreed needs: change them if they are wrong.",
        choices=AssessmentFactor.choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select factors from the list"},
    )
    services_needed = forms.MultipleChoiceField(
        label="Which services does the family need?",
        help_text="Select all that apply.",
        choices=AgencyKind.choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select services from the list"},
    )
    additional_support_needed = forms.TypedChoiceField(
        label="Do the children or family need additional support?",
        help_text="Support beyond what the services around the family can give now: this helps managers plan.",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the family needs additional support"},
    )
    notes = _textarea("Notes for managers (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("primary_need", legend_size="m", legend_tag="h2", small=True),
            Field.checkboxes("factors", legend_size="m", small=True),
            Field.checkboxes("services_needed", legend_size="m", small=True),
            Field.radios("additional_support_needed", legend_size="m", inline=True),
            Field.textarea("notes", label_size="s", rows=4),
        )

    @staticmethod
    def initial_for(*, assessment, existing: MonitoringForm | None) -> dict:
        if existing is None:
            return {"factors": list(assessment.agreed_needs)}
        return {
            "primary_need": existing.primary_need,
            "factors": existing.factors,
            "services_needed": existing.services_needed,
            "additional_support_needed": "yes" if existing.additional_support_needed else "no",
            "notes": existing.notes,
        }


limit_free_text(globals())  # every text field has a limit (web/limits.py)
