"""The pre-assessment checklist, level-of-need decisions and professional disagreements."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.frontdoor import services
from earlyhelp.frontdoor.indicators import INDICATORS, INDICATORS_BY_CODE, indicated_level, level_counts
from earlyhelp.frontdoor.models import (
    ChecklistOutcome,
    Escalation,
    EscalationOutcome,
    LevelOfNeedDecision,
    Notification,
    PreAssessmentChecklist,
)
from earlyhelp.standards import FRAMEWORK_SUBDIMENSIONS, FrameworkDomain
from earlyhelp.web.refusals import Refused

from .factories import make_family, practitioner_request

NO = dict(harm_concern=False, other_statutory_assessment=False, more_than_one_service_needed=False,
          low_needs_single_agency=False, child_progressing_well=False, needs_met_by_own_service=False)


@pytest.fixture
def partner(demo_user):
    return demo_user("partner")


@pytest.fixture
def family(partner, demo_user):
    """In the demo manager's locality: a disagreement before allocation is for the locality's managers."""
    family = make_family(practitioner=partner)
    family.locality_id = demo_user("manager").teams.filter(locality__isnull=False).values_list(
        "locality_id", flat=True).first()
    family.save(update_fields=["locality"])
    return family


@pytest.fixture
def support_request(partner, family):
    return practitioner_request(partner, family=family)


# The checklist ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("answers", "outcome"), [
    ({}, ChecklistOutcome.EHA_NEEDED),
    ({"more_than_one_service_needed": True}, ChecklistOutcome.EHA_NEEDED),
    ({"low_needs_single_agency": True}, ChecklistOutcome.SINGLE_AGENCY),
    ({"child_progressing_well": True}, ChecklistOutcome.UNIVERSAL),
    ({"needs_met_by_own_service": True}, ChecklistOutcome.UNIVERSAL),
    ({"other_statutory_assessment": True, "more_than_one_service_needed": True}, ChecklistOutcome.UNIVERSAL),
    ({"more_than_one_service_needed": True, "low_needs_single_agency": True}, ChecklistOutcome.EHA_NEEDED),
    # Harm always overrides, whatever else is answered.
    ({"harm_concern": True, "child_progressing_well": True, "other_statutory_assessment": True},
     ChecklistOutcome.SIGNIFICANT_HARM),
])
def test_the_answers_lead_to_one_outcome(answers, outcome):
    assert services.checklist_outcome(**{**NO, **answers}) == outcome


def test_the_checklist_records_the_lead_professional_check_and_its_outcome(support_request, partner):
    checklist = services.checklist_complete(
        support_request=support_request, completed_by=partner, existing_lead_professional_checked=True,
        existing_lead_professional="Sam Jones, health visitor", **{**NO, "low_needs_single_agency": True},
    )
    checklist.refresh_from_db()
    assert checklist.existing_lead_professional_checked is True
    assert checklist.existing_lead_professional == "Sam Jones, health visitor"
    assert checklist.outcome == ChecklistOutcome.SINGLE_AGENCY
    assert checklist.completed_by == partner
    with pytest.raises(Refused):
        services.checklist_complete(support_request=support_request, completed_by=partner,
                                    existing_lead_professional_checked=False, **NO)


def test_a_named_lead_professional_means_someone_checked(support_request, partner):
    with pytest.raises(ValidationError):
        services.checklist_complete(support_request=support_request, completed_by=partner,
                                    existing_lead_professional_checked=False,
                                    existing_lead_professional="Sam Jones", **NO)


def test_only_people_who_can_see_the_request_complete_its_checklist(support_request, demo_user):
    with pytest.raises(PermissionDenied):
        services.checklist_complete(support_request=support_request, completed_by=demo_user("practitioner"),
                                    existing_lead_professional_checked=True, **NO)


def _checklist_post(**overrides):
    data = {"existing_lead": "checked_found", "existing_lead_professional": "Sam Jones, health visitor",
            "child_progressing_well": "no", "needs_met_by_own_service": "no", "other_statutory_assessment": "no",
            "low_needs_single_agency": "no", "more_than_one_service_needed": "yes", "harm_concern": "no"}
    data.update(overrides)
    return data


def test_the_checklist_page_needs_the_lead_professional_named_when_found(support_request, partner, client):
    client.force_login(partner)
    url = reverse("request-checklist", kwargs={"request_id": support_request.pk})
    response = client.post(url, _checklist_post(existing_lead_professional=""))
    assert "Enter who the lead professional is" in response.content.decode()
    assert not PreAssessmentChecklist.objects.filter(request=support_request).exists()
    response = client.post(url, _checklist_post())
    assert response.status_code == 302
    assert PreAssessmentChecklist.objects.get(request=support_request).outcome == ChecklistOutcome.EHA_NEEDED


def test_the_checklist_page_shows_lead_professionals_the_family_record_knows(partner, demo_user, client):
    lead = demo_user("adviser")
    family = make_family(practitioner=partner, lead=lead, name="Known")
    support_request = practitioner_request(partner, family=family)
    client.force_login(partner)
    page = client.get(reverse("request-checklist", kwargs={"request_id": support_request.pk})).content.decode()
    assert "data-known-leads" in page and lead.get_full_name() in page


def test_a_harm_outcome_links_to_raising_a_harm_referral(support_request, partner, client):
    client.force_login(partner)
    client.post(reverse("request-checklist", kwargs={"request_id": support_request.pk}),
                _checklist_post(harm_concern="yes"))
    page = client.get(reverse("request-detail", kwargs={"request_id": support_request.pk})).content.decode()
    raise_url = reverse("harm-referral-create", kwargs={"family_id": support_request.family_id})
    assert f'href="{raise_url}?request={support_request.pk}"' in page


def test_a_harm_outcome_without_a_family_gives_the_phone_route_and_does_not_block(partner, client, settings):
    support_request = practitioner_request(partner)
    client.force_login(partner)
    response = client.post(reverse("request-checklist", kwargs={"request_id": support_request.pk}),
                           _checklist_post(harm_concern="yes"))
    assert response.status_code == 302
    assert PreAssessmentChecklist.objects.get(request=support_request).outcome == ChecklistOutcome.SIGNIFICANT_HARM
    page = client.get(reverse("request-detail", kwargs={"request_id": support_request.pk})).content.decode()
    route = page[page.index("data-harm-route"):]
    assert "link the family first" in route and settings.EARLYHELP_CSC_PHONE in route


# Level of need ---------------------------------------------------------------------------------------


def test_every_framework_domain_has_indicators_for_several_levels():
    for domain in FrameworkDomain:
        indicators = [i for i in INDICATORS if i.domain == domain]
        assert {i.level for i in indicators} >= {1, 2, 3}, domain
        subdimensions = dict(FRAMEWORK_SUBDIMENSIONS[domain])
        assert all(i.subdimension in subdimensions for i in indicators)
    assert {i.level for i in INDICATORS} == {1, 2, 3, 4}


def test_the_indicators_show_where_they_point_without_deciding():
    codes = ["child_attendance_falling", "parent_boundaries", "family_domestic_abuse", "unknown"]
    assert level_counts(codes) == {1: 0, 2: 2, 3: 1, 4: 0}
    assert indicated_level(codes) == 3
    assert indicated_level([]) is None


def test_a_level_decision_records_who_when_the_level_the_indicators_and_why(support_request, demo_user):
    officer = demo_user("frontdoor")
    before = timezone.now()
    decision = services.level_decision_record(
        support_request=support_request, decided_by=officer, level=2,
        indicators=["child_attendance_falling", "family_domestic_abuse"],
        reasons="Needs across school and home; the family agree to help.",
    )
    decision.refresh_from_db()
    assert decision.decided_by == officer
    assert before <= decision.decided_at <= timezone.now()
    assert decision.level == 2 and decision.family_id == support_request.family_id
    assert decision.indicators == ["child_attendance_falling", "family_domestic_abuse"]
    assert decision.reasons.startswith("Needs across school")
    # The professional decides: a level lower than the indicators point to is allowed, with reasons.
    assert indicated_level(decision.indicators) == 3


@pytest.mark.parametrize(("level", "reasons", "indicators", "field"), [
    (2, "  ", [], "reasons"),
    (5, "Because", [], "level"),
    (None, "Because", [], "level"),
    (2, "Because", ["not_an_indicator"], "indicators"),
])
def test_a_level_decision_needs_a_level_reasons_and_known_indicators(support_request, partner, level, reasons,
                                                                     indicators, field):
    with pytest.raises(ValidationError) as error:
        services.level_decision_record(support_request=support_request, decided_by=partner, level=level,
                                       indicators=indicators, reasons=reasons)
    assert field in error.value.message_dict
    assert not LevelOfNeedDecision.objects.filter(request=support_request).exists()


def test_the_level_is_decided_once_the_request_has_a_family(partner):
    support_request = practitioner_request(partner)
    with pytest.raises(ValidationError):
        services.level_decision_record(support_request=support_request, decided_by=partner, level=2,
                                       indicators=[], reasons="Because")


def test_the_level_page_counts_the_ticked_indicators_without_saving(support_request, partner, client):
    client.force_login(partner)
    url = reverse("request-level", kwargs={"request_id": support_request.pk})
    response = client.post(url, {
        "indicators_child_development": ["child_attendance_falling", "child_self_harm"],
        "indicators_family_environment": ["family_parental_conflict"], "check": "",
    })
    page = response.content.decode()
    assert 'data-count-level="2">2<' in page and 'data-count-level="3">1<' in page
    assert not LevelOfNeedDecision.objects.filter(request=support_request).exists()
    response = client.post(url, {"indicators_child_development": ["child_attendance_falling"], "level": "2",
                                 "reasons": "Attendance only", "save": ""})
    assert response.status_code == 302
    assert LevelOfNeedDecision.objects.get(request=support_request).indicators == ["child_attendance_falling"]


def test_the_level_page_explains_a_missing_reason(support_request, partner, client):
    client.force_login(partner)
    response = client.post(reverse("request-level", kwargs={"request_id": support_request.pk}),
                           {"level": "2", "reasons": "", "save": ""})
    assert "Explain why you decided this level" in response.content.decode()


# Disagreements ----------------------------------------------------------------------------------------


@pytest.fixture
def decision(support_request, demo_user):
    return services.level_decision_record(
        support_request=support_request, decided_by=demo_user("frontdoor"), level=1,
        indicators=["child_thriving"], reasons="Needs met by school",
    )


def test_a_disagreement_is_recorded_with_the_proposed_level_and_managers_are_told(decision, partner, demo_user):
    escalation = services.escalation_raise(decision=decision, raised_by=partner, proposed_level=2,
                                           disagreement="Attendance has fallen to 70%.")
    assert escalation.proposed_level == 2 and escalation.outcome == "" and escalation.resolved_at is None
    url = reverse("escalation-resolve", kwargs={"escalation_id": escalation.pk})
    assert Notification.objects.filter(url=url).exists()


def test_a_disagreement_needs_reasons_a_different_level_and_someone_else(decision, partner, demo_user):
    with pytest.raises(ValidationError) as error:
        services.escalation_raise(decision=decision, raised_by=partner, proposed_level=1, disagreement="")
    assert {"proposed_level", "disagreement"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        services.escalation_raise(decision=decision, raised_by=demo_user("frontdoor"), proposed_level=2,
                                  disagreement="I changed my mind")
    services.escalation_raise(decision=decision, raised_by=partner, proposed_level=2, disagreement="Too low")
    with pytest.raises(Refused):
        services.escalation_raise(decision=decision, raised_by=partner, proposed_level=3, disagreement="Again")


@pytest.fixture
def escalation(decision, partner):
    return services.escalation_raise(decision=decision, raised_by=partner, proposed_level=2,
                                     disagreement="Attendance has fallen to 70%.")


def test_a_manager_changes_the_decision_and_the_new_level_is_recorded(escalation, demo_user, decision):
    manager = demo_user("manager")
    resolved = services.escalation_resolve(escalation=escalation, resolved_by=manager,
                                           outcome=EscalationOutcome.CHANGED, notes="School evidence is clear.")
    assert resolved.outcome == EscalationOutcome.CHANGED and resolved.resolved_by == manager
    assert resolved.resolved_at is not None and resolved.outcome_notes == "School evidence is clear."
    latest = LevelOfNeedDecision.objects.filter(request=decision.request).order_by("-decided_at", "-pk").first()
    assert latest.level == 2 and latest.decided_by == manager and "School evidence" in latest.reasons
    with pytest.raises(Refused):
        services.escalation_resolve(escalation=escalation, resolved_by=manager,
                                    outcome=EscalationOutcome.UPHELD, notes="Again")


@pytest.mark.parametrize("outcome", [EscalationOutcome.UPHELD, EscalationOutcome.WITHDRAWN])
def test_an_upheld_or_withdrawn_disagreement_leaves_the_decision(escalation, demo_user, decision, outcome):
    services.escalation_resolve(escalation=escalation, resolved_by=demo_user("manager"), outcome=outcome,
                                notes="Discussed with both")
    assert LevelOfNeedDecision.objects.filter(request=decision.request).count() == 1
    assert Escalation.objects.get(pk=escalation.pk).outcome == outcome
    # Decided: the level stands until a new disagreement, whoever asked for support.
    with pytest.raises(ValidationError, match="raise a new disagreement"):
        services.level_decision_record(support_request=decision.request, decided_by=escalation.raised_by, level=3,
                                       indicators=[], reasons="My own view")


def test_only_a_manager_records_the_outcome_with_notes(escalation, demo_user, partner):
    with pytest.raises(PermissionDenied):
        services.escalation_resolve(escalation=escalation, resolved_by=demo_user("frontdoor"),
                                    outcome=EscalationOutcome.UPHELD, notes="No")
    with pytest.raises(PermissionDenied):
        services.escalation_resolve(escalation=escalation, resolved_by=partner, outcome=EscalationOutcome.UPHELD,
                                    notes="Whoever raised it does not decide it")
    elsewhere = User.objects.filter(role=Role.TEAM_MANAGER).exclude(
        teams__locality=escalation.decision.family.locality).first()
    with pytest.raises(PermissionDenied):
        services.escalation_resolve(escalation=escalation, resolved_by=elsewhere, outcome=EscalationOutcome.UPHELD,
                                    notes="Not my locality")
    with pytest.raises(ValidationError) as error:
        services.escalation_resolve(escalation=escalation, resolved_by=demo_user("manager"), outcome="", notes="")
    assert {"outcome", "outcome_notes"} <= set(error.value.message_dict)


def test_a_manager_records_the_outcome_on_the_page(escalation, demo_user, client):
    manager = demo_user("manager")
    client.force_login(manager)
    url = reverse("escalation-resolve", kwargs={"escalation_id": escalation.pk})
    assert "Record the outcome" in client.get(url).content.decode()
    response = client.post(url, {"outcome": "upheld", "outcome_notes": ""})
    assert "Explain the outcome" in response.content.decode()
    response = client.post(url, {"outcome": "upheld", "outcome_notes": "Early help is right for now"})
    assert response.status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).outcome == EscalationOutcome.UPHELD
    again = client.post(url, {"outcome": "withdrawn", "outcome_notes": "Sent again from the open page"})
    assert again.status_code == 409
    assert "The outcome of this disagreement has already been recorded" in again.content.decode()
    assert Escalation.objects.get(pk=escalation.pk).outcome == EscalationOutcome.UPHELD


def test_the_request_page_shows_decisions_and_disagreements(escalation, partner, client):
    client.force_login(partner)
    page = client.get(reverse("request-detail", kwargs={"request_id": escalation.decision.request_id})).content.decode()
    assert "Level 1: Universal" in page and "Waiting for a manager" in page
    assert INDICATORS_BY_CODE["child_thriving"].label in page


def test_the_disagreements_listed_for_a_manager_are_those_the_policy_lets_them_resolve(escalation, seeded):
    from earlyhelp.accounts.models import Role, User
    from earlyhelp.frontdoor.models import Escalation
    from earlyhelp.frontdoor.selectors import escalations_waiting
    from earlyhelp.policy import may

    waiting = list(Escalation.objects.filter(resolved_at__isnull=True).order_by("raised_at", "pk"))
    assert waiting
    for user in User.objects.filter(is_active=True).exclude(role=""):
        expected = [e.pk for e in waiting if may(user, "frontdoor.resolve_escalation", e)]
        assert [e.pk for e in escalations_waiting(user, limit=len(waiting))] == expected, user.username
    assert any(escalations_waiting(user, limit=10) for user in User.objects.filter(role=Role.TEAM_MANAGER))
