"""'Ask for early help' as question pages: the checklist first, check your answers, nothing sent until then."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AccessRecord
from earlyhelp.frontdoor.models import PreAssessmentChecklist, RequestForSupport, RequestPerson
from earlyhelp.web.models import Draft

from .factories import make_family


@pytest.fixture
def partner(demo_user):
    return demo_user("partner")


ANSWERS = {
    "lead": {"existing_lead": "checked_none"},
    "checklist": {
        "child_progressing_well": "no", "needs_met_by_own_service": "no", "other_statutory_assessment": "no",
        "low_needs_single_agency": "no", "more_than_one_service_needed": "yes", "harm_concern": "no",
    },
    "children": {"child-1-first_name": "Ellie", "child-1-last_name": "Marsh", "child-1-date_of_birth_0": "9",
                 "child-1-date_of_birth_1": "3", "child-1-date_of_birth_2": "2015"},
    "adults": {"adult-1-first_name": "Kerry", "adult-1-last_name": "Marsh", "adult-1-relationship": "Mum"},
    "concerns": {"concerns": ["sen", "young_carer"], "concern_details": "Ellie looks after her mum and is falling behind.",
                 "already_tried": "Homework club"},
    "family": {"family_agreement": "yes", "child_views": "She wants help", "urgency": "soon"},
    "you": {"requester_relationship": "Class teacher", "contact_phone": "01632 960111",
            "contact_email": "p@example.org"},
}


def _prefix(family=None) -> str:
    return "questions-request-create-step" + (f"-family-{family.pk}" if family else "")


def _url(step, family=None) -> str:
    url = reverse("request-create-step", kwargs={"step": step})
    return f"{url}?family={family.pk}" if family else url


def answer(client, step, data, family=None):
    """Send one question page as a browser would: its fields under the step's prefix."""
    posted = {f"{_prefix(family)}-current_step": step}
    for name, value in data.items():
        posted[f"{step}-{name}"] = value
    return client.post(_url(step, family), posted)


def answer_all(client, family=None, **changes):
    for step, data in ANSWERS.items():
        response = answer(client, step, {**data, **changes.get(step, {})}, family)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response


def test_the_questions_come_in_order_and_end_in_check_your_answers(partner, client):
    client.force_login(partner)
    before = RequestForSupport.objects.count()
    start = client.get(reverse("request-create"))
    assert start["Location"] == _url("lead")
    first = client.get(_url("lead")).content.decode()
    assert "does a child already have a lead professional?" in first
    assert "Check whether the family is already known" in first
    response = answer_all(client)
    assert response["Location"] == _url("check")
    page = client.get(_url("check")).content.decode()
    for words in ("Ellie Marsh, born 9 March 2015", "Kerry Marsh, Mum", "Homework club", "She wants help",
                  "Class teacher", "Send the request"):
        assert words in page
    assert RequestForSupport.objects.count() == before  # nothing sent yet


def test_sending_from_check_your_answers_saves_the_request_and_its_checklist(partner, client):
    client.force_login(partner)
    answer_all(client)
    response = client.post(_url("check"), {f"{_prefix()}-current_step": "check"})
    support_request = RequestForSupport.objects.filter(requested_by=partner).latest("pk")
    assert response["Location"] == reverse("request-submitted", kwargs={"request_id": support_request.pk})
    assert support_request.concerns == ["sen", "young_carer"]
    assert support_request.assessment_factors == []  # the front door records the census factors
    assert support_request.urgency == "soon" and support_request.requester_relationship == "Class teacher"
    children = RequestPerson.objects.filter(request=support_request, is_child=True)
    assert [(c.first_name, c.date_of_birth) for c in children] == [("Ellie", date(2015, 3, 9))]
    checklist = PreAssessmentChecklist.objects.get(request=support_request)
    assert checklist.existing_lead_professional_checked and checklist.more_than_one_service_needed
    assert not Draft.objects.filter(user=partner).exists()  # the answers go once sent


def test_a_change_link_goes_back_to_the_question_and_returns_to_check_your_answers(partner, client):
    client.force_login(partner)
    answer_all(client)
    client.get(_url("check"))
    response = answer(client, "concerns", {**ANSWERS["concerns"], "already_tried": "Breakfast club"})
    assert response["Location"] == _url("check")
    assert "Breakfast club" in client.get(_url("check")).content.decode()


def test_the_answers_are_kept_as_a_draft_that_outlives_the_session(partner, client):
    client.force_login(partner)
    answer(client, "lead", ANSWERS["lead"])
    answer(client, "checklist", ANSWERS["checklist"])
    client.logout()
    client.force_login(partner)
    response = client.get(reverse("request-create"))
    assert response["Location"] == _url("children")  # carries on where they were


def test_opening_check_your_answers_early_goes_to_the_first_unanswered_question(partner, client):
    client.force_login(partner)
    before = RequestForSupport.objects.count()
    answer(client, "lead", ANSWERS["lead"])
    assert client.get(_url("check"))["Location"] == _url("checklist")
    assert client.get(reverse("request-create-step", kwargs={"step": "done"}))["Location"] == _url("check")
    assert RequestForSupport.objects.count() == before


def test_a_missing_reason_is_explained_beside_the_field(partner, client):
    client.force_login(partner)
    response = answer(client, "family", {"family_agreement": "not_told", "urgency": "routine"})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_family-not_told_reason"' in page
    assert "Explain why the family has not been told" in page


def test_why_not_is_asked_under_the_answer_it_belongs_to_and_only_that_reason_is_kept(partner, client):
    """Each answer that is not "yes" reveals its own question; a reason typed under another answer
    is not sent, not shown on check your answers, and does not stand in for the one asked."""
    client.force_login(partner)
    page = client.get(_url("family")).content.decode()
    assert 'data-aria-controls="conditional-id_family-family_agreement-2"' in page  # the reveals are wired
    assert "Why has the family not agreed?" in page and "Why has the family not been told?" in page
    response = answer(client, "family", {"family_agreement": "not_told", "urgency": "routine",
                                         "not_agreed_reason": "Typed under the other answer"})
    assert response.status_code == 422 and 'href="#id_family-not_told_reason"' in response.content.decode()
    answer_all(client)
    answer(client, "family", {"family_agreement": "knows_not_agreed", "not_agreed_reason": "Mum wants to think",
                              "not_told_reason": "Left over from the other answer", "urgency": "routine"})
    check = client.get(_url("check")).content.decode()
    assert "Why has the family not agreed?" in check and "Mum wants to think" in check
    assert "Left over" not in check and "Why has the family not been told?" not in check
    client.post(_url("check"), {f"{_prefix()}-current_step": "check"})
    saved = RequestForSupport.objects.latest("pk")
    assert (saved.family_agreement, saved.no_agreement_reason) == ("knows_not_agreed", "Mum wants to think")


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("31", "2", "2015", "The date of birth must be a real date"),
    ("1", "1", "2099", "Date of birth must be in the past"),
    ("1", "1", "1990", "The date of birth of child 1 must be less than 18 years ago"),
])
def test_impossible_dates_of_birth_are_explained(partner, client, day, month, year, message):
    client.force_login(partner)
    response = answer(client, "children", {**ANSWERS["children"], "child-1-date_of_birth_0": day,
                                           "child-1-date_of_birth_1": month, "child-1-date_of_birth_2": year})
    assert response.status_code == 422 and message in response.content.decode()


def test_a_half_filled_row_asks_for_the_missing_name_and_at_least_one_child_is_named(partner, client):
    client.force_login(partner)
    page = answer(client, "children", {**ANSWERS["children"], "child-2-first_name": "Sam"}).content.decode()
    assert "Enter the last name of child 2" in page
    assert "Enter the name of at least one child" in answer(client, "children", {}).content.decode()


def test_when_the_worries_point_to_harm_and_the_checklist_said_no_the_requester_thinks_again(partner, client):
    client.force_login(partner)
    answer_all(client, concerns={"concerns": ["sen"], "concern_details": "Ellie has gone missing twice this month."},
               you=ANSWERS["you"])
    page = client.get(_url("harm")).content.decode()
    assert "Think again about the signs of harm" in page
    before = RequestForSupport.objects.count()
    response = answer(client, "harm", {"harm_reconsidered": "on"})
    assert response.status_code == 302
    client.post(_url("check"), {f"{_prefix()}-current_step": "check"})
    assert RequestForSupport.objects.count() == before + 1


def test_from_a_family_page_the_people_and_address_are_filled_in_and_its_leads_shown(partner, client):
    family = make_family(practitioner=partner, name="Prefill")
    client.force_login(partner)
    lead = client.get(_url("lead", family)).content.decode()
    assert "Prefill" in lead
    assert AccessRecord.objects.filter(user=partner, family=family).exists()  # the look is recorded
    answer(client, "lead", ANSWERS["lead"], family)
    answer(client, "checklist", ANSWERS["checklist"], family)
    children = client.get(_url("children", family)).content.decode()
    assert 'value="Prefill"' in children and 'value="Ellie"' in children
    stranger = make_family(name="Unknown")
    assert client.get(_url("lead", stranger)).status_code == 403


def test_people_who_do_not_work_with_families_cannot_open_the_questions(demo_user, client):
    client.force_login(demo_user("analyst"))
    assert client.get(reverse("request-create")).status_code == 403
    assert client.get(_url("lead")).status_code == 403


def test_no_question_page_is_long(partner, client):
    """The old single page had about 100 inputs; each question page now has a handful (radios count one
    Tab stop per question)."""
    import re

    client.force_login(partner)
    inputs_per_page, stops_per_page = {}, {}
    for step in ("lead", "checklist", "children", "adults", "concerns", "family", "you"):
        form = client.get(_url(step)).content.decode().split('<form method="post" novalidate>', 1)[1].split("</form>", 1)[0]
        controls = re.findall(r'<(?:input|textarea|select)\b[^>]*>', form)
        controls = [c for c in controls if 'type="hidden"' not in c]
        radio_groups = {re.search(r'name="([^"]+)"', c).group(1) for c in controls if 'type="radio"' in c}
        inputs_per_page[step] = len(controls)
        stops_per_page[step] = len([c for c in controls if 'type="radio"' not in c]) + len(radio_groups) + 1
    assert min(inputs_per_page.values()) > 0 and max(inputs_per_page.values()) <= 20, inputs_per_page
    assert sum(stops_per_page.values()) < 100, stops_per_page
    print("inputs per page", inputs_per_page, "Tab stops per page", stops_per_page)


def test_who_leads_is_asked_only_when_there_is_a_lead(partner, client):
    client.force_login(partner)
    page = client.get(_url("lead")).content.decode()
    assert 'data-aria-controls="conditional-' in page  # revealed by "already has a lead professional"
    answer(client, "lead", {"existing_lead": "checked_found", "existing_lead_professional": ""})
    assert "Enter who the lead professional is" in answer(
        client, "lead", {"existing_lead": "checked_found"}).content.decode()
    assert answer(client, "lead", {"existing_lead": "checked_none",
                                   "existing_lead_professional": "Typed then changed"}).status_code == 302
