"""Forms for consent and the information-sharing log.

The forms read what was typed and explain what cannot be read; the rules that join fields
together (a refusal needs its reason, sharing without consent its justification) live in
services.py so they hold however the record is written.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms

from earlyhelp.accounts.models import Agency
from earlyhelp.web.choices import ModelMultipleChoiceField
from earlyhelp.web.dates import GovDateField
from earlyhelp.web.limits import limit_free_text
from earlyhelp.web.widgets import PickList, Reveals

from .models import ConsentDecision, ConsentMethod, ConsentScope, LawfulBasis
from .services import NEEDS_MET_HOW_LIMIT

YES_NO = (("yes", "Yes"), ("no", "No"))


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class ConsentForm(forms.Form):
    person = forms.TypedChoiceField(
        label="Whose decision is it?",
        help_text=(
            "A parent or carer, or a child. Record a child's own consent where they are of sufficient age "
            "and understanding to decide: their wishes and feelings count, but a parent's or carer's "
            "consent is still needed before the assessment starts."
        ),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whose decision it is",
            "invalid_choice": "Select a parent, carer or child from this family",
        },
    )
    scopes = forms.MultipleChoiceField(
        label="What is the decision about?",
        help_text="Select all that apply.",
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select what the decision is about: the assessment, sharing information, or both",
            "invalid_choice": "Select what the decision is about from the list",
        },
    )
    agencies = ModelMultipleChoiceField(
        label="Which agencies does the decision about sharing cover?",
        help_text="Only if the decision is about sharing information.",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select agencies from the list", "invalid_pk_value": "Select agencies from the list"},
    )
    decision = forms.ChoiceField(
        label="What did they decide?",
        choices=ConsentDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given or refused",
                        "invalid_choice": "Select whether consent was given or refused"},
    )
    refusal_reason = forms.CharField(
        label="Why did they refuse?", required=False, widget=forms.Textarea,
        help_text="In their words if you can.",
    )
    needs_will_escalate = forms.TypedChoiceField(
        label="In your judgement, will the children's needs escalate without help?",
        help_text="If you think a child is suffering, or likely to suffer, significant harm, refer to Children's Social Care now.",
        choices=YES_NO, coerce=_yes_no, empty_value=None, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select yes or no"},
    )
    escalation_judgement = forms.CharField(
        label="Explain your judgement", required=False, widget=forms.Textarea,
        help_text="How the children's needs might still be met, and what may happen without help.",
    )
    method = forms.ChoiceField(
        label="How was the decision given?",
        help_text="Get consent in writing wherever possible.",
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the decision was given in writing or verbally",
                        "invalid_choice": "Select written or verbal"},
    )
    given_on = GovDateField(
        label="When was the decision made?",
        help_text="For example, 27 3 2026.",
        what="the date of the decision",
        past=True, years_back=20, past_message="The date of the decision cannot be in the future",
    )

    def __init__(self, *args, people, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.person_id, p.label) for p in people]
        self.fields["agencies"].queryset = agencies
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("person", legend_size=Size.SMALL),
            Field.checkboxes("scopes", legend_size=Size.SMALL),
            Field.checkboxes("agencies", legend_size=Size.SMALL, small=True),
            # Revealed by "Refused" (without JavaScript they show; the service ignores them for consent given).
            Reveals("decision", {ConsentDecision.REFUSED: [
                HTML('<p class="govuk-body">Answer these only if they refused.</p>'),
                Field.textarea("refusal_reason", rows=3),
                Field.radios("needs_will_escalate", legend_size=Size.SMALL),
                Field.textarea("escalation_judgement", rows=3),
            ]}, legend_size=Size.SMALL),
            Field.radios("method", legend_size=Size.SMALL),
            Field("given_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Submit("save", "Record the decision"),
        )


class WithdrawConsentForm(forms.Form):
    withdrawn_on = GovDateField(
        label="When was consent withdrawn?",
        help_text="For example, 27 3 2026.",
        what="the date consent was withdrawn",
        past=True, years_back=20, past_message="The date consent was withdrawn cannot be in the future",
    )
    reason = forms.CharField(
        label="Why was consent withdrawn?", widget=forms.Textarea, help_text="In their words if you can.",
        error_messages={"required": "Enter why consent was withdrawn, in the family's words if you can"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("withdrawn_on"), Field.textarea("reason", rows=4), Submit("save", "Record the withdrawal")
        )


class CloseForConsentForm(forms.Form):
    summary_for_family = forms.CharField(
        label="What will you tell the family?",
        help_text="A short closing summary in plain English: why the episode is closing and how to ask for help again.",
        widget=forms.Textarea,
        error_messages={"required": "Enter what you will tell the family about closing the episode"},
    )

    # Asked when consent was withdrawn (DOMAIN §4: how the needs might still be met, and whether,
    # without help, they will escalate); a refusal records the same judgement on the consent itself.
    needs_met_how = forms.CharField(
        label="How will the children's needs be met without early help?", required=False, widget=forms.Textarea,
        max_length=NEEDS_MET_HOW_LIMIT,
        help_text="For example, by the services already involved or a single agency plan.",
    )
    needs_will_escalate = forms.TypedChoiceField(
        label="In your judgement, will the children's needs escalate without help?",
        help_text="If they will, refer to Children's Social Care instead of closing.",
        choices=YES_NO, coerce=_yes_no, empty_value=None, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select yes or no"},
    )

    def __init__(self, *args, button: str, judge_needs: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not judge_needs:
            del self.fields["needs_met_how"], self.fields["needs_will_escalate"]
        else:
            self.fields["needs_met_how"].required = self.fields["needs_will_escalate"].required = True
            self.fields["needs_met_how"].error_messages["required"] = (
                "Enter how the children's needs will be met without early help")
            self.fields["needs_will_escalate"].error_messages["required"] = (
                "Select yes if you judge the children's needs will escalate without help, or no if they will not")
        self.helper = FormHelper()
        self.helper.form_tag = False
        judgement = [Field.textarea("needs_met_how", rows=3), Field.radios("needs_will_escalate", legend_size=Size.SMALL)]
        self.helper.layout = Layout(*(judgement if judge_needs else []), Field.textarea("summary_for_family", rows=4),
                                    Submit("close", button))


class SharingDecisionForm(forms.Form):
    shared = forms.TypedChoiceField(
        label="Did you share information?",
        choices=(("yes", "Yes, I shared information"), ("no", "No, I decided not to share it")),
        coerce=_yes_no, empty_value=None, widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you shared information, or no if you decided not to share it",
                        "invalid_choice": "Select yes or no"},
    )
    what = forms.CharField(
        label="What information was shared, or asked for?", widget=forms.Textarea,
        help_text="Share only what is needed for the purpose.",
        error_messages={"required": "Enter what information was shared, or asked for"},
    )
    with_agency = forms.ModelChoiceField(
        label="Which agency?", queryset=Agency.objects.none(), required=False, widget=PickList,
        empty_label="Not an agency listed here",
        help_text="The agencies serving this family and the whole authority.",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    with_whom = forms.CharField(
        label="Who did you share it with, or who asked for it?", required=False, max_length=200,
        help_text="Their name and role, for example the designated safeguarding lead.",
        error_messages={"max_length": "Who it was shared with must be 200 characters or fewer"},
    )
    why = forms.CharField(
        label="Why did you decide to share, or not to share?", widget=forms.Textarea,
        error_messages={"required": "Enter why you decided to share, or not to share"},
    )
    lawful_basis = forms.ChoiceField(
        label="What is the lawful basis for sharing?",
        help_text=(
            "Only if you shared. Choose consent only when someone in the family has agreed, and not withdrawn, "
            "sharing with that agency. Otherwise choose the circumstance that justifies sharing without consent."
        ),
        choices=LawfulBasis.choices, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the lawful basis from the list"},
    )
    justification = forms.CharField(
        label="Why is sharing without consent justified?", required=False, widget=forms.Textarea,
        help_text="Needed when you share without consent: why it was necessary, and why what you shared was proportionate.",
    )
    consulted = forms.CharField(
        label="Who did you consult before deciding? (optional)", required=False, max_length=200,
        help_text="For example your manager or the designated safeguarding lead.",
        error_messages={"max_length": "Who you consulted must be 200 characters or fewer"},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with_agency"].queryset = agencies
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("shared", legend_size=Size.SMALL),
            Field.textarea("what", rows=3),
            Fieldset(
                Field.select("with_agency"), Field.text("with_whom"),
                legend="Who was it shared with?", legend_size=Size.SMALL,
            ),
            Field.textarea("why", rows=3),
            Field.radios("lawful_basis", legend_size=Size.SMALL),
            Field.textarea("justification", rows=4),
            Field.text("consulted"),
            Submit("save", "Record the decision"),
        )


limit_free_text(globals())  # every text field has a limit (web/limits.py)
