from datetime import date
from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from earlyhelp.episodes.models import DueKind
from earlyhelp.web.dates import GovDateField
from earlyhelp.web.limits import limit_free_text
from earlyhelp.web.widgets import PickList

from .selectors import Filters, default_period, filter_choices


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


class DashboardFilterForm(forms.Form):
    start = GovDateField(label="From", what="the start date", named_parts=True, required=False,
                         help_text="For example, 1 4 2025. Leave blank for the last 12 months")
    end = GovDateField(label="To", what="the end date", named_parts=True, required=False,
                       help_text="For example, 31 3 2026. Leave blank for today")
    locality = forms.ModelChoiceField(queryset=None, required=False, empty_label="All localities", widget=PickList,
                                      error_messages={"invalid_choice": "Choose a locality from the list"})
    team = forms.ModelChoiceField(queryset=None, required=False, empty_label="All teams", widget=PickList,
                                  error_messages={"invalid_choice": "Choose a team from the list"})

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        localities, teams = filter_choices()
        for name, queryset in (("locality", localities), ("team", teams)):
            field = self.fields[name]
            field.queryset = queryset
            # A council's hundreds of teams, read once as names (not model instances each time the
            # select is drawn); choosing one is still checked against the queryset.
            field.choices = [("", field.empty_label), *queryset.values_list("pk", "name")]
        default_start, default_end = default_period(today)
        if not self.is_bound:
            self.initial.update({"start": default_start, "end": default_end})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            _date("start"), _date("end"),
            Field.select("locality"),
            Field.select("team"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and start > self.today:
            self.add_error("start", "The start date cannot be in the future")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        team, locality = cleaned.get("team"), cleaned.get("locality")
        if team and locality and team.locality_id != locality.pk:
            self.add_error("team", f"{team.name} is not in {locality.name}: choose one of its teams, or all teams")
        return cleaned

    def filters(self) -> Filters:
        """The filters to apply: what was chosen, or the last 12 months when nothing was."""
        default_start, default_end = default_period(self.today)
        data = self.cleaned_data if self.is_bound else {}
        start = data.get("start") or default_start
        end = data.get("end") or max(default_end, start)
        return Filters(date_from=start, date_to=end, locality=data.get("locality"), team=data.get("team"))


def filters_query(filters: Filters) -> str:
    """The filters as a query string, so that lists and downloads show the same figures."""
    params = {
        "start_day": filters.date_from.day, "start_month": filters.date_from.month,
        "start_year": filters.date_from.year,
        "end_day": filters.date_to.day, "end_month": filters.date_to.month, "end_year": filters.date_to.year,
    }
    if filters.locality is not None:
        params["locality"] = filters.locality.pk
    if filters.team is not None:
        params["team"] = filters.team.pk
    return urlencode(params)


class AnnexAForm(forms.Form):
    as_of = GovDateField(label="The date the list is for", what="the date the list is for", past=True,
                         past_message="The date the list is for cannot be in the future", help_text="Usually the date of the inspection. For example, 30 11 2026")

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not self.is_bound:
            self.initial["as_of"] = today
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(_date("as_of"))


class TeamWorkForm(forms.Form):
    worker = forms.ChoiceField(label="Worker", required=False)
    kind = forms.ChoiceField(label="What is due", required=False,
                             choices=[("", "Anything"), *DueKind.choices])
    overdue = forms.BooleanField(label="Only work that is overdue", required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [
            ("", "All workers"), ("none", "Not allocated"),
            *[(str(worker.pk), worker.get_full_name() or worker.username) for worker in workers],
        ]
        self.fields["worker"].error_messages["invalid_choice"] = "Choose a worker from the list"
        self.fields["kind"].error_messages["invalid_choice"] = "Choose what is due from the list"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("worker"), Field.select("kind"), Field.checkbox("overdue"))


YES_NO = [("yes", "Yes"), ("no", "No")]
SUSTAINED_CHOICES = [
    ("yes", "Yes: the improvement has lasted"),
    ("no", "No: the improvement has not lasted"),
    ("not_checked", "Not checked yet"),
]


class OutcomeNeedForm(forms.Form):
    need = forms.CharField(
        label="What is the family's need?", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the family's need under this headline outcome"},
    )
    in_family_plan = forms.ChoiceField(
        label="Does the family plan have an outcome for this need?", choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the family plan covers this need"},
    )
    improvement_evidence = forms.CharField(
        label="Evidence of improvement", widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text="What changed, and how you know: for example school attendance figures or a tenancy agreement",
    )
    improved_on = GovDateField(label="When was the improvement seen?", what="the date the improvement was seen",
                               required=False, past=True,
                               past_message="The date the improvement was seen cannot be in the future", help_text="For example, 27 3 2026")
    sustained = forms.ChoiceField(
        label="Had the improvement lasted six months after the episode closed?", choices=SUSTAINED_CHOICES,
        widget=forms.RadioSelect, error_messages={"required": "Choose whether the improvement has lasted"},
    )
    sustained_checked_on = GovDateField(
        label="When did you check?", what="the date you checked", required=False, past=True,
        past_message="The date you checked cannot be in the future",
        help_text="At least six months after the episode closed. For example, 30 9 2026",
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("need"),
            Field.radios("in_family_plan", inline=True, legend_size=Size.SMALL),
            Field.textarea("improvement_evidence"),
            _date("improved_on"),
            Field.radios("sustained", legend_size=Size.SMALL),
            _date("sustained_checked_on"),
        )

    def clean(self):
        cleaned = super().clean()
        sustained = cleaned.get("sustained")
        if sustained in ("yes", "no") and not cleaned.get("sustained_checked_on") and "sustained_checked_on" not in self.errors:
            self.add_error("sustained_checked_on", "Enter the date you checked whether the improvement had lasted")
        if sustained == "yes" and not cleaned.get("improvement_evidence", "").strip():
            self.add_error("improvement_evidence", "Describe the evidence of improvement before recording that it lasted")
        return cleaned

    def need_values(self) -> dict:
        data = self.cleaned_data
        sustained = {"yes": True, "no": False}.get(data["sustained"])
        return {
            "need": data["need"],
            "in_family_plan": data["in_family_plan"] == "yes",
            "improvement_evidence": data.get("improvement_evidence", ""),
            "improved_on": data.get("improved_on"),
            "sustained": sustained,
            "sustained_checked_on": data.get("sustained_checked_on") if sustained is not None else None,
        }

    @staticmethod
    def initial_from(need) -> dict:
        if need is None:
            return {"sustained": "not_checked"}
        return {
            "need": need.need,
            "in_family_plan": "yes" if need.in_family_plan else "no",
            "improvement_evidence": need.improvement_evidence,
            "improved_on": need.improved_on,
            "sustained": {True: "yes", False: "no"}.get(need.sustained, "not_checked"),
            "sustained_checked_on": need.sustained_checked_on,
        }


limit_free_text(globals())  # every text field has a limit (web/limits.py)
