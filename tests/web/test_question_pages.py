"""The question pages' own behaviour (web/question_pages.py), on a journey of two questions made here."""

import pytest
from django import forms
from django.shortcuts import redirect
from django.test import override_settings
from django.urls import include, path, reverse

from earlyhelp.web.models import Draft
from earlyhelp.web.question_pages import CHECK_STEP, CheckAnswersForm, QuestionPages, ShownAgain

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField(label="Name")


class RefusingPages(QuestionPages):
    """Sends unless the name is "refused", as a service that refuses the answers as a whole would."""

    form_list = [("name", NameForm), (CHECK_STEP, CheckAnswersForm)]
    url_name = "questions-test-step"
    step_titles = {"name": "Your name"}

    def done(self, form_list, form_dict, **kwargs):
        if form_dict["name"].cleaned_data["name"] == "refused":
            self.storage.current_step = "name"
            raise ShownAgain(self.render(form_dict["name"]))
        return redirect("home")


urlpatterns = [
    path("questions/", RefusingPages.as_view(url_name="questions-test-step"), name="questions-test"),
    path("questions/<str:step>/", RefusingPages.as_view(url_name="questions-test-step"), name="questions-test-step"),
    path("", include("earlyhelp.config.urls")),  # the service's own pages, which every page links to
]

PREFIX = "questions-questions-test-step"
DRAFT_KEY = f"wizard_{PREFIX}"


def _send(client, step, data):
    return client.post(reverse("questions-test-step", kwargs={"step": step}),
                       {f"{PREFIX}-current_step": step, **{f"{step}-{key}": value for key, value in data.items()}})


@override_settings(ROOT_URLCONF=__name__)
def test_a_send_the_service_refuses_shows_the_page_again_and_keeps_every_answer(client, django_user_model):
    user = django_user_model.objects.create_user(username="asker", password="x")
    client.force_login(user)
    assert _send(client, "name", {"name": "refused"}).status_code == 302
    refused = _send(client, CHECK_STEP, {})
    assert refused.status_code == 200 and "Your name" in refused.content.decode()
    kept = Draft.objects.get(user=user, key=DRAFT_KEY).data
    assert kept["step_data"]["name"]["name-name"] == ["refused"]  # nothing typed is lost

    assert _send(client, "name", {"name": "Ann"}).status_code == 302
    assert _send(client, CHECK_STEP, {})["Location"] == reverse("home")
    assert not Draft.objects.filter(user=user, key=DRAFT_KEY).exists()  # sent: the answers go
