"""Contacts and case notes: each rule of issue 12 point 1, through the services and the policy."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from earlyhelp.policy import may
from earlyhelp.recording import services
from earlyhelp.recording.forms import parse_time
from earlyhelp.recording.models import Addendum, CaseNote, ContactKind, SignificantEventCategory
from earlyhelp.recording.selectors import RESTRICTED_NOTICE, notes_for_chronology, notes_list
from earlyhelp.recording.services import ChildSeen
from earlyhelp.web.refusals import Refused

pytestmark = pytest.mark.django_db


def yesterday_at(hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(hour, 0)))


def record(world, *, by="lead", complete=True, children=None, **fields):
    values = {"kind": ContactKind.HOME_VISIT, "happened_at": yesterday_at(), "what_happened": "Visited at home",
              "present": "Dawn (mum), Mia, Leo"}
    values.update(fields)
    if children is None:
        children = [ChildSeen(world["people"]["mia"], seen=True, seen_alone=True),
                    ChildSeen(world["people"]["leo"], seen=True)]
    return services.note_create(family=world["family"], by=world["users"][by], children=children,
                                complete=complete, **values)


def test_every_kind_of_contact_the_issue_names_is_offered():
    assert [label for _, label in ContactKind.choices] == [
        "Home visit", "Office visit", "School visit", "Phone call", "Video call", "Text or e-mail",
        "Direct work with the child", "Team Around the Family update", "Other",
    ]


def test_a_note_records_each_child_seen_and_seen_alone_and_goes_on_the_open_episode(world):
    note = record(world, childs_words="I like my new bed", analysis="Sleeping better", next_steps="Visit in 2 weeks")
    assert note.episode == world["episode"] and note.family == world["family"]
    rows = {row.child.first_name: (row.seen, row.seen_alone) for row in note.children.all()}
    assert rows == {"Mia": (True, True), "Leo": (True, False)}
    assert note.childs_words == "I like my new bed" and note.author == world["users"]["lead"]


def test_seen_alone_without_being_seen_is_refused_by_name(world):
    with pytest.raises(ValidationError) as error:
        record(world, children=[ChildSeen(world["people"]["mia"], seen=False, seen_alone=True)])
    assert "Mia cannot have been seen alone without being seen" in error.value.message_dict["children"]
    assert not CaseNote.objects.exists()


def test_only_the_familys_children_can_be_on_a_note(world):
    with pytest.raises(ValidationError) as error:
        record(world, children=[ChildSeen(world["people"]["mum"], seen=True)])
    assert "Dawn Hartley is not a child in this family" in error.value.message_dict["children"]


def test_a_contact_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError) as error:
        record(world, happened_at=timezone.now() + timedelta(hours=2))
    assert "happened_at" in error.value.message_dict


def test_a_significant_event_needs_its_category_and_a_category_needs_the_flag(world):
    with pytest.raises(ValidationError) as error:
        record(world, significant=True)
    assert error.value.message_dict["significant_category"] == ["Select what kind of significant event it was"]
    note = record(world, significant=True, significant_category=SignificantEventCategory.MISSING)
    assert note.significant and note.get_significant_category_display() == "Missing from home or school"
    assert record(world, significant=False, significant_category=SignificantEventCategory.MISSING).significant_category == ""


def test_a_draft_is_its_authors_alone_until_completed(world):
    users = world["users"]
    draft = record(world, complete=False, what_happened="")  # a draft need not be finished
    assert not draft.is_completed
    assert may(users["lead"], "recording.view_note", draft)
    for other in ("manager", "allocated", "partner"):
        assert not may(users[other], "recording.view_note", draft), other
        assert notes_list(users[other], world["family"]) == []
    assert notes_for_chronology(users["lead"], world["family"]) == []  # the chronology shows completed notes
    with pytest.raises(ValidationError) as error:
        services.note_complete(note=draft, by=users["lead"])
    assert error.value.message_dict["what_happened"] == ["Enter what happened"]
    services.note_update(note=draft, by=users["lead"], children=[], what_happened="Spoke to Dawn")
    completed = services.note_complete(note=draft, by=users["lead"])
    assert completed.completed_at is not None
    assert all(may(users[other], "recording.view_note", completed) for other in ("manager", "allocated", "partner"))


def test_only_the_author_changes_a_draft(world):
    draft = record(world, complete=False)
    with pytest.raises(PermissionDenied):
        services.note_update(note=draft, by=world["users"]["manager"], children=[], what_happened="Mine now")
    assert not may(world["users"]["manager"], "recording.change_note", draft)


def test_a_completed_note_is_never_changed_only_added_to(world):
    users = world["users"]
    note = record(world)
    with pytest.raises(Refused, match="can no longer be changed"):
        services.note_update(note=note, by=users["lead"], children=[], what_happened="Rewritten")
    with pytest.raises(Refused):
        services.note_complete(note=note, by=users["lead"])
    with pytest.raises(Refused):
        services.note_discard(note=note, by=users["lead"])
    note.refresh_from_db()
    assert note.what_happened == "Visited at home"

    before = timezone.now()
    addendum = services.addendum_add(note=note, by=users["partner"], text="Mia told school she slept well")
    assert addendum.author == users["partner"] and addendum.added_at >= before
    second = services.addendum_add(note=note, by=users["lead"], text="Dawn rang to add that Leo is unwell")
    assert list(note.addenda.all()) == [addendum, second]
    note.refresh_from_db()
    assert note.what_happened == "Visited at home"


def test_an_addendum_is_only_for_a_completed_note_and_has_words(world):
    users = world["users"]
    draft = record(world, complete=False)
    with pytest.raises(Refused, match="still a draft"):
        services.addendum_add(note=draft, by=users["lead"], text="More")
    note = record(world)
    with pytest.raises(ValidationError):
        services.addendum_add(note=note, by=users["lead"], text="   ")
    with pytest.raises(PermissionDenied):
        services.addendum_add(note=note, by=users["outsider"], text="I was not there")
    assert not Addendum.objects.exists()


def test_a_restricted_note_is_read_by_the_lead_the_allocated_worker_and_their_managers(world):
    users = world["users"]
    note = record(world, by="allocated", restricted=True, restricted_reason="Disclosure of domestic abuse",
                  what_happened="Dawn disclosed domestic abuse")
    # The manager of the allocated worker's own team manages the episode too (episodes/rules.py).
    assert may(users["allocated_manager"], "episodes.change_episode", world["episode"])
    for reader in ("allocated", "lead", "manager", "allocated_manager"):
        assert may(users[reader], "recording.view_note", note), reader
        entry, = notes_for_chronology(users[reader], world["family"])
        assert entry.note == note and not entry.restricted_notice
    # In the family's network, but not among those who may read it: only that it exists.
    for other in ("partner", "adviser", "teacher"):
        assert may(users[other], "people.view_family", world["family"]), other
        assert not may(users[other], "recording.view_note", note), other
        entry, = notes_for_chronology(users[other], world["family"])
        assert entry.restricted_notice and entry.note is None and entry.title == RESTRICTED_NOTICE
        assert entry.at == note.happened_at and entry.url == ""
    # Outside the network: nothing at all.
    for other in ("outsider", "far_manager"):
        assert notes_for_chronology(users[other], world["family"]) == []
        with pytest.raises(PermissionDenied):
            notes_list(users[other], world["family"])


def test_a_restricted_note_needs_a_reason_to_be_completed(world):
    with pytest.raises(ValidationError) as error:
        record(world, restricted=True)
    assert error.value.message_dict["restricted_reason"] == ["Say why the note is restricted"]


def test_partners_in_the_team_around_the_family_record_their_own_updates(world):
    users = world["users"]
    assert may(users["partner"], "recording.add_note", world["family"])
    update = record(world, by="partner", kind=ContactKind.TAF_UPDATE, what_happened="Mia's attendance is 96%",
                    children=[ChildSeen(world["people"]["mia"], seen=True)])
    assert update.author == users["partner"] and update.episode == world["episode"]
    assert update.get_kind_display() == "Team Around the Family update"
    assert may(users["lead"], "recording.view_note", update)
    # Their own: no one else changes their draft, and they change no one else's.
    draft = record(world, by="partner", complete=False)
    assert not may(users["lead"], "recording.change_note", draft)
    assert not may(users["partner"], "recording.change_note", record(world, complete=False))
    assert not may(users["outsider"], "recording.add_note", world["family"])


def test_a_restricted_note_made_with_no_episode_open(world_without_episode):
    world = world_without_episode
    users = world["users"]
    note = record(world, by="teacher", restricted=True, restricted_reason="Disclosure",
                  children=[ChildSeen(world["people"]["mia"], seen=True, seen_alone=True)])
    assert note.episode is None
    assert may(users["teacher"], "recording.view_note", note)
    # The family's recorder is in its network but neither leads nor is allocated: a notice.
    assert may(users["lead"], "people.view_family", world["family"])
    entry, = notes_for_chronology(users["lead"], world["family"])
    assert entry.restricted_notice


def test_the_chronology_of_one_child_has_only_the_notes_about_them(world):
    people = world["people"]
    about_mia = record(world, children=[ChildSeen(people["mia"], seen=True, seen_alone=True)],
                       significant=True, significant_category=SignificantEventCategory.DISCLOSURE)
    about_leo = record(world, children=[ChildSeen(people["leo"], seen=False)], happened_at=yesterday_at(10))
    lead = world["users"]["lead"]
    assert [entry.note for entry in notes_for_chronology(lead, world["family"], child=people["mia"])] == [about_mia]
    assert [entry.note for entry in notes_for_chronology(lead, world["family"], child=people["leo"])] == [about_leo]
    family = notes_for_chronology(lead, world["family"])
    assert [entry.note for entry in family] == [about_mia, about_leo]  # newest first
    assert family[0].significant and family[0].children[0].seen_alone


def test_the_chronology_asks_the_policy_a_bounded_number_of_times(world, django_assert_max_num_queries):
    for hour in range(8, 20):
        record(world, by="allocated", happened_at=yesterday_at(hour), restricted=hour % 2 == 0,
               restricted_reason="Disclosure")
    with django_assert_max_num_queries(20):
        entries = notes_for_chronology(world["users"]["partner"], world["family"])
    assert len(entries) == 12 and sum(entry.restricted_notice for entry in entries) == 6


@pytest.mark.parametrize("text, expected", [
    ("14:30", time(14, 30)), ("2:30pm", time(14, 30)), ("9am", time(9, 0)), ("9.15 a.m.", time(9, 15)),
    ("12am", time(0, 0)), ("12pm", time(12, 0)), ("9", None), ("25:00", None), ("13pm", None), ("soon", None),
])
def test_times_are_read_as_people_write_them(text, expected):
    assert parse_time(text) == expected


def test_retention_blanks_the_words_of_notes_and_their_addenda(world):
    from earlyhelp.audit.retention import family_anonymise

    note = record(world, childs_words="I miss my dad", analysis="Grief", restricted=True, restricted_reason="Why")
    addendum = services.addendum_add(note=note, by=world["users"]["lead"], text="Dawn called back")
    type(world["episode"]).objects.filter(pk=world["episode"].pk).update(
        state="closed", closed_on=timezone.localdate() - timedelta(days=1))
    family_anonymise(family=world["family"], done_by="test")
    note.refresh_from_db()
    addendum.refresh_from_db()
    assert (note.what_happened, note.childs_words, note.analysis, note.present, note.restricted_reason) == ("",) * 5
    assert addendum.text == "" and note.kind == ContactKind.HOME_VISIT
