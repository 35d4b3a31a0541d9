"""Consent withdrawn (DOMAIN §4): the work it covered pauses, the assessment cannot be completed, and the
episode leads the worker to the refusal path (meet the needs another way, or refer to Children's Social Care)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.episodes.models import EpisodeState
from earlyhelp.episodes.services.assessment import AssessmentIncomplete, assessment_complete
from earlyhelp.episodes.services.plan import plan_agree
from earlyhelp.sharing import selectors, services
from earlyhelp.sharing.models import ConsentDecision, ConsentMethod, ConsentScope
from earlyhelp.web.refusals import Refused

from .builders import make_episode


def _give(episode, by, person):
    (consent,) = services.consent_record(
        episode=episode, person_id=person.pk, scopes=[ConsentScope.ASSESSMENT], agencies=[],
        decision=ConsentDecision.GIVEN, method=ConsentMethod.WRITTEN,
        given_on=timezone.localdate() - timedelta(days=2), recorded_by=by)
    return consent


def _withdraw(consent, by):
    services.consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(), reason="We want a break.", by=by)


@pytest.fixture
def started(episode, practitioner):
    """The mother, the only parent asked, agreed: the assessment is in progress."""
    consent = _give(episode, practitioner, episode.mother)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT
    return episode, consent


def test_rule_withdrawal_by_the_only_parent_who_agreed_pauses_the_work(started, practitioner):
    episode, consent = started
    assert selectors.consent_pause(episode) is None
    _withdraw(consent, practitioner)
    pause = selectors.consent_pause(episode)
    assert pause is not None and pause.names == "Grace Okafor" and pause.withdrawn_on == timezone.localdate()
    assert pause.stage == "The assessment"
    assert selectors.consent_summary_for_episode(episode)["pause"] == pause


def test_rule_another_parents_current_consent_keeps_the_work_going(started, practitioner):
    episode, consent = started
    _give(episode, practitioner, episode.father)
    _withdraw(consent, practitioner)
    assert selectors.consent_pause(episode) is None


def test_rule_a_childs_consent_alone_does_not_resume_the_work(started, practitioner):
    episode, consent = started
    _give(episode, practitioner, episode.teen)
    _withdraw(consent, practitioner)
    assert selectors.consent_pause(episode) is not None


def test_rule_the_parent_agreeing_again_resumes_the_work(started, practitioner):
    episode, consent = started
    _withdraw(consent, practitioner)
    _give(episode, practitioner, episode.mother)
    assert selectors.consent_pause(episode) is None


def test_rule_the_assessment_cannot_be_completed_while_consent_is_withdrawn(started, practitioner):
    episode, consent = started
    with pytest.raises(AssessmentIncomplete):  # with consent, only the missing parts stop it
        assessment_complete(assessment=episode.assessment, by=practitioner)
    _withdraw(consent, practitioner)
    with pytest.raises(Refused, match="Grace Okafor withdrew consent .* the assessment cannot be completed"):
        assessment_complete(assessment=episode.assessment, by=practitioner)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT and episode.assessment.completed_by is None


def test_rule_the_plan_cannot_be_agreed_while_consent_is_withdrawn(practitioner):
    episode = make_episode(lead=practitioner, name="Mensah", state=EpisodeState.PLANNING)
    consent = _give(episode, practitioner, episode.mother)  # does not move a planning episode
    _withdraw(consent, practitioner)
    with pytest.raises(Refused, match="the plan cannot be agreed"):
        plan_agree(episode=episode, by=practitioner)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING


def test_a_closed_episode_is_not_paused(started, practitioner):
    episode, consent = started
    _withdraw(consent, practitioner)
    services.episode_close_for_consent(episode=episode, by=practitioner, summary_for_family="You asked us to stop.",
                                       needs_met_how="The school will keep in touch.", needs_will_escalate=False)
    episode.refresh_from_db()
    assert selectors.consent_pause(episode) is None


def test_rule_closing_after_withdrawal_says_how_needs_are_met_and_refers_when_they_will_escalate(
        started, practitioner):
    """DOMAIN §4: consider how the needs might still be met and whether, without help, they will escalate;
    if so, the way is a referral to Children's Social Care, not closing."""
    episode, consent = started
    _withdraw(consent, practitioner)
    with pytest.raises(ValidationError) as missing:
        services.episode_close_for_consent(episode=episode, by=practitioner, summary_for_family="Goodbye.")
    assert set(missing.value.message_dict) == {"needs_met_how", "needs_will_escalate"}
    with pytest.raises(ValidationError) as escalates:
        services.episode_close_for_consent(episode=episode, by=practitioner, summary_for_family="Goodbye.",
                                           needs_met_how="Nobody else is involved.", needs_will_escalate=True)
    assert "refer to Children's Social Care" in escalates.value.message_dict["needs_will_escalate"][0]
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT
    services.episode_close_for_consent(episode=episode, by=practitioner, summary_for_family="Goodbye.",
                                       needs_met_how="The health visitor keeps visiting.", needs_will_escalate=False)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED
    event = episode.events.filter(kind="consent_withdrawn").get()
    assert "met another way: The health visitor keeps visiting." in event.summary


def test_every_page_of_the_episode_shows_the_pause_and_the_refusal_path(client, started, practitioner):
    episode, consent = started
    client.force_login(practitioner)
    overview = reverse("episode-detail", args=[episode.pk])
    assert 'id="consent-paused"' not in client.get(overview).content.decode()
    _withdraw(consent, practitioner)
    for name in ("episode-detail", "episode-assessment", "episode-consent", "episode-plan", "episode-sharing"):
        page = client.get(reverse(name, args=[episode.pk])).content.decode()
        assert 'id="consent-paused"' in page, name
        stage = page.split('id="episode-stage"')[1].split("</dd>")[0]
        assert "Paused: consent withdrawn" in stage and "Assessment in progress" not in stage, name
        path = page.split('id="refusal-path"')[1].split("</ul>")[0]
        assert reverse("episode-consent-close", kwargs={"episode_id": episode.pk}) in path, name
        assert reverse("episode-step-up", args=[episode.pk]) in path, name
        assert reverse("harm-referral-create", kwargs={"family_id": episode.family_id}) in path, name


def test_the_assessment_page_shows_a_plain_refusal_and_completing_answers_409(client, started, practitioner):
    episode, consent = started
    _withdraw(consent, practitioner)
    client.force_login(practitioner)
    page = client.get(reverse("episode-assessment", args=[episode.pk])).content.decode()
    assert 'id="complete-refused"' in page
    assert reverse("episode-assessment-complete", args=[episode.pk]) not in page
    response = client.post(reverse("episode-assessment-complete", args=[episode.pk]))
    assert response.status_code == 409
    assert "Grace Okafor withdrew consent" in response.content.decode()
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT
