"""'Ask for help for your family' (the public request) as question pages ending in check your answers.

The order is the one a parent would expect: their children, the other adults at home, what is
worrying them, how soon, and last about themselves and how to contact them safely; then every
answer on one page with a Change link. Nothing is sent before the POST of check your answers.

No one is signed in, so the answers are kept in the session (web/question_pages.KeptAnswersStorage),
which is in the database like every session: any worker or host carries on the same journey. The
protections of the one-page form stay, all in shared stores:

- a limit of sends an hour per address (config/cache.within_limit), looked at before any page is
  saved and counted only when check your answers is sent (mistakes on a page do not count);
- a honeypot field and a signed note of when the answers were started (self_referral_token, made
  when the first answer is saved), both sent with check your answers. Each page's errors are shown
  on that page, so the timer never hides one; complete answers sent too fast are shown again to be
  checked and sent again;
- the signed note is used once, in any worker: a double click or a replay saves nothing.
"""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from earlyhelp.accounts.client_ip import client_ip
from earlyhelp.config.cache import limit_reached, use_once, within_limit
from earlyhelp.web.question_pages import CHECK_STEP, QuestionPages, ShownAgain

from . import forms as f
from . import services
from .models import FamilyAgreement, RequestSource
from .request_pages import AdultsForm, PeopleForm
from .views import SELF_REFERRAL_SESSION_KEY, csc_contact

TOKEN_KEY = "form_token"  # extra_data: the signed time the answers were started
ALREADY_SENT = "This form has already been sent. We have your request: you do not need to send it again."


def rate_key(request) -> str:
    return f"frontdoor:self-referral:{client_ip(request) or 'unknown'}"


def count_attempt(request) -> bool:
    """Count a send (saved, or refused as spam) against the address for an hour from the first.

    In the shared cache, counted atomically: every worker sees the same count, and of N sent at
    once only the limit's number are allowed.
    """
    limit = settings.EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR
    return within_limit(rate_key(request), limit=limit, seconds=60 * 60)


def too_many(request):
    return render(request, "frontdoor/self_referral/too_many.html", {"csc": csc_contact()}, status=429)


class SelfReferralPages(QuestionPages):
    """A parent or carer asks for early help for their family, without signing in."""

    form_list = [
        ("children", PeopleForm),
        ("adults", AdultsForm),
        ("worries", f.SelfReferralWorriesForm),
        ("how-soon", f.SelfReferralHowSoonForm),
        ("you", f.SelfReferralAboutYouForm),
        (CHECK_STEP, f.SelfReferralSendForm),
    ]
    url_name = "self-referral-step"
    journey_title = "Ask for help for your family"
    step_titles = {
        "children": "Your children",
        "adults": "Other adults who live with you",
        "worries": "What is worrying you?",
        "how-soon": "How soon do you need help?",
        "you": "About you and how to contact you safely",
    }
    template_name = "frontdoor/self_referral/question.html"
    check_template_name = "frontdoor/self_referral/check.html"
    check_title = "Check your answers before sending them"
    send_label = "Send"

    def outside_url(self) -> str:
        return ""  # the first question is the start: no Back link

    def get_form_kwargs(self, step=None):
        return {"public": True} if step in ("children", "adults") else {}

    def post(self, *args, **kwargs):
        if limit_reached(rate_key(self.request), limit=settings.EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR):
            return too_many(self.request)
        if (kwargs.get("step") == CHECK_STEP and self.first_unanswered_step() is not None
                and self.request.session.get(SELF_REFERRAL_SESSION_KEY)):
            # A second click after the request went: its answers are cleared, the request is in.
            return redirect("self-referral-sent")
        return super().post(*args, **kwargs)

    def process_step(self, form):
        if not self.storage.extra_data.get(TOKEN_KEY):  # the first answer saved starts the timer
            self._new_token()
        return super().process_step(form)

    def _new_token(self) -> None:
        self.storage.extra_data = {**self.storage.extra_data, TOKEN_KEY: f.self_referral_token()}

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        step = self.steps.current
        context.update({
            "question_intro": f"frontdoor/self_referral/intro_{step}.html" if step in ("children", "adults") else "",
            "csc": csc_contact(),
            "triage_working_days": settings.EARLYHELP_TRIAGE_WORKING_DAYS,
        })
        if step == CHECK_STEP:
            if not self.storage.extra_data.get(TOKEN_KEY):
                self._new_token()
            context["form_token"] = self.storage.extra_data[TOKEN_KEY]
        return context

    def done(self, form_list, form_dict, **kwargs):
        request, send = self.request, form_dict[CHECK_STEP]
        try:
            send.check_for_spam()
        except f.SpamSuspected as suspected:
            count_attempt(request)
            self._new_token()  # a new page: checked, it may be sent again
            message = "confirm_message" if suspected.reason == "too_fast" else "spam_message"
            raise ShownAgain(self.render(send, **{message: suspected.message})) from None
        if not use_once(f"frontdoor:self-referral:{send.cleaned_data['form_token']}", seconds=f.SELF_REFERRAL_MAX_AGE):
            # These answers were sent by another click (their answers go, as after sending).
            if request.session.get(SELF_REFERRAL_SESSION_KEY):
                return redirect("self-referral-sent")
            return self.render(send, spam_message=ALREADY_SENT, already_sent=True)
        self._new_token()  # this one is used: whatever happens next, a later send needs its own
        if not count_attempt(request):
            raise ShownAgain(too_many(request))
        worries, you = form_dict["worries"].cleaned_data, form_dict["you"].cleaned_data
        try:
            support_request = services.request_create(
                source=RequestSource.SELF_REFERRAL,
                people=form_dict["children"].entries() + form_dict["adults"].entries(),
                family_agreement=FamilyAgreement.YES,  # the family itself is asking
                urgency=form_dict["how-soon"].cleaned_data["urgency"],
                **{name: worries[name] for name in ("concerns", "concern_details", "already_tried", "child_views")},
                **{name: you[name] for name in you},
            )
        except ValidationError as error:
            # Refused as a whole, nothing saved. Each page checks the same rules first, so this is said
            # on check your answers, whose Change links lead to every answer.
            response = self.render(send, spam_message=" ".join(error.messages))
            response.status_code = 422
            raise ShownAgain(response) from None
        request.session[SELF_REFERRAL_SESSION_KEY] = support_request.reference
        return redirect("self-referral-sent")
