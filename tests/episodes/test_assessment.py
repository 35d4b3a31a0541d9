"""The Early Help Assessment services: the due date, saving as you go, completion and sign-off."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from earlyhelp.accounts.models import Role, User
from earlyhelp.calendar.models import ClosureDay
from earlyhelp.episodes.forms_assessment import ChildSectionForm, MonitoringFormForm
from earlyhelp.episodes.models import (
    Assessment,
    DueKind,
    Episode,
    EpisodeChild,
    EpisodeEvent,
    EpisodeState,
    MonitoringForm,
    SubdimensionRating,
)
from earlyhelp.episodes.services import assessment as service
from earlyhelp.frontdoor.models import Notification

from .test_assessment_support import build_episode, fill_every_part


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def episode(practitioner):
    return build_episode(lead=practitioner)[0]


def _start_on(monkeypatch, day: date, episode, by) -> Assessment:
    monkeypatch.setattr(service.timezone, "localdate", lambda *args: day)
    return service.assessment_start(episode=episode, by=by)


# --- The due date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "due"),
    [
        (date(2026, 12, 18), date(2027, 1, 6)),  # Christmas, Boxing Day (substitute Monday 28th), New Year
        (date(2027, 3, 22), date(2027, 4, 7)),  # Good Friday 26 March and Easter Monday 29 March 2027
        (date(2026, 2, 2), date(2026, 2, 16)),  # two weekends, no bank holidays
        (date(2026, 2, 7), date(2026, 2, 20)),  # started on a Saturday: the count starts on Monday
    ],
)
def test_due_date_is_ten_working_days_without_weekends_and_bank_holidays(
    monkeypatch, episode, practitioner, started, due
):
    assessment = _start_on(monkeypatch, started, episode, practitioner)
    assert (assessment.started_on, assessment.due_on) == (started, due)


def test_closure_days_do_not_count_and_the_period_is_a_setting(monkeypatch, episode, practitioner, settings):
    settings.EARLYHELP_ASSESSMENT_WORKING_DAYS = 5
    ClosureDay.objects.create(date=date(2026, 2, 4), reason="Office move")
    assessment = _start_on(monkeypatch, date(2026, 2, 2), episode, practitioner)
    assert assessment.due_on == date(2026, 2, 10)  # 3, 5, 6, 9, 10 February


# --- Starting --------------------------------------------------------------------------------


def test_starting_makes_a_section_per_current_child_and_updates_what_is_due(episode, practitioner):
    family_children = {member.person.first_name: member for member in episode.children.select_related("person")}
    EpisodeChild.objects.filter(pk=family_children["Tobi"].pk).update(removed_on=date(2026, 1, 1))

    assessment = service.assessment_start(episode=episode, by=practitioner)

    assert [section.child.first_name for section in assessment.child_sections.all()] == ["Amara"]
    assert assessment.organisation == practitioner.agency
    event = EpisodeEvent.objects.get(episode=episode, kind="assessment_started")
    assert event.by == practitioner and assessment.due_on.strftime("%-d %B %Y") in event.summary
    episode.refresh_from_db()
    assert (episode.next_due_on, episode.next_due_kind) == (assessment.due_on, DueKind.ASSESSMENT)
    assert episode.state == EpisodeState.ASSESSMENT


def test_start_is_refused_twice_before_consent_and_for_people_not_working_the_case(
    episode, practitioner, demo_user
):
    with pytest.raises(PermissionDenied):
        service.assessment_start(episode=episode, by=demo_user("partner"))
    service.assessment_start(episode=episode, by=practitioner)
    with pytest.raises(ValidationError, match="already started"):
        service.assessment_start(episode=episode, by=practitioner)
    waiting, _ = build_episode(lead=practitioner, state=EpisodeState.AWAITING_CONSENT)
    with pytest.raises(ValidationError, match="agreed to it"):
        service.assessment_start(episode=waiting, by=practitioner)
    assert not Assessment.objects.filter(episode=waiting).exists()


# --- Who may change it -----------------------------------------------------------------------


def test_the_lead_their_team_manager_and_adviser_may_edit_others_may_not(episode, practitioner, demo_user):
    from earlyhelp.policy import may

    def may_edit(user):
        return may(user, "episodes.change_episode", episode)

    assert may_edit(practitioner)
    assert may_edit(demo_user("manager"))
    assert may_edit(demo_user("adviser"))
    assert not may_edit(demo_user("partner"))
    assert not may_edit(demo_user("socialworker"))
    other_manager = User.objects.filter(role=Role.TEAM_MANAGER).exclude(teams__in=practitioner.teams.all()).first()
    assert other_manager is not None
    assert not may_edit(other_manager)
    assert may(demo_user("manager"), "episodes.sign_off_assessment", episode)
    assert not may(demo_user("adviser"), "episodes.sign_off_assessment", episode)


def test_someone_who_may_not_edit_cannot_save_a_section(episode, practitioner, demo_user):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    with pytest.raises(PermissionDenied):
        service.assessment_family_views_save(assessment=assessment, by=demo_user("partner"), parents_views="x")
    assert Assessment.objects.get(pk=assessment.pk).parents_views == ""


# --- Saving as you go ------------------------------------------------------------------------


def test_sections_save_independently(episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    amara, tobi = assessment.child_sections.order_by("child__date_of_birth")
    service.assessment_child_section_save(
        section=amara, by=practitioner, wishes_and_feelings="I want to go to football club.", how_heard="",
        ratings={"health": {"strengths": "Healthy", "needs": "", "score": 8},
                 "education": {"strengths": "", "needs": "Reading support", "score": None}},
    )
    service.assessment_family_views_save(assessment=assessment, by=practitioner, parents_views="Bola wants help.")

    amara.refresh_from_db()
    tobi.refresh_from_db()
    assert amara.wishes_and_feelings == "I want to go to football club."
    assert {(r.subdimension, r.score) for r in amara.ratings.all()} == {("health", 8), ("education", None)}
    assert tobi.wishes_and_feelings == "" and not tobi.ratings.exists()
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.parents_views == "Bola wants help." and stored.what_needs_to_change == ""
    parts = {part.title: part.status for part in service.assessment_parts(stored)}
    assert parts[amara.child.full_name] == service.PartStatus.IN_PROGRESS
    assert parts[tobi.child.full_name] == service.PartStatus.NOT_STARTED
    assert parts["Parents' and carers' views"] == service.PartStatus.COMPLETED

    # Clearing a sub-dimension removes its rating; the rest of the section stays.
    service.assessment_child_section_save(
        section=amara, by=practitioner, wishes_and_feelings="I want to go to football club.", how_heard="",
        ratings={"health": {"strengths": "Healthy", "needs": "", "score": 8},
                 "education": {"strengths": "", "needs": "", "score": None}},
    )
    assert list(amara.ratings.values_list("subdimension", flat=True)) == ["health"]


def test_a_score_outside_0_to_10_is_refused_and_nothing_is_saved(episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    section = assessment.child_sections.first()
    with pytest.raises(ValidationError) as refused:
        service.assessment_child_section_save(
            section=section, by=practitioner, wishes_and_feelings="Typed before the bad score", how_heard="",
            ratings={"health": {"strengths": "ok", "needs": "", "score": 11}},
        )
    assert refused.value.message_dict == {"health_score": ["Score for Health must be a whole number from 0 to 10"]}
    section.refresh_from_db()
    assert section.wishes_and_feelings == ""
    assert not SubdimensionRating.objects.filter(section=section).exists()


@pytest.mark.parametrize("typed", ["11", "-1", "seven", "7.5"])
def test_the_section_form_explains_a_bad_score_beside_the_field_and_keeps_what_was_typed(
    episode, practitioner, typed
):
    section = service.assessment_start(episode=episode, by=practitioner).child_sections.first()
    form = ChildSectionForm(
        {"wishes_and_feelings": "Amara said she feels lonely", "health_strengths": "Active", "health_score": typed},
        section=section,
    )
    assert not form.is_valid()
    assert form.errors == {"health_score": ["Score for Health must be a whole number from 0 to 10"]}
    html = form["health_score"].as_widget()
    assert f'value="{typed}"' in html
    assert form["wishes_and_feelings"].value() == "Amara said she feels lonely"


def test_a_childs_section_has_only_the_seven_developmental_needs(episode, practitioner):
    section = service.assessment_start(episode=episode, by=practitioner).child_sections.first()
    form = ChildSectionForm(section=section)
    assert [name.removesuffix("_score") for name in form.fields if name.endswith("_score")] == [
        "health", "education", "emotional_behavioural", "identity", "family_social_relationships",
        "social_presentation", "self_care"]
    assert len(service.SUBDIMENSION_LABELS) == 20


def test_a_childs_section_refuses_the_familys_areas(episode, practitioner):
    section = service.assessment_start(episode=episode, by=practitioner).child_sections.first()
    with pytest.raises(ValidationError):
        service.assessment_child_section_save(
            section=section, by=practitioner, wishes_and_feelings="", how_heard="",
            ratings={"housing": {"strengths": "", "needs": "Damp bedroom", "score": None}},
        )
    assert not SubdimensionRating.objects.filter(section=section).exists()


def test_agreed_needs_refuse_no_factors_with_other_needs(episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    with pytest.raises(ValidationError):
        service.assessment_needs_save(assessment=assessment, by=practitioner, agreed_needs=["21", "4B"])
    with pytest.raises(ValidationError):
        service.assessment_needs_save(assessment=assessment, by=practitioner, agreed_needs=["99Z"])
    service.assessment_needs_save(assessment=assessment, by=practitioner, agreed_needs=["7A", "4B", "4B"])
    assert Assessment.objects.get(pk=assessment.pk).agreed_needs == ["4B", "7A"]


# --- Completion ------------------------------------------------------------------------------


def test_completion_is_refused_while_parts_are_missing_and_lists_them(episode, practitioner, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    assessment = service.assessment_start(episode=episode, by=practitioner)
    amara = assessment.child_sections.get(child__first_name="Amara")
    service.assessment_child_section_save(
        section=amara, by=practitioner, wishes_and_feelings="I like my school.", how_heard="Seen alone at school",
        ratings={"education": {"strengths": "Good attendance", "needs": "", "score": None}},
    )
    service.assessment_analysis_save(assessment=assessment, by=practitioner, what_needs_to_change="Routines",
                                     impact_if_not="")
    events_before = EpisodeEvent.objects.filter(episode=episode).count()

    with pytest.raises(service.AssessmentIncomplete) as refused:
        service.assessment_complete(assessment=assessment, by=practitioner)

    messages = [message for part in refused.value.parts for message in part.missing]
    assert messages == [
        "Enter Tobi's wishes and feelings, in their own words",
        "Enter how Tobi was seen and listened to",
        "Enter strengths or needs for at least one of Tobi's developmental needs",
        "Enter strengths or needs for at least one area of parenting capacity or of family and environmental factors",
        "Enter the parents' and carers' views, or explain under 'When engagement is hard' why they could not be heard",
        "Enter the impact on the children if nothing changes",
        "Select at least one need agreed with the family",
    ]
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.completed_on is None and stored.completed_by is None
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT
    assert EpisodeEvent.objects.filter(episode=episode).count() == events_before


def test_a_score_alone_does_not_count_as_strengths_or_needs(episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    section = assessment.child_sections.first()
    service.assessment_child_section_save(
        section=section, by=practitioner, wishes_and_feelings="Happy", how_heard="At home",
        ratings={"health": {"strengths": "", "needs": "", "score": 3}},
    )
    missing = [m for part in service.assessment_parts(Assessment.objects.get(pk=assessment.pk)) for m in part.missing]
    assert missing == [f"Enter strengths or needs for at least one of {section.child.first_name}'s developmental needs"]


def test_the_engagement_section_can_explain_why_parents_views_are_missing(episode, practitioner, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    service.assessment_family_views_save(assessment=assessment, by=practitioner, parents_views="")
    with pytest.raises(service.AssessmentIncomplete):
        service.assessment_complete(assessment=assessment, by=practitioner)
    service.assessment_engagement_save(
        assessment=assessment, by=practitioner, engagement_attempts="Three home visits, two letters",
        not_assessed="Dad's views: he would not meet us", risk_to_workers="",
    )
    service.assessment_complete(assessment=assessment, by=practitioner)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING


def test_completion_moves_the_episode_on_and_refreshes_what_is_due(monkeypatch, episode, practitioner, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    monkeypatch.setattr(service.timezone, "localdate", lambda *args: date(2026, 12, 18))

    service.assessment_complete(assessment=assessment, by=practitioner)

    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.completed_on, stored.completed_by) == (date(2026, 12, 18), practitioner)
    assert stored.signed_off_by is None
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING
    # The first TAF meeting is now what is due, counted from the completion date.
    assert (episode.next_due_on, episode.next_due_kind) == (date(2027, 1, 6), DueKind.TAF_MEETING)
    event = EpisodeEvent.objects.get(episode=episode, kind="assessment_completed")
    assert (event.from_state, event.to_state, event.by) == (EpisodeState.ASSESSMENT, EpisodeState.PLANNING, practitioner)
    # Complete means locked.
    with pytest.raises(ValidationError, match="complete"):
        service.assessment_family_views_save(assessment=stored, by=practitioner, parents_views="changed")
    with pytest.raises(ValidationError):
        service.assessment_complete(assessment=stored, by=practitioner)


def test_with_sign_off_on_completion_waits_for_a_team_manager(episode, practitioner, demo_user, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = True
    manager, adviser = demo_user("manager"), demo_user("adviser")
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)

    service.assessment_complete(assessment=assessment, by=practitioner)

    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.completed_by == practitioner and stored.completed_on is None
    assert service.assessment_is_awaiting_sign_off(stored)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT
    assert Notification.objects.filter(recipient=manager, url__contains=f"/episodes/{episode.pk}/").exists()
    # Waiting: nobody changes the parts, and only a team manager of the team may sign off.
    with pytest.raises(ValidationError, match="sign-off"):
        service.assessment_analysis_save(assessment=stored, by=practitioner, what_needs_to_change="x",
                                         impact_if_not="y")
    for not_a_manager in (practitioner, adviser):
        with pytest.raises(PermissionDenied):
            service.assessment_sign_off(assessment=stored, by=not_a_manager)

    service.assessment_sign_off(assessment=stored, by=manager)

    stored.refresh_from_db()
    assert stored.signed_off_by == manager and stored.signed_off_at is not None
    assert stored.completed_on is not None and stored.completed_by == practitioner
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING and episode.next_due_kind == DueKind.TAF_MEETING


def test_a_manager_can_send_the_assessment_back_with_a_reason(episode, practitioner, demo_user, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = True
    manager = demo_user("manager")
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    service.assessment_complete(assessment=assessment, by=practitioner)
    with pytest.raises(ValidationError):
        service.assessment_sign_off_return(assessment=assessment, by=manager, reason="  ")

    service.assessment_sign_off_return(assessment=assessment, by=manager, reason="Add Tobi's nursery's view")

    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.completed_by is None and not service.assessment_is_awaiting_sign_off(stored)
    assert Notification.objects.filter(recipient=practitioner, message__contains="Tobi's nursery").exists()
    service.assessment_family_views_save(assessment=stored, by=practitioner, parents_views="Now with more detail")


# --- The monitoring form ---------------------------------------------------------------------


def test_the_monitoring_form_follows_completion_prefilled_from_the_agreed_needs(episode, practitioner, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    arguments = dict(primary_need="N4", factors=["4B"], services_needed=["camhs", "school"],
                     additional_support_needed=True, notes="Waiting list for CAMHS")
    with pytest.raises(ValidationError, match="completed assessment"):
        service.monitoring_form_save(assessment=assessment, by=practitioner, **arguments)
    service.assessment_complete(assessment=assessment, by=practitioner)
    assessment.refresh_from_db()

    initial = MonitoringFormForm.initial_for(assessment=assessment, existing=None)
    assert initial == {"factors": ["4B", "7A"]}
    with pytest.raises(ValidationError) as refused:
        service.monitoring_form_save(assessment=assessment, by=practitioner, **{**arguments, "primary_need": "N11"})
    assert "primary_need" in refused.value.message_dict
    service.monitoring_form_save(assessment=assessment, by=practitioner, **arguments)

    form = MonitoringForm.objects.get(assessment=assessment)
    assert (form.primary_need, form.factors, form.services_needed) == ("N4", ["4B"], ["school", "camhs"])
    assert form.additional_support_needed and form.completed_by == practitioner
    assert EpisodeEvent.objects.filter(episode=episode, kind="monitoring_form").count() == 1


def test_the_monitoring_form_needs_a_primary_need_and_a_yes_or_no():
    form = MonitoringFormForm({"factors": ["4B"]})
    assert not form.is_valid()
    assert form.errors["primary_need"] == ["Select the family's primary need"]
    assert form.errors["additional_support_needed"] == ["Select yes if the family needs additional support"]
    form = MonitoringFormForm({"primary_need": "N1", "additional_support_needed": "no"})
    assert form.is_valid() and form.cleaned_data["additional_support_needed"] is False


def test_closed_episode_assessment_cannot_change(episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    Episode.objects.filter(pk=episode.pk).update(state=EpisodeState.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        service.assessment_family_views_save(assessment=assessment, by=practitioner, parents_views="late")
