from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from earlyhelp.accounts.models import Role, User
from earlyhelp.standards import AssessmentFactor
from earlyhelp.web.choices import ModelMultipleChoiceField
from earlyhelp.web.limits import limit_field, limit_free_text
from earlyhelp.web.question_pages import answer_row, display_value
from earlyhelp.web.widgets import PickList, Reveals, form_helper

from .factor_domains import FACTOR_GROUPS, GroupedFactorsMixin
from .models import ClosureReason, NeedOutcome, StepUpReason
from .services.stepping import CHOSEN_CLOSURE_REASONS

# A step up as question pages (episodes/views/stepping_pages.py): why now, then the assessment factors.


class StepUpWhyForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label="Why does the family need Children's Social Care now?", choices=StepUpReason.choices,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply",
        error_messages={"required": "Choose at least one reason for stepping up",
                        "invalid_choice": "Choose reasons from the list"},
    )
    details = forms.CharField(
        label="What has changed", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The referral carries the assessment, so the family does not have to tell their story again",
        error_messages={"required": "Describe what has changed and why early help is no longer enough"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.checkboxes("reasons", legend_size=Size.MEDIUM),
            Field.textarea("details", label_size=Size.MEDIUM),
        )


class StepUpFactorsForm(GroupedFactorsMixin, forms.Form):
    """The Children in Need census assessment factors the referral carries, grouped by the assessment
    framework's domains as the assessment's agreed needs are (factor_domains.py); the page starts
    from the agreed needs (initial_for)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.factor_group_fields())

    def assessment_factors(self) -> list[str]:
        return self.chosen_factors()

    def answers_for_check(self) -> list[dict]:
        # Only the domains with factors chosen; none at all is said once.
        rows = [answer_row(legend, display_value(self, self.group_name(group)), field=self[self.group_name(group)].auto_id)
                for group, legend in FACTOR_GROUPS if self.cleaned_data.get(self.group_name(group))]
        first = self[self.group_name(FACTOR_GROUPS[0][0])].auto_id
        return rows or [answer_row("Assessment factors", "None chosen", field=first)]


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


# A closure as question pages: why it is closing, each need's outcome, the summary for the family.


class ClosureReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the episode closing?", widget=forms.RadioSelect,
        choices=[(reason.value, reason.label) for reason in CHOSEN_CLOSURE_REASONS],
        error_messages={"required": "Choose why the episode is closing"},
    )
    new_authority = forms.CharField(label="Local authority the family moved to", required=False, max_length=150)
    other_reason = forms.CharField(label="Other reason", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each follow-up is revealed by the answer it belongs to (shown without JavaScript).
        self.helper = form_helper(Reveals("reason", {
            ClosureReason.MOVED_AWAY: ["new_authority"], ClosureReason.OTHER: ["other_reason"],
        }, legend_size=Size.MEDIUM))

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("reason")
        # A follow-up typed, then another answer chosen, is not kept (the browser still sends it).
        if reason != ClosureReason.MOVED_AWAY:
            cleaned["new_authority"] = ""
        elif not cleaned.get("new_authority", "").strip():
            self.add_error("new_authority", "Enter the local authority the family moved to")
        if reason != ClosureReason.OTHER:
            cleaned["other_reason"] = ""
        elif not cleaned.get("other_reason", "").strip():
            self.add_error("other_reason", "Say why the episode is closing")
        return cleaned

    def answers_for_check(self) -> list[dict]:
        rows = [answer_row(self["reason"].label, display_value(self, "reason"), field=self["reason"].auto_id)]
        for name in ("new_authority", "other_reason"):
            if self.cleaned_data.get(name):
                rows.append(answer_row(self[name].label, self.cleaned_data[name], field=self[name].auto_id))
        return rows


class NeedOutcomesForm(forms.Form):
    """The outcome for each of the assessment's agreed needs, with an optional comment."""

    def __init__(self, *args, needs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = needs
        self.labels = dict(AssessmentFactor.choices)
        layout = []
        for need in needs:
            label = self.labels.get(need, need)
            # The error names the need: a page of several "Choose the outcome for this need" says nothing.
            self.fields[f"need_{need}"] = forms.ChoiceField(
                label=f"Outcome for: {label}", choices=NeedOutcome.Result.choices, widget=forms.RadioSelect,
                error_messages={"required": f"Choose the outcome for the need “{label}”",
                                "invalid_choice": f"Choose the outcome for the need “{label}” from the list"},
            )
            self.fields[f"need_{need}_comment"] = forms.CharField(label="Comment (optional)", required=False)
            limit_field(self.fields[f"need_{need}_comment"])
            layout += [Field.radios(f"need_{need}", inline=True), Field.text(f"need_{need}_comment")]
        self.helper = form_helper(*layout)

    def need_outcomes(self) -> dict[str, tuple[str, str]]:
        return {need: (self.cleaned_data[f"need_{need}"], self.cleaned_data.get(f"need_{need}_comment", ""))
                for need in self.needs}

    def answers_for_check(self) -> list[dict]:
        # One row per need: its outcome, and the comment under it when there is one.
        results = dict(NeedOutcome.Result.choices)
        rows = []
        for need, (result, comment) in self.need_outcomes().items():
            value = str(results.get(result, result)) + (f"\n{comment.strip()}" if comment.strip() else "")
            rows.append(answer_row(f"Outcome for: {self.labels.get(need, need)}", value,
                                   field=self[f"need_{need}"].auto_id))
        return rows


class ClosingSummaryForm(forms.Form):
    summary_for_family = forms.CharField(
        label="Closing summary for the family", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In plain English: what changed, what the family achieved, and where to go if things get hard again",
        error_messages={"required": "Write a closing summary for the family"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("summary_for_family", label_size=Size.MEDIUM))


limit_free_text(globals())  # every text field has a limit (web/limits.py)
