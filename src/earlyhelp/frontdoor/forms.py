"""Forms for requests for support, the checklist, level-of-need decisions, triage and allocation.

Forms read what was typed and say, in plain English beside the field, what cannot be read. The
rules that join fields together also live in services.py, so they hold however a record is written.
"""

import secrets
import time

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    HTML,
    Button,
    Field,
    Fieldset,
    Layout,
    Size,
    Submit,
)
from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone

from earlyhelp.accounts.models import Team, User
from earlyhelp.directory.selectors import service_pick_list
from earlyhelp.standards import AssessmentFactor, Vulnerability
from earlyhelp.web.dates import GovDateField
from earlyhelp.web.form_errors import field_anchor, summary_errors  # noqa: F401 (used by the views as f.summary_errors)
from earlyhelp.web.limits import limit_free_text
from earlyhelp.web.question_pages import field_rows
from earlyhelp.web.widgets import PickList, Reveals, form_helper  # noqa: F401 (request_pages use f.form_helper)

from .indicators import indicators_by_domain
from .models import (
    AllocationOutcome,
    EscalationOutcome,
    FamilyAgreement,
    LevelOfNeed,
    TriageOutcome,
    Urgency,
)
from .services import PersonEntry

CHILD_ROWS = 4
ADULT_ROWS = 3
SELF_REFERRAL_SALT = "earlyhelp.frontdoor.self-referral"
SELF_REFERRAL_MAX_AGE = 24 * 60 * 60  # a day: an older page is sent back for checking


# Shared pieces ----------------------------------------------------------------------------------------


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


YES_NO = (("yes", "Yes"), ("no", "No"))


def yes_no_field(label: str, *, help_text: str = "", required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, help_text=help_text, choices=YES_NO, coerce=_yes_no, empty_value=None,
        widget=forms.RadioSelect, error_messages={"required": required_message, "invalid_choice": "Select yes or no"},
    )


# People named on a request ------------------------------------------------------------------------


class PersonRowForm(forms.Form):
    """One child or adult on a request; a row left empty is skipped."""

    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = GovDateField(
        label="Date of birth", required=False, what="the date of birth", past=True,
        past_message="Date of birth must be in the past", help_text="For example, 27 3 2015",
    )
    relationship = forms.CharField(label="Relationship to the children", max_length=100, required=False)

    def __init__(self, *args, is_child: bool, number: int, public: bool = False, **kwargs):
        kwargs.setdefault("prefix", f"{'child' if is_child else 'adult'}-{number}")
        super().__init__(*args, **kwargs)
        self.is_child = is_child
        self.number = number
        self.who = f"child {number}" if is_child else f"adult {number}"
        if is_child:
            del self.fields["relationship"]
        else:
            self.fields["relationship"].help_text = (
                "For example, mum, dad, stepdad, grandparent" if public else "For example, mother, stepfather, grandparent, carer"
            )
            self.fields["date_of_birth"].label = "Date of birth (if you know it)"
        legend = f"Child {number}" if is_child else f"Adult {number}"
        fields = [Field.text("first_name", field_width=20), Field.text("last_name", field_width=20)]
        if not is_child:
            fields.append(Field.text("relationship", field_width=20))
        fields.append(Field("date_of_birth"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Fieldset(*fields, legend=legend, legend_size=Size.SMALL))

    @property
    def is_blank(self) -> bool:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return True
        data = self.cleaned_data
        return not (data.get("first_name") or data.get("last_name") or data.get("date_of_birth")
                    or data.get("relationship"))

    def has_typed_anything(self) -> bool:
        return any((value or "").strip() for key, value in self.data.items() if key.startswith(f"{self.prefix}-"))

    def clean(self):
        cleaned = super().clean()
        if not self.has_typed_anything():
            return cleaned
        if not (cleaned.get("first_name") or "").strip():
            self.add_error("first_name", f"Enter the first name of {self.who}")
        if not (cleaned.get("last_name") or "").strip():
            self.add_error("last_name", f"Enter the last name of {self.who}")
        born = cleaned.get("date_of_birth")
        if born and self.is_child and (timezone.localdate() - born).days > 366 * 18 + 5:
            self.add_error("date_of_birth", f"The date of birth of {self.who} must be less than 18 years ago")
        return cleaned

    def entry(self) -> PersonEntry | None:
        if not self.has_typed_anything():
            return None
        data = self.cleaned_data
        return PersonEntry(
            first_name=data["first_name"].strip(), last_name=data["last_name"].strip(),
            date_of_birth=data.get("date_of_birth"), relationship=(data.get("relationship") or "").strip(),
            is_child=self.is_child,
        )


def person_rows(data=None, *, public: bool = False, initial: list[dict] | None = None) -> tuple[list, list]:
    """The fixed rows for children and adults (no JavaScript needed to add more)."""
    initial = initial or []
    children_initial = [row for row in initial if row.get("is_child")]
    adults_initial = [row for row in initial if not row.get("is_child")]
    children = [
        PersonRowForm(data, is_child=True, number=n, public=public,
                      initial=children_initial[n - 1] if n <= len(children_initial) else None)
        for n in range(1, CHILD_ROWS + 1)
    ]
    adults = [
        PersonRowForm(data, is_child=False, number=n, public=public,
                      initial=adults_initial[n - 1] if n <= len(adults_initial) else None)
        for n in range(1, ADULT_ROWS + 1)
    ]
    return children, adults


def rows_valid(children: list[PersonRowForm], adults: list[PersonRowForm], *, public: bool = False) -> bool:
    valid = all([row.is_valid() for row in children + adults])
    if valid and not any(row.entry() for row in children):
        children[0].add_error(
            "first_name",
            "Enter the name of at least one child" if not public else "Enter the name of at least one of your children",
        )
        return False
    return valid


def rows_entries(children: list[PersonRowForm], adults: list[PersonRowForm]) -> list[PersonEntry]:
    return [entry for row in children + adults if (entry := row.entry()) is not None]


# Concerns, grouped --------------------------------------------------------------------------------

# The Children in Need assessment factors, grouped by theme so the list can be read.
FACTOR_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("factors_substances", "Alcohol and drugs", ("1A", "1B", "1C", "2A", "2B", "2C")),
    ("factors_domestic_abuse", "Domestic abuse", ("3A", "3B", "3C")),
    ("factors_health", "Mental health, learning disability, physical disability or illness",
     ("4A", "4B", "4C", "5A", "5B", "5C", "6A", "6B", "6C")),
    ("factors_care", "Caring and living arrangements", ("7A", "8B", "8C", "8D", "8E", "8F", "9A")),
    ("factors_exploitation", "Going missing, exploitation and behaviour", ("10A", "11A", "12A", "13A", "24A", "14A")),
    ("factors_abuse", "Harm, abuse and neglect", ("15A", "16A", "17A", "18B", "18C", "19B", "19C", "22A", "23A")),
    ("factors_other", "Other", ("20", "21")),
)


def _factor_choices(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(code, AssessmentFactor(code).label) for code in codes]  # labels shown, codes stored


class RequesterForm(forms.Form):
    """Who asks (prefilled from the signed-in user) and where the family lives."""

    requester_relationship = forms.CharField(
        label="Your role with the family", max_length=100, required=False,
        help_text="For example, class teacher, health visitor, GP",
    )
    contact_phone = forms.CharField(label="Your phone number", max_length=30, required=False)
    contact_email = forms.EmailField(
        label="Your email address", required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    address = forms.CharField(label="The family's address (if you know it)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode", max_length=8, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("requester_relationship", field_width=20),
            Field.text("contact_phone", field_width=20),
            Field.text("contact_email", field_width=30),
            HTML('<h2 class="govuk-heading-m">Where the family lives</h2>'),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=10),
        )


class ConcernsForm(forms.Form):
    """What the practitioner is worried about, in plain words, and what has been tried."""

    concerns = forms.MultipleChoiceField(
        label="Is the child…", choices=Vulnerability.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="The things practitioners should be alert to. Select all that apply.",
    )
    concern_details = forms.CharField(
        label="Describe your concerns", widget=forms.Textarea,
        help_text="What you have seen or been told, how long it has been going on, and the family's strengths.",
        error_messages={"required": "Describe your concerns about the family"},
    )
    already_tried = forms.CharField(
        label="What has already been tried?", widget=forms.Textarea, required=False,
        help_text="Support your service or others have already given, and what difference it made.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.checkboxes("concerns", legend_size=Size.SMALL, small=True),
            Field.textarea("concern_details", label_size=Size.SMALL, rows=6),
            Field.textarea("already_tried", label_size=Size.SMALL, rows=4),
        )


NOT_AGREED_HINT = ("Early help is voluntary. If you think a child is at risk of significant harm, "
                   "raise a concern of significant harm instead.")


class AgreementForm(forms.Form):
    """Whether the family agrees (early help is voluntary), the child's own views, and urgency."""

    family_agreement = forms.ChoiceField(
        label="Does the family know about this request and agree to it?", choices=FamilyAgreement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the family knows about the request and agrees to it"},
    )
    # Why not is asked under the answer it belongs to (revealed by it), so each answer has its own
    # question; the request keeps one reason (`no_agreement_reason`).
    not_agreed_reason = forms.CharField(
        label="Why has the family not agreed?", widget=forms.Textarea, required=False,
        help_text=NOT_AGREED_HINT,
    )
    not_told_reason = forms.CharField(
        label="Why has the family not been told?", widget=forms.Textarea, required=False,
        help_text=NOT_AGREED_HINT,
    )
    child_views = forms.CharField(
        label="What does the child say?", widget=forms.Textarea, required=False,
        help_text="The child's own views and wishes, in their words if you can.",
    )
    urgency = forms.ChoiceField(
        label="How urgent is this?", choices=Urgency.choices, widget=forms.RadioSelect, initial=Urgency.ROUTINE,
        error_messages={"required": "Select how urgent the request is"},
    )

    REASON_FIELDS = {FamilyAgreement.KNOWS_NOT_AGREED: "not_agreed_reason", FamilyAgreement.NOT_TOLD: "not_told_reason"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Reveals("family_agreement", {answer: [name] for answer, name in self.REASON_FIELDS.items()},
                    legend_size=Size.SMALL),
            Field.textarea("child_views", label_size=Size.SMALL, rows=4),
            Field.radios("urgency", legend_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        reason_field = self.REASON_FIELDS.get(cleaned.get("family_agreement"))
        reason = (cleaned.get(reason_field) or "").strip() if reason_field else ""
        if reason_field and not reason:
            self.add_error(reason_field, "Explain why the family has not agreed"
                           if reason_field == "not_agreed_reason" else "Explain why the family has not been told")
        cleaned["no_agreement_reason"] = reason  # the other answer's reason, typed then changed: not kept
        return cleaned

    def answers_for_check(self) -> list[dict]:
        reason_field = self.REASON_FIELDS.get(self.cleaned_data.get("family_agreement"))
        return field_rows(self, ["family_agreement", *([reason_field] if reason_field else []), "child_views", "urgency"])


# The public self-referral ------------------------------------------------------------------------------

# The vulnerability list in words a parent would use.
SELF_REFERRAL_TOPICS = (
    (Vulnerability.SEN, "Help with school, learning or special educational needs"),
    (Vulnerability.DISABLED, "A child's disability, health or additional needs"),
    (Vulnerability.YOUNG_CARER, "A child who looks after someone in the family"),
    (Vulnerability.ANTISOCIAL, "A child getting into trouble or with the police"),
    (Vulnerability.MISSING, "A child staying out or going missing"),
    (Vulnerability.EXPLOITATION, "Worries that someone is taking advantage of a child"),
    (Vulnerability.ADULT_MENTAL_HEALTH, "An adult's mental health"),
    (Vulnerability.PARENTAL_SUBSTANCE, "Drinking or drugs in the family"),
    (Vulnerability.MISUSES_SUBSTANCES, "A child drinking or taking drugs"),
    (Vulnerability.DOMESTIC_ABUSE, "Arguments, violence or abuse at home"),
)


def self_referral_token(now: float | None = None) -> str:
    """A signed note of when the form was shown: bots post too fast, or replay old pages.

    The random part makes each page's token its own, so two pages shown at the same moment are
    still two tokens, each used once (config/cache.use_once)."""
    return signing.dumps({"shown": now if now is not None else time.time(), "page": secrets.token_urlsafe(12)},
                         salt=SELF_REFERRAL_SALT)


class SpamSuspected(Exception):
    """The form was filled by a machine, or too fast, or is too old: nothing is saved."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason


class SelfReferralAboutYouForm(forms.Form):
    """The last question: who is asking, and how to get in touch with them safely."""

    requester_name = forms.CharField(
        label="Your name", max_length=150, error_messages={"required": "Enter your name"},
    )
    requester_relationship = forms.CharField(
        label="Who are you to the children?", max_length=100, required=False,
        help_text="For example, mum, dad, grandparent, carer",
    )
    contact_phone = forms.CharField(
        label="Phone number", max_length=30, required=False,
        help_text="We will call you on this number",
    )
    contact_email = forms.EmailField(
        label="Email address", required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    safe_to_contact = forms.CharField(
        label="When is it safe to contact you?", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, weekday mornings, or 'do not leave a voicemail'",
    )
    address = forms.CharField(label="Your address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode", max_length=8, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("requester_name", field_width=30),
            Field.text("requester_relationship", field_width=20),
            HTML('<h2 class="govuk-heading-m">How can we contact you?</h2>'
                 '<p class="govuk-body">Give us a phone number, an email address, or both.</p>'),
            Field.text("contact_phone", field_width=20),
            Field.text("contact_email", field_width=30),
            Field.textarea("safe_to_contact", rows=2),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=10),
        )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("contact_phone") or "").strip() and not (cleaned.get("contact_email") or "").strip():
            if "contact_email" not in self.errors:
                self.add_error("contact_phone", "Enter a phone number or an email address so we can get in touch with you")
        return cleaned


class SelfReferralSendForm(forms.Form):
    """Check your answers' form: the honeypot and the signed time, the only things sent with "Send".

    Spam protection without anyone else's service: a field people never see, and a signed note of
    when the answers were started (self_referral_token). Every answer has been checked on its own
    page before this, so the timer can never stand in front of a field's error."""

    website = forms.CharField(label="Leave this empty", required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def check_for_spam(self) -> None:
        """Raise SpamSuspected for a filled honeypot, answers sent too fast, or a page older than a day."""
        if (self.cleaned_data.get("website") or "").strip():
            raise SpamSuspected("We could not send your request. Check your answers and try again.", reason="honeypot")
        try:
            shown = float(signing.loads(self.cleaned_data.get("form_token") or "", salt=SELF_REFERRAL_SALT)["shown"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise SpamSuspected("We could not send your request. Check your answers and try again.", reason="token") from None
        taken = time.time() - shown
        if taken > SELF_REFERRAL_MAX_AGE:
            raise SpamSuspected(
                "This page was open for more than a day. Check your answers and send them again.", reason="expired"
            )
        if taken < settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS:
            # Not an error: the complete answers are shown again, to be checked and sent again.
            raise SpamSuspected(
                "Your request has not been sent yet. Check your answers, then select Send.", reason="too_fast"
            )


class SelfReferralWorriesForm(forms.Form):
    concerns = forms.MultipleChoiceField(
        label="What is it about?", choices=SELF_REFERRAL_TOPICS, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Select all that apply. You do not have to choose any.",
    )
    concern_details = forms.CharField(
        label="What is worrying you, and what help would you like?", widget=forms.Textarea,
        help_text="Tell us in your own words. There is no wrong answer. If you are expecting a baby, tell us here.",
        error_messages={"required": "Tell us what is worrying you and what help you would like"},
    )
    already_tried = forms.CharField(
        label="Have you already had any help, or tried anything?", widget=forms.Textarea, required=False,
        help_text="For example, talking to your child's school, your GP or your health visitor.",
    )
    child_views = forms.CharField(
        label="What do your children think?", widget=forms.Textarea, required=False,
        help_text="If your children know you are asking for help, what do they say?",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.checkboxes("concerns", legend_size=Size.SMALL, small=True),
            Field.textarea("concern_details", label_size=Size.SMALL, rows=6),
            Field.textarea("already_tried", label_size=Size.SMALL, rows=4),
            Field.textarea("child_views", label_size=Size.SMALL, rows=4),
        )


class SelfReferralHowSoonForm(forms.Form):
    urgency = forms.ChoiceField(
        label="How soon do you need help?",
        choices=(
            (Urgency.ROUTINE, "In the next few weeks"),
            (Urgency.SOON, "This week"),
            (Urgency.URGENT, "Today"),
        ),
        widget=forms.RadioSelect, initial=Urgency.ROUTINE,
        error_messages={"required": "Select how soon you need help"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.radios("urgency", legend_size=Size.SMALL))


# The pre-assessment checklist -------------------------------------------------------------------------

LEAD_NONE = "checked_none"
LEAD_FOUND = "checked_found"
LEAD_NOT_CHECKED = "not_checked"
LEAD_CHOICES = (
    (LEAD_NONE, "Yes, I checked: the child does not have a lead professional"),
    (LEAD_FOUND, "Yes, I checked: the child already has a lead professional"),
    (LEAD_NOT_CHECKED, "No, I have not checked"),
)


def harm_reconsidered_field() -> forms.BooleanField:
    """Asked when the request points to significant harm and the answer is "no" (DOMAIN §3): think again."""
    return forms.BooleanField(
        label="I have thought again about the signs of harm listed above: this is not a concern of significant harm",
        required=False,
    )


class ChecklistForm(forms.Form):
    existing_lead = forms.ChoiceField(
        label="Have you checked whether the child already has a lead professional?", choices=LEAD_CHOICES,
        widget=forms.RadioSelect,
        help_text="For example a health visitor, a social worker or a youth justice worker. If there is one, work with them instead of starting a new assessment.",
        error_messages={"required": "Select whether you checked for a lead professional"},
    )
    existing_lead_professional = forms.CharField(
        label="If the child has a lead professional, who is it?", max_length=200, required=False,
        help_text="Their name, role and service, for example Sam Jones, health visitor",
    )
    child_progressing_well = yes_no_field(
        "Is the child progressing well?", required_message="Select whether the child is progressing well",
    )
    needs_met_by_own_service = yes_no_field(
        "Can your own service meet all the child's needs?",
        required_message="Select whether your own service can meet all the child's needs",
    )
    other_statutory_assessment = yes_no_field(
        "Is another service assessing the child with its own model?",
        help_text="For example youth justice or CAMHS.",
        required_message="Select whether another service is assessing the child",
    )
    low_needs_single_agency = yes_no_field(
        "Are the needs low enough for a single agency action plan?",
        required_message="Select whether a single agency action plan is enough",
    )
    more_than_one_service_needed = yes_no_field(
        "Does the family need help from more than one service?",
        required_message="Select whether the family needs help from more than one service",
    )
    harm_concern = yes_no_field(
        "Do you think a child may have been harmed, or is at risk of significant harm?",
        help_text="If yes, refer to Children's Social Care now: do not wait for an assessment.",
        required_message="Select whether you think a child may have been harmed or is at risk of significant harm",
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    harm_reconsidered = harm_reconsidered_field()

    def __init__(self, *args, harm_signals=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not harm_signals:  # asked only when the request points to harm (frontdoor.indicators)
            del self.fields["harm_reconsidered"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("existing_lead", legend_size=Size.SMALL),
            Field.text("existing_lead_professional"),
            *[
                Field.radios(name, legend_size=Size.SMALL, inline=True)
                for name in ("child_progressing_well", "needs_met_by_own_service", "other_statutory_assessment",
                             "low_needs_single_agency", "more_than_one_service_needed", "harm_concern")
            ],
            *([Field.checkbox("harm_reconsidered")] if harm_signals else []),
            Field.textarea("notes", rows=3),
            Submit("submit", "Complete the checklist"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("existing_lead") == LEAD_FOUND and not (cleaned.get("existing_lead_professional") or "").strip():
            self.add_error("existing_lead_professional", "Enter who the lead professional is")
        return cleaned

    def answers(self) -> dict:
        data = self.cleaned_data
        found = data["existing_lead"] == LEAD_FOUND
        return {
            "existing_lead_professional_checked": data["existing_lead"] != LEAD_NOT_CHECKED,
            "existing_lead_professional": data.get("existing_lead_professional", "").strip() if found else "",
            **{name: data[name] for name in (
                "child_progressing_well", "needs_met_by_own_service", "other_statutory_assessment",
                "low_needs_single_agency", "more_than_one_service_needed", "harm_concern",
            )},
            "notes": data.get("notes", ""),
            "harm_reconsidered": bool(data.get("harm_reconsidered")),
        }


# Level of need -----------------------------------------------------------------------------------------

LEVEL_HINTS = {
    1: "Needs met by universal services such as schools, GPs and health visitors; no extra assessment.",
    2: "Additional needs: a multi-agency early help assessment and support, coordinated by a lead professional, with the family's agreement.",
    3: "Complex needs: a social-worker-led assessment under section 17 of the Children Act 1989.",
    4: "The significant harm threshold is met: a section 47 enquiry. Refer to Children's Social Care now.",
}


def level_choices() -> list:
    return [Choice(level, label, hint=LEVEL_HINTS[level]) for level, label in LevelOfNeed.choices]


class LevelDecisionForm(forms.Form):
    level = forms.TypedChoiceField(
        label="What is the level of need?", coerce=int, empty_value=None, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the level of need, from 1 to 4"},
    )
    reasons = forms.CharField(
        label="Why this level?", widget=forms.Textarea, required=False,
        help_text="The indicators only show where the picture points: say why you decided this level.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices()
        self.domain_fields = []
        indicator_fields = []
        for domain, label, indicators in indicators_by_domain():
            name = f"indicators_{domain}"
            self.fields[name] = forms.MultipleChoiceField(
                label=label, required=False, widget=forms.CheckboxSelectMultiple,
                choices=[
                    Choice(i.code, i.label, hint=f"{i.subdimension_label}. Points to {i.level_label.lower()}.")
                    for i in indicators
                ],
                error_messages={"invalid_choice": "Choose indicators from the list"},
            )
            self.domain_fields.append(name)
            indicator_fields.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            HTML('<h2 class="govuk-heading-m">Indicators</h2>'),
            *indicator_fields,
            Button.secondary("check", "Show where the indicators point"),
            HTML('<h2 class="govuk-heading-m">Your decision</h2>'),
            Field.radios("level", legend_size=Size.SMALL),
            Field.textarea("reasons", label_size=Size.SMALL, rows=5),
            Submit("save", "Record the decision"),
        )

    @property
    def indicators(self) -> list[str]:
        data = getattr(self, "cleaned_data", {})
        return [code for name in self.domain_fields for code in data.get(name, [])]


class EscalationForm(forms.Form):
    proposed_level = forms.TypedChoiceField(
        label="What level do you think is right?", coerce=int, empty_value=None, widget=forms.RadioSelect,
        error_messages={"required": "Select the level of need you think is right",
                        "invalid_choice": "Select the level of need you think is right"},
    )
    disagreement = forms.CharField(
        label="What do you disagree with, and why?", widget=forms.Textarea,
        error_messages={"required": "Explain what you disagree with and why"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_level"].choices = level_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("proposed_level", legend_size=Size.SMALL),
            Field.textarea("disagreement", label_size=Size.SMALL, rows=5),
            Submit("submit", "Record the disagreement"),
        )


class EscalationResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What is the outcome?", choices=EscalationOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome: upheld, changed or withdrawn"},
    )
    new_level = forms.TypedChoiceField(
        label="If the decision changed, the new level of need", coerce=int, empty_value=None, required=False,
        help_text="Leave it as it is to use the level the disagreement proposed",
        choices=[("", "Choose a level")] + list(LevelOfNeed.choices),
        error_messages={"invalid_choice": "Select the new level of need"},
    )
    outcome_notes = forms.CharField(
        label="Reasons for the outcome", widget=forms.Textarea,
        error_messages={"required": "Explain the outcome"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.select("new_level"),
            Field.textarea("outcome_notes", label_size=Size.SMALL, rows=4),
            Submit("submit", "Record the outcome"),
        )


# Triage ------------------------------------------------------------------------------------------------


class FamilySearchForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, required=False,
                           help_text="A child's or an adult's first and last name")
    date_of_birth = GovDateField(
        label="Date of birth", required=False, what="the date of birth", past=True,
        past_message="Date of birth must be in the past", help_text="For example, 27 3 2015",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "search")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("name", field_width=30),
            Field("date_of_birth"),
            Button.secondary("find", "Find the family"),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("name") or "").strip() and not cleaned.get("date_of_birth"):
            self.add_error("name", "Enter a name or a date of birth to search for")
        return cleaned


class TriageDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What is the decision?", choices=TriageOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the triage decision"},
    )
    referred_to = forms.CharField(
        label="If you are referring the family to another service, which service?", max_length=200, required=False,
    )
    notes = forms.CharField(
        label="Reasons for the decision", widget=forms.Textarea,
        help_text="What you found out, who you spoke to, and why you decided this.",
        error_messages={"required": "Explain the reasons for the decision"},
    )
    harm_reconsidered = harm_reconsidered_field()

    def __init__(self, *args, harm_signals=(), factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not harm_signals:  # asked only when the request points to harm (frontdoor.indicators)
            del self.fields["harm_reconsidered"]
        # The Children in Need census factors are the front door's to record, not the requester's.
        factor_fields = []
        for name, label, codes in FACTOR_GROUPS:
            self.fields[name] = forms.MultipleChoiceField(
                label=label, choices=_factor_choices(codes), widget=forms.CheckboxSelectMultiple, required=False,
                initial=[code for code in factors if code in codes],
                error_messages={"invalid_choice": "Select assessment factors from the list"},
            )
            factor_fields.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            *([Field.checkbox("harm_reconsidered")] if harm_signals else []),
            Field.text("referred_to"),
            Field.textarea("notes", label_size=Size.SMALL, rows=5),
            HTML('<h3 class="govuk-heading-s">Assessment factors (Children in Need census)</h3>'
                 '<p class="govuk-body">What the request shows about the family. Select any that apply; '
                 'you can leave them for the assessment.</p>'),
            *factor_fields,
            Submit("decide", "Record the triage decision"),
        )

    @property
    def assessment_factors(self) -> list[str]:
        return [code for name, _, _ in FACTOR_GROUPS for code in self.cleaned_data.get(name, [])]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == TriageOutcome.REFER_ELSEWHERE and not (cleaned.get("referred_to") or "").strip():
            self.add_error("referred_to", "Enter the name of the service you are referring the family to")
        return cleaned


# The allocation meeting ----------------------------------------------------------------------------------


def user_label(user: User) -> str:
    parts = [user.get_full_name() or user.username]
    if user.job_title:
        parts.append(user.job_title)
    if user.agency_id:
        parts.append(user.agency.name)
    return ", ".join(parts)


class MeetingForm(forms.Form):
    held_on = GovDateField(label="Date of the meeting", what="the date of the meeting", years_back=2,
                           years_ahead=2, help_text="For example, 27 3 2026")
    chair = forms.ModelChoiceField(
        label="Who chairs the meeting?", queryset=User.objects.none(), widget=PickList,
        empty_label="Choose who chairs the meeting",
        error_messages={"required": "Choose who chairs the meeting",
                        "invalid_choice": "Choose who chairs the meeting from the list"},
    )
    attendees = forms.CharField(
        label="Who attends?", widget=forms.Textarea, required=False,
        help_text="Names, roles and services, one a line.",
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, chairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs
        self.fields["chair"].label_from_instance = user_label
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("held_on"),
            Field.select("chair"),
            Field.textarea("attendees", rows=4),
            Field.textarea("notes", rows=3),
            Submit("submit", "Create the meeting"),
        )


class AllocationDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What did the meeting decide?", choices=AllocationOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    team = forms.ModelChoiceField(
        label="If allocated to a team, which team?", queryset=Team.objects.none(), required=False,
        widget=PickList, empty_label="Choose a team",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    practitioner = forms.ModelChoiceField(
        label="If allocated to a practitioner, who?", queryset=User.objects.none(), required=False,
        widget=PickList, empty_label="Choose a practitioner",
        help_text="An early help practitioner or early help adviser",
        error_messages={"invalid_choice": "Choose an early help practitioner or early help adviser"},
    )
    directory_service = forms.ModelChoiceField(
        label="If referred to another service, which service in the directory?", queryset=None, required=False,
        widget=PickList, empty_label="Choose a service, or type its name below",
        error_messages={"invalid_choice": "Choose an active service from the directory"},
    )
    other_service = forms.CharField(
        label="If referred to another service, which service?", max_length=200, required=False,
        help_text="Only if it is not in the directory.",
    )
    reasons = forms.CharField(
        label="Reasons for the decision", widget=forms.Textarea,
        error_messages={"required": "Explain the reasons for the decision"},
    )

    def __init__(self, *args, teams, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["practitioner"].queryset = practitioners
        self.fields["directory_service"].queryset = service_pick_list()
        self.fields["directory_service"].label_from_instance = lambda service: \
            f"{service.name}, {service.organization.name}"
        self.fields["practitioner"].label_from_instance = lambda user: ", ".join(
            [user.get_full_name() or user.username, user.get_role_display().lower()]
            + [team.name for team in user.teams.all()]
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.select("team"),
            Field.select("practitioner"),
            Field.select("directory_service"),
            Field.text("other_service"),
            Field.textarea("reasons", label_size=Size.SMALL, rows=4),
            Submit("submit", "Record the decision"),
        )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == AllocationOutcome.ALLOCATE_TEAM and not cleaned.get("team") and "team" not in self.errors:
            self.add_error("team", "Choose the team the family is allocated to")
        if outcome == AllocationOutcome.ALLOCATE_PRACTITIONER and not cleaned.get("practitioner") \
                and "practitioner" not in self.errors:
            self.add_error("practitioner", "Choose the practitioner the family is allocated to")
        service = cleaned.get("directory_service")
        if outcome == AllocationOutcome.REFER_ELSEWHERE and service and not (cleaned.get("other_service") or "").strip():
            # The decision keeps the service's name as written when it was chosen (directory/docs).
            cleaned["other_service"] = f"{service.name}, {service.organization.name}"[:200]
        if outcome == AllocationOutcome.REFER_ELSEWHERE and not (cleaned.get("other_service") or "").strip():
            self.add_error("other_service", "Enter the name of the service the family is referred to")
        return cleaned


limit_free_text(globals())  # every text field has a limit (web/limits.py)
