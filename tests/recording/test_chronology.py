"""The chronology of a family and of each child (issue 12, point 4): every source with its link,
the filters, both orders, pages of 50, what a user may not see, the downloads and their access
records, and a number of queries that does not grow with the number of events."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.episodes.models import EpisodeEvent, Review, StepDown
from earlyhelp.frontdoor import models as fd
from earlyhelp.recording.chronology import ChronologyKind, Filters, chronology_entries
from earlyhelp.recording.models import CaseNote, NoteChild
from earlyhelp.recording.selectors import RESTRICTED_NOTICE

from ..background.worker import run_worker, worker_runs
from .builders import make_user
from .pdf_text import pdf_headings

pytestmark = pytest.mark.django_db


def days_ago(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def add_note(world, *, days: int, children=("mia",), significant=False, restricted=False, author="lead",
             what="Talked about school", category="") -> CaseNote:
    note = CaseNote.objects.create(
        family=world["family"], episode=world["episode"], kind="home_visit", happened_at=days_ago(days),
        what_happened=what, significant=significant, significant_category=category or ("disclosure" if significant else ""),
        restricted=restricted, restricted_reason="Domestic abuse disclosure" if restricted else "",
        author=world["users"][author], completed_at=timezone.now(),
    )
    for key in children:
        NoteChild.objects.create(note=note, child=world["people"][key], seen=True, seen_alone=key == "mia")
    return note


def add_event(world, kind: str, days: int, summary: str = "") -> EpisodeEvent:
    return EpisodeEvent.objects.create(episode=world["episode"], kind=kind, summary=summary or kind, at=days_ago(days),
                                       by=world["users"]["lead"])


def add_every_source(world, *, repeat: int = 1, first: int = 0) -> dict:
    users, people, family = world["users"], world["people"], world["family"]
    made = {}
    for number in range(first, first + repeat):
        support_request = fd.RequestForSupport.objects.create(
            reference=f"REQ-CHR-{number}", source=fd.RequestSource.PRACTITIONER, family=family,
            requested_by=users["teacher"], concern_details="Mia is often late and tired", family_agreement="yes",
            submitted_at=days_ago(60 + number), triage_due_on=timezone.localdate(), triaged_at=days_ago(59 + number),
            triaged_by=users["lead"], triage_outcome=fd.TriageOutcome.EHA_NEEDED,
            status=fd.RequestStatus.ALLOCATED)
        fd.RequestPerson.objects.create(request=support_request, person=people["mia"], first_name="Mia",
                                        last_name="Hartley")
        level = fd.LevelOfNeedDecision.objects.create(family=family, request=support_request, level=2,
                                                      reasons="Needs more than one service", decided_by=users["lead"])
        harm = fd.HarmReferral.objects.create(
            family=family, raised_by=users["teacher"], raised_at=days_ago(30 + number),
            what_is_known="A bruise on Mia's arm", referral_source="1D", decision="early_help",
            decision_notes="Back to early help with a plan", decided_by=users["lead"], decided_at=days_ago(29 + number))
        harm.children.add(people["mia"])
        meeting = fd.AllocationMeeting.objects.create(held_on=timezone.localdate() - timedelta(days=58),
                                                      chair=users["manager"])
        allocation = fd.AllocationDecision.objects.create(
            meeting=meeting, request=support_request, outcome="allocate_team", team=world["team"],
            reasons="A locality team knows the school", decided_by=users["manager"])
        for kind, days in [("assessment_started", 50), ("assessment_completed", 45), ("lead_professional_chosen", 48),
                           ("consent_given", 52), ("plan_agreed", 35), ("closed", 1)]:
            add_event(world, kind, days, summary=f"{kind} ({number})")
        review = Review.objects.create(episode=world["episode"], held_on=timezone.localdate() - timedelta(days=10),
                                       decision="continue", notes="Going well", recorded_by=users["lead"])
        step_down = StepDown.objects.create(
            family=family, social_worker=users["manager"], final_assessment_summary="Needs now early help level",
            handover_plan="Weekly visits", proposed_at=days_ago(70 + number))
        step_down.children.add(people["leo"])
        made.update(request=support_request, level=level, harm=harm, meeting=meeting, allocation=allocation,
                    review=review, step_down=step_down)
        add_note(world, days=5 + number, significant=True, what="Mia said she was scared at home")
        add_note(world, days=6 + number, children=("leo",), what="Leo at nursery")
    return made


def chronology_url(world, name="family-chronology", **params) -> str:
    url = reverse(name, kwargs={"family_id": world["family"].pk})
    if params:
        from urllib.parse import urlencode
        url += "?" + urlencode(params, doseq=True)
    return url


def test_every_source_appears_with_a_link_to_its_page(client, world):
    made = add_every_source(world)
    client.force_login(world["users"]["lead"])
    response = client.get(chronology_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    episode_id = world["episode"].pk
    expected = {
        "Request for support REQ-CHR-0": reverse("request-detail", kwargs={"request_id": made["request"].pk}),
        "Request REQ-CHR-0 triaged": reverse("request-detail", kwargs={"request_id": made["request"].pk}),
        "Level of need decided: Level 2": reverse("request-detail", kwargs={"request_id": made["request"].pk}),
        "Concern of significant harm raised": reverse("harm-referral-detail", kwargs={"referral_id": made["harm"].pk}),
        "Children&#x27;s Social Care decided: Back to early help":
            reverse("harm-referral-detail", kwargs={"referral_id": made["harm"].pk}),
        # The allocation meeting is the front door's: the lead sees the decision on the request.
        "Allocation meeting of": reverse("request-detail", kwargs={"request_id": made["request"].pk}),
        "Assessment started": reverse("episode-assessment", kwargs={"episode_id": episode_id}),
        "Assessment completed": reverse("episode-assessment", kwargs={"episode_id": episode_id}),
        "Lead professional chosen": reverse("episode-lead-professional", kwargs={"episode_id": episode_id}),
        "Consent given": reverse("episode-consent", kwargs={"episode_id": episode_id}),
        "Plan agreed": reverse("episode-plan", kwargs={"episode_id": episode_id}),
        "Episode closed": reverse("episode-stepping", kwargs={"episode_id": episode_id}),
        "Team Around the Family meeting": reverse("episode-taf-detail", kwargs={
            "episode_id": episode_id, "meeting_id": world["episode"].taf_meetings.get().pk}),
        "Plan reviewed: Continue with the plan": reverse("episode-review-detail", kwargs={
            "episode_id": episode_id, "review_id": made["review"].pk}),
        "Step down to early help proposed": reverse("step-down-detail", kwargs={"step_down_id": made["step_down"].pk}),
        "Significant event: Disclosure by the child (home visit)": "/notes/",
    }
    for title, url in expected.items():
        assert title in html, title
        assert f'href="{url}' in html, (title, url)
    assert AccessRecord.objects.filter(user=world["users"]["lead"], family=world["family"], what="Chronology",
                                       kind=AccessKind.VIEW).count() == 1


def test_a_front_door_officer_is_taken_to_the_allocation_meeting(world):
    made = add_every_source(world)
    officer = make_user("frontdoor", Role.FRONT_DOOR_OFFICER, world["team"].agency)
    entries = chronology_entries(officer, world["family"], Filters(kinds=frozenset({ChronologyKind.ALLOCATION})))
    assert [entry.url for entry in entries] == [
        reverse("allocation-meeting-detail", kwargs={"meeting_id": made["meeting"].pk})]


def test_the_chronology_of_one_child(client, world):
    add_every_source(world)
    lead, people = world["users"]["lead"], world["people"]
    mia = chronology_entries(lead, world["family"], Filters(child=people["mia"]))
    leo = chronology_entries(lead, world["family"], Filters(child=people["leo"]))
    titles = lambda entries: {entry.title for entry in entries}  # noqa: E731
    assert "Concern of significant harm raised" in titles(mia) and "Concern of significant harm raised" not in titles(leo)
    assert "Request for support REQ-CHR-0" in titles(mia) and "Request for support REQ-CHR-0" not in titles(leo)
    assert "Step down to early help proposed" in titles(leo) and "Step down to early help proposed" not in titles(mia)
    assert [entry.summary for entry in mia if entry.kind == "note"] == ["Mia said she was scared at home"]
    assert [entry.summary for entry in leo if entry.kind == "note"] == ["Leo at nursery"]
    # The episode's events concern each of its children.
    assert "Plan agreed" in titles(mia) and "Plan agreed" in titles(leo)
    note, = [entry for entry in mia if entry.kind == "note"]
    assert note.children == ["Mia Hartley (seen alone)"]
    client.force_login(lead)
    html = client.get(chronology_url(world, child=people["leo"].pk)).content.decode()
    assert "Chronology of Leo Hartley" in html and "Leo at nursery" in html and "scared at home" not in html
    # The child's person page links to it.
    person_page = client.get(reverse("person-detail", kwargs={"person_id": people["leo"].pk})).content.decode()
    assert chronology_url(world) + f"?child={people['leo'].pk}" in person_page
    family_page = client.get(reverse("family-detail", kwargs={"family_id": world["family"].pk})).content.decode()
    assert f'href="{chronology_url(world)}"' in family_page


def test_filters_by_kind_dates_and_significance(client, world):
    add_every_source(world)
    lead, family = world["users"]["lead"], world["family"]
    notes = chronology_entries(lead, family, Filters(kinds=frozenset({"note"})))
    assert {entry.kind for entry in notes} == {"note"} and len(notes) == 2
    significant = chronology_entries(lead, family, Filters(significant_only=True))
    assert {entry.title for entry in significant} == {
        "Significant event: Disclosure by the child (home visit)", "Concern of significant harm raised",
        "Children's Social Care decided: Back to early help", "Step down to early help proposed"}
    start, end = timezone.localdate() - timedelta(days=31), timezone.localdate() - timedelta(days=4)
    dated = chronology_entries(lead, family, Filters(start=start, end=end))
    assert dated and all(start <= entry.on <= end for entry in dated)
    assert "Concern of significant harm raised" in {entry.title for entry in dated}
    assert "Request for support REQ-CHR-0" not in {entry.title for entry in dated}
    # Through the page's form, with the dates as GOV.UK date fields in the address.
    client.force_login(lead)
    response = client.get(chronology_url(world, kind=["note", "harm"], significant="on", start_day=start.day,
                                         start_month=start.month, start_year=start.year))
    html = response.content.decode()
    assert response.status_code == 200
    assert "scared at home" in html and "A bruise on Mia" in html and "Leo at nursery" not in html
    assert "Plan agreed" not in html


def test_both_orders(world):
    add_every_source(world)
    lead, family = world["users"]["lead"], world["family"]
    newest = chronology_entries(lead, family)
    oldest = chronology_entries(lead, family, Filters(oldest_first=True))
    assert [entry.at for entry in newest] == sorted((entry.at for entry in newest), reverse=True)
    assert [entry.title for entry in oldest] == [entry.title for entry in reversed(newest)]
    assert oldest[0].title == "Step down to early help proposed"


def test_fifty_entries_a_page(client, world):
    for day in range(60):
        add_event(world, "action_status", days=day + 1, summary=f"Action {day}")
    client.force_login(world["users"]["lead"])
    first = client.get(chronology_url(world)).content.decode()
    second = client.get(chronology_url(world, page=2, order="oldest")).content.decode()
    entries = 60 + 1  # and the Team Around the Family meeting
    assert first.count("eh-chronology__entry") - first.count("eh-chronology__entry--") == 50
    assert f"{entries} entries" in first and "page 1 of 2" in first
    assert second.count('class="eh-chronology__entry') == entries - 50 and "page 2 of 2" in second
    assert 'href="?order=oldest&amp;page=1"' in second


def test_a_restricted_note_is_a_notice_for_those_who_may_not_read_it(client, world):
    add_note(world, days=3, restricted=True, significant=True, what="Disclosure of domestic abuse")
    partner = world["users"]["partner"]
    entry, = [entry for entry in chronology_entries(partner, world["family"]) if entry.kind == "note"]
    assert entry.title == RESTRICTED_NOTICE and entry.hidden and not entry.url and not entry.significant
    assert entry.summary == "" and entry.children == [] and entry.who == ""
    client.force_login(partner)
    html = client.get(chronology_url(world)).content.decode()
    assert RESTRICTED_NOTICE in html and "domestic abuse" not in html
    lead_entry, = [entry for entry in chronology_entries(world["users"]["lead"], world["family"])
                   if entry.kind == "note"]
    assert lead_entry.summary == "Disclosure of domestic abuse" and lead_entry.url


@pytest.mark.parametrize("name", ["family-chronology", "family-chronology-pdf", "family-chronology-csv"])
def test_someone_outside_the_network_is_refused_and_nothing_is_recorded(client, world, name):
    add_every_source(world)
    client.force_login(world["users"]["outsider"])
    for response in (client.get(chronology_url(world, name)), client.post(chronology_url(world, name))):
        assert response.status_code in (403, 404)
        assert b"Hartley" not in response.content and b"scared" not in response.content
    assert not AccessRecord.objects.filter(user=world["users"]["outsider"]).exists()


def test_the_pages_only_take_get(client, world):
    client.force_login(world["users"]["lead"])
    assert client.post(chronology_url(world)).status_code == 405


def test_the_csv_is_safe_and_its_download_recorded(client, world):
    add_every_source(world)
    add_note(world, days=2, what='=HYPERLINK("http://example.com","Click")')
    client.force_login(world["users"]["lead"])
    response = client.get(chronology_url(world, "family-chronology-csv", child=world["people"]["mia"].pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"chronology-child-{world['people']['mia'].pk}-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Date", "Time", "Kind", "Title"]
    assert any(row[4] == "'=HYPERLINK(\"http://example.com\",\"Click\")" for row in rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)
    note_row = next(row for row in rows if row[3].startswith("Significant event"))
    assert note_row[7] == "Yes" and note_row[8].startswith("http://testserver/notes/")
    assert AccessRecord.objects.filter(user=world["users"]["lead"], kind=AccessKind.EXPORT,
                                       what="Chronology (CSV)").count() == 1


@worker_runs
def test_the_pdf_is_made_in_the_background_with_the_significant_note(client, world):
    add_every_source(world)
    client.force_login(world["users"]["lead"])
    asked = client.post(chronology_url(world, "family-chronology-pdf", significant="on"))
    assert asked.status_code == 302
    assert client.get(chronology_url(world, "family-chronology-pdf")).status_code == 405  # asked for, not got
    run_worker()
    response = client.get(asked["Location"] + "download")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    headings = pdf_headings(content)
    assert "Significant event: Disclosure by the child (home visit)" in headings
    assert "Plan agreed" not in headings  # significant events only
    assert AccessRecord.objects.filter(user=world["users"]["lead"], kind=AccessKind.DOWNLOAD,
                                       what="Chronology (PDF)").count() == 1


def test_bad_filters_are_shown_with_their_messages(client, world):
    client.force_login(world["users"]["lead"])
    response = client.get(chronology_url(world, start_day=31, start_month=2, start_year=2025, child=999999,
                                         order="sideways"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "govuk-error-summary" in html and "The start date must be a real date" in html
    assert "Choose a child of the family from the list" in html
    # The downloads ignore filters that need correcting rather than fail.
    assert client.get(chronology_url(world, "family-chronology-csv", start_day=99)).status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_events(client, world):
    lead = world["users"]["lead"]
    add_every_source(world)
    client.force_login(lead)
    url = chronology_url(world)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_every_source(world, repeat=8, first=1)
    for day in range(100):
        add_event(world, "action_status", days=day + 1)
        add_note(world, days=day + 1, children=("mia", "leo"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) <= len(few), (len(few), len(many))
    assert len(few) < 60


def test_oversight_is_in_the_chronology_and_only_its_readers_see_its_decision(client, world):
    from earlyhelp.recording.services import oversight_record

    oversight_record(episode=world["episode"], by=world["users"]["manager"], kind="oversight",
                     decision="Keep the plan; ask the school about attendance")
    lead_entries = chronology_entries(world["users"]["lead"], world["family"])
    [seen] = [entry for entry in lead_entries if entry.kind == ChronologyKind.OVERSIGHT]
    assert seen.title == "Management oversight recorded" and not seen.hidden
    assert seen.summary == "Keep the plan; ask the school about attendance"
    assert seen.url == reverse("episode-oversight", kwargs={"episode_id": world["episode"].pk})
    # A partner at the Team Around the Family is in the network but does not read oversight.
    partner_entries = chronology_entries(world["users"]["partner"], world["family"])
    [notice] = [entry for entry in partner_entries if entry.kind == ChronologyKind.OVERSIGHT]
    assert notice.hidden and notice.summary == "" and notice.url == ""
    client.force_login(world["users"]["lead"])
    html = client.get(chronology_url(world, kind="oversight")).content.decode()
    assert "Keep the plan; ask the school about attendance" in html
    meeting_url = reverse("episode-taf-detail", kwargs={"episode_id": world["episode"].pk,
                                                        "meeting_id": world["episode"].taf_meetings.get().pk})
    assert meeting_url not in html
