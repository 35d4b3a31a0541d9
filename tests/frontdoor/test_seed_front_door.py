"""The front door's seed: something real on every page, at any number of families."""

import pytest
from django.db.models import Count

from earlyhelp.frontdoor.models import (
    AllocationDecision,
    AllocationMeeting,
    AllocationOutcome,
    Escalation,
    LevelOfNeedDecision,
    PreAssessmentChecklist,
    RequestForSupport,
    RequestSource,
    RequestStatus,
)
from earlyhelp.seed import seed_database


def _snapshot():
    return sorted(RequestForSupport.objects.values_list(
        "reference", "status", "source", "family__name", "requested_by__username", "triage_outcome",
    ))


@pytest.mark.django_db
@pytest.mark.parametrize("families", [8, 60])
def test_requests_in_every_state_with_their_decisions(families):
    seed_database(families=families, seed=11)
    requests = RequestForSupport.objects.all()
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(requests.values_list("source", flat=True)) == set(RequestSource.values)
    assert requests.values("reference").distinct().count() == requests.count()
    assert all(r.triage_due_on > r.submitted_at.date() for r in requests)
    # Triaged requests say who triaged them and when; waiting ones do not.
    assert not requests.filter(status=RequestStatus.AWAITING_TRIAGE, triaged_at__isnull=False).exists()
    assert not requests.exclude(status=RequestStatus.AWAITING_TRIAGE).filter(triaged_by__isnull=True).exists()
    assert requests.filter(people__is_child=True).distinct().count() == requests.count()
    assert PreAssessmentChecklist.objects.exists()
    assert LevelOfNeedDecision.objects.exists()
    escalations = Escalation.objects.all()
    assert escalations.filter(resolved_at__isnull=True).exists() and escalations.filter(resolved_at__isnull=False).exists()
    assert AllocationMeeting.objects.annotate(n=Count("decisions")).filter(n__gt=0).exists()
    decided = set(AllocationDecision.objects.values_list("outcome", flat=True))
    assert {AllocationOutcome.REFER_ELSEWHERE, AllocationOutcome.NO_ACTION_NOW} <= decided
    assert decided & {AllocationOutcome.ALLOCATE_TEAM, AllocationOutcome.ALLOCATE_PRACTITIONER}
    for decision in AllocationDecision.objects.select_related("request", "meeting"):
        assert decision.meeting.held_on >= decision.request.submitted_at.date()
    # The demo partner has requests of their own to look at.
    assert requests.filter(requested_by__username="partner").exists()


@pytest.mark.django_db
def test_more_families_more_requests_and_the_same_seed_the_same_requests():
    seed_database(families=40, seed=3)
    first = _snapshot()
    seed_database(families=40, seed=3, reset=True)
    assert _snapshot() == first
    seed_database(families=400, seed=3, reset=True)
    assert RequestForSupport.objects.count() > len(first)
