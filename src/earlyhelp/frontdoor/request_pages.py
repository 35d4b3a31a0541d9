"""'Ask for early help' as question pages, ending in check your answers (web/question_pages.py).

The order follows the procedure (DOMAIN §2): first whether a child already has a lead
professional and the pre-assessment checklist, so a practitioner who should work with an existing
lead finds out before writing anything; then the children, the adults, the worries in plain
words, the family's agreement and the child's views, the requester's details, and a check of
everything before it is sent. The Children in Need census factors are not asked here: the front
door records them at triage.
"""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property

from earlyhelp.people.models import CHILD_ROLES
from earlyhelp.web.form_errors import apply_errors
from earlyhelp.web.question_pages import (
    CHECK_STEP,
    CheckAnswersForm,
    QuestionPages,
    ShownAgain,
    answer_row,
)
from earlyhelp.web.widgets import Reveals

from . import forms as f
from . import selectors, services
from .indicators import harm_signals
from .models import RequestSource
from .views import csc_contact


class LeadCheckForm(forms.Form):
    """Asked first: if a child already has a lead professional, work with them (DOMAIN §2)."""

    existing_lead = f.ChecklistForm.base_fields["existing_lead"]
    existing_lead_professional = f.ChecklistForm.base_fields["existing_lead_professional"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing_lead"].label = "Does a child in the family already have a lead professional?"
        # Who it is is asked only when there is one (revealed by the answer; shown without JavaScript).
        self.helper = f.form_helper(
            Reveals("existing_lead", {f.LEAD_FOUND: ["existing_lead_professional"]}, legend_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("existing_lead") != f.LEAD_FOUND:
            cleaned["existing_lead_professional"] = ""  # typed, then another answer chosen: not kept
        elif not (cleaned.get("existing_lead_professional") or "").strip():
            self.add_error("existing_lead_professional", "Enter who the lead professional is")
        return cleaned


CHECKLIST_QUESTIONS = (
    "child_progressing_well", "needs_met_by_own_service", "other_statutory_assessment",
    "low_needs_single_agency", "more_than_one_service_needed", "harm_concern",
)


class ChecklistQuestionsForm(forms.Form):
    """The rest of the pre-assessment checklist: is early help the right route?"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CHECKLIST_QUESTIONS:
            self.fields[name] = f.ChecklistForm.base_fields[name]
        self.helper = f.form_helper(*[
            Field.radios(name, legend_size=Size.SMALL, inline=True) for name in CHECKLIST_QUESTIONS
        ])


class PeopleForm(forms.Form):
    """One question page of people: the fixed rows of children, or of adults (no JavaScript needed)."""

    is_child = True

    def __init__(self, data=None, files=None, *, prefix=None, initial=None, public=False, **kwargs):
        super().__init__(data, files, prefix=prefix, **kwargs)
        rows = (initial or {}).get("rows", [])
        count = f.CHILD_ROWS if self.is_child else f.ADULT_ROWS
        kind = "child" if self.is_child else "adult"
        self.public = public
        self.rows = [
            f.PersonRowForm(data, is_child=self.is_child, number=n, public=public,
                            prefix=f"{prefix}-{kind}-{n}", initial=rows[n - 1] if n <= len(rows) else None)
            for n in range(1, count + 1)
        ]

    def forms_for_summary(self):
        return self.rows

    @cached_property
    def _rows_valid(self) -> bool:
        if self.is_child:
            return f.rows_valid(self.rows, [], public=self.public)
        return all([row.is_valid() for row in self.rows])

    def is_valid(self):
        return self.is_bound and self._rows_valid

    def entries(self):
        return f.rows_entries(self.rows, [])

    def answers_for_check(self) -> list[dict]:
        rows = []
        for row in self.rows:
            entry = row.entry()
            if entry is None:
                continue
            words = [f"{entry.first_name} {entry.last_name}"]
            if entry.relationship:
                words.append(entry.relationship)
            words.append(f"born {entry.date_of_birth:%-d %B %Y}" if entry.date_of_birth else "date of birth not known")
            rows.append(answer_row(row.who.capitalize(), ", ".join(words), field=row["first_name"].auto_id))
        return rows or [answer_row("Adults", "None named")]


class AdultsForm(PeopleForm):
    is_child = False


class HarmReconsideredForm(forms.Form):
    """Asked only when the worries point to significant harm and the checklist said no (DOMAIN §3)."""

    harm_reconsidered = f.harm_reconsidered_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = f.form_helper(Field.checkbox("harm_reconsidered"))


def _signals(wizard) -> list:
    """What the answers so far point to, read as the service reads a sent request (request_harm_signals)."""
    concerns = wizard.get_cleaned_data_for_step("concerns") or {}
    family = wizard.get_cleaned_data_for_step("family") or {}
    return harm_signals(concerns=concerns.get("concerns", []),
                        text=f"{concerns.get('concern_details', '')}\n{family.get('child_views', '')}")


def _harm_page_needed(wizard) -> bool:
    checklist = wizard.get_cleaned_data_for_step("checklist") or {}
    return checklist.get("harm_concern") is False and bool(_signals(wizard))


class RequestForSupportPages(QuestionPages):
    """A signed-in practitioner asks the front door for early help for a family."""

    form_list = [
        ("lead", LeadCheckForm),
        ("checklist", ChecklistQuestionsForm),
        ("children", PeopleForm),
        ("adults", AdultsForm),
        ("concerns", f.ConcernsForm),
        ("family", f.AgreementForm),
        ("harm", HarmReconsideredForm),
        ("you", f.RequesterForm),
        (CHECK_STEP, CheckAnswersForm),
    ]
    condition_dict = {"harm": _harm_page_needed}
    url_name = "request-create-step"
    journey_title = "Ask for early help"
    journey_params = ("family",)
    step_titles = {
        "lead": "Before you ask: does a child already have a lead professional?",
        "checklist": "Is early help the right help?",
        "children": "The children",
        "adults": "Adults in the family",
        "concerns": "What are you worried about?",
        "harm": "Think again about the signs of harm",
        "family": "The family and the child",
        "you": "Your details and where the family lives",
    }
    check_template_name = "frontdoor/request_pages/check.html"
    check_title = "Check your answers before sending the request"
    send_label = "Send the request"

    def dispatch(self, request, *args, **kwargs):
        if not selectors.user_may_ask_for_help(request.user):
            raise PermissionDenied
        family_id = request.GET.get("family")
        self.family, self.members = None, []
        if family_id:
            if not str(family_id).isdigit():
                raise PermissionDenied
            self.family, self.members = selectors.family_for_new_request(
                request.user, int(family_id), path=request.path,
            )
        return super().dispatch(request, *args, **kwargs)

    def outside_url(self) -> str:
        if self.family is not None:
            return reverse("family-detail", kwargs={"family_id": self.family.pk})
        return reverse("requests-mine")

    def get_form_initial(self, step):
        user = self.request.user
        if step == "you":
            return {
                "requester_relationship": user.job_title, "contact_phone": user.phone, "contact_email": user.email,
                "address": self.family.address if self.family else "",
                "postcode": self.family.postcode if self.family else "",
            }
        if step in ("children", "adults"):
            wanted_child = step == "children"
            return {"rows": [row for row in _member_rows(self.members) if row["is_child"] == wanted_child]}
        return super().get_form_initial(step)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        step = self.steps.current
        context.update({
            "family": self.family,
            "question_intro": f"frontdoor/request_pages/{step}.html" if step in INTROS else "",
            "already_known_url": reverse("already-known"),
            "harm_url": reverse("harm-referral-create", kwargs={"family_id": self.family.pk}) if self.family else "",
            "csc": csc_contact(),
            "triage_working_days": settings.EARLYHELP_TRIAGE_WORKING_DAYS,
        })
        if step == "lead" and self.family is not None:
            context["lead_professionals"] = selectors.family_lead_professionals(self.family.pk)
        if step == "harm":
            context["harm_signals"] = _signals(self)
        if step == CHECK_STEP:
            checklist = self.get_cleaned_data_for_step("checklist") or {}
            context["harm_concern"] = checklist.get("harm_concern")
        return context

    def done(self, form_list, form_dict, **kwargs):
        lead, checklist = form_dict["lead"].cleaned_data, form_dict["checklist"].cleaned_data
        concerns, family = form_dict["concerns"].cleaned_data, form_dict["family"].cleaned_data
        requester = form_dict["you"].cleaned_data
        harm = form_dict.get("harm")
        found = lead["existing_lead"] == f.LEAD_FOUND
        try:
            support_request = services.request_create_with_checklist(
                source=RequestSource.PRACTITIONER,
                requested_by=self.request.user,
                family=self.family,
                people=form_dict["children"].entries() + form_dict["adults"].entries(),
                concerns=concerns["concerns"],
                concern_details=concerns["concern_details"],
                already_tried=concerns["already_tried"],
                **{name: family[name] for name in ("family_agreement", "no_agreement_reason", "child_views", "urgency")},
                **{name: requester[name] for name in requester},
                checklist={
                    "existing_lead_professional_checked": lead["existing_lead"] != f.LEAD_NOT_CHECKED,
                    "existing_lead_professional": (lead.get("existing_lead_professional") or "").strip() if found else "",
                    **{name: checklist[name] for name in CHECKLIST_QUESTIONS},
                    "harm_reconsidered": bool(harm and harm.cleaned_data.get("harm_reconsidered")),
                },
            )
        except ValidationError as error:
            # Refused as a whole, nothing saved: show the question the refusal is about.
            step = _step_for_error(error)
            target = form_dict[step]
            apply_errors(error, *([target] if not hasattr(target, "rows") else target.rows),
                         aliases={"children": "first_name", "people": "first_name"})
            self.storage.current_step = step
            raise ShownAgain(self.render(target)) from None  # the answers are kept
        return redirect("request-submitted", request_id=support_request.pk)


INTROS = frozenset({"lead", "checklist", "children", "adults", "concerns", "harm", "family"})

ERROR_STEPS = {
    "children": "children", "people": "children", "concerns": "concerns", "concern_details": "concerns",
    "already_tried": "concerns", "family_agreement": "family", "no_agreement_reason": "family",
    "child_views": "family", "urgency": "family", "existing_lead_professional": "lead",
    "harm_reconsidered": "harm",
}


def _step_for_error(error: ValidationError) -> str:
    names = list(getattr(error, "error_dict", {}))
    for name in names:
        if name in ERROR_STEPS:
            return ERROR_STEPS[name]
    return "you"


def _member_rows(members) -> list[dict]:
    """The family's current members as rows of the request (started from the family's page)."""
    rows = []
    for member in members:
        person = member.person
        born = person.date_of_birth
        rows.append({
            "is_child": member.role in CHILD_ROLES,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "relationship": "" if member.role in CHILD_ROLES else member.get_role_display(),
            "date_of_birth": [born.day, born.month, born.year] if born else None,
        })
    return rows


