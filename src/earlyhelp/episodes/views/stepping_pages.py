"""A step up and a closure as question pages, ending in check your answers (web/question_pages.py).

Neither can be taken back, so each is asked a page at a time and checked before it is sent; the
answers are the user's draft for this episode. The services (services/stepping.py) stay the only
writers and refuse a second send (409). Every page, GET or POST, first asks the one policy whether
the user may change the episode (403 otherwise) and records the look at the family
(episode_get_for_user); a move the episode's state no longer allows is refused on every page sent,
and a page opened then goes back to the episode's next steps, saying why.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from earlyhelp.policy import may
from earlyhelp.web.form_errors import apply_errors
from earlyhelp.web.question_pages import CHECK_STEP, CheckAnswersForm, QuestionPages, ShownAgain

from ..forms_stepping import (
    ClosingSummaryForm,
    ClosureReasonForm,
    NeedOutcomesForm,
    StepUpFactorsForm,
    StepUpWhyForm,
)
from ..selectors import episode_get_for_user, episode_state_now
from ..services import stepping
from ..transitions import Action, TransitionRefused, refusal


class EpisodeQuestionPages(QuestionPages):
    """Question pages about one episode (`episode_id` in every page's address)."""

    template_name = "episodes/stepping/question.html"
    check_template_name = "episodes/stepping/check.html"
    action = ""  # the move the journey ends in (transitions.py)
    not_now = ""  # said when the page is opened while the move is not allowed
    check_warning = ""

    def dispatch(self, request, *args, **kwargs):
        self.episode = episode_get_for_user(request.user, kwargs["episode_id"], page=self.journey_title,
                                            path=request.path)
        if not may(request.user, "episodes.change_episode", self.episode):
            raise PermissionDenied
        refused = refusal(self.episode.state, self.action)
        if refused:
            if request.method == "POST":  # sent again, or from a page left open: refused as the service would
                raise TransitionRefused(refused)
            messages.error(request, f"{self.not_now}: {refused[0].lower()}{refused[1:]}")
            return redirect("episode-stepping", episode_id=self.episode.pk)
        self.assessment = getattr(self.episode, "assessment", None)
        return super().dispatch(request, *args, **kwargs)

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        # The answers gone because the same journey was just sent from another tab: refused as sent twice.
        refused = refusal(episode_state_now(self.episode), self.action)
        if refused:
            raise TransitionRefused(refused)
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def outside_url(self) -> str:
        return reverse("episode-stepping", kwargs={"episode_id": self.episode.pk})

    def agreed_needs(self) -> list[str]:
        return list(self.assessment.agreed_needs) if self.assessment else []

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context.update({"episode": self.episode, "family": self.episode.family, "check_warning": self.check_warning})
        return context

    def sent(self, form_dict, send) -> None:
        """Calls the service; a refusal about the answers (nothing saved) shows the page it is about."""
        try:
            send()
        except ValidationError as error:
            names = set(getattr(error, "error_dict", {}))
            step = next((step for step, form in form_dict.items() if names & set(form.fields)),
                        self.steps.first)
            apply_errors(error, form_dict[step])
            self.storage.current_step = step
            raise ShownAgain(self.render(form_dict[step])) from None  # the answers are kept


class StepUpPages(EpisodeQuestionPages):
    form_list = [
        ("why", StepUpWhyForm),
        ("factors", StepUpFactorsForm),
        (CHECK_STEP, CheckAnswersForm),
    ]
    url_name = "episode-step-up-step"
    action = Action.STEP_UP_REQUESTED
    journey_title = "Step up to Children's Social Care"
    not_now = "A step up cannot be asked for now"
    step_titles = {
        "why": "Why now?",
        "factors": "The assessment factors the referral carries",
    }
    check_title = "Check your answers before sending the step up"
    send_label = "Send the step up to Children's Social Care"
    check_warning = "Once sent, the step up goes to Children's Social Care and cannot be taken back."

    def get_form_initial(self, step):
        if step == "factors":
            return StepUpFactorsForm.initial_for(self.agreed_needs())
        return super().get_form_initial(step)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["question_intro"] = {
            "why": "episodes/stepping/questions/step_up_why.html",
            "factors": "episodes/stepping/questions/step_up_factors.html",
        }.get(self.steps.current, "")
        context["from_assessment"] = bool(self.agreed_needs())
        return context

    def done(self, form_list, form_dict, **kwargs):
        why = form_dict["why"].cleaned_data
        self.sent(form_dict, lambda: stepping.episode_step_up(
            episode=self.episode, by=self.request.user, reasons=why["reasons"], details=why["details"],
            assessment_factors=form_dict["factors"].assessment_factors(),
        ))
        messages.success(self.request, "The step up has been sent to Children's Social Care.")
        return redirect("episode-stepping", episode_id=self.episode.pk)


def _needs_to_record(wizard) -> bool:
    return bool(wizard.agreed_needs())


class ClosurePages(EpisodeQuestionPages):
    form_list = [
        ("reason", ClosureReasonForm),
        ("outcomes", NeedOutcomesForm),
        ("summary", ClosingSummaryForm),
        (CHECK_STEP, CheckAnswersForm),
    ]
    condition_dict = {"outcomes": _needs_to_record}  # no agreed needs (closed before an assessment): no page
    url_name = "episode-close-step"
    action = Action.CLOSED
    journey_title = "Close the episode"
    not_now = "This episode cannot be closed now"
    step_titles = {
        "reason": "Why is the episode closing?",
        "outcomes": "The outcome for each need",
        "summary": "The closing summary for the family",
    }
    check_title = "Check your answers before closing the episode"
    send_label = "Close the episode"
    check_warning = "Once closed, the episode, its plan and the outcomes for each need can no longer be changed."

    def get_form_kwargs(self, step=None):
        kwargs = super().get_form_kwargs(step)
        if step == "outcomes":
            kwargs["needs"] = self.agreed_needs()
        return kwargs

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        context["question_intro"] = {
            "outcomes": "episodes/stepping/questions/close_outcomes.html",
            "summary": "episodes/stepping/questions/close_summary.html",
        }.get(self.steps.current, "")
        return context

    def done(self, form_list, form_dict, **kwargs):
        reason = form_dict["reason"].cleaned_data
        outcomes = form_dict.get("outcomes")
        self.sent(form_dict, lambda: stepping.episode_close(
            episode=self.episode, by=self.request.user, reason=reason["reason"],
            summary_for_family=form_dict["summary"].cleaned_data["summary_for_family"],
            need_outcomes=outcomes.need_outcomes() if outcomes else {},
            new_authority=reason["new_authority"], other_reason=reason["other_reason"],
        ))
        messages.success(self.request, "The episode is closed.")
        return redirect("episode-stepping", episode_id=self.episode.pk)
