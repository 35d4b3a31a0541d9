from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from earlyhelp.accounts.models import Role, User
from earlyhelp.standards import AssessmentFactor
from earlyhelp.web.choices import ModelMultipleChoiceField
from earlyhelp.web.limits import limit_field, limit_free_text
from earlyhelp.web.widgets import PickList

from .models import ClosureReason, NeedOutcome, StepUpReason
from .services.stepping import CHOSEN_CLOSURE_REASONS


class StepUpForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label="Why does the family need Children's Social Care now?", choices=StepUpReason.choices,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply",
        error_messages={"required": "Choose at least one reason for stepping up"},
    )
    details = forms.CharField(
        label="What has changed", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The referral carries the assessment, so the family does not have to tell their story again",
        error_messages={"required": "Describe what has changed and why early help is no longer enough"},
    )
    assessment_factors = forms.MultipleChoiceField(
        label="Assessment factors", choices=AssessmentFactor.choices, widget=forms.CheckboxSelectMultiple,
        required=False, help_text="From the Children in Need census; the agreed needs are already ticked",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.checkboxes("reasons", legend_size=Size.MEDIUM),
            Field.textarea("details", label_size=Size.MEDIUM),
            Field.checkboxes("assessment_factors", legend_size=Size.MEDIUM, small=True),
            Submit("submit", "Continue"),  # to check your answers: nothing is sent yet
        )


class StepUpDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Will Children's Social Care take the family on?",
        choices=[("accept", "Yes: accept the step up (I become the lead professional)"),
                 ("decline", "No: early help continues")],
        widget=forms.RadioSelect, error_messages={"required": "Choose whether you accept the step up"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                            help_text="Required when you decline: early help and the family need to know why")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.radios("decision", legend_size=Size.MEDIUM),
                                    Field.textarea("notes"), Submit("submit", "Record the decision"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("notes", "").strip():
            self.add_error("notes", "Explain why Children's Social Care is not taking the family on")
        return cleaned


class StepDownForm(forms.Form):
    children = ModelMultipleChoiceField(
        label="Children being stepped down", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the children being stepped down"},
    )
    final_assessment_summary = forms.CharField(
        label="Final assessment summary", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why risks are now below the threshold, and what support is still needed",
        error_messages={"required": "Summarise the final assessment"},
    )
    handover_plan = forms.CharField(
        label="Handover plan", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you will share with the lead professional, and when you are available for consultation",
        error_messages={"required": "Describe the handover plan"},
    )
    proposed_lead = forms.ModelChoiceField(
        label="Proposed lead professional", required=False, widget=PickList, empty_label="Early help will choose",
        queryset=User.objects.filter(is_active=True, role__in=[
            Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.PARTNER_PRACTITIONER]).order_by("last_name"),
        help_text="Leave blank if early help should choose",
    )

    def __init__(self, *args, children_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = children_queryset
        self.fields["children"].label_from_instance = lambda person: person.full_name
        self.fields["proposed_lead"].label_from_instance = (
            lambda user: f"{user.get_full_name()}, {user.get_role_display().lower()}"
            + (f", {user.agency.name}" if user.agency_id else ""))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.checkboxes("children", legend_size=Size.MEDIUM),
            Field.textarea("final_assessment_summary", label_size=Size.MEDIUM),
            Field.textarea("handover_plan", label_size=Size.MEDIUM),
            Field.select("proposed_lead"),
            Submit("submit", "Propose the step down"),
        )


class StepDownDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Will early help take the family on?",
        choices=[("accept", "Yes: accept and open an early help episode"),
                 ("return", "No: return it to Children's Social Care")],
        widget=forms.RadioSelect, error_messages={"required": "Choose whether early help accepts the step down"},
    )
    chosen_with_family = forms.ChoiceField(
        label="Was the proposed lead professional chosen with the family?",
        help_text="The family, and the child where old enough, should help choose who leads. Answer no if "
                  "nobody has asked them yet.",
        choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, required=False,
    )
    return_reasons = forms.CharField(label="Reasons for returning it", widget=forms.Textarea(attrs={"rows": 4}),
                                     required=False)

    def __init__(self, *args, proposed_lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed_lead = proposed_lead
        fields = [Field.radios("decision", legend_size=Size.MEDIUM)]
        if proposed_lead is not None:
            self.fields["chosen_with_family"].label = (
                f"If you accept: was {proposed_lead.get_full_name() or proposed_lead.username}, the proposed lead "
                "professional, chosen with the family?")
            fields.append(Field.radios("chosen_with_family", legend_size=Size.SMALL, inline=True))
        else:
            del self.fields["chosen_with_family"]
        self.helper = FormHelper()
        self.helper.layout = Layout(*fields, Field.textarea("return_reasons"), Submit("submit", "Record the decision"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("return_reasons", "").strip():
            self.add_error("return_reasons", "Explain why early help is returning the step down")
        if (cleaned.get("decision") == "accept" and self.proposed_lead is not None
                and cleaned.get("chosen_with_family") not in ("yes", "no")):
            self.add_error("chosen_with_family", "Select yes if the family helped choose the lead professional")
        return cleaned

    def lead_chosen_with_family(self) -> bool | None:
        """The answer, for an acceptance with a proposed lead; None when there was no one to ask about."""
        answer = self.cleaned_data.get("chosen_with_family")
        return None if self.proposed_lead is None or not answer else answer == "yes"


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the episode closing?", widget=forms.RadioSelect,
        choices=[(reason.value, reason.label) for reason in CHOSEN_CLOSURE_REASONS],
        error_messages={"required": "Choose why the episode is closing"},
    )
    new_authority = forms.CharField(label="Local authority the family moved to", required=False, max_length=150)
    other_reason = forms.CharField(label="Other reason", required=False, max_length=200)
    summary_for_family = forms.CharField(
        label="Closing summary for the family", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In plain English: what changed, what the family achieved, and where to go if things get hard again",
        error_messages={"required": "Write a closing summary for the family"},
    )

    def __init__(self, *args, needs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = needs
        labels = dict(AssessmentFactor.choices)
        # On check your answers each comment is named by its need (the form shows it under the need).
        self.answer_labels = {f"need_{need}_comment": f"Comment on: {labels.get(need, need)}" for need in needs}
        need_fields = []
        for need in needs:
            # The error names the need: a page of several "Choose the outcome for this need" says nothing.
            self.fields[f"need_{need}"] = forms.ChoiceField(
                label=f"Outcome for: {labels.get(need, need)}", choices=NeedOutcome.Result.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose the outcome for the need “{labels.get(need, need)}”",
                                "invalid_choice": f"Choose the outcome for the need “{labels.get(need, need)}” "
                                                  "from the list"},
            )
            self.fields[f"need_{need}_comment"] = forms.CharField(label="Comment (optional)", required=False)
            limit_field(self.fields[f"need_{need}_comment"])
            need_fields += [Field.radios(f"need_{need}", inline=True), Field.text(f"need_{need}_comment")]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("reason", legend_size=Size.MEDIUM),
            Field.text("new_authority"), Field.text("other_reason"),
            *need_fields,
            Field.textarea("summary_for_family", label_size=Size.MEDIUM),
            Submit("submit", "Continue"),  # to check your answers: nothing is closed yet
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == ClosureReason.MOVED_AWAY and not cleaned.get("new_authority", "").strip():
            self.add_error("new_authority", "Enter the local authority the family moved to")
        if cleaned.get("reason") == ClosureReason.OTHER and not cleaned.get("other_reason", "").strip():
            self.add_error("other_reason", "Say why the episode is closing")
        return cleaned

    def need_outcomes(self) -> dict[str, tuple[str, str]]:
        return {need: (self.cleaned_data[f"need_{need}"], self.cleaned_data.get(f"need_{need}_comment", ""))
                for need in self.needs}


limit_free_text(globals())  # every text field has a limit (web/limits.py)
