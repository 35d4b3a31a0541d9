"""The family's part of the assessment (parenting capacity, family and environmental factors, notes
where a child differs), agreed needs from the request grouped by domain, and check your answers."""

import html
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.episodes.factor_domains import FACTOR_DOMAIN, FACTOR_GROUPS
from earlyhelp.episodes.forms_assessment import AgreedNeedsForm, FamilyRatingsForm
from earlyhelp.episodes.models import Assessment, EpisodeChild, EpisodeState, FamilyRating
from earlyhelp.episodes.services import assessment as service
from earlyhelp.frontdoor.models import RequestForSupport
from earlyhelp.people.models import Person
from earlyhelp.standards import AssessmentFactor

from .test_assessment_support import build_episode, fill_every_part


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def episode(practitioner):
    return build_episode(lead=practitioner)[0]


def _url(name, episode, **kwargs):
    return reverse(name, kwargs={"episode_id": episode.pk, **kwargs})


def test_the_familys_areas_are_saved_once_with_a_note_for_a_child_where_they_differ(episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    amara, tobi = assessment.child_sections.order_by("child__date_of_birth")
    service.assessment_family_ratings_save(
        assessment=assessment, by=practitioner,
        ratings={"housing": {"strengths": "", "needs": "Damp in the bedroom", "score": 4},
                 "basic_care": {"strengths": "Meals every day", "needs": "", "score": None}},
        child_notes={tobi.pk: {"parenting_capacity": "Tobi's nappies are not always changed", "family_environment": ""}},
    )
    assert {(r.subdimension, r.score) for r in FamilyRating.objects.filter(assessment=assessment)} == {
        ("housing", 4), ("basic_care", None)}
    tobi.refresh_from_db()
    amara.refresh_from_db()
    assert tobi.parenting_capacity_note == "Tobi's nappies are not always changed"
    assert amara.parenting_capacity_note == "" and not amara.ratings.exists()
    parts = {part.key: part for part in service.assessment_parts(service.assessment_for_episode(episode))}
    assert parts["family_ratings"].status == service.PartStatus.COMPLETED
    assert parts["child"].status == service.PartStatus.NOT_STARTED  # the family's part is not a child's


def test_the_family_part_refuses_a_childs_area_and_a_child_of_another_assessment(episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    other, _ = build_episode(lead=practitioner, name="Other")
    other_section = service.assessment_start(episode=other, by=practitioner).child_sections.first()
    with pytest.raises(ValidationError):
        service.assessment_family_ratings_save(assessment=assessment, by=practitioner, child_notes={},
                                               ratings={"health": {"strengths": "Well", "needs": "", "score": 8}})
    with pytest.raises(ValidationError):
        service.assessment_family_ratings_save(
            assessment=assessment, by=practitioner, ratings={},
            child_notes={other_section.pk: {"parenting_capacity": "Not this family"}})
    with pytest.raises(ValidationError) as refused:
        service.assessment_family_ratings_save(assessment=assessment, by=practitioner, child_notes={},
                                               ratings={"income": {"strengths": "", "needs": "Debt", "score": 11}})
    assert refused.value.message_dict == {"income_score": ["Score for Income must be a whole number from 0 to 10"]}
    assert not FamilyRating.objects.filter(assessment=assessment).exists()
    other_section.refresh_from_db()
    assert other_section.parenting_capacity_note == ""


def test_completion_needs_the_familys_part(episode, practitioner, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    service.assessment_family_ratings_save(assessment=assessment, by=practitioner, child_notes={},
                                           ratings={"basic_care": {"strengths": "", "needs": "", "score": 5}})
    with pytest.raises(service.AssessmentIncomplete) as refused:
        service.assessment_complete(assessment=Assessment.objects.get(pk=assessment.pk), by=practitioner)
    assert [m for part in refused.value.parts for m in part.missing] == [
        "Enter strengths or needs for at least one area of parenting capacity or of family and environmental factors"]


def test_a_three_child_family_part_asks_each_area_once_and_a_note_per_child_per_domain(episode, practitioner):
    zara = Person.objects.create(first_name="Zara", last_name="Adeyemi", date_of_birth=date(2021, 5, 2))
    EpisodeChild.objects.create(episode=episode, person=zara, added_on=episode.opened_on)
    service.assessment_start(episode=episode, by=practitioner)
    sections = service.assessment_current_sections(service.assessment_for_episode(episode))
    assert len(sections) == 3
    form = FamilyRatingsForm(sections=sections, initial={})
    names = [name for name in form.fields if name != "opened"]
    assert len([name for name in names if name.endswith("_score")]) == 13
    assert len([name for name in names if name.startswith("differs_")]) == 2 * 3
    assert len(names) == 13 * 3 + 6


def test_every_factor_has_one_group_and_the_mapping_follows_the_census_split():
    assert set(FACTOR_DOMAIN) == set(AssessmentFactor.values)
    assert {group for group, _ in FACTOR_GROUPS} == set(FACTOR_DOMAIN.values())
    assert FACTOR_DOMAIN["4A"] == "child_development"  # concerns about the child
    assert FACTOR_DOMAIN["4B"] == "parenting_capacity"  # about the parent or carer
    assert FACTOR_DOMAIN["4C"] == "family_environment"  # about another person in the household
    assert FACTOR_DOMAIN["16A"] == "parenting_capacity" and FACTOR_DOMAIN["21"] == "other"


def test_agreed_needs_form_groups_by_domain_and_refuses_no_factors_with_others():
    form = AgreedNeedsForm({"needs_parenting_capacity": ["4B"], "needs_other": ["21"]})
    assert not form.is_valid()
    assert form.errors == {"needs_other": [AgreedNeedsForm.NO_FACTORS_MESSAGE]}
    form = AgreedNeedsForm({"needs_parenting_capacity": ["4B"], "needs_child_development": ["7A", "4B"]})
    assert not form.is_valid() and "needs_child_development" in form.errors  # 4B is not a child's factor
    form = AgreedNeedsForm({"needs_parenting_capacity": ["4B"], "needs_child_development": ["7A"]})
    assert form.is_valid() and form.agreed_needs() == ["7A", "4B"]
    legends = [str(form.fields[name].label) for name in form.fields if name.startswith("needs_")]
    assert legends == ["Child's developmental needs", "Parenting capacity", "Family and environmental factors",
                       "Other, or no factors"]


def test_agreed_needs_start_from_the_request_until_they_are_saved(client, episode, practitioner):
    episode.request = RequestForSupport.objects.create(
        reference="RFS-A-NEEDS", source="practitioner", family=episode.family, concern_details="Mum is low",
        family_agreement="yes", submitted_at=timezone.now(), triage_due_on=timezone.localdate(),
        assessment_factors=["4B", "7A", "3C"],
    )
    episode.save(update_fields=["request"])
    service.assessment_start(episode=episode, by=practitioner)
    client.force_login(practitioner)

    page = client.get(_url("episode-assessment-needs", episode)).content.decode()
    assert "The needs the request for support named are already selected" in page
    assert _checked(page) == {"needs_child_development": ["7A"], "needs_parenting_capacity": ["4B"],
                              "needs_family_environment": ["3C"]}
    legends = [re.sub(r"\s+", " ", legend).strip() for legend in re.findall(r"<legend[^>]*>(.*?)</legend>", page, re.S)]
    assert [html.unescape(re.sub(r"<[^>]+>", "", legend)).strip() for legend in legends][:4] == [
        "Child's developmental needs", "Parenting capacity", "Family and environmental factors", "Other, or no factors"]
    assert ">4B<" not in page and "(4B)" not in page  # labels, not codes

    response = client.post(_url("episode-assessment-needs", episode),
                           {"needs_parenting_capacity": ["4B"], "next": "later"})
    assert response.status_code == 302
    assert Assessment.objects.get(episode=episode).agreed_needs == ["4B"]
    page = client.get(_url("episode-assessment-needs", episode)).content.decode()
    assert _checked(page) == {"needs_parenting_capacity": ["4B"]}
    assert "already selected" not in page


def _checked(page: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for match in re.finditer(r"<input[^>]*>", page):
        tag = match.group(0)
        if 'type="checkbox"' in tag and "checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            found.setdefault(name, []).append(re.search(r'value="([^"]+)"', tag).group(1))
    return found


def test_check_your_answers_shows_every_part_with_change_links_then_completes(
    client, episode, practitioner, settings
):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    assessment = service.assessment_start(episode=episode, by=practitioner)
    client.force_login(practitioner)
    page = client.get(_url("episode-assessment-check", episode)).content.decode()
    assert "The assessment cannot be completed yet" in page
    assert "Enter Amara&#x27;s wishes and feelings, in their own words" in page

    fill_every_part(assessment, practitioner)
    tobi = assessment.child_sections.get(child__first_name="Tobi")
    tobi.family_environment_note = "Tobi shares the damp room"
    tobi.save()
    page = client.get(_url("episode-assessment-check", episode)).content.decode()
    assert "Check your answers before completing the assessment" in page
    assert "cannot be completed yet" not in page
    assert "Complete the assessment</button>" in page
    for text in ("Tobi wants Mum to be less tired.", "Breakfast is often missed", "Bola says she is exhausted.",
                 "Routines at home", "Young carer", "Tobi shares the damp room"):
        assert text in page, text
    assert f'href="{_url("episode-assessment-child", episode, section_id=tobi.pk)}#id_wishes_and_feelings"' in page
    assert f'href="{_url("episode-assessment-family-ratings", episode)}#subdimension-basic_care"' in page
    assert f'href="{_url("episode-assessment-needs", episode)}"' in page
    overview = client.get(_url("episode-assessment", episode)).content.decode()
    assert _url("episode-assessment-check", episode) in overview

    response = client.post(_url("episode-assessment-complete", episode))
    assert response.url == _url("episode-monitoring", episode)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING
    # Once complete there is nothing to check: the page goes back to the assessment.
    assert client.get(_url("episode-assessment-check", episode)).url == _url("episode-assessment", episode)


def test_the_family_part_page_saves_and_keeps_what_was_typed_on_error(client, episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    tobi = assessment.child_sections.get(child__first_name="Tobi")
    client.force_login(practitioner)
    url = _url("episode-assessment-family-ratings", episode)
    page = client.get(url).content.decode()
    assert "Tobi: where parenting capacity differs" in page
    note = f"differs_{tobi.pk}_parenting_capacity"
    response = client.post(url, {"housing_needs": "Damp", "housing_score": "12", note: "Tobi is cold", "next": "later"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Score for Housing must be a whole number from 0 to 10" in page and "Tobi is cold" in page
    assert not FamilyRating.objects.filter(assessment=assessment).exists()

    response = client.post(url, {"housing_needs": "Damp", "housing_score": "3", note: "Tobi is cold",
                                 "next": "continue"})
    assert response.url == _url("episode-assessment-family", episode)
    assert FamilyRating.objects.get(assessment=assessment).needs == "Damp"
    tobi.refresh_from_db()
    assert tobi.parenting_capacity_note == "Tobi is cold"
