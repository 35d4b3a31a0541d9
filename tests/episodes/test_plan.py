"""The plan: outcomes in the family's words, actions with one owner and a due date, and agreeing it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.episodes.due import review_dates
from earlyhelp.episodes.models import (
    ActionStatus,
    DueKind,
    EpisodeEvent,
    EpisodeState,
    PlanAction,
    PlanVersion,
)
from earlyhelp.episodes.services import plan as services
from earlyhelp.standards import AssessmentFactor

from .test_plan_support import build_episode


@pytest.fixture
def lead(seeded, demo_user):
    return demo_user("practitioner")


@pytest.fixture
def episode(lead):
    return build_episode(lead=lead)[0]


def _outcome(episode, by, words="Jack goes to school every day"):
    return services.outcome_create(episode=episode, by=by, in_familys_words=words, needs=["14A"])


def _meeting(episode, by, practitioners=None):
    return services.taf_meeting_record(
        episode=episode, by=by, held_on=timezone.localdate(), practitioners=practitioners or [by],
        agencies=[], family_members=[], discussed="The plan",
    )


def _action(episode, by, outcome, *, due_in_days=14, **owner):
    owner = owner or {"owner_user": by}
    return services.plan_action_create(
        episode=episode, by=by, outcome=outcome, description="Morning check-in",
        due_on=timezone.localdate() + timedelta(days=due_in_days), **owner,
    )


# --- Outcomes --------------------------------------------------------------------------------

def test_outcome_needs_come_from_the_assessment_or_else_every_factor(lead):
    with_assessment, _ = build_episode(lead=lead, agreed_needs=["4B", "14A"])
    assert [code for code, _ in services.outcome_need_choices(with_assessment)] == ["4B", "14A"]
    without, _ = build_episode(lead=lead, with_assessment=False)
    assert services.outcome_need_choices(without) == list(AssessmentFactor.choices)


def test_an_outcome_is_in_the_familys_words_and_linked_to_agreed_needs(episode, lead):
    with pytest.raises(ValidationError) as refused:
        services.outcome_create(episode=episode, by=lead, in_familys_words="  ", needs=["14A"])
    assert refused.value.message_dict == {"in_familys_words": ["Enter the outcome in the family's own words"]}
    with pytest.raises(ValidationError) as refused:
        services.outcome_create(episode=episode, by=lead, in_familys_words="Calmer mornings", needs=[])
    assert "needs" in refused.value.message_dict
    with pytest.raises(ValidationError):  # not a need agreed in the assessment
        services.outcome_create(episode=episode, by=lead, in_familys_words="Calmer mornings", needs=["1A"])
    outcome = services.outcome_create(episode=episode, by=lead, in_familys_words=" Calmer mornings ", needs=["4B"])
    assert (outcome.in_familys_words, outcome.needs) == ("Calmer mornings", ["4B"])
    assert EpisodeEvent.objects.filter(episode=episode, kind="outcome_added").count() == 1


# --- Actions ---------------------------------------------------------------------------------

def test_an_action_needs_exactly_one_owner(episode, lead, demo_user):
    outcome = _outcome(episode, lead)
    with pytest.raises(ValidationError) as refused:
        _action(episode, lead, outcome, owner_user=None)
    assert refused.value.message_dict == {
        "owner": ["Choose who will do this: a practitioner, an agency or a family member"]
    }
    with pytest.raises(ValidationError) as refused:
        _action(episode, lead, outcome, owner_user=lead, owner_agency=demo_user("partner").agency)
    assert refused.value.message_dict == {
        "owner": ["Choose one owner only: a practitioner, an agency or a family member"]
    }
    assert not PlanAction.objects.filter(outcome__episode=episode).exists()
    for owner in ({"owner_user": lead}, {"owner_agency": demo_user("partner").agency}):
        assert _action(episode, lead, outcome, **owner).pk


def test_an_action_owned_by_a_family_member_must_be_in_the_family(lead):
    episode, people = build_episode(lead=lead)
    _, others = build_episode(lead=lead, name="Other")
    outcome = _outcome(episode, lead)
    with pytest.raises(ValidationError) as refused:
        _action(episode, lead, outcome, owner_person=others["mum"])
    assert "owner" in refused.value.message_dict
    assert _action(episode, lead, outcome, owner_person=people["mum"]).owner_person == people["mum"]


def test_an_action_needs_a_due_date_and_a_description(episode, lead):
    outcome = _outcome(episode, lead)
    with pytest.raises(ValidationError) as refused:
        services.plan_action_create(episode=episode, by=lead, outcome=outcome, description="Visit",
                                    due_on=None, owner_user=lead)
    assert refused.value.message_dict == {"due_on": ["Enter the date it will be done by"]}
    with pytest.raises(ValidationError) as refused:
        services.plan_action_create(episode=episode, by=lead, outcome=outcome, description=" ",
                                    due_on=timezone.localdate(), owner_user=lead)
    assert refused.value.message_dict == {"description": ["Enter what will be done"]}


def test_an_action_under_another_episodes_outcome_is_refused(lead):
    episode, _ = build_episode(lead=lead)
    other, _ = build_episode(lead=lead, name="Other")
    with pytest.raises(ValidationError):
        _action(episode, lead, _outcome(other, lead))


def test_the_action_page_explains_a_missing_owner_beside_the_field_and_keeps_the_text(client, episode, lead):
    outcome = _outcome(episode, lead)
    client.force_login(lead)
    url = reverse("episode-action-create", kwargs={"episode_id": episode.pk, "outcome_id": outcome.pk})
    due = timezone.localdate() + timedelta(days=10)
    data = {"description": "Book a GP appointment for Kerry", "owner": "",
            "due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year}
    page = client.post(url, data).content.decode()
    assert 'id="id_owner_1_error"' in page
    assert "Choose who will do this: a practitioner, an agency or a family member" in page
    assert "Book a GP appointment for Kerry</textarea>" in page
    assert 'class="govuk-error-summary"' in page
    assert not PlanAction.objects.filter(outcome__episode=episode).exists()

    data["due_on_1"] = 13
    page = client.post(url, {**data, "owner": f"user-{lead.pk}"}).content.decode()
    assert "The date it will be done by must be a real date" in page

    data["due_on_1"] = due.month
    response = client.post(url, {**data, "owner": f"user-{lead.pk}"})
    assert response.status_code == 302
    action = PlanAction.objects.get(outcome__episode=episode)
    assert (action.owner_user, action.due_on, action.status) == (lead, due, ActionStatus.NOT_STARTED)


def test_owners_offered_are_only_those_working_with_the_family(client, episode, lead, demo_user):
    outcome = _outcome(episode, lead)
    client.force_login(lead)
    url = reverse("episode-action-create", kwargs={"episode_id": episode.pk, "outcome_id": outcome.pk})
    stranger = demo_user("analyst")
    response = client.post(url, {"description": "x", "owner": f"user-{stranger.pk}",
                                 "due_on_0": 1, "due_on_1": 1, "due_on_2": 2030})
    assert "Choose who will do this" in response.content.decode()
    assert not PlanAction.objects.filter(outcome__episode=episode).exists()


# --- Changing an action's status -------------------------------------------------------------

def test_who_may_change_an_actions_status(episode, lead, demo_user):
    partner, other_partner = demo_user("partner"), None
    from earlyhelp.accounts.models import Role, User
    other_partner = User.objects.filter(role=Role.PARTNER_PRACTITIONER).exclude(pk=partner.pk).exclude(
        agency=partner.agency).first()
    outcome = _outcome(episode, lead)
    partners_action = _action(episode, lead, outcome, owner_user=partner)
    leads_action = _action(episode, lead, outcome, owner_user=lead)
    # Before attending a meeting, the partner may not change even their own action.
    with pytest.raises(PermissionDenied):
        services.plan_action_status_update(episode=episode, by=partner, action=partners_action, status=ActionStatus.DONE)
    _meeting(episode, lead, practitioners=[lead, partner, other_partner])
    services.plan_action_status_update(episode=episode, by=partner, action=partners_action, status=ActionStatus.DONE)
    partners_action.refresh_from_db()
    assert partners_action.status == ActionStatus.DONE
    # ...but not someone else's.
    with pytest.raises(PermissionDenied):
        services.plan_action_status_update(episode=episode, by=other_partner, action=partners_action,
                                           status=ActionStatus.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        services.plan_action_status_update(episode=episode, by=partner, action=leads_action, status=ActionStatus.DONE)
    # The lead, and the team's manager, may change any action.
    services.plan_action_status_update(episode=episode, by=demo_user("manager"), action=leads_action,
                                       status=ActionStatus.IN_PROGRESS)
    leads_action.refresh_from_db()
    assert leads_action.status == ActionStatus.IN_PROGRESS
    event = EpisodeEvent.objects.filter(episode=episode, kind="action_status").first()
    assert "Not started → In progress" in event.summary


def test_an_agency_action_belongs_to_its_practitioners_at_the_meeting(episode, lead, demo_user):
    partner = demo_user("partner")
    action = _action(episode, lead, _outcome(episode, lead), owner_agency=partner.agency)
    _meeting(episode, lead, practitioners=[lead, partner])
    services.plan_action_status_update(episode=episode, by=partner, action=action, status=ActionStatus.IN_PROGRESS)
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_the_status_page_for_a_partner(client, episode, lead, demo_user):
    partner = demo_user("partner")
    outcome = _outcome(episode, lead)
    own = _action(episode, lead, outcome, owner_user=partner)
    not_own = _action(episode, lead, outcome, owner_user=lead)
    _meeting(episode, lead, practitioners=[lead, partner])
    client.force_login(partner)
    plan = client.get(reverse("episode-plan", kwargs={"episode_id": episode.pk})).content.decode()
    assert plan.count("Change status") == 1
    assert "Add an outcome" not in plan
    not_own_url = reverse("episode-action-status", kwargs={"episode_id": episode.pk, "action_id": not_own.pk})
    assert client.post(not_own_url, {"status": "done"}).status_code == 403
    own_url = reverse("episode-action-status", kwargs={"episode_id": episode.pk, "action_id": own.pk})
    assert client.post(own_url, {"status": "done"}).status_code == 302
    own.refresh_from_db()
    not_own.refresh_from_db()
    assert (own.status, not_own.status) == (ActionStatus.DONE, ActionStatus.NOT_STARTED)


def test_action_changes_refresh_what_is_due(lead):
    episode, _ = build_episode(lead=lead, state=EpisodeState.PLAN_ACTIVE)
    episode.review_due_on, episode.review_latest_on = review_dates(timezone.localdate())
    episode.save()
    outcome = _outcome(episode, lead)
    overdue = _action(episode, lead, outcome, due_in_days=-3)
    episode.refresh_from_db()
    assert (episode.next_due_kind, episode.next_due_on) == (DueKind.ACTION, overdue.due_on)
    services.plan_action_status_update(episode=episode, by=lead, action=overdue, status=ActionStatus.DONE)
    episode.refresh_from_db()
    assert (episode.next_due_kind, episode.next_due_on) == (DueKind.REVIEW, episode.review_due_on)


# --- Agreeing the plan -----------------------------------------------------------------------

def test_the_plan_is_agreed_only_with_an_outcome_an_action_and_a_meeting(episode, lead):
    assert services.plan_agreement_missing(episode) == [
        "Record the Team Around the Family meeting", "Add at least one outcome in the family's words",
    ]
    with pytest.raises(ValidationError):
        services.plan_agree(episode=episode, by=lead)
    outcome = _outcome(episode, lead)
    assert services.plan_agreement_missing(episode) == [
        "Record the Team Around the Family meeting", "Add at least one action to an outcome",
    ]
    _action(episode, lead, outcome)
    with pytest.raises(ValidationError) as refused:
        services.plan_agree(episode=episode, by=lead)
    assert refused.value.messages == ["Record the Team Around the Family meeting"]
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING and not PlanVersion.objects.filter(episode=episode).exists()

    _meeting(episode, lead)
    version = services.plan_agree(episode=episode, by=lead)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLAN_ACTIVE
    assert version.number == 1
    assert version.snapshot["outcomes"][0]["in_familys_words"] == "Jack goes to school every day"
    assert version.snapshot["outcomes"][0]["actions"][0]["owner_kind"] == "practitioner"
    today = timezone.localdate()
    assert (episode.review_due_on, episode.review_latest_on) == (today + timedelta(weeks=6), today + timedelta(weeks=12))
    # The action falls due (in 2 weeks) before the first review (in 6).
    assert (episode.next_due_kind, episode.next_due_on) == (DueKind.ACTION, today + timedelta(days=14))
    event = EpisodeEvent.objects.get(episode=episode, kind="plan_agreed")
    assert (event.from_state, event.to_state, event.by) == (EpisodeState.PLANNING, EpisodeState.PLAN_ACTIVE, lead)
    # Once only.
    with pytest.raises(ValidationError):
        services.plan_agree(episode=episode, by=lead)
    assert PlanVersion.objects.filter(episode=episode).count() == 1


def test_the_plan_cannot_be_agreed_before_the_assessment_is_complete(lead):
    episode, _ = build_episode(lead=lead, state=EpisodeState.ASSESSMENT)
    outcome = _outcome(episode, lead)
    _action(episode, lead, outcome)
    _meeting(episode, lead)
    assert services.plan_agreement_missing(episode) == ["Complete the assessment"]
    with pytest.raises(ValidationError):
        services.plan_agree(episode=episode, by=lead)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT


def test_only_those_working_the_case_may_agree_the_plan(episode, lead, demo_user):
    _action(episode, lead, _outcome(episode, lead))
    _meeting(episode, lead, practitioners=[lead, demo_user("partner")])
    with pytest.raises(PermissionDenied):
        services.plan_agree(episode=episode, by=demo_user("partner"))
    assert services.plan_agree(episode=episode, by=demo_user("adviser")).number == 1


def test_agreeing_through_the_page(client, episode, lead):
    client.force_login(lead)
    agree = reverse("episode-plan-agree", kwargs={"episode_id": episode.pk})
    page = client.post(agree).content.decode()
    assert "The plan cannot be agreed yet" in page and "Record the Team Around the Family meeting" in page
    _action(episode, lead, _outcome(episode, lead))
    _meeting(episode, lead)
    plan_url = reverse("episode-plan", kwargs={"episode_id": episode.pk})
    assert "Agree the plan with the family" in client.get(plan_url).content.decode()
    response = client.post(agree, follow=True)
    page = response.content.decode()
    assert "Plan agreed with the family and kept as version 1" in page
    assert "Version 1" in page
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLAN_ACTIVE


def test_nothing_changes_once_the_episode_is_closed(lead):
    episode, _ = build_episode(lead=lead, state=EpisodeState.CLOSED)
    with pytest.raises(ValidationError) as refused:
        _outcome(episode, lead)
    assert refused.value.messages == ["The episode is closed, so its plan cannot change"]


# --- The plan page stays fast however long the plan is ---------------------------------------

def _plan_with(episode, lead, people, actions: int):
    _meeting(episode, lead, practitioners=[lead])
    outcomes = [_outcome(episode, lead, words=f"Outcome {n}") for n in range(3)]
    owners = [{"owner_user": lead}, {"owner_agency": lead.agency}, {"owner_person": people["mum"]}]
    for n in range(actions):
        _action(episode, lead, outcomes[n % 3], **owners[n % 3])


def test_the_plan_page_makes_no_more_queries_for_30_actions_than_for_3(client, lead, django_assert_max_num_queries):
    short, short_people = build_episode(lead=lead)
    _plan_with(short, lead, short_people, 3)
    long, long_people = build_episode(lead=lead, name="Long")
    _plan_with(long, lead, long_people, 30)
    client.force_login(lead)
    client.get(reverse("episode-plan", kwargs={"episode_id": short.pk}))  # warm the session and caches
    with CaptureQueriesContext(connection) as short_queries:
        page = client.get(reverse("episode-plan", kwargs={"episode_id": short.pk})).content.decode()
    assert page.count("Change status") == 3
    # The whole page, sign-in and audit included, in a small fixed number of queries.
    assert len(short_queries) <= 30
    with django_assert_max_num_queries(len(short_queries)):
        page = client.get(reverse("episode-plan", kwargs={"episode_id": long.pk})).content.decode()
    assert page.count("Change status") == 30


def test_meetings_go_ahead_before_consent_but_outcomes_wait_for_the_assessment(lead):
    episode, _ = build_episode(lead=lead, state=EpisodeState.AWAITING_CONSENT, with_assessment=False)
    assert _meeting(episode, lead).pk  # lack of consent must not stop professionals meeting
    with pytest.raises(ValidationError) as refused:
        _outcome(episode, lead)
    assert "once consent is given" in refused.value.messages[0]


def test_actions_progress_while_children_s_social_care_decides_on_a_step_up(lead):
    episode, _ = build_episode(lead=lead, state=EpisodeState.PLAN_ACTIVE)
    action = _action(episode, lead, _outcome(episode, lead))
    episode.state = EpisodeState.STEP_UP_REQUESTED
    episode.save(update_fields=["state"])
    with pytest.raises(ValidationError):
        _outcome(episode, lead, words="Another")
    services.plan_action_status_update(episode=episode, by=lead, action=action, status=ActionStatus.DONE)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_a_plan_version_page_shows_the_plan_as_it_was(client, lead):
    episode, people = build_episode(lead=lead)
    outcome = _outcome(episode, lead)
    action = _action(episode, lead, outcome, owner_person=people["mum"])
    _meeting(episode, lead)
    services.plan_agree(episode=episode, by=lead)
    services.plan_action_status_update(episode=episode, by=lead, action=action, status=ActionStatus.DONE)
    client.force_login(lead)
    page = client.get(reverse("episode-plan-version", kwargs={"episode_id": episode.pk, "number": 1})).content.decode()
    assert "Plan version 1" in page and "The plan as agreed with the family" in page
    assert f"{action.due_on.day} {action.due_on:%B %Y}" in page
    assert f"{people['mum'].full_name} (family)" in page
    # As it was when agreed, not as it is now.
    assert '<td class="govuk-table__cell">Not started</td>' in page
    assert '<td class="govuk-table__cell">Done</td>' not in page
    missing = reverse("episode-plan-version", kwargs={"episode_id": episode.pk, "number": 2})
    assert client.get(missing).status_code == 404
