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
from earlyhelp.web.limits import limit_free_text
from earlyhelp.web.versioning import VersionedForm

from .models import AssessmentChildSection, MonitoringForm

SCORE_HINT = "Optional. 0 means very worried, 10 means no worries at all."


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the page template holds the <form> and its buttons
    helper.layout = Layout(*fields)
    return helper


def _textarea(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False, widget=forms.Textarea)


def _score_field(label: str) -> forms.IntegerField:
    message = f"Score for {label} must be a whole number from 0 to 10"
    return forms.IntegerField(
        label="Score from 0 to 10", help_text=SCORE_HINT, required=False, min_value=0, max_value=10,
        # A text input, as the GOV.UK Design System advises for numbers; what was typed is kept on error.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class ChildSectionForm(VersionedForm):
    """One child's section: their own words, then the framework's three domains."""

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
            HTML(
                '<p class="govuk-body govuk-!-margin-top-6">For each area, write what is going well and what '
                "help is needed. Fill in the areas that matter for this child: you do not need to fill in every one.</p>"
            ),
        ]
        for domain, subdimensions in FRAMEWORK_SUBDIMENSIONS.items():
            layout.append(HTML(format_html(
                '<h2 class="govuk-heading-l govuk-!-margin-top-8">{}</h2>', FrameworkDomain(domain).label
            )))
            for key, label in subdimensions:
                self.fields[f"{key}_strengths"] = _textarea("Strengths")
                self.fields[f"{key}_needs"] = _textarea("Needs")
                self.fields[f"{key}_score"] = _score_field(label)
                layout.append(Fieldset(
                    Field.textarea(f"{key}_strengths", rows=3),
                    Field.textarea(f"{key}_needs", rows=3),
                    Field.text(f"{key}_score", field_width=2),
                    legend=label, legend_size="m", legend_tag="h3", css_id=f"subdimension-{key}",
                ))
        self.helper = _helper(*layout)

    def field_title(self, name: str) -> str:
        key, _, part = name.rpartition("_")
        labels = {sub: label for subdimensions in FRAMEWORK_SUBDIMENSIONS.values() for sub, label in subdimensions}
        if key in labels:
            return f"{labels[key]}: {part}"
        return super().field_title(name)

    @staticmethod
    def initial_for(section: AssessmentChildSection) -> dict:
        initial = {"wishes_and_feelings": section.wishes_and_feelings, "how_heard": section.how_heard}
        for rating in section.ratings.all():
            initial[f"{rating.subdimension}_strengths"] = rating.strengths
            initial[f"{rating.subdimension}_needs"] = rating.needs
            initial[f"{rating.subdimension}_score"] = rating.score
        return initial

    def ratings(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            key: {"strengths": data[f"{key}_strengths"], "needs": data[f"{key}_needs"], "score": data[f"{key}_score"]}
            for subdimensions in FRAMEWORK_SUBDIMENSIONS.values() for key, _ in subdimensions
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


class AgreedNeedsForm(VersionedForm):
    agreed_needs = forms.MultipleChoiceField(
        label="Which needs did you agree with the family?",
        help_text="Select all that apply. These are the national assessment factors; the plan's outcomes link to them.",
        choices=AssessmentFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select needs from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.checkboxes("agreed_needs", legend_size="m", small=True))

    def clean_agreed_needs(self):
        codes = self.cleaned_data["agreed_needs"]
        if AssessmentFactor.NO_FACTORS in codes and len(codes) > 1:
            raise forms.ValidationError("Select either 'No factors identified' or the needs you agreed, not both")
        return codes


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
