"""A front door decision that closes the request, sent again from the open page: 409, not 403.

Front door officers see a request only while it is open (frontdoor.view_request), so a second
submission of a triage or allocation decision that closed it used to be answered "You do not
have permission to do this". Found by tests/test_gunicorn_concurrency.py: of N identical
allocation decisions, the ones that arrived after the first had committed were 403s.
"""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.frontdoor import services
from earlyhelp.frontdoor.models import AllocationDecision, RequestStatus, TriageOutcome

from .factories import make_family, practitioner_request, self_referral

pytestmark = pytest.mark.django_db


def _refused(response, message: str):
    assert response.status_code == 409, response.content[:300]
    page = unescape(response.content.decode())
    assert "There is a problem" in page and message in page


def test_a_triage_that_closed_the_request_sent_again_is_refused(demo_user, client):
    support_request = self_referral()
    client.force_login(demo_user("frontdoor"))
    url = reverse("request-triage", kwargs={"request_id": support_request.pk})
    decided = {"outcome": TriageOutcome.UNIVERSAL, "notes": "Spoke to mum."}
    assert client.post(url, decided).status_code == 302
    _refused(client.post(url, decided), "This request has already been triaged")
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.UNIVERSAL
    # The page itself: the request has left the queue; the officer who triaged it is taken to the
    # request, which stays theirs to see (frontdoor.view_request), and nobody else at the front door's.
    assert client.get(url)["Location"] == reverse("request-detail", kwargs={"request_id": support_request.pk})
    other_officer = User.objects.filter(role=Role.FRONT_DOOR_OFFICER, is_active=True).exclude(
        pk=demo_user("frontdoor").pk).first()
    client.force_login(other_officer)
    assert client.get(url).status_code == 403


def test_an_allocation_that_closed_the_request_sent_again_is_refused(demo_user, client):
    officer, partner = demo_user("frontdoor"), demo_user("partner")
    waiting = practitioner_request(partner, family=make_family(practitioner=partner))
    services.triage_decide(support_request=waiting, by=officer, outcome=TriageOutcome.EHA_NEEDED, notes="Needs")
    meeting = services.meeting_create(held_on=timezone.localdate(), chair=demo_user("manager"), created_by=officer)
    client.force_login(officer)
    url = reverse("allocation-decision-create", kwargs={"meeting_id": meeting.pk, "request_id": waiting.pk})
    decided = {"outcome": "no_action_now", "reasons": "Needs met by school for now"}
    assert client.post(url, decided).status_code == 302
    _refused(client.post(url, decided), f"{waiting.reference} is not waiting for the allocation meeting")
    assert AllocationDecision.objects.filter(request=waiting).count() == 1


def test_a_request_never_decided_at_the_meeting_is_still_not_shown(demo_user, client):
    officer, partner = demo_user("frontdoor"), demo_user("partner")
    closed = practitioner_request(partner, family=make_family(practitioner=partner))
    services.triage_decide(support_request=closed, by=officer, outcome=TriageOutcome.UNIVERSAL, notes="Universal")
    meeting = services.meeting_create(held_on=timezone.localdate(), chair=demo_user("manager"), created_by=officer)
    # Another officer: the one who triaged it may still see it (frontdoor.view_request).
    client.force_login(User.objects.filter(role=Role.FRONT_DOOR_OFFICER, is_active=True).exclude(pk=officer.pk).first())
    url = reverse("allocation-decision-create", kwargs={"meeting_id": meeting.pk, "request_id": closed.pk})
    response = client.post(url, {"outcome": "no_action_now", "reasons": "Trying"})
    assert response.status_code == 403
    assert closed.reference not in response.content.decode()
