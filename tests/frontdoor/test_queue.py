"""The front door queue: oldest first, age in working days, overdue flagged, bounded queries; the home page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.calendar.models import ClosureDay
from earlyhelp.frontdoor import selectors
from earlyhelp.frontdoor.models import RequestForSupport, RequestStatus

from .factories import london, practitioner_request, self_referral


@pytest.fixture
def officer(demo_user):
    return demo_user("frontdoor")


@pytest.fixture
def partner(demo_user):
    return demo_user("partner")


@pytest.fixture
def fixed_today(monkeypatch):
    """Pretend today is Tuesday 26 May 2026, the day after the spring bank holiday."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else date(2026, 5, 26)

    monkeypatch.setattr("earlyhelp.frontdoor.selectors.timezone.localdate", localdate)


def _row(rows, support_request):
    return next(row for row in rows if row.request.pk == support_request.pk)


def test_the_queue_is_oldest_first_with_age_in_working_days_and_overdue_flagged(officer, partner, fixed_today):
    thursday = practitioner_request(partner, submitted_at=london(2026, 5, 21, 9))
    friday = self_referral(submitted_at=london(2026, 5, 22, 17))
    today = self_referral(submitted_at=london(2026, 5, 26, 8))
    rows = selectors.triage_queue(officer).rows
    mine = [row.request.pk for row in rows if row.request.pk in {thursday.pk, friday.pk, today.pk}]
    assert mine == [thursday.pk, friday.pk, today.pk]
    # Friday 22 and Tuesday 26 are working days; the weekend and the bank holiday Monday are not.
    assert _row(rows, thursday).age_working_days == 2
    assert _row(rows, friday).age_working_days == 1
    assert _row(rows, today).age_working_days == 0
    # Due: Friday 22 (overdue), Tuesday 26 (due today), Wednesday 27.
    assert [_row(rows, r).is_overdue for r in (thursday, friday, today)] == [True, False, False]


def test_closure_days_count_too(officer, partner, fixed_today):
    ClosureDay.objects.create(date=date(2026, 5, 22), reason="Council closure")
    thursday = practitioner_request(partner, submitted_at=london(2026, 5, 21, 9))
    assert thursday.triage_due_on == date(2026, 5, 26)
    assert _row(selectors.triage_queue(officer).rows, thursday).age_working_days == 1


def test_triaged_requests_leave_the_queue(officer, partner):
    support_request = self_referral()
    support_request.status = RequestStatus.UNIVERSAL
    support_request.save(update_fields=["status"])
    assert support_request.pk not in [row.request.pk for row in selectors.triage_queue(officer).rows]


def _queue_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_page_makes_the_same_number_of_queries_however_long_it_is(
        officer, partner, client, django_assert_max_num_queries):
    client.force_login(officer)
    url = reverse("front-door")
    self_referral()
    practitioner_request(partner)
    few = _queue_queries(client, url)
    for _ in range(25):
        practitioner_request(partner)
        self_referral()
    assert RequestForSupport.objects.filter(status=RequestStatus.AWAITING_TRIAGE).count() > 50
    with django_assert_max_num_queries(few):
        client.get(url)
    with django_assert_max_num_queries(6):
        selectors.triage_queue(officer)


def test_the_queue_page_lists_requests_with_links_and_overdue_tags(officer, partner, client):
    late = practitioner_request(partner, submitted_at=london(2026, 1, 5, 9))
    client.force_login(officer)
    page = client.get(reverse("front-door")).content.decode()
    row = page[page.index(f'data-request="{late.reference}"'):]
    row = row[:row.index("</tr>")]
    assert reverse("request-detail", kwargs={"request_id": late.pk}) in row
    assert "data-overdue" in row and "Ellie Marsh" in row


def test_only_the_front_door_sees_the_queue(demo_user, client):
    for username, status in (("frontdoor", 200), ("manager", 403), ("partner", 403), ("practitioner", 403),
                             ("analyst", 403)):
        client.force_login(demo_user(username))
        assert client.get(reverse("front-door")).status_code == status, username


def test_the_home_page_shows_the_real_count_and_the_oldest(officer, partner, client):
    RequestForSupport.objects.filter(status=RequestStatus.AWAITING_TRIAGE).update(status=RequestStatus.UNIVERSAL)
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert 'data-empty-state="triage"' in page
    oldest = practitioner_request(partner, submitted_at=london(2026, 2, 2, 9))
    for _ in range(6):
        self_referral()
    page = client.get(reverse("home")).content.decode()
    assert 'data-empty-state="triage"' not in page
    assert "<strong>7</strong> requests waiting for triage" in page
    assert page.count('data-request="') == 5
    assert page.index(oldest.reference) < page.index('data-request="EH-', page.index(oldest.reference) + 1)
    assert reverse("front-door") in page


def test_a_long_queue_is_shown_a_page_at_a_time_with_the_whole_queue_counted(officer, partner):
    already = selectors.triage_queue(officer)
    for _ in range(selectors.QUEUE_PAGE_SIZE + 3):
        self_referral(submitted_at=london(2026, 5, 1, 9))
    total = already.total + selectors.QUEUE_PAGE_SIZE + 3
    first = selectors.triage_queue(officer)
    last = selectors.triage_queue(officer, page_number=2)
    assert len(first.rows) == selectors.QUEUE_PAGE_SIZE and first.total == total
    assert len(last.rows) == total - selectors.QUEUE_PAGE_SIZE
    assert not {row.request.pk for row in first.rows} & {row.request.pk for row in last.rows}
    # Overdue is counted over the whole queue, not only the page shown.
    assert first.overdue == already.overdue + selectors.QUEUE_PAGE_SIZE + 3
