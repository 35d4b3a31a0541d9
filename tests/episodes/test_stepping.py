"""Step up, step down and closure (DOMAIN §8)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from earlyhelp.episodes.due import next_due
from earlyhelp.episodes.models import (
    Assessment,
    Closure,
    ClosureReason,
    DueKind,
    Episode,
    EpisodeState,
    LeadProfessionalAssignment,
    NeedOutcome,
    StepDown,
    StepUp,
)
from earlyhelp.episodes.services import stepping
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person
from earlyhelp.web.refusals import Refused


@pytest.fixture
def episode(seeded, demo_user):
    practitioner = demo_user("practitioner")
    family = Family.objects.create(name="Step family")
    child = Person.objects.create(first_name="Maya", last_name="Step", date_of_birth=date(2015, 4, 2))
    FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
    episode = Episode.objects.create(
        reference="EP-STEP-1", family=family, state=EpisodeState.PLAN_ACTIVE, opened_on=date(2026, 9, 1),
        lead_professional=practitioner, team=practitioner.teams.first(),
    )
    LeadProfessionalAssignment.objects.create(episode=episode, lead=practitioner, started_on=date(2026, 9, 1),
                                              assigned_by=practitioner)
    Assessment.objects.create(episode=episode, started_on=date(2026, 9, 1), due_on=date(2026, 9, 15),
                              completed_on=date(2026, 9, 12), organisation=practitioner.agency,
                              agreed_needs=["3B", "16A"], what_needs_to_change="Safer home")
    return episode


def test_step_up_needs_a_reason_and_details_and_saves_nothing_otherwise(episode, demo_user):
    with pytest.raises(ValidationError):
        stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), reasons=[], details="x",
                                 assessment_factors=[])
    with pytest.raises(ValidationError):
        stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), reasons=["safeguarding"],
                                 details="  ", assessment_factors=[])
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLAN_ACTIVE and not StepUp.objects.filter(episode=episode).exists()


def test_step_up_carries_source_5d_and_factors_and_tells_social_care(episode, demo_user):
    step_up = stepping.episode_step_up(episode=episode, by=demo_user("practitioner"),
                                       reasons=["needs_not_reducing"], details="No change in 12 weeks",
                                       assessment_factors=["3B", "16A"])
    episode.refresh_from_db()
    assert episode.state == EpisodeState.STEP_UP_REQUESTED
    assert (step_up.referral_source, step_up.assessment_factors) == ("5D", ["3B", "16A"])
    assert Notification.objects.filter(recipient__role="social_worker").exists()
    assert episode.next_due_kind == "step_up"


def test_the_step_up_decision_is_due_a_working_day_after_the_local_day_it_was_asked(episode, demo_user):
    # Half past midnight in summer in England is still the day before in UTC: the day counts in England.
    asked = datetime(2026, 7, 1, 0, 30, tzinfo=ZoneInfo("Europe/London"))  # a Wednesday
    StepUp.objects.create(episode=episode, reasons=["safeguarding"], details="x", requested_at=asked,
                          requested_by=demo_user("practitioner"))
    episode.state = EpisodeState.STEP_UP_REQUESTED
    assert next_due(episode) == (date(2026, 7, 2), DueKind.STEP_UP)


def test_a_social_worker_deciding_a_step_up_still_sees_the_family_when_it_is_decided_meanwhile(
        episode, demo_user, monkeypatch):
    """The one-family check asks the ways in one at a time. Another request accepting the step up
    after the ways naming the social worker were asked (not named yet) and before "step up awaiting
    a decision" is (no longer waiting) leaves no way in saying yes. The family is seen all the same
    (a 409 "already decided", not a 403): a refusal is confirmed in one statement."""
    from earlyhelp.people import access

    social_worker = demo_user("socialworker")
    step_up = stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), reasons=["safeguarding"],
                                       details="Disclosure at school", assessment_factors=["16A"])
    one_at_a_time = access._applicable_routes

    def decided_just_before_the_waiting_step_ups_are_asked(user, **options):
        for route, rows in one_at_a_time(user, **options):
            if route.name == "step up awaiting a decision":  # the ways naming them asked: not yet
                monkeypatch.setattr(access, "_applicable_routes", one_at_a_time)  # as the other request
                stepping.step_up_decide(step_up=step_up, by=social_worker, accept=True, notes="s47")
            yield route, rows

    asked = [route.name for route, _ in one_at_a_time(social_worker, in_asking_order=True)]
    assert asked.index("lead professional") < asked.index("social worker on a step up") < \
        asked.index("step up awaiting a decision")
    monkeypatch.setattr(access, "_applicable_routes", decided_just_before_the_waiting_step_ups_are_asked)
    assert access.user_can_see_family(social_worker, episode.family_id)
    assert StepUp.objects.get(pk=step_up.pk).accepted is True


def test_only_people_who_may_change_the_episode_can_step_up(episode, demo_user):
    with pytest.raises(PermissionDenied):
        stepping.episode_step_up(episode=episode, by=demo_user("partner"), reasons=["safeguarding"],
                                 details="x", assessment_factors=[])


def test_accepting_a_step_up_transfers_the_lead_and_closes_with_the_outcome(episode, demo_user):
    social_worker = demo_user("socialworker")
    step_up = stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), reasons=["safeguarding"],
                                       details="Disclosure at school", assessment_factors=["16A"])
    with pytest.raises(PermissionDenied):
        stepping.step_up_decide(step_up=step_up, by=demo_user("manager"), accept=True, notes="")
    stepping.step_up_decide(step_up=step_up, by=social_worker, accept=True, notes="s47 strategy discussion")
    episode.refresh_from_db()
    assert episode.lead_professional == social_worker
    assert episode.state == EpisodeState.CLOSED
    current = LeadProfessionalAssignment.objects.get(episode=episode, ended_on__isnull=True)
    assert current.lead == social_worker and current.handover_note
    assert Closure.objects.get(episode=episode).reason == ClosureReason.STEPPED_UP
    with pytest.raises(Refused, match="already decided"):
        stepping.step_up_decide(step_up=step_up, by=social_worker, accept=False, notes="again")


def test_a_declined_step_up_needs_reasons_and_returns_to_where_the_episode_was(episode, demo_user):
    Episode.objects.filter(pk=episode.pk).update(state=EpisodeState.ASSESSMENT)
    episode.refresh_from_db()
    step_up = stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), reasons=["complexity"],
                                       details="More agencies involved", assessment_factors=[])
    with pytest.raises(ValidationError):
        stepping.step_up_decide(step_up=step_up, by=demo_user("socialworker"), accept=False, notes="")
    stepping.step_up_decide(step_up=step_up, by=demo_user("socialworker"), accept=False,
                            notes="Below threshold: continue early help")
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT
    assert episode.lead_professional.username == "practitioner"


def test_closing_needs_the_reason_details_outcome_per_need_and_a_summary(episode, demo_user):
    worker = demo_user("practitioner")
    with pytest.raises(ValidationError) as problem:
        stepping.episode_close(episode=episode, by=worker, reason=ClosureReason.MOVED_AWAY, summary_for_family="",
                               need_outcomes={"3B": ("met", ""), "16A": ("", "")})
    assert set(problem.value.message_dict) == {"new_authority", "summary_for_family", "need_16A"}
    assert problem.value.message_dict["need_16A"] == ["Choose the outcome for the need “Neglect”"]
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLAN_ACTIVE and not Closure.objects.filter(episode=episode).exists()

    stepping.episode_close(episode=episode, by=worker, reason=ClosureReason.MOVED_AWAY,
                           new_authority="Leeds City Council", summary_for_family="You moved to Leeds.",
                           need_outcomes={"3B": ("met", ""), "16A": ("improved", "Better routines")})
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED and episode.closed_on is not None
    assert NeedOutcome.objects.filter(closure__episode=episode).count() == 2


def test_step_down_proposed_by_a_social_worker_and_returned_with_reasons(episode, demo_user):
    from django.utils import timezone

    from earlyhelp.frontdoor.models import HarmReferral

    family = episode.family
    child = family.members.get()
    with pytest.raises(PermissionDenied):
        stepping.step_down_propose(family=family, by=demo_user("practitioner"), children=[child],
                                   final_assessment_summary="x", handover_plan="y", proposed_lead=None)
    # A social worker steps down a family they work with: here, the social worker named on its referral.
    with pytest.raises(PermissionDenied):
        stepping.step_down_propose(family=family, by=demo_user("socialworker"), children=[child],
                                   final_assessment_summary="x", handover_plan="y", proposed_lead=None)
    HarmReferral.objects.create(family=family, raised_by=demo_user("practitioner"), raised_at=timezone.now(),
                                what_is_known="Bruise", referral_source="5D", social_worker=demo_user("socialworker"),
                                decision="s17", decided_by=demo_user("socialworker"), decided_at=timezone.now())
    with pytest.raises(ValidationError):
        stepping.step_down_propose(family=family, by=demo_user("socialworker"), children=[],
                                   final_assessment_summary="", handover_plan="", proposed_lead=None)
    step_down = stepping.step_down_propose(family=family, by=demo_user("socialworker"), children=[child],
                                           final_assessment_summary="Risks reduced", handover_plan="Joint visit",
                                           proposed_lead=demo_user("practitioner"))
    assert Notification.objects.filter(recipient__username="frontdoor").exists()
    with pytest.raises(ValidationError):
        stepping.step_down_decide(step_down=step_down, by=demo_user("frontdoor"), accept=False, return_reasons="")
    stepping.step_down_decide(step_down=step_down, by=demo_user("frontdoor"), accept=False,
                              return_reasons="Domestic abuse still current")
    step_down.refresh_from_db()
    assert step_down.status == StepDown.Status.RETURNED and step_down.episode is None


def test_step_pages_show_the_step_up_with_its_assessment_to_the_social_worker(client, episode, demo_user):
    step_up = stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), reasons=["safeguarding"],
                                       details="Disclosure at school", assessment_factors=["16A"])
    client.force_login(demo_user("socialworker"))
    page = client.get(reverse("step-up-decide", args=[step_up.pk])).content.decode()
    assert "Disclosure at school" in page and "Safer home" in page and "5D" in page
    response = client.post(reverse("step-up-decide", args=[step_up.pk]), {"decision": "decline", "notes": ""})
    assert "Explain why Children&#x27;s Social Care is not taking the family on" in response.content.decode()


# Codes are stored, labels are shown (STANDARDS.md) ------------------------------------------------------


def test_the_step_up_page_shows_each_assessment_factor_by_its_label(client, episode, demo_user):
    step_up = stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), reasons=["needs_not_reducing"],
                                       details="No change", assessment_factors=["4B", "20"])
    client.force_login(demo_user("socialworker"))
    page = client.get(reverse("step-up-decide", kwargs={"step_up_id": step_up.pk})).content.decode()
    factors = page.split('id="step-up-factors"')[1].split("</dd>")[0]
    assert "Mental health: concerns about the parent or carer (4B)" in factors and "Other (20)" in factors
    assert "4B, 20" not in page
