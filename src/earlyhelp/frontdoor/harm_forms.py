"""Forms for concerns of significant harm: short, so nothing slows a referral down."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from earlyhelp.people.models import Person
from earlyhelp.standards import CinReferralSource
from earlyhelp.web.limits import limit_free_text

from .harm import DECISION_REQUIRED
from .models import HarmDecision


def _child_label(child: Person) -> str:
    if child.date_of_birth:
        return f"{child.full_name}, born {child.date_of_birth:%-d %B %Y}"
    if child.expected_date_of_birth:
        return f"{child.full_name}, unborn, due {child.expected_date_of_birth:%-d %B %Y}"
    return child.full_name


class HarmConcernForm(forms.Form):
    what_is_known = forms.CharField(
        label="What do you know?",
        help_text=(
            "What you have seen, heard or been told, when, and by whom. Include anything that "
            "means a child is not safe now."
        ),
        widget=forms.Textarea,
        error_messages={"required": "Enter what you know about the concern"},
    )
    children = forms.TypedMultipleChoiceField(
        label="Which children are you worried about?",
        help_text="If you do not select any, the referral is about every child in the family.",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select children from this family only"},
    )
    referral_source = forms.ChoiceField(
        label="Who is making the referral?",
        help_text=(
            "The Children in Need census referral source. It is filled in from your organisation: "
            "change it if it is wrong."
        ),
        choices=CinReferralSource.choices,
        error_messages={
            "required": "Select who is making the referral",
            "invalid_choice": "Select who is making the referral from the list",
        },
    )

    def __init__(self, *args, children: list[Person] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.textarea("what_is_known", label_size="s", rows=6)]
        if children:
            self.fields["children"].choices = [(child.pk, _child_label(child)) for child in children]
            fields.append(Field.checkboxes("children", legend_size="s", small=True))
        else:
            # Outside the family's network, or no children recorded: the referral covers them all.
            del self.fields["children"]
        fields.append(Field("referral_source", context={"label_size": Size.for_label("s")}))
        self.helper = FormHelper()
        # The page has its own <form> (and CSRF token): it also carries the linked request.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *fields, Submit("submit", "Send to Children's Social Care now")
        )


class HarmDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What has Children's Social Care decided?",
        choices=HarmDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": DECISION_REQUIRED,
            "invalid_choice": "Select one of the four decisions",
        },
    )
    notes = forms.CharField(
        label="Reasons for the decision",
        help_text="Why you decided this and what happens next for the family.",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reasons for the decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("decision", legend_size="m", legend_tag="h2"),
            Field.textarea("notes", label_size="s", rows=5),
            Submit("submit", "Record the decision"),
        )


limit_free_text(globals())  # every text field has a limit (web/limits.py)
