"""Work that flows between people shows on each one's home page and My work (issue 13, point 2):
an allocation waits for its practitioner until early help starts; step ups and step downs wait
for their decision; an adviser sees the assessments they support; every list is in the menu;
a notification is read once opened and leads to a page its reader may open."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import Agency, AgencyKind, TeamKind, User
from earlyhelp.episodes.models import (
    Assessment,
    Episode,
    EpisodeChild,
    EpisodeState,
    StepDown,
    StepUp,
)
from earlyhelp.frontdoor.models import Notification, TriageOutcome

from .helpers import assert_accessible, sign_in
from .journeys import allocate_to_practitioner, open_allocation_meeting, open_notification


def _episode(name: str, *, team=None, state=EpisodeState.ASSESSMENT, **fields) -> Episode:
    from tests.episodes.test_core_helpers import children_of, make_family

    family = make_family(name=f"{name} family", children=1)
    episode = Episode.objects.create(reference=f"EP-Q-{family.pk}", family=family, state=state, team=team,
                                     opened_on=timezone.localdate() - timedelta(days=30), **fields)
    EpisodeChild.objects.bulk_create([EpisodeChild(episode=episode, person=child, added_on=episode.opened_on)
                                      for child in children_of(family)])
    return episode


def test_an_allocation_waits_for_its_practitioner_who_starts_early_help_from_the_request(page, seeded_live):
    from earlyhelp.frontdoor import services
    from tests.frontdoor.factories import make_family, practitioner_request

    partner, officer = User.objects.get(username="partner"), User.objects.get(username="frontdoor")
    worker = User.objects.get(username="practitioner")
    family = make_family(name="Quillfeather", practitioner=partner)
    support_request = practitioner_request(partner, family=family)
    services.triage_decide(support_request=support_request, by=officer, outcome=TriageOutcome.EHA_NEEDED,
                           notes="Attendance and mood: needs an assessment")
    meeting = services.meeting_create(held_on=timezone.localdate(), chair=User.objects.get(username="manager"),
                                      created_by=officer)

    # The front door allocates at the meeting, then can still open the request it allocated.
    sign_in(page, "frontdoor")
    page.goto("/front-door/meetings/")
    open_allocation_meeting(page, meeting)
    page.get_by_role("link", name=f"Record a decision for {support_request.reference}").click()
    allocate_to_practitioner(page, reference=support_request.reference, worker=worker,
                             reasons="Tom knows the school and has room this month.")
    page.goto(f"/requests/{support_request.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request for support {support_request.reference}")
    expect(page.locator("[data-allocation]")).to_contain_text(worker.get_full_name())
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The practitioner: on the home page, and the notification leads to the request, read.
    sign_in(page, "practitioner")
    queue = page.locator("#allocations-waiting")
    expect(queue).to_contain_text("Quillfeather family")
    assert_accessible(page)
    open_notification(page, support_request.reference)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request for support {support_request.reference}")
    assert Notification.objects.get(recipient=worker, message__contains=support_request.reference).read_at
    page.get_by_role("link", name="Notifications").click()
    notice = page.locator("#notifications li", has_text=support_request.reference)
    expect(notice).not_to_contain_text("Unread")
    expect(page.locator("#notifications")).not_to_contain_text("New New")
    notice.get_by_role("link", name=re.compile("^Open")).click()
    page.get_by_role("button", name="Start early help").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Early help started")
    assert_accessible(page)
    episode = Episode.objects.get(request=support_request)
    assert episode.allocated_worker == worker

    page.get_by_role("link", name="Home").click()
    expect(page.locator("#allocations-waiting")).to_have_count(0)
    page.get_by_role("link", name="My work", exact=True).click()
    expect(page.locator(f'[data-episode="{episode.reference}"]')).to_contain_text("Quillfeather family")
    assert_accessible(page)


def test_another_officers_notification_of_a_request_that_left_the_front_door_does_not_lead_to_a_refusal(
        page, seeded_live):
    from earlyhelp.frontdoor import services
    from tests.frontdoor.factories import make_family, practitioner_request

    partner = User.objects.get(username="partner")
    support_request = practitioner_request(partner, family=make_family(name="Wrenfield", practitioner=partner))
    other_officer = next(officer for officer in User.objects.filter(role="front_door_officer", is_active=True)
                         if officer.username != "frontdoor")
    other_officer.set_password("demo-password-2026")
    other_officer.save()
    services.triage_decide(support_request=support_request, by=User.objects.get(username="frontdoor"),
                           outcome=TriageOutcome.UNIVERSAL, notes="School can meet this")

    sign_in(page, other_officer.username)
    open_notification(page, support_request.reference)
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("no longer yours to open")
    expect(page.locator("#notifications li", has_text=support_request.reference)).not_to_contain_text("Unread")
    assert_accessible(page)


def test_step_ups_and_step_downs_wait_on_the_social_workers_home_page_and_in_the_menu(page, seeded_live):
    practitioner = User.objects.get(username="practitioner")
    social_worker = User.objects.get(username="socialworker")
    episode = _episode("Thistlewood", state=EpisodeState.STEP_UP_REQUESTED, allocated_worker=practitioner,
                       lead_professional=practitioner)
    StepUp.objects.create(episode=episode, reasons=["safeguarding"], details="New injuries seen at school",
                          requested_by=practitioner, requested_at=timezone.now())
    stepping_down = _episode("Marlowgate", state=EpisodeState.CLOSED).family
    StepDown.objects.create(family=stepping_down, social_worker=social_worker,
                            final_assessment_summary="Risks now below threshold", handover_plan="Joint visit, first TAF",
                            proposed_at=timezone.now())

    sign_in(page, "socialworker")
    expect(page.locator("#step-ups-waiting")).to_contain_text("Thistlewood family")
    expect(page.locator("#step-downs-proposed")).to_contain_text("Marlowgate family")
    assert_accessible(page)
    page.locator("#step-ups-waiting").get_by_role("link", name="Thistlewood family").click()
    expect(page.get_by_text("New injuries seen at school")).to_be_visible()
    page.get_by_role("link", name="Step downs").click()
    expect(page.locator("#step-downs")).to_contain_text("Marlowgate family")
    assert_accessible(page)


def test_an_adviser_sees_the_assessments_they_support_most_urgent_first(page, seeded_live):
    adviser = User.objects.get(username="adviser")
    team = adviser.teams.get(kind=TeamKind.LOCALITY_EARLY_HELP)
    organisation = Agency.objects.filter(kind=AgencyKind.LA_EARLY_HELP).first()
    today = timezone.localdate()
    late = _episode("Hollowmere", team=team, allocated_worker=User.objects.get(username="practitioner"))
    Assessment.objects.create(episode=late, started_on=today - timedelta(days=20), due_on=today - timedelta(days=6),
                              organisation=organisation)

    sign_in(page, "adviser")
    row = page.locator(f'#assessments-supported [data-episode="{late.reference}"]')
    expect(row).to_contain_text("Hollowmere family")
    expect(row).to_contain_text("Overdue")
    expect(page.locator('[data-empty-state="assessments"]')).to_have_count(0)
    assert_accessible(page)
    row.get_by_role("link", name="Hollowmere family").click()
    expect(page).to_have_url(re.compile(f"/episodes/{late.pk}/assessment/$"))
