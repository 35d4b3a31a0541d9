"""Consent (DOMAIN §4): recorded per person, refusal with its judgement, and the moves it causes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.audit.models import AccessRecord
from earlyhelp.calendar.working_days import add_working_days
from earlyhelp.episodes.models import Assessment, Closure, ClosureReason, DueKind, EpisodeEvent, EpisodeState
from earlyhelp.episodes.transitions import Action
from earlyhelp.sharing import selectors, services
from earlyhelp.sharing.models import Consent, ConsentDecision, ConsentMethod, ConsentScope
from earlyhelp.web.refusals import Refused

from .builders import make_episode


def today():
    return timezone.localdate()


def record(episode, by, person, decision=ConsentDecision.GIVEN, **overrides):
    values = {
        "episode": episode, "person_id": person.pk, "scopes": [ConsentScope.ASSESSMENT], "agencies": [],
        "decision": decision, "method": ConsentMethod.WRITTEN, "given_on": today() - timedelta(days=1), "recorded_by": by,
    }
    if decision == ConsentDecision.REFUSED:
        values.update(refusal_reason="We are managing on our own.", needs_will_escalate=False,
                      escalation_judgement="School attendance is improving; the school will keep in touch.")
    values.update(overrides)
    return services.consent_record(**values)


# Refusal ----------------------------------------------------------------------------------------


def test_a_refusal_needs_its_reason_and_the_practitioners_judgement(episode, practitioner):
    with pytest.raises(ValidationError) as refused:
        record(episode, practitioner, episode.mother, ConsentDecision.REFUSED,
               refusal_reason="  ", needs_will_escalate=None, escalation_judgement="")
    assert set(refused.value.message_dict) == {"refusal_reason", "needs_will_escalate", "escalation_judgement"}
    assert not Consent.objects.filter(episode=episode).exists()

    with pytest.raises(ValidationError) as refused:
        record(episode, practitioner, episode.mother, ConsentDecision.REFUSED, escalation_judgement="")
    assert set(refused.value.message_dict) == {"escalation_judgement"}
    assert not Consent.objects.filter(episode=episode).exists()

    (consent,) = record(episode, practitioner, episode.mother, ConsentDecision.REFUSED, needs_will_escalate=True)
    assert consent.needs_will_escalate is True and consent.refusal_reason
    episode.refresh_from_db()
    assert episode.state == EpisodeState.AWAITING_CONSENT


def test_a_given_consent_keeps_no_refusal_details(episode, practitioner):
    (consent,) = record(episode, practitioner, episode.mother, refusal_reason="typed by mistake",
                        needs_will_escalate=True, escalation_judgement="typed by mistake")
    assert (consent.refusal_reason, consent.needs_will_escalate, consent.escalation_judgement) == ("", None, "")


def test_the_decision_date_cannot_be_in_the_future_and_sharing_names_its_agencies(episode, practitioner):
    with pytest.raises(ValidationError) as refused:
        record(episode, practitioner, episode.mother, given_on=today() + timedelta(days=1),
               scopes=[ConsentScope.SHARING])
    assert refused.value.message_dict["given_on"] == ["The date of the decision cannot be in the future"]
    assert refused.value.message_dict["agencies"] == ["Select the agencies the decision about sharing information covers"]
    assert not Consent.objects.filter(episode=episode).exists()


def test_only_people_in_the_family_can_consent(episode, practitioner):
    stranger = make_episode(lead=practitioner, name="Stranger").mother
    with pytest.raises(ValidationError) as refused:
        record(episode, practitioner, stranger)
    assert "person" in refused.value.message_dict


def test_only_the_episodes_workers_may_record_consent(episode, seeded):
    other = User.objects.filter(role=Role.EARLY_HELP_PRACTITIONER).exclude(teams=episode.team_id).first()
    with pytest.raises(PermissionDenied):
        record(episode, other, episode.mother)
    assert not Consent.objects.filter(episode=episode).exists()


# Consent given moves the episode ----------------------------------------------------------------


def test_a_parents_consent_starts_the_assessment_and_refreshes_the_due_date(episode, practitioner):
    episode.next_due_kind = DueKind.CONSENT
    episode.save()
    record(episode, practitioner, episode.mother, method=ConsentMethod.VERBAL)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT
    # The assessment itself starts, a section for each child, due 10 working days from today
    # (not from the day the episode opened), and that is the episode's due date.
    assessment = Assessment.objects.get(episode=episode)
    assert assessment.started_on == today()
    assert assessment.due_on == add_working_days(today(), 10)
    assert {section.child_id for section in assessment.child_sections.all()} == {episode.teen.pk, episode.young.pk}
    assert episode.next_due_kind == DueKind.ASSESSMENT
    assert episode.next_due_on == assessment.due_on
    move = EpisodeEvent.objects.get(episode=episode, kind=Action.CONSENT_GIVEN)
    assert (move.from_state, move.to_state, move.by) == (EpisodeState.AWAITING_CONSENT, EpisodeState.ASSESSMENT, practitioner)

    # A second parent's consent is recorded without trying to move the episode or start the assessment again.
    record(episode, practitioner, episode.father)
    assert EpisodeEvent.objects.filter(episode=episode, kind=Action.CONSENT_GIVEN).count() == 1
    assert Assessment.objects.filter(episode=episode).count() == 1


def test_a_childs_own_consent_is_recorded_but_does_not_start_the_assessment(episode, practitioner):
    record(episode, practitioner, episode.teen)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.AWAITING_CONSENT
    assert not Assessment.objects.filter(episode=episode).exists()
    summary = selectors.consent_summary_for_episode(episode)
    assert summary["status"] == "A parent or carer has not agreed yet"


def test_consent_only_to_sharing_does_not_start_the_assessment(episode, practitioner):
    agency = selectors.consent_agency_choices(episode).first()
    record(episode, practitioner, episode.mother, scopes=[ConsentScope.SHARING], agencies=[agency])
    episode.refresh_from_db()
    assert episode.state == EpisodeState.AWAITING_CONSENT
    assert not Assessment.objects.filter(episode=episode).exists()


# Closing when consent is refused or withdrawn --------------------------------------------------


def test_closing_is_offered_only_once_every_parent_asked_has_refused(episode, practitioner):
    assert selectors.consent_close_offer(episode) is None
    record(episode, practitioner, episode.mother, ConsentDecision.REFUSED)
    offer = selectors.consent_close_offer(episode)
    assert offer["action"] == Action.CONSENT_REFUSED

    services.episode_close_for_consent(episode=episode, by=practitioner,
                                       summary_for_family="You told us you do not want early help now.")
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED and episode.closed_on == today()
    assert episode.closure.reason == ClosureReason.CONSENT_REFUSED
    assert EpisodeEvent.objects.filter(episode=episode, kind=Action.CONSENT_REFUSED).exists()
    assert episode.next_due_on is None


def test_no_closing_for_refusal_while_another_parent_has_agreed(episode, practitioner):
    record(episode, practitioner, episode.mother, ConsentDecision.REFUSED)
    record(episode, practitioner, episode.father)
    assert selectors.consent_close_offer(episode) is None
    with pytest.raises(ValidationError):
        services.episode_close_for_consent(episode=episode, by=practitioner, summary_for_family="Closing.")
    assert not Closure.objects.filter(episode=episode).exists()


def test_closing_needs_a_summary_for_the_family(episode, practitioner):
    record(episode, practitioner, episode.mother, ConsentDecision.REFUSED)
    with pytest.raises(ValidationError) as refused:
        services.episode_close_for_consent(episode=episode, by=practitioner, summary_for_family=" ")
    assert "summary_for_family" in refused.value.message_dict
    episode.refresh_from_db()
    assert episode.state == EpisodeState.AWAITING_CONSENT


def test_withdrawal_needs_a_sensible_date_and_a_reason(episode, practitioner):
    (consent,) = record(episode, practitioner, episode.mother, given_on=today() - timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        services.consent_withdraw(consent=consent, withdrawn_on=today() - timedelta(days=4), reason="", by=practitioner)
    assert set(refused.value.message_dict) == {"withdrawn_on", "reason"}
    with pytest.raises(ValidationError) as refused:
        services.consent_withdraw(consent=consent, withdrawn_on=today() + timedelta(days=1), reason="x", by=practitioner)
    assert refused.value.message_dict["withdrawn_on"] == ["The date consent was withdrawn cannot be in the future"]
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawal_by_every_parent_offers_closing_as_withdrawn(episode, practitioner):
    (mother,) = record(episode, practitioner, episode.mother)
    (father,) = record(episode, practitioner, episode.father)
    services.consent_withdraw(consent=mother, withdrawn_on=today(), reason="We want a break.", by=practitioner)
    assert selectors.consent_close_offer(episode) is None  # the father's consent still stands
    services.consent_withdraw(consent=father, withdrawn_on=today(), reason="We want a break.", by=practitioner)
    assert selectors.consent_summary_for_episode(episode)["status"] == "Withdrawn"
    assert selectors.consent_close_offer(episode)["action"] == Action.CONSENT_WITHDRAWN
    with pytest.raises(Refused):
        services.consent_withdraw(consent=father, withdrawn_on=today(), reason="Again.", by=practitioner)

    services.episode_close_for_consent(episode=episode, by=practitioner, summary_for_family="You asked us to stop.",
                                       needs_met_how="The school nurse keeps seeing Chidi.", needs_will_escalate=False)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED
    assert episode.closure.reason == ClosureReason.CONSENT_WITHDRAWN


# The status shown on every page ---------------------------------------------------------------


def test_the_consent_status_takes_one_query(episode, practitioner, django_assert_num_queries):
    record(episode, practitioner, episode.mother, ConsentDecision.REFUSED)
    record(episode, practitioner, episode.father, method=ConsentMethod.VERBAL)
    record(episode, practitioner, episode.teen)
    with django_assert_num_queries(1):
        summary = selectors.consent_summary_for_episode(episode)
        names = [c.person.first_name for c in summary["given"] + summary["refused"]]
    assert summary["status"] == "Given"
    assert sorted(names) == ["Chidi", "Daniel", "Grace"]


def test_a_later_decision_replaces_the_earlier_one(episode, practitioner):
    record(episode, practitioner, episode.mother, ConsentDecision.REFUSED, given_on=today() - timedelta(days=5))
    assert selectors.consent_summary_for_episode(episode)["status"] == "Refused"
    record(episode, practitioner, episode.mother, given_on=today() - timedelta(days=1))
    assert selectors.consent_summary_for_episode(episode)["status"] == "Given"


# Pages ---------------------------------------------------------------------------------------------


def _consent_post(person, **overrides):
    data = {
        "person": person.pk, "scopes": [ConsentScope.ASSESSMENT], "decision": ConsentDecision.GIVEN,
        "method": ConsentMethod.WRITTEN, "given_on_0": today().day, "given_on_1": today().month,
        "given_on_2": today().year,
    }
    data.update(overrides)
    return data


def test_the_consent_page_writes_one_audit_record_per_view(client, episode, practitioner):
    client.force_login(practitioner)
    before = AccessRecord.objects.filter(family=episode.family).count()
    response = client.get(reverse("episode-consent", kwargs={"episode_id": episode.pk}))
    assert response.status_code == 200
    assert AccessRecord.objects.filter(family=episode.family).count() == before + 1
    client.post(reverse("episode-consent", kwargs={"episode_id": episode.pk}), _consent_post(episode.mother))
    assert AccessRecord.objects.filter(family=episode.family).count() == before + 2


def test_the_form_explains_a_refusal_without_its_reason_beside_the_field(client, episode, practitioner):
    client.force_login(practitioner)
    response = client.post(
        reverse("episode-consent", kwargs={"episode_id": episode.pk}),
        _consent_post(episode.mother, decision=ConsentDecision.REFUSED, given_on_0="31", given_on_1="2"),
    )
    page = response.content.decode()
    assert "The date of the decision must be a real date" in page
    # The date is wrong, so the service never ran; fix it and the refusal rules speak.
    response = client.post(
        reverse("episode-consent", kwargs={"episode_id": episode.pk}),
        _consent_post(episode.mother, decision=ConsentDecision.REFUSED),
    )
    page = response.content.decode()
    assert "Enter why consent was refused" in page
    assert "Explain your judgement" in page
    assert not Consent.objects.filter(episode=episode).exists()


def test_a_refusal_judged_to_escalate_offers_the_harm_referral_in_one_step(client, episode, practitioner):
    client.force_login(practitioner)
    response = client.post(
        reverse("episode-consent", kwargs={"episode_id": episode.pk}),
        _consent_post(episode.mother, decision=ConsentDecision.REFUSED, refusal_reason="No thank you.",
                      needs_will_escalate="yes", escalation_judgement="Neglect is getting worse."),
        follow=True,
    )
    page = response.content.decode()
    harm_url = reverse("harm-referral-create", kwargs={"family_id": episode.family_id})
    assert f'href="{harm_url}"' in page
    assert "Raise a concern of significant harm" in page
    # Judged not to escalate: no route is pushed at the practitioner on the confirmation.
    response = client.post(
        reverse("episode-consent", kwargs={"episode_id": episode.pk}),
        _consent_post(episode.father, decision=ConsentDecision.REFUSED, refusal_reason="No.",
                      needs_will_escalate="no", escalation_judgement="Needs are being met by school."),
        follow=True,
    )
    assert "govuk-button--warning" not in response.content.decode()


def test_others_who_can_see_the_episode_cannot_record_consent(client, episode, seeded):
    from earlyhelp.people.models import Involvement

    partner = User.objects.get(username="partner")
    Involvement.objects.create(person=episode.teen, agency=partner.agency, practitioner=partner)
    client.force_login(partner)
    url = reverse("episode-consent", kwargs={"episode_id": episode.pk})
    assert "Record a decision" not in client.get(url).content.decode()
    assert client.post(url, _consent_post(episode.mother)).status_code == 403
    assert not Consent.objects.filter(episode=episode).exists()


def test_an_earlier_decision_shows_as_replaced_and_cannot_be_withdrawn(client, episode, practitioner):
    (verbal,) = record(episode, practitioner, episode.mother, method=ConsentMethod.VERBAL,
                       given_on=today() - timedelta(days=2))
    (written,) = record(episode, practitioner, episode.mother)
    records = {consent.pk: consent for consent in selectors.consent_records_for_episode(episode)}
    assert records[verbal.pk].superseded and not records[written.pk].superseded
    client.force_login(practitioner)
    page = client.get(reverse("episode-consent", kwargs={"episode_id": episode.pk})).content.decode()
    assert page.count("Replaced by a later decision") == 1
    assert reverse("episode-consent-withdraw", kwargs={"episode_id": episode.pk, "consent_id": written.pk}) in page
    assert reverse("episode-consent-withdraw", kwargs={"episode_id": episode.pk, "consent_id": verbal.pk}) not in page


def test_withdrawing_then_closing_through_the_pages(client, episode, practitioner):
    (consent,) = record(episode, practitioner, episode.mother, given_on=today() - timedelta(days=2))
    client.force_login(practitioner)
    withdraw_url = reverse("episode-consent-withdraw", kwargs={"episode_id": episode.pk, "consent_id": consent.pk})
    consent_url = reverse("episode-consent", kwargs={"episode_id": episode.pk})
    close_url = reverse("episode-consent-close", kwargs={"episode_id": episode.pk})
    assert client.get(close_url).status_code == 302  # nothing to close on while consent stands

    response = client.post(withdraw_url, {"withdrawn_on_0": "", "withdrawn_on_1": "", "withdrawn_on_2": "", "reason": ""})
    page = response.content.decode()
    assert "Enter the date consent was withdrawn" in page and "Enter why consent was withdrawn" in page
    consent.refresh_from_db()
    assert consent.withdrawn_on is None

    response = client.post(withdraw_url, {
        "withdrawn_on_0": today().day, "withdrawn_on_1": today().month, "withdrawn_on_2": today().year,
        "reason": "Mum says things are better now.",
    }, follow=True)
    page = response.content.decode()
    assert "Close the episode because consent was withdrawn" in page
    assert 'id="consent-status">Consent: Withdrawn' in page

    response = client.post(close_url, {"summary_for_family": ""})
    page = response.content.decode()
    assert "Enter what you will tell the family" in page
    assert "Enter how the children&#x27;s needs will be met without early help" in page
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT

    response = client.post(close_url, {"summary_for_family": "You asked us to stop; call us any time.",
                                       "needs_met_how": "The school keeps an eye on attendance.",
                                       "needs_will_escalate": "no"}, follow=True)
    assert response.redirect_chain[-1][0] == consent_url
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED
    assert episode.closure.summary_for_family == "You asked us to stop; call us any time."
    assert "Record a decision" not in response.content.decode()  # a closed episode's consent is history
