"""The episode core pages: starting early help, the overview, children, lead professional, disagreements."""

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AccessRecord
from earlyhelp.episodes.models import Disagreement, Episode, EpisodeChild, LeadProfessionalAssignment
from earlyhelp.episodes.services.core import episode_open, lead_professional_assign
from earlyhelp.frontdoor.models import AllocationOutcome

from .test_core import _allocation
from .test_core_helpers import children_of, make_family, make_user


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def family(practitioner):
    return make_family(name="Ashdown family", children=2, seen_by=practitioner)


@pytest.fixture
def signed_in(client, practitioner):
    client.force_login(practitioner)
    return client


def _page(response) -> str:
    return response.content.decode()


def test_start_page_lists_the_children_and_starts_early_help(signed_in, family):
    url = reverse("episode-start", kwargs={"family_id": family.pk})
    page = _page(signed_in.get(url))
    first, second = children_of(family)
    assert first.full_name in page and second.full_name in page
    assert AccessRecord.objects.filter(family=family, what="Start early help").exists()
    response = signed_in.post(url, {"children": [second.pk], "allocated_worker": ""})
    episode = Episode.objects.get(family=family)
    assert response["Location"] == reverse("episode-detail", kwargs={"episode_id": episode.pk})
    assert list(episode.children.values_list("person_id", flat=True)) == [second.pk]
    assert episode.allocated_worker is None
    # Now the page points to the open episode instead of offering a second one.
    page = _page(signed_in.get(url))
    assert "data-open-episode" in page and episode.reference in page
    signed_in.post(url, {"children": [first.pk]})
    assert Episode.objects.filter(family=family).count() == 1


def test_start_page_explains_a_missing_choice_and_saves_nothing(signed_in, practitioner, family):
    url = reverse("episode-start", kwargs={"family_id": family.pk})
    response = signed_in.post(url, {"allocated_worker": str(practitioner.pk)})
    page = _page(response)
    assert "There is a problem" in page and "Select at least one child of concern" in page
    assert response.context["form"]["allocated_worker"].value() == str(practitioner.pk)
    assert not Episode.objects.filter(family=family).exists()


def test_start_page_is_only_for_families_the_user_works_with(client, family):
    stranger = make_user(Role.EARLY_HELP_PRACTITIONER)
    client.force_login(stranger)
    assert client.get(reverse("episode-start", kwargs={"family_id": family.pk})).status_code == 403


def test_start_from_an_allocation_with_one_button(signed_in, demo_user, practitioner, family):
    decision = _allocation(family=family, practitioner=practitioner, decided_by=demo_user("frontdoor"),
                           outcome=AllocationOutcome.ALLOCATE_PRACTITIONER)
    page = _page(signed_in.get(reverse("episode-start", kwargs={"family_id": family.pk})))
    assert f'data-allocation="{decision.pk}"' in page and "Start early help" in page
    response = signed_in.post(reverse("episode-start-from-allocation",
                                      kwargs={"family_id": family.pk, "decision_id": decision.pk}))
    episode = Episode.objects.get(family=family)
    assert response["Location"] == reverse("episode-detail", kwargs={"episode_id": episode.pk})
    assert (episode.request_id, episode.allocated_worker) == (decision.request_id, practitioner)


def test_overview_shows_children_with_ages_who_holds_the_work_and_the_timeline(signed_in, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    page = _page(signed_in.get(reverse("episode-detail", kwargs={"episode_id": episode.pk})))
    first = children_of(family)[0]
    assert first.full_name in page and f"<td class=\"govuk-table__cell\">{first.age_on(timezone.localdate())}</td>" in page
    assert practitioner.get_full_name() in page and episode.team.name in page
    assert "Consent to record by" in page
    for css in ("moj-timeline__item", "moj-timeline__title", "moj-timeline__byline", "moj-timeline__date",
                "moj-timeline__description"):
        assert css in page
    assert "Early help started" in page


def test_a_child_is_added_from_the_overview(signed_in, practitioner):
    family = make_family(children=3, seen_by=practitioner)
    first, second, third = children_of(family)
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner,
                           children=[first, second])
    url = reverse("episode-detail", kwargs={"episode_id": episode.pk})
    page = _page(signed_in.post(url, {}))
    assert "Select the child to add" in page
    signed_in.post(url, {"person": str(third.pk)})
    assert EpisodeChild.objects.filter(episode=episode, person=third, removed_on__isnull=True).exists()


def test_people_who_only_see_the_episode_cannot_change_its_children(client, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    partner = make_user(Role.PARTNER_PRACTITIONER)
    family_adult = family.memberships.filter(role="parent").first().person
    family_adult.involvements.create(agency=partner.agency, practitioner=partner)
    client.force_login(partner)
    url = reverse("episode-detail", kwargs={"episode_id": episode.pk})
    page = _page(client.get(url))
    assert "Remove<span" not in page and 'name="person"' not in page
    assert client.post(url, {"person": str(children_of(family)[0].pk)}).status_code == 403


def test_removing_a_child_needs_a_reason_and_never_the_last(signed_in, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    first, second = episode.children.order_by("pk")
    url = reverse("episode-child-remove", kwargs={"episode_id": episode.pk, "child_id": second.pk})
    response = signed_in.post(url, {"removed_on_0": "31", "removed_on_1": "2", "removed_on_2": "2026",
                                    "reason": "Moved to dad's"})
    page = _page(response)
    assert "The date the child stopped being a child of concern must be a real date" in page
    assert "Moved to dad&#x27;s" in page
    today = timezone.localdate()
    signed_in.post(url, {"removed_on_0": today.day, "removed_on_1": today.month, "removed_on_2": today.year,
                         "reason": "Moved to dad's"})
    second.refresh_from_db()
    assert second.removed_on == today
    last = reverse("episode-child-remove", kwargs={"episode_id": episode.pk, "child_id": first.pk})
    assert "data-only-child" in _page(signed_in.get(last))
    signed_in.post(last, {"removed_on_0": today.day, "removed_on_1": today.month, "removed_on_2": today.year,
                          "reason": "All fine"})
    first.refresh_from_db()
    assert first.removed_on is None


def test_lead_professional_is_chosen_then_transferred_with_a_handover_note(signed_in, demo_user, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    url = reverse("episode-lead-professional", kwargs={"episode_id": episode.pk})
    # Without a search, the people already working with the family are offered.
    assert practitioner.get_full_name() in _page(signed_in.get(url))
    signed_in.post(url, {"lead": practitioner.pk, "chosen_with_family": "yes", "q": ""})
    episode.refresh_from_db()
    assert episode.lead_professional == practitioner

    partner = demo_user("partner")
    page = _page(signed_in.get(url, {"q": partner.last_name}))
    assert f'<option value="{partner.pk}"' in page
    response = signed_in.post(url, {"lead": partner.pk, "chosen_with_family": "no", "handover_note": "",
                                    "q": partner.last_name})
    page = _page(response)
    assert "Write a handover note for the new lead professional" in page
    assert f'<option value="{partner.pk}" selected' in page  # what was chosen is kept
    episode.refresh_from_db()
    assert episode.lead_professional == practitioner
    signed_in.post(url, {"lead": partner.pk, "chosen_with_family": "no", "handover_note": "Mum prefers texts.",
                         "q": partner.last_name})
    episode.refresh_from_db()
    assert episode.lead_professional == partner
    page = _page(signed_in.get(url))
    assert "Mum prefers texts." in page and page.count("govuk-tag--green") == 1


def test_disagreements_are_recorded_and_resolved_through_their_pages(signed_in, client, practitioner, family,
                                                                     demo_user):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    create = reverse("episode-disagreement-create", kwargs={"episode_id": episode.pk})
    page = _page(signed_in.post(create, {"topic": "level", "details": ""}))
    assert "Describe the disagreement and who disagrees" in page
    signed_in.post(create, {"topic": "level", "details": "Police think this meets the threshold."})
    disagreement = Disagreement.objects.get(episode=episode)
    resolve = reverse("episode-disagreement-resolve", kwargs={"episode_id": episode.pk, "disagreement_id": disagreement.pk})
    # Whoever raised it does not record its outcome: a manager of the team does.
    lead_page = _page(signed_in.get(reverse("episode-lead-professional", kwargs={"episode_id": episode.pk})))
    assert resolve not in lead_page
    assert signed_in.post(resolve, {"outcome": "Agreed by me"}).status_code == 403
    client.force_login(demo_user("manager"))
    assert resolve in _page(client.get(reverse("episode-lead-professional", kwargs={"episode_id": episode.pk})))
    client.post(resolve, {"outcome": "Consulted social care: below threshold."})
    disagreement.refresh_from_db()
    assert disagreement.outcome == "Consulted social care: below threshold."
    page = _page(signed_in.get(reverse("episode-lead-professional", kwargs={"episode_id": episode.pk})))
    assert "Consulted social care: below threshold." in page


def test_episode_pages_follow_need_to_know(client, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    client.force_login(make_user(Role.EARLY_HELP_PRACTITIONER))
    for name in ("episode-detail", "episode-lead-professional", "episode-disagreement-create"):
        assert client.get(reverse(name, kwargs={"episode_id": episode.pk})).status_code == 403
    assert not LeadProfessionalAssignment.objects.filter(episode=episode).exists()
