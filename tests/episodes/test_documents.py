"""The family's copies of the assessment and the plan (DOMAIN §4): plain English, rendered to PDF."""

from datetime import date

import pytest

from earlyhelp.episodes import documents
from earlyhelp.episodes.models import ActionStatus, Episode, Outcome, PlanAction
from earlyhelp.episodes.services import assessment as service

from .test_assessment_support import build_episode, fill_every_part


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def assessment(practitioner):
    episode, _ = build_episode(lead=practitioner)
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    service.assessment_engagement_save(
        assessment=assessment, by=practitioner, engagement_attempts="Two home visits",
        not_assessed="Dad's views: he works away", risk_to_workers="Threatened a worker on 3 March",
    )
    return assessment


def test_the_assessment_document_says_what_the_family_needs_to_read(assessment):
    html = documents.assessment_document_html(assessment=assessment)

    for expected in (
        "Early Help Assessment: " + assessment.episode.family.name,
        "Draft: this assessment is not finished yet",
        "Amara Adeyemi", "Tobi Adeyemi",
        "What Amara told us", "Amara wants Mum to be less tired.",
        "How we listened to Tobi", "Seen alone at school, with drawings.",
        "Child&#x27;s developmental needs", "Registered with a GP", "Missed dental checks", "6 out of 10",
        "Bola says she is exhausted.", "Routines at home", "School attendance will fall further",
        "Mental health: concerns about the parent or carer", "Young carer",
        "Dad&#x27;s views: he works away",
        "Tom Fletcher",  # the lead professional, with how to reach them
    ):
        assert expected in html, expected
    # The family's copy never carries the note about risk to workers.
    assert "Threatened a worker" not in html


def test_the_assessment_document_is_no_longer_a_draft_once_complete(assessment, practitioner, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    service.assessment_complete(assessment=assessment, by=practitioner)
    assessment.refresh_from_db()
    html = documents.assessment_document_html(assessment=assessment)
    assert "Draft" not in html and f"{assessment.completed_on:%-d %B %Y}" in html


def test_the_assessment_pdf_is_a_pdf(assessment):
    pdf = documents.assessment_pdf(assessment=assessment)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_the_plan_document_lists_outcomes_actions_who_by_when_and_the_next_review(assessment, practitioner):
    episode = assessment.episode
    Episode.objects.filter(pk=episode.pk).update(review_due_on=date(2027, 2, 12), review_latest_on=date(2027, 3, 26))
    episode.refresh_from_db()
    people = {person.first_name: person for person in episode.family.members.all()}
    outcome = Outcome.objects.create(episode=episode, in_familys_words="Mornings are calm and Amara is on time",
                                     needs=["7A"])
    PlanAction.objects.create(outcome=outcome, description="Set out school clothes the night before",
                              owner_person=people["Bola"], due_on=date(2027, 1, 15), status=ActionStatus.IN_PROGRESS)
    PlanAction.objects.create(outcome=outcome, description="Young carers group referral", owner_user=practitioner,
                              due_on=date(2027, 1, 29))

    html = documents.plan_document_html(episode=episode)

    for expected in (
        "Our family plan", "Mornings are calm and Amara is on time", "This helps with: Young carer",
        "Set out school clothes the night before", "Bola Adeyemi", "15 January 2027", "In progress",
        "Young carers group referral", f"Tom Fletcher, {practitioner.agency.name}", "29 January 2027", "Not started",
        "On or before 12 February 2027", "no later than 26 March 2027",
    ):
        assert expected in html, expected
    assert documents.plan_pdf(episode=episode).startswith(b"%PDF")


def test_documents_never_fetch_anything(assessment, monkeypatch):
    """A document built from typed text cannot make the server fetch a URL someone wrote into it."""
    calls = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda *args, **kwargs: calls.append(args))
    html = '<p>Hi</p><img src="http://example.invalid/tracker.png"><link rel="stylesheet" href="file:///etc/passwd">'
    assert documents.html_to_pdf(html).startswith(b"%PDF")
    assert calls == []
