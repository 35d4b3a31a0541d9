"""One lead professional per child at a time, whoever records it (DOMAIN §6), read the same everywhere.

The child's lead is one record (their current lead involvement); the episode's lead change writes it
(episodes/services/lead.py). A step down's acceptance asks whether the lead was chosen with the family.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, User
from earlyhelp.episodes.models import (
    ClosureReason,
    EpisodeChild,
    EpisodeEvent,
    EpisodeState,
    LeadProfessionalAssignment,
    StepDown,
)
from earlyhelp.episodes.services import stepping
from earlyhelp.episodes.services.core import (
    episode_child_add,
    episode_child_remove,
    episode_open,
    lead_professional_assign,
)
from earlyhelp.episodes.services.lead import child_leads_reconcile
from earlyhelp.episodes.transitions import Action, episode_transition
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.models import Involvement
from earlyhelp.people.search import SearchCriteria
from earlyhelp.people.services import involvement_create, involvement_end

from .test_core_helpers import children_of, make_family


@pytest.fixture
def staff(organisations):
    return {name: User.objects.get(username=name)
            for name in ("practitioner", "partner", "socialworker", "frontdoor", "manager")}


@pytest.fixture
def family(staff):
    return make_family(children=2, seen_by=staff["practitioner"])


def current_leads(family) -> dict[int, Involvement]:
    return {involvement.person_id: involvement for involvement in people_selectors.family_lead_professionals(family.pk)}


def health_visitor_lead(child) -> Involvement:
    agency = Agency.objects.filter(kind=AgencyKind.HEALTH_VISITING).first() or Agency.objects.first()
    return involvement_create(person=child, agency=agency, practitioner_name="Sam Jones", role_description="Health visitor",
                              is_lead_professional=True, started_on=timezone.localdate() - timedelta(days=90))


def test_the_episodes_lead_is_each_child_of_concerns_lead_on_every_page(staff, family):
    practitioner = staff["practitioner"]
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    lead_professional_assign(episode=episode, lead=staff["partner"], by=practitioner, chosen_with_family=True)
    children = children_of(family)
    leads = current_leads(family)
    assert {person_id: lead.practitioner for person_id, lead in leads.items()} == {
        child.pk: staff["partner"] for child in children}
    assert all(lead.episode_id == episode.pk for lead in leads.values())
    # The family page, the person page and "already known?" read the same record.
    page = people_selectors.family_page(family, today=timezone.localdate())
    assert {row.person.pk: row.lead.practitioner for row in page.leads} == {child.pk: staff["partner"] for child in children}
    person_page = people_selectors.person_page(practitioner, children[0], today=timezone.localdate())
    assert [i.practitioner for i in person_page.involvements if i.is_lead_professional] == [staff["partner"]]
    results = people_selectors.already_known_search(
        practitioner, SearchCriteria(name=children[0].full_name, date_of_birth=children[0].date_of_birth),
        today=timezone.localdate())
    result = next(result for result in results if result.match.person_id == children[0].pk)
    assert result.lead.practitioner == staff["partner"]
    assert result.contact.name == staff["partner"].get_full_name()


def test_a_transfer_ends_the_old_leads_involvements_and_keeps_the_history(staff, family):
    practitioner = staff["practitioner"]
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    lead_professional_assign(episode=episode, lead=staff["partner"], by=practitioner, chosen_with_family=False,
                             handover_note="The school knows the family best")
    assert {lead.practitioner for lead in current_leads(family).values()} == {staff["partner"]}
    ended = Involvement.objects.filter(episode=episode, practitioner=practitioner)
    assert ended.count() == 2 and all(involvement.ended_on == timezone.localdate() for involvement in ended)
    assert [row.lead for row in LeadProfessionalAssignment.objects.filter(episode=episode).order_by("pk")] == [
        practitioner, staff["partner"]]


def test_a_lead_recorded_elsewhere_is_replaced_only_with_a_handover_and_the_timeline_says_who(staff, family):
    practitioner = staff["practitioner"]
    first_child = children_of(family)[0]
    health_visitor = health_visitor_lead(first_child)
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    with pytest.raises(ValidationError) as refused:
        lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    assert "handover_note" in refused.value.message_dict
    # Nothing half-saved: the health visitor still leads, the episode has no lead.
    assert current_leads(family)[first_child.pk].pk == health_visitor.pk
    assert not LeadProfessionalAssignment.objects.filter(episode=episode).exists()

    lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True,
                             handover_note="Sam agrees: more than one service is needed now")
    health_visitor.refresh_from_db()
    assert health_visitor.ended_on == timezone.localdate()
    assert {lead.practitioner for lead in current_leads(family).values()} == {practitioner}
    # Sam stops leading, not visiting: the involvement goes on without the role.
    continuing = Involvement.objects.get(person=first_child, practitioner_name="Sam Jones", ended_on__isnull=True)
    assert not continuing.is_lead_professional and continuing.started_on == timezone.localdate()
    event = EpisodeEvent.objects.get(episode=episode, kind="lead_professional_chosen")
    assert "Sam Jones (Health visitor" in event.summary


def test_choosing_the_practitioner_who_already_leads_keeps_their_record_and_needs_no_handover(staff, family):
    practitioner, partner = staff["practitioner"], staff["partner"]
    first_child = children_of(family)[0]
    existing = involvement_create(person=first_child, agency=partner.agency, practitioner=partner,
                                  is_lead_professional=True, started_on=timezone.localdate() - timedelta(days=40))
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    lead_professional_assign(episode=episode, lead=partner, by=practitioner, chosen_with_family=True)
    existing.refresh_from_db()
    assert existing.ended_on is None and existing.episode_id is None
    assert Involvement.objects.filter(person=first_child, is_lead_professional=True, ended_on__isnull=True).count() == 1


def test_a_childs_page_cannot_record_or_end_a_second_lead_while_the_episode_keeps_one(staff, family):
    practitioner = staff["practitioner"]
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    child = children_of(family)[0]
    with pytest.raises(ValidationError) as refused:
        health_visitor_lead(child)
    assert episode.reference in refused.value.messages[0]
    lead = current_leads(family)[child.pk]
    with pytest.raises(ValidationError) as refused:
        involvement_end(involvement=lead)
    assert "transfer the role on the episode" in refused.value.messages[0]
    lead.refresh_from_db()
    assert lead.ended_on is None


def test_children_added_get_the_episodes_lead_and_children_removed_stop_having_it(staff):
    practitioner = staff["practitioner"]
    family = make_family(children=3, seen_by=practitioner)
    first, second, third = children_of(family)
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner,
                           children=[first, second])
    lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    assert set(current_leads(family)) == {first.pk, second.pk}
    episode_child_add(episode=episode, person=third, by=practitioner)
    assert set(current_leads(family)) == {first.pk, second.pk, third.pk}
    episode_child_remove(episode_child=EpisodeChild.objects.get(episode=episode, person=second), by=practitioner,
                         on=timezone.localdate(), reason="Moved to live with dad")
    assert set(current_leads(family)) == {first.pk, third.pk}


def test_a_child_added_who_leads_elsewhere_keeps_that_lead(staff):
    practitioner = staff["practitioner"]
    family = make_family(children=2, seen_by=practitioner)
    first, second = children_of(family)
    health_visitor = health_visitor_lead(second)
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner, children=[first])
    lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    episode_child_add(episode=episode, person=second, by=practitioner)
    assert current_leads(family)[second.pk].pk == health_visitor.pk
    assert "Sam Jones" in EpisodeEvent.objects.get(episode=episode, kind="child_added").summary


def test_closing_ends_the_episodes_lead_but_an_accepted_step_up_leaves_the_social_worker_leading(staff, family):
    practitioner, social_worker = staff["practitioner"], staff["socialworker"]
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    episode_transition(episode=episode, action=Action.CONSENT_GIVEN, by=practitioner)
    step_up = stepping.episode_step_up(episode=episode, by=practitioner, reasons=["safeguarding"],
                                       details="Disclosure at school", assessment_factors=[])
    stepping.step_up_decide(step_up=step_up, by=social_worker, accept=True, notes="s47 enquiry")
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED and episode.closure.reason == ClosureReason.STEPPED_UP
    assert {lead.practitioner for lead in current_leads(family).values()} == {social_worker}
    assert len(current_leads(family)) == 2
    # The family page's "no lead professional" cannot show: the social worker leads for both children.
    assert len(people_selectors.family_page(family, today=timezone.localdate()).leads) == 2
    # Once the episode is closed, the social worker's involvement is changed on the child's page.
    involvement_end(involvement=next(iter(current_leads(family).values())))

    other = make_family(children=1, seen_by=practitioner)
    closing = episode_open(family=other, opened_by=practitioner, allocated_worker=practitioner)
    lead_professional_assign(episode=closing, lead=practitioner, by=practitioner, chosen_with_family=True)
    episode_transition(episode=closing, action=Action.CONSENT_GIVEN, by=practitioner)
    episode_transition(episode=closing, action=Action.CLOSED, by=practitioner)
    assert current_leads(other) == {}
    assert Involvement.objects.get(episode=closing).ended_on == timezone.localdate()


def step_down_for(family, staff, *, proposed_lead):
    return stepping.step_down_propose(
        family=family, by=staff["socialworker"], children=children_of(family),
        final_assessment_summary="Risks are below the threshold", handover_plan="Joint visit; I attend the first TAF",
        proposed_lead=proposed_lead)


def test_accepting_a_step_down_asks_whether_the_lead_was_chosen_with_the_family(staff, family):
    practitioner = staff["practitioner"]
    # The social worker can propose a step down for a family they know (here, through a step-up route).
    Involvement.objects.create(person=children_of(family)[0], agency=staff["socialworker"].agency,
                               practitioner=staff["socialworker"], role_description="Social worker")
    step_down = step_down_for(family, staff, proposed_lead=practitioner)
    with pytest.raises(ValidationError) as refused:
        stepping.step_down_decide(step_down=step_down, by=staff["frontdoor"], accept=True)
    assert "chosen_with_family" in refused.value.message_dict
    assert StepDown.objects.get(pk=step_down.pk).status == StepDown.Status.PROPOSED

    decided = stepping.step_down_decide(step_down=step_down, by=staff["frontdoor"], accept=True,
                                        chosen_with_family=False)
    assignment = LeadProfessionalAssignment.objects.get(episode=decided.episode)
    assert assignment.lead == practitioner and assignment.chosen_with_family is False
    assert "Joint visit; I attend the first TAF" in assignment.handover_note
    assert {lead.practitioner for lead in current_leads(family).values()} == {practitioner}
    chosen = EpisodeEvent.objects.get(episode=decided.episode, kind="lead_professional_chosen")
    assert "not chosen with the family" in chosen.summary


def test_a_step_down_without_a_proposed_lead_is_accepted_without_the_question(staff, family):
    Involvement.objects.create(person=children_of(family)[0], agency=staff["socialworker"].agency,
                               practitioner=staff["socialworker"], role_description="Social worker")
    step_down = step_down_for(family, staff, proposed_lead=None)
    decided = stepping.step_down_decide(step_down=step_down, by=staff["frontdoor"], accept=True)
    assert decided.episode.lead_professional is None
    assert not LeadProfessionalAssignment.objects.filter(episode=decided.episode).exists()


def test_starting_early_help_despite_a_lead_elsewhere_records_who_leads_and_why(staff, family):
    practitioner = staff["practitioner"]
    health_visitor_lead(children_of(family)[0])
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner,
                           existing_leads_reason="Sam agrees early help should lead")
    event = EpisodeEvent.objects.get(episode=episode, kind="existing_lead_checked")
    assert "Sam Jones" in event.summary and "Sam agrees early help should lead" in event.summary


def test_bulk_written_episode_leads_are_reconciled_into_the_childrens_leads(staff):
    """The demo seed writes episodes in bulk: their leads become the children's, replacing others."""
    practitioner = staff["practitioner"]
    family = make_family(children=2, seen_by=practitioner)
    first, second = children_of(family)
    health_visitor = health_visitor_lead(first)
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    today = timezone.localdate()
    episode.lead_professional = practitioner
    episode.save(update_fields=["lead_professional"])
    LeadProfessionalAssignment.objects.create(episode=episode, lead=practitioner, started_on=today,
                                              assigned_by=practitioner)
    assert child_leads_reconcile(replace_others=False) == 1  # only the child without a lead
    assert current_leads(family)[first.pk].pk == health_visitor.pk
    assert child_leads_reconcile(replace_others=True) == 1
    assert {lead.practitioner for lead in current_leads(family).values()} == {practitioner}
    assert Involvement.objects.filter(person=first, practitioner_name="Sam Jones", ended_on__isnull=True,
                                      is_lead_professional=False).exists()
    assert child_leads_reconcile(replace_others=True) == 0  # nothing left to write
