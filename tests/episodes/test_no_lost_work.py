"""No silent overwrite on the assessment's pages (web/versioning.py): a save from a page opened
before someone else's save is refused with both versions shown (409) when they changed the same
field, merged when they changed another, and fields left alone are never written back."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.episodes.models import Assessment, AssessmentChildSection, MonitoringForm
from earlyhelp.episodes.services import assessment as service
from tests.web.test_versioning import opened_token

from .test_assessment_support import build_episode, fill_every_part


def stale_form(client, url: str, **changes) -> dict:
    """What a page sends when opened now and saved later with `changes` typed in."""
    response = client.get(url)
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data["opened"] = opened_token(response)
    data.update(changes)
    return data


@pytest.fixture
def people(demo_user):
    practitioner, manager = demo_user("practitioner"), demo_user("manager")
    manager.first_name, manager.last_name = "Morgan", "Manager"
    manager.save()
    return practitioner, manager


@pytest.fixture
def assessment(people):
    episode, _ = build_episode(lead=people[0], team=people[1].teams.first())
    return service.assessment_start(episode=episode, by=people[0])


@pytest.fixture
def two(people):
    first, second = Client(), Client()
    first.force_login(people[0])
    second.force_login(people[1])
    return first, second


def _url(assessment, name, **kwargs):
    return reverse(name, kwargs={"episode_id": assessment.episode_id, **kwargs})


def test_a_stale_save_of_the_same_text_is_refused_showing_both_versions(assessment, two):
    first, second = two
    url = _url(assessment, "episode-assessment-family")
    older = stale_form(first, url, parents_views="Bola says the mornings are hardest.")
    assert second.post(url, stale_form(second, url, parents_views="Dayo says he works nights.")).status_code == 302

    response = first.post(url, older)

    assert response.status_code == 409
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Morgan Manager changed this on" in page
    assert "Dayo says he works nights." in page  # their version, beside
    assert "Bola says the mornings are hardest." in page  # what was typed, kept
    assessment.refresh_from_db()
    assert assessment.parents_views == "Dayo says he works nights."

    # Combined and saved again from the refused page: no longer a clash
    combined = {**older, "opened": opened_token(response),
                "parents_views": "Dayo says he works nights. Bola says the mornings are hardest."}
    assert first.post(url, combined).status_code == 302
    assessment.refresh_from_db()
    assert assessment.parents_views == "Dayo says he works nights. Bola says the mornings are hardest."


def test_a_change_to_another_field_is_merged_and_untouched_fields_are_not_written_back(assessment, two):
    first, second = two
    url = _url(assessment, "episode-assessment-analysis")
    older = stale_form(first, url, what_needs_to_change="Routines at home")
    assert second.post(url, stale_form(second, url, impact_if_not="Attendance falls")).status_code == 302

    assert first.post(url, older).status_code == 302

    assessment.refresh_from_db()
    assert (assessment.what_needs_to_change, assessment.impact_if_not) == ("Routines at home", "Attendance falls")


def test_engagement_and_agreed_needs_pages_refuse_a_clash_and_merge_the_rest(assessment, two):
    first, second = two
    url = _url(assessment, "episode-assessment-engagement")
    older = stale_form(first, url, engagement_attempts="Three visits", not_assessed="Dad's views")
    second.post(url, stale_form(second, url, not_assessed="Tobi alone", risk_to_workers="A dog"))
    response = first.post(url, older)
    assert response.status_code == 409 and "Tobi alone" in response.content.decode()
    assert list(response.context["form"].errors) == ["__all__", "not_assessed"]
    assessment.refresh_from_db()
    assert (assessment.engagement_attempts, assessment.not_assessed) == ("", "Tobi alone")

    url = _url(assessment, "episode-assessment-needs")
    older = stale_form(first, url, needs_parenting_capacity=["4B"])
    second.post(url, stale_form(second, url, needs_parenting_capacity=["6B"]))
    response = first.post(url, older)
    assert response.status_code == 409 and "Morgan Manager" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.agreed_needs == ["6B"]


def test_a_childs_section_keeps_the_other_persons_rating_and_refuses_a_clash(assessment, two):
    first, second = two
    section = AssessmentChildSection.objects.filter(assessment=assessment).first()
    url = _url(assessment, "episode-assessment-child", section_id=section.pk)
    older = stale_form(first, url, wishes_and_feelings="Wants to see Dad more", health_needs="Dentist")
    second.post(url, stale_form(second, url, education_strengths="Loves reading", health_score="7"))

    assert first.post(url, older).status_code == 302
    section.refresh_from_db()
    ratings = {rating.subdimension: rating for rating in section.ratings.all()}
    assert section.wishes_and_feelings == "Wants to see Dad more"
    assert ratings["education"].strengths == "Loves reading"
    assert (ratings["health"].needs, ratings["health"].score) == ("Dentist", 7)

    older = stale_form(first, url, wishes_and_feelings="Wants a bike")
    second.post(url, stale_form(second, url, wishes_and_feelings="Wants a dog"))
    response = first.post(url, older)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Wants a bike" in page and "Wants a dog" in page
    section.refresh_from_db()
    assert section.wishes_and_feelings == "Wants a dog"


def test_a_tampered_token_never_overwrites(assessment, two):
    first, second = two
    url = _url(assessment, "episode-assessment-family")
    second.post(url, stale_form(second, url, parents_views="Theirs"))
    response = first.post(url, {"parents_views": "Mine", "opened": "forged"})
    assert response.status_code == 409
    assert Assessment.objects.get(pk=assessment.pk).parents_views == "Theirs"


def test_the_monitoring_form_refuses_a_stale_save(assessment, two, people):
    first, second = two
    fill_every_part(assessment, people[0])
    service.assessment_complete(assessment=assessment, by=people[0])
    url = _url(assessment, "episode-monitoring")
    base = {"primary_need": "", "additional_support_needed": "no"}
    first_page = stale_form(first, url)
    primary = first.get(url).context["form"].fields["primary_need"].choices[1][0]
    assert second.post(url, {**stale_form(second, url), **base, "primary_need": primary,
                             "notes": "Theirs"}).status_code == 302
    response = first.post(url, {**first_page, **base, "primary_need": primary, "notes": "Mine"})
    assert response.status_code == 409
    assert "Theirs" in response.content.decode() and "Mine" in response.content.decode()
    assert MonitoringForm.objects.get(assessment=assessment).notes == "Theirs"


def test_an_actions_status_changed_by_someone_else_is_not_overwritten(people, two):
    from earlyhelp.episodes.models import ActionStatus, PlanAction
    from earlyhelp.episodes.services import plan

    from .test_plan_support import build_episode as build_planning_episode

    lead = people[0]
    episode = build_planning_episode(lead=lead)[0]
    outcome = plan.outcome_create(episode=episode, by=lead, in_familys_words="Jack goes to school", needs=["14A"])
    action = plan.plan_action_create(episode=episode, by=lead, outcome=outcome, description="Morning check-in",
                                     due_on=episode.opened_on + timedelta(days=30), owner_user=lead)
    first, second = two
    url = reverse("episode-action-status", kwargs={"episode_id": episode.pk, "action_id": action.pk})
    older = stale_form(first, url, status=ActionStatus.DONE)
    assert second.post(url, stale_form(second, url, status=ActionStatus.IN_PROGRESS)).status_code == 302

    response = first.post(url, older)

    assert response.status_code == 409 and "Morgan Manager" in response.content.decode()
    assert PlanAction.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS
    # Saved again unchanged from the refused page: theirs stays
    assert first.post(url, {**older, "status": ActionStatus.IN_PROGRESS,
                            "opened": opened_token(response)}).status_code == 302


@pytest.fixture
def lead_page(people, demo_user):
    episode, _ = build_episode(lead=people[0], team=people[1].teams.first())
    return episode, reverse("episode-lead-professional", kwargs={"episode_id": episode.pk}), demo_user


def _lead_post(page_response, lead, **extra) -> dict:
    return {"lead": lead.pk, "chosen_with_family": "yes", "q": "", "opened": opened_token(page_response), **extra}


def test_a_transfer_from_a_page_opened_before_someone_elses_transfer_is_refused(lead_page, two):
    from earlyhelp.episodes.models import Episode

    episode, url, demo_user = lead_page
    first, second = two
    partner, adviser = demo_user("partner"), demo_user("adviser")
    older = first.get(url)
    assert second.post(url, _lead_post(second.get(url), partner, handover_note="Theirs: Mum prefers texts.")
                       ).status_code == 302

    response = first.post(url, _lead_post(older, adviser, handover_note="Mine: Dad works nights."))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Morgan Manager changed this on" in page and "govuk-error-summary" in page
    their_version = page.split('data-field="lead"', 1)[1].split("</div>", 1)[0]
    assert f"<p>{partner.get_full_name()}, " in their_version  # by name, as the list names them
    assert "Mine: Dad works nights." in page  # the typed handover note, kept
    assert Episode.objects.get(pk=episode.pk).lead_professional == partner

    # Sent again from the refused page, having seen their choice: the transfer goes through
    assert first.post(url, _lead_post(response, adviser, handover_note="Mine: Dad works nights.")).status_code == 302
    assert Episode.objects.get(pk=episode.pk).lead_professional == adviser


def test_choosing_a_lead_after_someone_else_chose_one_is_refused_with_their_choice(lead_page, two):
    from earlyhelp.episodes.models import Episode

    episode, url, demo_user = lead_page
    Episode.objects.filter(pk=episode.pk).update(lead_professional=None)
    first, second = two
    partner, adviser = demo_user("partner"), demo_user("adviser")
    older = first.get(url)
    assert second.post(url, _lead_post(second.get(url), partner)).status_code == 302

    # The older page asked for no handover note: still refused as stale, not only as incomplete
    response = first.post(url, _lead_post(older, adviser))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Morgan Manager changed this on" in page and partner.get_full_name() in page
    assert Episode.objects.get(pk=episode.pk).lead_professional == partner


def test_a_transfer_from_a_page_opened_after_the_last_change_goes_through(lead_page, two):
    from earlyhelp.episodes.models import Episode

    episode, url, demo_user = lead_page
    first, second = two
    partner, adviser = demo_user("partner"), demo_user("adviser")
    assert second.post(url, _lead_post(second.get(url), partner, handover_note="Mum prefers texts.")).status_code == 302
    assert first.post(url, _lead_post(first.get(url), adviser, handover_note="Dad works nights.")).status_code == 302
    assert Episode.objects.get(pk=episode.pk).lead_professional == adviser
