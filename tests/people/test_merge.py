"""Merging duplicates moves every record that points at the duplicate, however it points at it.

The relations are walked here, independently of people/relations.py, so a new kind of record
pointing at a person fails `test_merging_moves_every_record_that_points_at_the_duplicate` until
this test builds one and sees it move (or it is declared as left on the duplicate, with why).
"""

from datetime import date, timedelta

import pytest
from django.db.models import ForeignObjectRel
from django.urls import reverse
from django.utils import timezone

from earlyhelp.alerts.models import Alert
from earlyhelp.audit.models import AccessRecord
from earlyhelp.audit.selectors import access_records_for_person
from earlyhelp.audit.services import access_record_create
from earlyhelp.documents.models import Document
from earlyhelp.episodes.models import (
    Assessment,
    AssessmentChildSection,
    Episode,
    EpisodeChild,
    EpisodeState,
    Outcome,
    PlanAction,
    StepDown,
    SubdimensionRating,
    TafMeeting,
)
from earlyhelp.frontdoor.models import HarmReferral, RequestPerson
from earlyhelp.people import services
from earlyhelp.people.models import (
    FamilyMember,
    Involvement,
    Person,
    Relationship,
    RelationshipKind,
)
from earlyhelp.people.relations import LEFT_ON_MERGE
from earlyhelp.people.selectors import merge_counts
from earlyhelp.recording.models import CaseNote, NoteChild
from earlyhelp.sharing.models import Consent
from earlyhelp.standards import CinReferralSource

from .conftest import add_person
from .test_services import _request_naming

pytestmark = pytest.mark.django_db

# What a merge leaves on the duplicate, on purpose (docs/decisions/0003-merging-duplicates.md).
LEFT_ON_THE_DUPLICATE = {
    "people.Person.merged_into",  # records merged into the duplicate earlier: the chain leads on
    "people.PersonMerge.kept",  # the history of that earlier merge
    "people.PersonMerge.duplicate",  # this merge's own record
    "audit.AccessRecord.person",  # who looked at which record: never changed; the audit trail follows merges
}


def relations_to_person() -> dict:
    """Every relation pointing at Person, as label -> rows pointing at a given person."""
    found = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if relation.many_to_many and not isinstance(relation, ForeignObjectRel):
            model, name = Person, relation.name  # a many-to-many declared on Person
        elif not isinstance(relation, ForeignObjectRel):
            continue  # Person's own columns
        elif relation.many_to_many:
            model, name = relation.related_model, relation.field.name  # another model's many-to-many
        elif relation.related_model._meta.auto_created:
            continue  # the table Django made for a many-to-many: counted as that field
        else:
            model, name = relation.related_model, relation.field.name
        found[f"{model._meta.label}.{name}"] = (
            lambda person, model=model, name=name: model._default_manager.filter(**{name: person})
        )
    return found


def pointing_at(person: Person) -> set[str]:
    return {label for label, rows in relations_to_person().items() if rows(person).exists()}


def _episode(family, user, reference: str) -> Episode:
    return Episode.objects.create(reference=reference, family=family, state=EpisodeState.PLAN_ACTIVE,
                                  opened_on=date(2026, 3, 2), lead_professional=user, allocated_worker=user)


def _harm_referral(family, user) -> HarmReferral:
    return HarmReferral.objects.create(family=family, raised_by=user, raised_at=timezone.now(),
                                       what_is_known="Bruise on arm.", referral_source=CinReferralSource.SCHOOLS)


def _records_about(person, *, family, episode, user, agency) -> dict:
    """One record of every kind that can point at a person, about `person`."""
    made = {"child": EpisodeChild.objects.create(episode=episode, person=person, added_on=episode.opened_on)}
    assessment = Assessment.objects.get_or_create(
        episode=episode, defaults={"started_on": episode.opened_on, "due_on": episode.opened_on + timedelta(days=14),
                                   "organisation": agency})[0]
    made["section"] = AssessmentChildSection.objects.create(assessment=assessment, child=person,
                                                            wishes_and_feelings=f"{person.first_name}'s words")
    made["rating"] = SubdimensionRating.objects.create(section=made["section"], subdimension="health", score=6)
    made["consent"] = Consent.objects.create(family=family, episode=episode, person=person, scope="assessment",
                                             decision="given", method="written", given_on=episode.opened_on,
                                             recorded_by=user)
    made["referral"] = _harm_referral(family, user)
    made["referral"].children.add(person)
    made["meeting"] = TafMeeting.objects.create(episode=episode, held_on=episode.opened_on + timedelta(days=20),
                                                discussed="School mornings", recorded_by=user)
    made["meeting"].family_members.add(person)
    outcome = Outcome.objects.create(episode=episode, in_familys_words="Gets to school on time")
    made["action"] = PlanAction.objects.create(outcome=outcome, description="Pack the bag the night before",
                                               owner_person=person, due_on=episode.opened_on + timedelta(days=30))
    made["step_down"] = StepDown.objects.create(family=family, social_worker=user, final_assessment_summary="Lower",
                                                handover_plan="Joint visit", proposed_at=timezone.now())
    made["step_down"].children.add(person)
    made["request"] = _request_naming(person, family, user, reference=f"RFS-{person.pk}")
    made["document"] = Document.objects.create(person=person, category="report", description="School report",
                                                dated=episode.opened_on, storage_name=f"merge-{person.pk}.pdf",
                                                content_type="application/pdf", size=1, sha256="0" * 64,
                                                uploaded_by=user)
    made["alert"] = Alert.objects.create(family=family, person=person, kind="violence", details="Shouted at a worker",
                                         recorded_by=user)
    note = CaseNote.objects.create(family=family, episode=episode, kind="home_visit", happened_at=timezone.now(),
                                   what_happened=f"Saw {person.first_name} at home", author=user)
    made["note_child"] = NoteChild.objects.create(note=note, child=person, seen=True, seen_alone=True)
    return made


def test_merging_moves_every_record_that_points_at_the_duplicate(client, family_for, partner, admin_user, school):
    kept = family_for("Smith").child
    other_family = family_for("Smyth", child="Bill")
    duplicate = other_family.child
    sibling = add_person(other_family, "Amy", "Smyth")
    Relationship.objects.create(person=duplicate, relative=sibling, kind=RelationshipKind.SIBLING_OF)
    Relationship.objects.create(person=other_family.parent, relative=duplicate, kind=RelationshipKind.PARENT_OF)
    involvement = Involvement.objects.create(person=duplicate, agency=school, practitioner=partner)
    episode = _episode(other_family, partner, "EP-SMY-1")
    made = _records_about(duplicate, family=other_family, episode=episode, user=partner, agency=school)
    look = access_record_create(user=partner, person=duplicate, what="Person page")
    # A third record was merged into the duplicate before anyone found the kept one.
    earlier = add_person(other_family, "William", "Smyth")
    services.person_merge(kept=duplicate, duplicate=earlier, merged_by=admin_user, reason="Same child")

    every_relation = set(relations_to_person())
    missing = every_relation - {"people.PersonMerge.duplicate"} - pointing_at(duplicate)
    assert not missing, (
        f"Build a record of each of {sorted(missing)} for the duplicate in this test, and check that merging "
        "moves it (or declare it with relations.leave_on_merge and say why in docs/decisions/0003)"
    )
    assert set(LEFT_ON_MERGE) == LEFT_ON_THE_DUPLICATE

    counts = merge_counts(duplicate)
    assert counts["Episodes (as a child of concern)"] == 1 and counts["Consents"] == 1
    assert counts["Relationships"] == 2 and counts["Household memberships"] == 1

    merge = services.person_merge(kept=kept, duplicate=duplicate, merged_by=admin_user, reason="Same child")

    assert pointing_at(duplicate) == LEFT_ON_THE_DUPLICATE
    assert pointing_at(kept) >= every_relation - LEFT_ON_THE_DUPLICATE
    for name in ("child", "section", "consent", "action", "alert", "note_child"):
        made[name].refresh_from_db()
    assert made["child"].person == kept and made["child"].episode == episode
    assert made["section"].child == kept and made["section"].ratings.get() == made["rating"]
    assert made["consent"].person == kept and made["action"].owner_person == kept
    assert Document.objects.get(pk=made["document"].pk).person == kept
    assert made["alert"].person == kept and made["alert"].family == other_family
    assert made["note_child"].child == kept and made["note_child"].seen_alone
    assert list(made["referral"].children.all()) == [kept]
    assert list(made["meeting"].family_members.all()) == [kept]
    assert list(made["step_down"].children.all()) == [kept]
    assert RequestPerson.objects.get(request=made["request"]).person == kept
    assert Involvement.objects.get(pk=involvement.pk).person == kept
    assert FamilyMember.objects.get(family=other_family, person=kept)
    assert Relationship.objects.filter(person=kept, relative=sibling).exists()
    assert Relationship.objects.filter(person=other_family.parent, relative=kept).exists()

    assert merge.moved == {
        "people.FamilyMember.person": 1, "people.Relationship.person": 1, "people.Relationship.relative": 1,
        "people.Involvement.person": 1, "frontdoor.RequestPerson.person": 1, "frontdoor.HarmReferral.children": 1,
        "episodes.EpisodeChild.person": 1, "episodes.AssessmentChildSection.child": 1,
        "episodes.TafMeeting.family_members": 1, "episodes.PlanAction.owner_person": 1,
        "episodes.StepDown.children": 1, "sharing.Consent.person": 1, "documents.Document.person": 1, "alerts.Alert.person": 1,
        "recording.NoteChild.child": 1,
        "details_filled": 0,
    }
    assert merge.duplicate_snapshot["dropped_as_already_present"] == {}

    # The look at the duplicate stays on the record that was looked at, and the kept record's
    # audit trail still finds it; so does that of the record merged before.
    assert AccessRecord.objects.get(pk=look.pk).person == duplicate
    assert look in access_records_for_person(person_id=kept.pk)
    earlier_look = access_record_create(user=partner, person=earlier, what="Person page")
    assert earlier_look in access_records_for_person(person_id=kept.pk)
    assert earlier_look not in access_records_for_person(person_id=sibling.pk)
    client.force_login(admin_user)
    page = client.get(reverse("audit-person", args=[kept.pk])).content.decode()
    assert f"Record {duplicate.pk}, since merged into this one" in page
    assert f"Record {earlier.pk}, since merged into this one" in page


def test_the_review_page_counts_every_kind_of_record_that_will_move(client, family_for, partner, admin_user, school):
    kept = family_for("Smith").child
    other_family = family_for("Smyth", child="Bill")
    duplicate = other_family.child
    _records_about(duplicate, family=other_family, episode=_episode(other_family, partner, "EP-SMY-1"),
                   user=partner, agency=school)
    client.force_login(admin_user)
    page = client.post(reverse("person-merge"), {"kept": kept.pk, "duplicate": duplicate.pk}).content.decode()
    for title in ("Household memberships", "Episodes (as a child of concern)", "Consents",
                  "Assessments (the child&#x27;s own section)", "Concerns of significant harm",
                  "Team around the family meetings attended", "Plan actions they own",
                  "Steps down from social care", "People named on requests for support"):
        assert title in page


def test_what_the_kept_record_already_has_stays_once_and_the_duplicates_copy_is_kept_in_the_merge(
    family_for, partner, admin_user, school,
):
    family = family_for("Smith")
    kept = family.child
    duplicate = add_person(family, "Will", "Smith")  # the same boy, entered twice in the same family
    Relationship.objects.create(person=duplicate, relative=kept, kind=RelationshipKind.SIBLING_OF)
    Relationship.objects.create(person=family.parent, relative=kept, kind=RelationshipKind.PARENT_OF)
    Relationship.objects.create(person=family.parent, relative=duplicate, kind=RelationshipKind.PARENT_OF)
    episode = _episode(family, partner, "EP-SMI-1")
    mine = _records_about(kept, family=family, episode=episode, user=partner, agency=school)
    theirs = _records_about(duplicate, family=family, episode=episode, user=partner, agency=school)
    theirs["referral"].children.add(kept)  # both records named on the same concern
    mine["meeting"].family_members.add(duplicate)  # and at the same meeting

    merge = services.person_merge(kept=kept, duplicate=duplicate, merged_by=admin_user, reason="Same child")

    assert pointing_at(duplicate) == {"people.PersonMerge.duplicate"}
    assert EpisodeChild.objects.get(episode=episode) == mine["child"]
    assert AssessmentChildSection.objects.get(assessment__episode=episode) == mine["section"]
    assert FamilyMember.objects.filter(family=family, person=kept).count() == 1
    assert list(Relationship.objects.filter(person=family.parent)) == [
        Relationship.objects.get(person=family.parent, relative=kept, kind=RelationshipKind.PARENT_OF)]
    assert list(theirs["referral"].children.all()) == [kept]
    assert list(mine["meeting"].family_members.all()) == [kept]
    # Records that are not the same thing twice both move.
    assert Consent.objects.filter(person=kept).count() == 2
    assert set(HarmReferral.objects.filter(children=kept)) == {mine["referral"], theirs["referral"]}

    dropped = merge.duplicate_snapshot["dropped_as_already_present"]
    assert set(dropped) == {
        "people.FamilyMember.person", "people.Relationship.person", "people.Relationship.relative",
        "episodes.EpisodeChild.person", "episodes.AssessmentChildSection.child",
        "frontdoor.HarmReferral.children", "episodes.TafMeeting.family_members",
    }
    assert dropped["episodes.EpisodeChild.person"] == [{
        "model": "episodes.episodechild", "pk": theirs["child"].pk,
        "fields": {"episode": episode.pk, "person": duplicate.pk, "added_on": "2026-03-02", "removed_on": None,
                   "removal_reason": ""},
    }]
    # The duplicate's section goes with its ratings, and the merge keeps both.
    section, rating = dropped["episodes.AssessmentChildSection.child"]
    assert section["fields"]["wishes_and_feelings"] == "Will's words"
    assert (rating["model"], rating["pk"]) == ("episodes.subdimensionrating", theirs["rating"].pk)
    assert dropped["people.Relationship.person"][0]["fields"]["relative"] == kept.pk  # no one is their own sibling
    assert "people.FamilyMember.person" not in merge.moved
