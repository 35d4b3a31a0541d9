"""The information-sharing log (DOMAIN §4): every decision recorded; sharing without consent
needs a listed circumstance and a justification, and is shown to the team manager."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Role, Team, TeamKind, User
from earlyhelp.audit.models import AccessRecord
from earlyhelp.frontdoor.models import Notification
from earlyhelp.sharing import selectors, services
from earlyhelp.sharing.models import ConsentMethod, ConsentScope, LawfulBasis, SharingDecision

from .builders import make_episode


@pytest.fixture
def police(seeded):
    return Agency.objects.get(kind=AgencyKind.POLICE)


@pytest.fixture
def camhs(seeded):
    return Agency.objects.get(kind=AgencyKind.CAMHS)


def share(episode, by, **overrides):
    values = {
        "episode": episode, "decided_by": by, "shared": True, "what": "Attendance and the school's concerns about Chidi.",
        "with_agency": None, "with_whom": "", "why": "To plan support with the family's agreement.",
        "lawful_basis": LawfulBasis.CONSENT, "justification": "", "consulted": "",
    }
    values.update(overrides)
    return services.sharing_decision_record(**values)


def give_sharing_consent(episode, by, agencies, person=None):
    return services.consent_record(
        episode=episode, person_id=(person or episode.mother).pk, scopes=[ConsentScope.SHARING],
        agencies=agencies, decision="given", method=ConsentMethod.WRITTEN,
        given_on=timezone.localdate() - timedelta(days=1), recorded_by=by,
    )


# Sharing without consent ------------------------------------------------------------------------


def test_sharing_without_consent_is_refused_without_a_listed_circumstance(episode, practitioner, police):
    for basis in ("", "because_i_think_so"):
        with pytest.raises(ValidationError) as refused:
            share(episode, practitioner, with_agency=police, lawful_basis=basis,
                  justification="The police asked and I thought it best.")
        assert "lawful_basis" in refused.value.message_dict
    assert not SharingDecision.objects.filter(episode=episode).exists()


def test_sharing_without_consent_is_refused_without_a_written_justification(episode, practitioner, police):
    for basis in (LawfulBasis.HEALTH_DEVELOPMENT, LawfulBasis.SIGNIFICANT_HARM, LawfulBasis.PREVENT_HARM):
        with pytest.raises(ValidationError) as refused:
            share(episode, practitioner, with_agency=police, lawful_basis=basis, justification="   ")
        assert list(refused.value.message_dict) == ["justification"]
    assert not SharingDecision.objects.filter(episode=episode).exists()


def test_the_database_itself_refuses_sharing_without_consent_unjustified(episode, practitioner, police):
    with pytest.raises(IntegrityError), transaction.atomic():
        SharingDecision.objects.create(
            family=episode.family, episode=episode, shared=True, what="x", with_agency=police, why="x",
            lawful_basis=LawfulBasis.SIGNIFICANT_HARM, justification="", decided_by=practitioner,
            decided_at=timezone.now(),
        )


def test_consent_as_the_basis_needs_current_consent_for_that_agency(episode, practitioner, police, camhs):
    with pytest.raises(ValidationError) as refused:
        share(episode, practitioner, with_agency=police)
    message = refused.value.message_dict["lawful_basis"][0]
    assert "No one in the family has current consent to share information with Police Vulnerability Hub" in message

    (consent,) = give_sharing_consent(episode, practitioner, [camhs])
    with pytest.raises(ValidationError):
        share(episode, practitioner, with_agency=police)  # consent covers CAMHS, not the police
    with pytest.raises(ValidationError):
        share(episode, practitioner, with_whom="A youth worker")  # consent names agencies, not people
    decision = share(episode, practitioner, with_agency=camhs)
    assert decision.lawful_basis == LawfulBasis.CONSENT and decision.justification == ""

    services.consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(), reason="Changed our minds.",
                              by=practitioner)
    with pytest.raises(ValidationError):
        share(episode, practitioner, with_agency=camhs)
    assert SharingDecision.objects.filter(episode=episode).count() == 1


def test_a_later_refusal_ends_that_persons_consent_to_share_with_the_agency(episode, practitioner, camhs):
    give_sharing_consent(episode, practitioner, [camhs])
    assert camhs.pk in selectors.sharing_consents_for_episode(episode)
    services.consent_record(
        episode=episode, person_id=episode.mother.pk, scopes=[ConsentScope.SHARING], agencies=[camhs],
        decision="refused", method=ConsentMethod.VERBAL, given_on=timezone.localdate(), recorded_by=practitioner,
        refusal_reason="Not CAMHS after all.", needs_will_escalate=False, escalation_judgement="Low need.",
    )
    assert camhs.pk not in selectors.sharing_consents_for_episode(episode)


def test_justified_sharing_without_consent_is_saved_and_the_team_manager_told(episode, practitioner, manager, police):
    decision = share(episode, practitioner, with_agency=police, lawful_basis=LawfulBasis.SIGNIFICANT_HARM,
                     justification="Chidi disclosed an assault by an adult; the police need to know today.",
                     consulted="Designated safeguarding lead")
    assert decision.seen_by_manager_at is None
    assert Notification.objects.filter(recipient=manager, url=reverse("sharing-for-review")).exists()


def test_a_decision_not_to_share_needs_no_lawful_basis(episode, practitioner, police):
    decision = share(episode, practitioner, shared=False, with_agency=police, lawful_basis="",
                     why="The request was not about a child at risk; the family said no.")
    assert decision.lawful_basis == "" and not decision.shared
    assert decision not in selectors.sharing_for_review(User.objects.get(username="manager"))


def test_every_decision_says_what_with_whom_and_why(episode, practitioner):
    with pytest.raises(ValidationError) as refused:
        share(episode, practitioner, shared=None, what="", why="")
    assert {"shared", "what", "with_agency", "why"} <= set(refused.value.message_dict)


# The manager ----------------------------------------------------------------------------------------


@pytest.fixture
def nothing_waiting(seeded):
    """The seed's own decisions count as seen, so only the test's decisions wait for the manager."""
    SharingDecision.objects.update(seen_by_manager_at=timezone.now())


def test_the_manager_sees_decisions_without_consent_of_their_own_teams_only(nothing_waiting, practitioner, manager, police, camhs):
    mine = make_episode(lead=practitioner, name="Okafor")
    other_team = Team.objects.filter(kind=TeamKind.LOCALITY_EARLY_HELP).exclude(members=manager).first()
    other_worker = User.objects.filter(role=Role.EARLY_HELP_PRACTITIONER, teams=other_team).first()
    theirs = make_episode(lead=other_worker, name="Nowak")
    justified = {"lawful_basis": LawfulBasis.PREVENT_HARM, "justification": "Serious crime is being planned."}
    without = share(mine, practitioner, with_agency=police, **justified)
    share(theirs, other_worker, with_agency=police, **justified)
    give_sharing_consent(mine, practitioner, [camhs])
    share(mine, practitioner, with_agency=camhs)  # with consent: not for review

    assert list(selectors.sharing_for_review(manager)) == [without]
    assert selectors.sharing_for_review_count(practitioner) == 0  # only team managers review

    other_manager = User.objects.filter(role=Role.TEAM_MANAGER, teams=other_team).first()
    with pytest.raises(PermissionDenied):
        services.sharing_decision_mark_seen(decision_id=without.pk, by=other_manager)
    services.sharing_decision_mark_seen(decision_id=without.pk, by=manager)
    without.refresh_from_db()
    assert without.seen_by_manager_at is not None and without.seen_by_manager == manager
    assert selectors.sharing_for_review_count(manager) == 0


def test_the_review_list_and_home_page_for_the_manager(nothing_waiting, client, episode, practitioner, manager, police):
    share(episode, practitioner, with_agency=police, lawful_basis=LawfulBasis.SIGNIFICANT_HARM,
          justification="Bruising seen by the school nurse.")
    client.force_login(manager)
    assert "1 decision to share without consent is waiting" in client.get(reverse("home")).content.decode()
    page = client.get(reverse("sharing-for-review")).content.decode()
    assert "Bruising seen by the school nurse." in page and episode.reference in page
    assert AccessRecord.objects.filter(user=manager, family=episode.family).count() == 1

    client.force_login(practitioner)
    assert client.get(reverse("sharing-for-review")).status_code == 403


# Pages ---------------------------------------------------------------------------------------------


def test_the_sharing_page_writes_one_audit_record_per_view(client, episode, practitioner):
    client.force_login(practitioner)
    before = AccessRecord.objects.filter(family=episode.family).count()
    response = client.get(reverse("episode-sharing", kwargs={"episode_id": episode.pk}))
    assert "No sharing decisions recorded yet" in response.content.decode()
    assert AccessRecord.objects.filter(family=episode.family).count() == before + 1
    client.get(reverse("episode-sharing-create", kwargs={"episode_id": episode.pk}))
    assert AccessRecord.objects.filter(family=episode.family).count() == before + 2


def test_the_form_explains_a_missing_justification_and_saves_nothing(client, episode, practitioner, police):
    client.force_login(practitioner)
    response = client.post(reverse("episode-sharing-create", kwargs={"episode_id": episode.pk}), {
        "shared": "yes", "what": "Attendance figures", "with_agency": police.pk, "why": "Police asked",
        "lawful_basis": LawfulBasis.HEALTH_DEVELOPMENT, "justification": "",
    })
    page = response.content.decode()
    assert response.status_code == 422  # shown again with its errors: nothing saved
    assert "Explain why sharing without consent is justified" in page
    assert "Attendance figures" in page  # what was typed is kept
    assert not SharingDecision.objects.filter(episode=episode).exists()
