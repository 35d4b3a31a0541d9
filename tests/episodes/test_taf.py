"""Team Around the Family meetings: the date, who attended, the actions agreed, and who may record them."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency
from earlyhelp.episodes.models import DueKind, EpisodeEvent, PlanAction, StepDown, TafMeeting
from earlyhelp.episodes.services import plan as services

from .test_plan_support import build_episode, build_family


@pytest.fixture
def episode_and_people(seeded, demo_user):
    return build_episode(lead=demo_user("practitioner"))


def _record(episode, by, **overrides):
    values = {
        "held_on": timezone.localdate(), "practitioners": [by], "agencies": [], "family_members": [],
        "discussed": "Jack's attendance and Kerry's low mood",
    }
    values.update(overrides)
    return services.taf_meeting_record(episode=episode, by=by, **values)


def test_the_meeting_date_cannot_be_in_the_future(episode_and_people, demo_user):
    episode, _ = episode_and_people
    with pytest.raises(ValidationError) as refused:
        _record(episode, demo_user("practitioner"), held_on=timezone.localdate() + timedelta(days=1))
    assert refused.value.message_dict == {"held_on": ["The meeting date cannot be in the future"]}
    assert not TafMeeting.objects.filter(episode=episode).exists()
    # Today is fine.
    assert _record(episode, demo_user("practitioner")).held_on == timezone.localdate()


def test_attendees_discussion_and_decisions_are_saved_with_an_event(episode_and_people, demo_user):
    episode, people = episode_and_people
    lead, partner = demo_user("practitioner"), demo_user("partner")
    school = partner.agency
    camhs = Agency.objects.filter(kind="camhs").first()
    meeting = _record(
        episode, lead, held_on=timezone.localdate() - timedelta(days=2), practitioners=[lead, partner],
        agencies=[school, camhs], family_members=[people["mum"], people["jack"]],
        decided="Kerry to see her GP; school to set up a morning check-in",
    )
    meeting.refresh_from_db()
    assert set(meeting.practitioners.all()) == {lead, partner}
    assert set(meeting.agencies.all()) == {school, camhs}
    assert set(meeting.family_members.all()) == {people["mum"], people["jack"]}
    assert meeting.discussed == "Jack's attendance and Kerry's low mood"
    assert meeting.decided.startswith("Kerry to see her GP")
    assert meeting.recorded_by == lead
    event = EpisodeEvent.objects.get(episode=episode, kind="taf_meeting")
    assert event.by == lead
    assert "First Team Around the Family meeting" in event.summary
    assert "4 people attended" in event.summary
    # The partner at the meeting can now see the family (need-to-know follows TAF membership).
    from earlyhelp.people.access import user_can_see_family
    assert user_can_see_family(partner, episode.family_id)


def test_family_members_must_belong_to_the_family(episode_and_people, demo_user):
    episode, _ = episode_and_people
    _, strangers = build_family("Other")
    with pytest.raises(ValidationError) as refused:
        _record(episode, demo_user("practitioner"), family_members=[strangers["mum"]])
    assert "family_members" in refused.value.message_dict
    assert not TafMeeting.objects.filter(episode=episode).exists()


def test_only_people_working_the_case_may_record_a_meeting(episode_and_people, demo_user):
    episode, _ = episode_and_people
    for username in ("partner", "frontdoor", "socialworker"):
        with pytest.raises(PermissionDenied):
            _record(episode, demo_user(username))
    # The team's manager may.
    assert _record(episode, demo_user("manager")).recorded_by == demo_user("manager")


def test_actions_agreed_at_the_meeting_are_added_to_the_plan(episode_and_people, demo_user):
    episode, people = episode_and_people
    lead = demo_user("practitioner")
    outcome = services.outcome_create(episode=episode, by=lead, in_familys_words="Jack goes to school every day",
                                      needs=["14A"])
    due = timezone.localdate() + timedelta(days=14)
    _record(episode, lead, actions=[
        services.AgreedAction(outcome=outcome, description="Morning check-in at school", due_on=due,
                              owner_agency=demo_user("partner").agency),
        services.AgreedAction(outcome=outcome, description="Walk Jack to school", due_on=due,
                              owner_person=people["mum"]),
    ])
    assert sorted(PlanAction.objects.filter(outcome=outcome).values_list("description", flat=True)) == [
        "Morning check-in at school", "Walk Jack to school",
    ]
    assert "2 actions agreed" in EpisodeEvent.objects.get(episode=episode, kind="taf_meeting").summary


def test_a_bad_agreed_action_saves_nothing(episode_and_people, demo_user):
    episode, _ = episode_and_people
    lead = demo_user("practitioner")
    outcome = services.outcome_create(episode=episode, by=lead, in_familys_words="Jack goes to school", needs=["14A"])
    with pytest.raises(ValidationError):
        _record(episode, lead, actions=[services.AgreedAction(
            outcome=outcome, description="No owner", due_on=timezone.localdate())])
    assert not TafMeeting.objects.filter(episode=episode).exists()
    assert not PlanAction.objects.filter(outcome__episode=episode).exists()


def test_recording_the_meeting_through_the_page(client, episode_and_people, demo_user):
    episode, people = episode_and_people
    lead, partner = demo_user("practitioner"), demo_user("partner")
    client.force_login(lead)
    url = reverse("episode-taf-create", kwargs={"episode_id": episode.pk})
    today = timezone.localdate()
    future = today + timedelta(days=3)
    data = {
        "held_on_0": future.day, "held_on_1": future.month, "held_on_2": future.year,
        "practitioners": [lead.pk], "other_practitioners": partner.email.upper(),
        "family_members": [people["mum"].pk], "discussed": "School attendance",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The meeting date cannot be in the future" in page
    assert "School attendance" in page  # what was typed is kept
    assert not TafMeeting.objects.filter(episode=episode).exists()

    data.update({"held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year,
                 "other_practitioners": "nobody@example.invalid"})
    response = client.post(url, data)
    assert "No one using this service has the email address nobody@example.invalid" in response.content.decode()

    data["other_practitioners"] = partner.email.upper()
    response = client.post(url, data)
    meeting = TafMeeting.objects.get(episode=episode)
    assert response.status_code == 302
    assert response["Location"] == reverse("episode-taf-detail", kwargs={"episode_id": episode.pk, "meeting_id": meeting.pk})
    assert set(meeting.practitioners.all()) == {lead, partner}
    assert list(meeting.family_members.all()) == [people["mum"]]
    detail = client.get(response["Location"]).content.decode()
    assert partner.get_full_name() in detail and people["mum"].full_name in detail


def test_the_first_meeting_after_a_step_down_has_the_social_worker_ticked(client, episode_and_people, demo_user):
    episode, people = episode_and_people
    social_worker = demo_user("socialworker")
    step_down = StepDown.objects.create(
        family=episode.family, social_worker=social_worker, final_assessment_summary="Risks reduced",
        handover_plan="Joint visit, then TAF", proposed_at=timezone.now(), status=StepDown.Status.ACCEPTED,
        episode=episode,
    )
    client.force_login(demo_user("practitioner"))
    url = reverse("episode-taf-create", kwargs={"episode_id": episode.pk})
    page = client.get(url).content.decode()
    assert f"{social_worker.get_full_name()}, the social worker, attends the first meeting" in page
    assert re.search(rf'<input[^>]*name="practitioners"[^>]*value="{social_worker.pk}"[^>]*checked', page, re.S)

    # Not once the first meeting has happened, and not for a step down that was returned.
    _record(episode, demo_user("practitioner"))
    page = client.get(url).content.decode()
    assert "attends the first meeting" not in page
    step_down.status = StepDown.Status.RETURNED
    step_down.save()
    assert services.step_down_social_worker(episode) is None


def test_a_partner_may_read_the_meeting_but_not_record_one(client, episode_and_people, demo_user):
    episode, _ = episode_and_people
    meeting = _record(episode, demo_user("practitioner"), practitioners=[demo_user("practitioner"), demo_user("partner")])
    client.force_login(demo_user("partner"))
    detail = reverse("episode-taf-detail", kwargs={"episode_id": episode.pk, "meeting_id": meeting.pk})
    assert "What was discussed" in client.get(detail).content.decode()
    assert client.get(reverse("episode-taf-create", kwargs={"episode_id": episode.pk})).status_code == 403
    plan = client.get(reverse("episode-plan", kwargs={"episode_id": episode.pk})).content.decode()
    assert "Record a meeting" not in plan


def test_a_meeting_refreshes_what_is_due(episode_and_people, demo_user):
    episode, _ = episode_and_people
    episode.next_due_on = None
    episode.save(update_fields=["next_due_on"])
    _record(episode, demo_user("practitioner"))
    episode.refresh_from_db()
    # Once the first meeting is held, agreeing the plan is what is due next.
    assert episode.next_due_kind == DueKind.PLAN and episode.next_due_on is not None


def test_actions_agreed_are_recorded_with_the_meeting_through_the_page(client, episode_and_people, demo_user):
    episode, people = episode_and_people
    lead = demo_user("practitioner")
    outcome = services.outcome_create(episode=episode, by=lead, in_familys_words="Jack goes to school", needs=["14A"])
    client.force_login(lead)
    url = reverse("episode-taf-create", kwargs={"episode_id": episode.pk})
    assert "Action 3" in client.get(url).content.decode()
    today, due = timezone.localdate(), timezone.localdate() + timedelta(days=7)
    data = {
        "held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year,
        "practitioners": [lead.pk], "family_members": [people["mum"].pk], "discussed": "Mornings",
        "action-1-outcome": outcome.pk, "action-1-description": "Walk Jack to school",
        "action-1-owner": f"person-{people['mum'].pk}",
        "action-1-due_on_0": due.day, "action-1-due_on_1": due.month, "action-1-due_on_2": due.year,
        # A second action half filled in: explained, and nothing is saved.
        "action-2-description": "Call the school",
    }
    page = client.post(url, data).content.decode()
    assert "Choose the outcome this action is for" in page
    assert "Choose who will do this: a practitioner, an agency or a family member" in page
    assert "Enter the date it will be done by" in page
    assert "Walk Jack to school</textarea>" in page
    assert not TafMeeting.objects.filter(episode=episode).exists()
    del data["action-2-description"]
    assert client.post(url, data).status_code == 302
    action = PlanAction.objects.get(outcome__episode=episode)
    assert (action.description, action.owner_person, action.due_on) == ("Walk Jack to school", people["mum"], due)


def test_people_outside_the_familys_network_cannot_see_the_plan(client, episode_and_people, demo_user):
    episode, _ = episode_and_people
    for username in ("analyst", "partner"):
        client.force_login(demo_user(username))
        for name in ("episode-plan", "episode-reviews"):
            assert client.get(reverse(name, kwargs={"episode_id": episode.pk})).status_code == 403
