"""Writes: families and their address history, one current lead professional, merging duplicates."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.frontdoor.models import FamilyAgreement, HarmReferral, RequestForSupport, RequestPerson, RequestSource
from earlyhelp.people import services
from earlyhelp.people.access import user_can_see_family
from earlyhelp.people.models import (
    FamilyMember,
    Involvement,
    MemberRole,
    Person,
    PersonMerge,
    Relationship,
    RelationshipKind,
)
from earlyhelp.people.search import SearchCriteria, search_people
from earlyhelp.standards import CinReferralSource

from .conftest import add_person

pytestmark = pytest.mark.django_db


def test_the_creator_of_a_family_can_see_it_and_it_has_an_address_history(partner, outsider, locality):
    family = services.family_create(name="Khan family", address="3 Mill Lane", postcode="ls11aa",
                                    locality=locality, created_by=partner)
    assert family.postcode == "LS1 1AA"
    assert list(family.address_history.values_list("address", "postcode", "moved_out")) == [
        ("3 Mill Lane", "LS1 1AA", None)
    ]
    assert user_can_see_family(partner, family.pk)
    assert not user_can_see_family(outsider, family.pk)


def test_moving_keeps_the_old_address_with_its_end_date(partner, locality):
    family = services.family_create(name="Khan family", address="3 Mill Lane", postcode="LS1 1AA",
                                    locality=locality, created_by=partner, moved_in=date(2020, 1, 1))
    child = add_person(family, "Ayaan", "Khan", address="3 Mill Lane", postcode="LS1 1AA")
    services.family_move(family=family, address="9 New Road", postcode="LS2 7AB", moved_in=date(2024, 6, 1))
    history = list(family.address_history.order_by("moved_in").values_list("address", "moved_out"))
    assert history == [("3 Mill Lane", date(2024, 6, 1)), ("9 New Road", None)]
    family.refresh_from_db()
    child.refresh_from_db()
    assert (family.address, family.postcode) == ("9 New Road", "LS2 7AB")
    assert (child.address, child.postcode) == ("9 New Road", "LS2 7AB")
    with pytest.raises(ValidationError) as error:
        services.family_move(family=family, address="1 Old Road", postcode="LS2 7AB", moved_in=date(2023, 1, 1))
    assert "must be on or after" in error.value.message_dict["moved_in"][0]


def test_a_person_has_at_most_one_current_lead_professional(family_for, partner, school, health_visiting):
    family = family_for()
    child = family.child
    first = services.involvement_create(person=child, agency=school, practitioner=partner, is_lead_professional=True)
    with pytest.raises(ValidationError) as error:
        services.involvement_create(person=child, agency=health_visiting, practitioner_name="Ann Lee",
                                    contact_phone="01632 960333", is_lead_professional=True)
    assert error.value.messages == [
        "William Smith already has a lead professional: Partner Tester (Northgate Primary School). A child has "
        "one lead professional at a time: end that involvement first, then record the new lead professional"
    ]
    assert Involvement.objects.filter(person=child).count() == 1
    # Other (non-lead) involvements are fine, and so is a new lead once the first has ended.
    services.involvement_create(person=child, agency=health_visiting, practitioner_name="Ann Lee")
    services.involvement_end(involvement=first)
    second = services.involvement_create(person=child, agency=health_visiting, practitioner_name="Bea Cole",
                                         contact_email="bea@example.nhs.uk", is_lead_professional=True)
    assert list(Involvement.objects.filter(person=child, is_lead_professional=True, ended_on__isnull=True)) == [second]


def test_an_nhs_number_already_on_another_record_is_refused_beside_the_field(family_for):
    family = family_for(nhs_number="9434765919")
    with pytest.raises(ValidationError) as error:
        services.person_create(family=family, role=MemberRole.CHILD,
                               fields={"first_name": "Will", "last_name": "Smith", "nhs_number": "9434765919"})
    assert "already has this NHS number" in error.value.message_dict["nhs_number"][0]
    assert Person.objects.filter(first_name="Will").count() == 0


def test_a_relationship_is_between_two_different_people_and_recorded_once(family_for):
    family = family_for()
    services.relationship_create(person=family.parent, relative=family.child, kind=RelationshipKind.PARENT_OF,
                                 has_parental_responsibility=True)
    with pytest.raises(ValidationError):
        services.relationship_create(person=family.parent, relative=family.child, kind=RelationshipKind.PARENT_OF)
    with pytest.raises(ValidationError):
        services.relationship_create(person=family.child, relative=family.child, kind=RelationshipKind.SIBLING_OF)
    assert Relationship.objects.count() == 1


def _request_naming(person, family, user, reference: str = "RFS-1"):
    request = RequestForSupport.objects.create(
        reference=reference, source=RequestSource.PRACTITIONER, family=family, requested_by=user,
        concern_details="Attendance has dropped.", family_agreement=FamilyAgreement.YES,
        submitted_at=timezone.now(), triage_due_on=timezone.localdate(),
    )
    RequestPerson.objects.create(request=request, person=person, first_name=person.first_name,
                                 last_name=person.last_name)
    return request


def test_merging_moves_everything_to_the_kept_record_and_records_it(family_for, partner, admin_user, school):
    kept_family = family_for("Smith", nhs_number="9434765919")
    kept = kept_family.child
    other_family = family_for("Smyth", child="Bill")
    duplicate = other_family.child
    Person.objects.filter(pk=duplicate.pk).update(upn="B801200005001")
    duplicate.refresh_from_db()
    sibling = add_person(other_family, "Amy", "Smyth")
    Relationship.objects.create(person=duplicate, relative=sibling, kind=RelationshipKind.SIBLING_OF)
    Relationship.objects.create(person=other_family.parent, relative=duplicate, kind=RelationshipKind.PARENT_OF)
    Involvement.objects.create(person=duplicate, agency=school, practitioner=partner, is_lead_professional=True)
    _request_naming(duplicate, other_family, partner)
    referral = HarmReferral.objects.create(family=other_family, raised_by=partner, raised_at=timezone.now(),
                                           what_is_known="Bruise on arm.", referral_source=CinReferralSource.SCHOOLS)
    referral.children.add(duplicate, sibling)

    merge = services.person_merge(kept=kept, duplicate=duplicate, merged_by=admin_user,
                                  reason="Same child: school confirmed the date of birth")

    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.merged_into == kept
    assert set(FamilyMember.objects.filter(person=kept).values_list("family__name", flat=True)) == {
        "Smith family", "Smyth family"}
    assert not FamilyMember.objects.filter(person=duplicate).exists()
    assert Relationship.objects.filter(person=kept, relative=sibling).exists()
    assert Relationship.objects.filter(person=other_family.parent, relative=kept).exists()
    assert Involvement.objects.get(practitioner=partner).person == kept
    assert RequestPerson.objects.get().person == kept
    assert set(referral.children.all()) == {kept, sibling}
    assert kept.upn == "B801200005001" and kept.nhs_number == "9434765919"

    assert PersonMerge.objects.get() == merge
    assert merge.merged_by == admin_user and merge.kept == kept and merge.duplicate == duplicate
    assert merge.duplicate_snapshot["first_name"] == "Bill"
    assert merge.duplicate_snapshot["upn"] == "B801200005001"
    assert merge.moved == {"people.FamilyMember.person": 1, "people.Relationship.person": 1,
                           "people.Relationship.relative": 1, "people.Involvement.person": 1,
                           "frontdoor.RequestPerson.person": 1, "frontdoor.HarmReferral.children": 1,
                           "details_filled": 1}
    # The duplicate no longer turns up in searches.
    found = {match.person_id for match in search_people(SearchCriteria(name="Bill Smyth"))}
    assert duplicate.pk not in found


def test_a_merge_that_cannot_finish_changes_nothing(family_for, partner, admin_user, school, health_visiting):
    kept = family_for("Smith").child
    duplicate = family_for("Smyth").child
    Involvement.objects.create(person=kept, agency=school, practitioner=partner, is_lead_professional=True)
    Involvement.objects.create(person=duplicate, agency=health_visiting, practitioner_name="Ann Lee",
                               is_lead_professional=True)
    with pytest.raises(ValidationError) as error:
        services.person_merge(kept=kept, duplicate=duplicate, merged_by=admin_user, reason="Same child")
    assert "Both records have a current lead professional" in error.value.messages[0]
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert FamilyMember.objects.filter(person=duplicate).count() == 1
    assert not PersonMerge.objects.exists()


def test_a_merge_needs_a_reason_and_two_records(family_for, admin_user):
    person = family_for().child
    with pytest.raises(ValidationError):
        services.person_merge(kept=person, duplicate=person, merged_by=admin_user, reason="Same")
    other = family_for("Jones").child
    with pytest.raises(ValidationError):
        services.person_merge(kept=person, duplicate=other, merged_by=admin_user, reason="  ")


def test_ending_an_involvement_records_the_date(family_for, school):
    involvement = Involvement.objects.create(person=family_for().child, agency=school,
                                             started_on=timezone.localdate() - timedelta(days=10))
    services.involvement_end(involvement=involvement)
    assert involvement.ended_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.involvement_end(involvement=involvement)


def test_only_roles_that_work_with_families_are_given_them(make_user):
    assert make_user("analyst", Role.PERFORMANCE_ANALYST).can_see_families is False
