"""Question pages that end in check your answers (the GOV.UK Design System's two patterns).

Built on django-formtools' NamedUrlWizardView: one form per page, the answers kept between pages,
and every page validated again before the one-way action. What is ours:

- Where the answers are kept. For a signed-in user they are a draft (`web.Draft`), so they outlive
  the session: an expired session, a closed laptop or a phone call loses nothing, and opening the
  journey again carries on where they were. For someone not signed in (the public form), in the
  session.
- The last page is "Check your answers": every answer with a Change link back to its question.
  Once someone has reached it, saving any question brings them straight back to it.
- The journey's own arguments (an episode, a family) are carried in every page's address.

A journey subclasses `QuestionPages`, lists its steps as (name, form class) with the check page
last, gives each step a title, and writes `done()`, which calls the service.
"""

import copy

from django import forms
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView

from .form_errors import summary_errors
from .models import Draft

CHECK_STEP = "check"
CHANGING_KEY = "checking"  # extra_data: they have seen check your answers, so come back to it


class KeptAnswersStorage(BaseStorage):
    """The journey's answers: the signed-in user's draft, or the session for the public."""

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.user = request.user if request.user.is_authenticated else None
        if self.user is not None:
            self.data = Draft.objects.filter(user=self.user, key=self.prefix).values_list("data", flat=True).first()
        else:
            self.data = copy.deepcopy(request.session.get(self.prefix))
        if not self.data:
            self.init_data()
        self._as_loaded = copy.deepcopy(self.data)

    def _is_empty(self) -> bool:
        return not self.data[self.step_data_key]

    def update_response(self, response):
        super().update_response(response)
        if self.data == self._as_loaded:
            return
        if self.user is not None:
            if self._is_empty():
                Draft.objects.filter(user=self.user, key=self.prefix).delete()
            else:
                Draft.objects.update_or_create(user=self.user, key=self.prefix, defaults={"data": self.data})
        elif self._is_empty():
            self.request.session.pop(self.prefix, None)
        else:
            self.request.session[self.prefix] = self.data
        self._as_loaded = copy.deepcopy(self.data)


class ShownAgain(Exception):  # noqa: N818 (not an error: a page shown again, its answers kept)
    """Raised from `done()` with the page to show instead of sending (the service refused, or the
    public form's checks): formtools clears the answers once done() returns, so this keeps them."""

    def __init__(self, response):
        super().__init__()
        self.response = response


class CheckAnswersForm(forms.Form):
    """The check page's form: nothing to fill in; sending it is the one-way action."""


class QuestionPages(NamedUrlWizardView):
    storage_name = "earlyhelp.web.question_pages.KeptAnswersStorage"
    template_name = "web/question_pages/question.html"
    check_template_name = "web/question_pages/check_answers.html"
    journey_title = ""
    # {step: the page's heading}; the check page's is "Check your answers before ..."
    step_titles: dict[str, str] = {}
    check_title = "Check your answers"
    send_label = "Send"
    # Query parameters that belong to the journey (kept on every page's address).
    journey_params: tuple[str, ...] = ()
    # {step: field names not listed on check your answers (hidden, technical)}
    unlisted_fields: dict[str, tuple[str, ...]] = {}

    # Addresses ---------------------------------------------------------------------------------------

    def journey_query(self) -> dict:
        return {name: self.request.GET[name] for name in self.journey_params if self.request.GET.get(name)}

    def get_prefix(self, request, *args, **kwargs):
        journey = [f"{key}={value}" for key, value in sorted(kwargs.items()) if key != "step"]
        journey += [f"{key}={value}" for key, value in sorted(self.journey_query().items())]
        return "-".join(["questions", self.url_name, *journey]).replace("=", "-")

    def get_step_url(self, step):
        kwargs = {key: value for key, value in self.kwargs.items() if key != "step"}
        url = reverse(self.url_name, kwargs={**kwargs, "step": step})
        query = self.journey_query()
        return f"{url}?{urlencode(query)}" if query else url

    def start_url(self) -> str:
        kwargs = {key: value for key, value in self.kwargs.items() if key != "step"}
        url = reverse(self.url_name.removesuffix("-step"), kwargs=kwargs)
        return f"{url}?{urlencode({**self.journey_query(), 'reset': ''})}"

    # Flow --------------------------------------------------------------------------------------------

    def get(self, *args, **kwargs):
        step = kwargs.get("step")
        if step == self.done_step_name:  # the one-way action happens only when the check page is sent
            return redirect(self.get_step_url(CHECK_STEP))
        if step == CHECK_STEP:
            first_missing = self.first_unanswered_step()
            if first_missing is not None:  # opened directly: answer the questions first
                self.storage.current_step = first_missing
                return redirect(self.get_step_url(first_missing))
            self.storage.extra_data = {**self.storage.extra_data, CHANGING_KEY: True}
        return super().get(*args, **kwargs)

    def post(self, *args, **kwargs):
        # The page's own address says which question was answered (formtools would take the first
        # question's form when the answers are new, as on a page sent after the draft was discarded).
        step = kwargs.get("step")
        if step not in self.get_form_list():
            raise Http404("No such question")
        if self.request.POST.get(f"{self.prefix}-current_step") != step:  # a page not sent by this journey
            raise SuspiciousOperation("The question pages' step does not match the page")
        self.storage.current_step = step
        return super().post(*args, **kwargs)

    def get_form_step_data(self, form):
        data = dict(form.data.lists())
        data.pop("csrfmiddlewaretoken", None)  # never kept with the answers
        return data

    def render_done(self, form, **kwargs):
        # formtools' named-URL wizard redirects to a "done" address and acts on the GET that follows;
        # here the POST of the check page acts, so no GET ever sends anything.
        try:
            return super(NamedUrlWizardView, self).render_done(form, **kwargs)
        except ShownAgain as again:
            return again.response

    def first_unanswered_step(self) -> str | None:
        for step in self.get_form_list():
            if step != CHECK_STEP and self.storage.get_step_data(step) is None:
                return step
        return None

    def render_next_step(self, form, **kwargs):
        if self.storage.extra_data.get(CHANGING_KEY) and self.first_unanswered_step() is None:
            self.storage.current_step = CHECK_STEP
            return redirect(self.get_step_url(CHECK_STEP))
        return super().render_next_step(form, **kwargs)

    # Pages -------------------------------------------------------------------------------------------

    def get_template_names(self):
        return [self.check_template_name] if self.steps.current == CHECK_STEP else [self.template_name]

    def previous_url(self) -> str:
        previous = self.steps.prev
        return self.get_step_url(previous) if previous else self.outside_url()

    def outside_url(self) -> str:
        """Where "Back" goes from the first question."""
        return reverse("home")

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        context.update({
            "journey_title": self.journey_title,
            "question_title": self.check_title if step == CHECK_STEP else self.step_titles.get(step, ""),
            "back_url": self.previous_url(),
            "start_again_url": self.start_url(),
            "errors": summary_errors(form) if form.is_bound else [],
            "send_label": self.send_label,
        })
        if step == CHECK_STEP:
            context["answer_sections"] = self.answer_sections()
        return context

    # Check your answers ------------------------------------------------------------------------------

    def answer_sections(self) -> list[dict]:
        """Each question page's answers, as rows of a summary list with a Change link."""
        sections = []
        for step in self.get_form_list():
            if step == CHECK_STEP:
                continue
            form = self.get_form(step=step, data=self.storage.get_step_data(step),
                                 files=self.storage.get_step_files(step))
            if not form.is_valid():
                continue
            sections.append({"title": self.step_titles.get(step, step), "rows": self.answer_rows(step, form),
                             "change_url": self.get_step_url(step)})
        return sections

    def answer_rows(self, step: str, form: forms.Form) -> list[dict]:
        """Rows for one page: a form may give its own (`answers_for_check`), else one per field."""
        if hasattr(form, "answers_for_check"):
            return form.answers_for_check()
        hidden = set(self.unlisted_fields.get(step, ()))
        return field_rows(form, [name for name in form.fields if name not in hidden and not form[name].is_hidden])


def field_rows(form: forms.Form, names) -> list[dict]:
    """One row of check your answers per named field, with its label."""
    return [answer_row(form[name].label, display_value(form, name), field=form[name].auto_id) for name in names]


def answer_row(key: str, value, *, field: str = "") -> dict:
    """One row of check your answers: a list of choices shows as a list, text as written."""
    if isinstance(value, list):
        return {"key": key, "choices": value, "value": "", "field": field}
    return {"key": key, "choices": [], "value": value, "field": field}


def display_value(form: forms.Form, name: str):
    """What someone chose or typed, as they saw it: choices by their labels, yes and no in words."""
    value = form.cleaned_data.get(name)
    field = form.fields[name]
    choices = dict(getattr(field, "choices", ()) or ())
    if isinstance(value, (list, tuple)):
        return [str(choices.get(item, item)) for item in value] or ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return ""
    if choices:
        raw = form.data.get(form.add_prefix(name), value)
        return str(choices.get(raw, choices.get(value, value)))
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    return str(value)
