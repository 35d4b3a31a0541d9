"""The assessment pages: who may see and change them, errors beside the field, completion, downloads."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.episodes.models import (
    ActionStatus,
    Assessment,
    EpisodeState,
    MonitoringForm,
    Outcome,
    PlanAction,
)
from earlyhelp.episodes.services import assessment as service
from earlyhelp.people.models import Involvement

from .test_assessment_support import build_episode, fill_every_part


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def built(practitioner):
    return build_episode(lead=practitioner)


@pytest.fixture
def episode(built):
    return built[0]


def _url(name: str, episode, **kwargs) -> str:
    return reverse(name, kwargs={"episode_id": episode.pk, **kwargs})


def _checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}"[^>]*?value="([^"]+)"\s+checked="checked"', page)


def _partner_in_network(demo_user, people):
    """A school's safeguarding lead working with Amara: may read the assessment, not change it."""
    partner = demo_user("partner")
    Involvement.objects.create(person=people["amara"], agency=partner.agency, practitioner=partner,
                               role_description="Designated safeguarding lead")
    return partner


def test_the_lead_starts_the_assessment_from_its_page(client, episode, practitioner):
    client.force_login(practitioner)
    page = client.get(_url("episode-assessment", episode))
    assert "Start the assessment" in page.content.decode()
    assert page.context["family"] == episode.family

    response = client.post(_url("episode-assessment-start", episode))

    assert response.status_code == 302 and response.url == _url("episode-assessment", episode)
    assessment = Assessment.objects.get(episode=episode)
    page = client.get(_url("episode-assessment", episode)).content.decode()
    assert "Assessment started. It is due by" in page
    assert assessment.due_on.strftime("%-d %B %Y") in page
    for child in ("Amara Adeyemi", "Tobi Adeyemi", "Parents&#x27; and carers&#x27; views", "Agreed needs"):
        assert child in page
    assert "govuk-task-list" in page and "Not started" in page


def test_people_in_the_network_may_read_but_not_change(client, built, practitioner, demo_user):
    episode, people = built
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    partner = _partner_in_network(demo_user, people)
    client.force_login(partner)
    section = assessment.child_sections.get(child__first_name="Amara")

    overview = client.get(_url("episode-assessment", episode)).content.decode()
    assert "Complete the assessment" not in overview and "Start the assessment" not in overview
    page = client.get(_url("episode-assessment-child", episode, section_id=section.pk)).content.decode()
    assert "Amara wants Mum to be less tired." in page and "<textarea" not in page
    response = client.post(_url("episode-assessment-family", episode), {"parents_views": "Changed by a partner"})
    assert response.status_code == 403
    assert Assessment.objects.get(pk=assessment.pk).parents_views == "Bola says she is exhausted."
    assert client.post(_url("episode-assessment-complete", episode)).status_code == 403


def test_someone_outside_the_network_gets_403_everywhere(client, episode, practitioner, demo_user):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    section = assessment.child_sections.first()
    Outcome.objects.create(episode=episode, in_familys_words="We want mornings to be calmer")
    client.force_login(demo_user("partner"))  # not involved with this family
    for url in (
        _url("episode-assessment", episode),
        _url("episode-assessment-child", episode, section_id=section.pk),
        _url("episode-assessment-analysis", episode),
        _url("episode-assessment-pdf", episode),
        _url("episode-plan-pdf", episode),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(_url("episode-assessment-start", episode)).status_code == 403
    assert not AccessRecord.objects.filter(kind=AccessKind.DOWNLOAD, family=episode.family).exists()


def test_a_bad_score_is_explained_beside_the_field_and_nothing_is_saved(client, episode, practitioner):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    section = assessment.child_sections.get(child__first_name="Amara")
    client.force_login(practitioner)
    url = _url("episode-assessment-child", episode, section_id=section.pk)

    response = client.post(url, {
        "wishes_and_feelings": "I miss my dad", "how_heard": "At school", "health_strengths": "Eats well",
        "health_score": "12", "next": "continue",
    })

    assert response.status_code == 422  # shown again with its errors: nothing saved
    page = response.content.decode()
    assert page.count("Score for Health must be a whole number from 0 to 10") == 2  # summary and beside the field
    assert 'href="#id_health_score"' in page
    assert 'id="div_id_health_score" class="govuk-form-group govuk-form-group--error"' in page
    assert 'aria-describedby="id_health_score_hint id_health_score_1_error"' in page
    assert 'value="12"' in page and "I miss my dad" in page and "Eats well" in page
    assert "<title>Error: " in page
    section.refresh_from_db()
    assert section.wishes_and_feelings == "" and not section.ratings.exists()


def test_save_and_continue_goes_to_the_next_part_and_save_and_come_back_later_to_the_list(
    client, episode, practitioner
):
    assessment = service.assessment_start(episode=episode, by=practitioner)
    amara = assessment.child_sections.get(child__first_name="Amara")
    tobi = assessment.child_sections.get(child__first_name="Tobi")
    client.force_login(practitioner)

    response = client.post(_url("episode-assessment-child", episode, section_id=amara.pk),
                           {"wishes_and_feelings": "I like drawing", "health_score": "7", "next": "continue"})
    assert response.url == _url("episode-assessment-child", episode, section_id=tobi.pk)
    response = client.post(_url("episode-assessment-child", episode, section_id=tobi.pk),
                           {"how_heard": "Played with him at nursery", "next": "later"})
    assert response.url == _url("episode-assessment", episode)
    response = client.post(_url("episode-assessment-needs", episode), {"needs_parenting_capacity": ["16A"], "next": "continue"})
    assert response.url == _url("episode-assessment-engagement", episode)
    response = client.post(_url("episode-assessment-engagement", episode),
                           {"risk_to_workers": "Large dog at the address", "next": "continue"})
    assert response.url == _url("episode-assessment", episode)

    amara.refresh_from_db()
    tobi.refresh_from_db()
    assert amara.wishes_and_feelings == "I like drawing" and amara.ratings.get().score == 7
    assert tobi.how_heard == "Played with him at nursery"
    overview = client.get(_url("episode-assessment", episode)).content.decode()
    assert "Risk to workers: Large dog at the address" in overview
    assert "In progress" in overview


def test_completion_lists_what_is_missing_with_links_then_asks_for_the_monitoring_form(
    client, episode, practitioner, settings
):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    assessment = service.assessment_start(episode=episode, by=practitioner)
    tobi = assessment.child_sections.get(child__first_name="Tobi")
    client.force_login(practitioner)

    response = client.post(_url("episode-assessment-complete", episode))

    page = response.content.decode()
    assert response.status_code == 422 and "There is a problem" in page
    assert f'href="{_url("episode-assessment-child", episode, section_id=tobi.pk)}"' in page
    assert "Enter how Tobi was seen and listened to" in page
    assert f'href="{_url("episode-assessment-needs", episode)}">Select at least one need agreed with the family' in page
    assert Assessment.objects.get(pk=assessment.pk).completed_on is None

    fill_every_part(assessment, practitioner)
    response = client.post(_url("episode-assessment-complete", episode))
    assert response.url == _url("episode-monitoring", episode)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING

    form_page = client.get(_url("episode-monitoring", episode)).content.decode()
    # The factors are filled in from the agreed needs (4B and 7A), nothing else.
    assert _checked(form_page, "factors") == ["4B", "7A"]
    response = client.post(_url("episode-monitoring", episode), {"factors": ["4B"]})
    page = response.content.decode()
    assert "Select the family&#x27;s primary need" in page and _checked(page, "factors") == ["4B"]
    assert not MonitoringForm.objects.filter(assessment__episode=episode).exists()
    response = client.post(_url("episode-monitoring", episode), {
        "primary_need": "N4", "factors": ["4B", "7A"], "services_needed": ["camhs"],
        "additional_support_needed": "yes", "notes": "",
    })
    assert response.url == _url("episode-assessment", episode)
    assert MonitoringForm.objects.get(assessment__episode=episode).primary_need == "N4"
    # Complete: the parts are read-only now.
    page = client.get(_url("episode-assessment-analysis", episode)).content.decode()
    assert "can no longer be changed" in page and "<textarea" not in page


def test_with_sign_off_the_manager_signs_it_off_from_the_page(client, episode, practitioner, demo_user, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = True
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    client.force_login(practitioner)
    response = client.post(_url("episode-assessment-complete", episode))
    assert response.url == _url("episode-assessment", episode)
    assert client.get(_url("episode-assessment-sign-off", episode)).status_code == 403
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT

    client.force_login(demo_user("manager"))
    overview = client.get(_url("episode-assessment", episode)).content.decode()
    assert "Waiting for sign-off" in overview and "Sign off or send back" in overview
    response = client.post(_url("episode-assessment-sign-off", episode), {"decision": "return", "reason": ""})
    assert "Enter what needs to change before you can sign it off" in response.content.decode()
    response = client.post(_url("episode-assessment-sign-off", episode), {"decision": "sign_off"})
    assert response.url == _url("episode-assessment", episode)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING
    assert Assessment.objects.get(pk=assessment.pk).signed_off_by.username == "manager"


def test_the_assessment_pdf_downloads_as_an_attachment_and_is_audited(client, built, practitioner, demo_user):
    episode, people = built
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)
    partner = _partner_in_network(demo_user, people)
    client.force_login(partner)  # readers in the network may download the family's copy

    response = client.get(_url("episode-assessment-pdf", episode))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="early-help-assessment-{episode.reference}.pdf"'
    assert response.content.startswith(b"%PDF")
    download = AccessRecord.objects.get(kind=AccessKind.DOWNLOAD, family=episode.family)
    assert (download.user, download.family_id) == (partner, episode.family_id)
    assert "assessment" in download.what


def test_the_plan_pdf_needs_a_plan_and_is_linked_only_then(client, episode, practitioner, demo_user):
    service.assessment_start(episode=episode, by=practitioner)
    client.force_login(practitioner)
    assert client.get(_url("episode-plan-pdf", episode)).status_code == 404
    assert _url("episode-plan-pdf", episode) not in client.get(_url("episode-assessment", episode)).content.decode()

    outcome = Outcome.objects.create(episode=episode, in_familys_words="Amara gets to school on time", needs=["7A"])
    PlanAction.objects.create(outcome=outcome, description="Breakfast club place", owner_agency=practitioner.agency,
                              due_on=timezone.localdate() + timedelta(days=14), status=ActionStatus.IN_PROGRESS)
    assert _url("episode-plan-pdf", episode) in client.get(_url("episode-assessment", episode)).content.decode()
    response = client.get(_url("episode-plan-pdf", episode))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="family-plan-{episode.reference}.pdf"'
    assert AccessRecord.objects.filter(kind=AccessKind.DOWNLOAD, user=practitioner, family=episode.family,
                                       what__contains="plan").exists()


def test_before_consent_the_page_says_what_comes_first(client, practitioner):
    waiting, _ = build_episode(lead=practitioner, state=EpisodeState.AWAITING_CONSENT)
    client.force_login(practitioner)
    page = client.get(_url("episode-assessment", waiting)).content.decode()
    assert "Record their consent first" in page and "Start the assessment" not in page
    response = client.post(_url("episode-assessment-start", waiting))
    assert "The assessment can only start once the family has agreed to it" in response.content.decode()
    assert not Assessment.objects.filter(episode=waiting).exists()


def test_a_child_who_joins_later_gets_a_section(client, built, practitioner):
    from earlyhelp.episodes.models import EpisodeChild
    from earlyhelp.people.models import FamilyMember, MemberRole, Person

    episode, _ = built
    service.assessment_start(episode=episode, by=practitioner)
    baby = Person.objects.create(first_name="Zara", last_name="Adeyemi", date_of_birth=date(2025, 5, 1))
    FamilyMember.objects.create(family=episode.family, person=baby, role=MemberRole.CHILD)
    EpisodeChild.objects.create(episode=episode, person=baby, added_on=timezone.localdate())
    client.force_login(practitioner)
    page = client.get(_url("episode-assessment", episode)).content.decode()
    assert "Zara Adeyemi joined the episode after the assessment started" in page
    response = client.post(_url("episode-assessment-complete", episode))
    assert "Add a section for Zara" in response.content.decode()

    client.post(_url("episode-assessment-add-children", episode))

    assert Assessment.objects.get(episode=episode).child_sections.filter(child=baby).exists()


def test_an_assessment_past_its_due_date_is_tagged_overdue_until_complete(client, episode, practitioner, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    assessment = service.assessment_start(episode=episode, by=practitioner)
    client.force_login(practitioner)
    overdue_tag = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    assert overdue_tag not in client.get(_url("episode-assessment", episode)).content.decode()

    Assessment.objects.filter(pk=assessment.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    assert overdue_tag in client.get(_url("episode-assessment", episode)).content.decode()

    fill_every_part(assessment, practitioner)
    service.assessment_complete(assessment=Assessment.objects.get(pk=assessment.pk), by=practitioner)
    assert overdue_tag not in client.get(_url("episode-assessment", episode)).content.decode()
