"""Pages: need-to-know (403 outside the network), adding families and people, duplicates before
saving, administrators merging records."""

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AccessRecord
from earlyhelp.people.models import Family, FamilyMember, Involvement, MemberRole, Person, PersonMerge
from earlyhelp.web.navigation import navigation_for

pytestmark = pytest.mark.django_db


def person_post(**changes) -> dict:
    data = {
        "role": MemberRole.CHILD, "first_name": "William", "last_name": "Smith",
        "date_of_birth_0": "4", "date_of_birth_1": "5", "date_of_birth_2": "2016",
        "sex": "a", "gender": "a", "ethnicity": "WBRI", "interpreter_needed": "no",
        "disability": "no", "sen_status": "none", "postcode": "LS1 1AA", "first_language": "English",
        "address": "1 High Street",
    }
    data.update(changes)
    return data


def test_a_family_page_shows_members_relationships_addresses_and_the_lead(client, family_for, partner):
    family = family_for("Smith", worker=partner)
    Involvement.objects.filter(person=family.child).update(is_lead_professional=True)
    client.force_login(partner)
    response = client.get(reverse("family-detail", args=[family.pk]))
    assert response.context["family"] == family
    html = response.content.decode()
    assert "William Smith" in html and "Joanne Smith" in html
    assert "Lead professional" in html and "Partner Tester" in html and "01632 960500" in html
    assert AccessRecord.objects.filter(user=partner, family=family, what="Family page").exists()


def test_users_outside_the_network_get_the_403_page_never_the_details(client, family_for, partner, outsider):
    family = family_for("Smith", worker=partner)
    client.force_login(outsider)
    for url in (reverse("family-detail", args=[family.pk]), reverse("person-detail", args=[family.child.pk]),
                reverse("person-create", args=[family.pk]), reverse("person-update", args=[family.child.pk]),
                reverse("involvement-create", args=[family.child.pk])):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "William" not in response.content.decode()
        assert "You do not have permission to see this page" in response.content.decode()


def test_roles_that_do_not_work_with_families_cannot_add_or_search(client, make_user):
    client.force_login(make_user("analyst", Role.PERFORMANCE_ANALYST))
    assert client.get(reverse("family-create")).status_code == 403
    assert client.get(reverse("already-known")).status_code == 403


def test_already_known_is_in_the_navigation_for_roles_working_with_families(partner, make_user):
    labels = [item["text"] for item in navigation_for(partner, "/")]
    assert "Already known?" in labels
    analyst = make_user("analyst", Role.PERFORMANCE_ANALYST)
    assert "Already known?" not in [item["text"] for item in navigation_for(analyst, "/")]


def test_a_partner_adds_a_family_and_can_then_see_it(client, partner, locality):
    client.force_login(partner)
    response = client.post(reverse("family-create"), {
        "name": "Okafor family", "address": "12 Mill Lane\nNorthgate", "postcode": "ls2 7ab", "locality": locality.pk,
    })
    family = Family.objects.get()
    assert response.url == reverse("person-create", args=[family.pk])
    assert family.created_by == partner and family.postcode == "LS2 7AB"
    assert client.get(reverse("family-detail", args=[family.pk])).status_code == 200


def test_a_bad_family_form_saves_nothing_and_keeps_what_was_typed(client, partner, locality):
    client.force_login(partner)
    response = client.post(reverse("family-create"), {"name": "Okafor family", "address": "12 Mill Lane",
                                                      "postcode": "LS2", "locality": locality.pk})
    html = response.content.decode()
    assert "Enter a real UK postcode, for example LS1 1AA" in html and "There is a problem" in html
    assert 'value="Okafor family"' in html
    assert not Family.objects.exists()


def test_a_bad_nhs_number_saves_nothing_and_the_error_is_beside_the_field(client, family_for, partner):
    family = family_for("Smith", worker=partner)
    client.force_login(partner)
    response = client.post(reverse("person-create", args=[family.pk]),
                           person_post(first_name="Lily", nhs_number="943 476 5918"))
    html = response.content.decode()
    assert "the last digit does not match" in html
    assert 'value="943 476 5918"' in html and 'value="Lily"' in html
    assert not Person.objects.filter(first_name="Lily").exists()


def test_likely_duplicates_are_shown_before_saving_and_a_confirmed_new_person_is_saved(client, family_for, partner):
    family = family_for("Smith", worker=partner)
    client.force_login(partner)
    url = reverse("person-create", args=[family.pk])
    data = person_post(first_name="Bill", middle_names="James")

    response = client.post(url, data)
    html = response.content.decode()
    assert "Is Bill Smith already known?" in html
    assert "William Smith" in html  # the partner works with this family, so sees who it is
    assert '<input type="hidden" name="middle_names" value="James">' in html
    assert Person.objects.filter(first_name="Bill").count() == 0

    # Going back keeps everything typed.
    response = client.post(url, {**data, "change": "yes"})
    assert 'value="James"' in response.content.decode()
    assert Person.objects.filter(first_name="Bill").count() == 0

    response = client.post(url, {**data, "confirm_different": "yes"})
    assert response.status_code == 302
    bill = Person.objects.get(first_name="Bill")
    assert bill.middle_names == "James"
    assert FamilyMember.objects.filter(family=family, person=bill, role=MemberRole.CHILD).exists()


def test_a_person_with_no_likely_duplicate_is_saved_straight_away(client, family_for, partner):
    family = family_for("Smith", worker=partner)
    client.force_login(partner)
    response = client.post(reverse("person-create", args=[family.pk]),
                           person_post(first_name="Zainab", last_name="Okonkwo", date_of_birth_2="2010"))
    assert response.status_code == 302
    assert Person.objects.get(first_name="Zainab").search_name == "zainab okonkwo"


def test_a_duplicate_can_be_added_to_the_family_instead(client, family_for, partner):
    family = family_for("Smith", worker=partner)
    other = family_for("Jones", worker=partner)
    client.force_login(partner)
    client.post(reverse("person-create", args=[other.pk]),
                {"existing_person": family.child.pk, "role": MemberRole.CHILD})
    assert FamilyMember.objects.filter(family=other, person=family.child).exists()


def test_one_current_lead_professional_is_explained_on_the_form(client, family_for, partner, school):
    family = family_for("Smith", worker=partner)
    Involvement.objects.filter(person=family.child).update(is_lead_professional=True)
    client.force_login(partner)
    response = client.post(reverse("involvement-create", args=[family.child.pk]), {
        "agency": school.pk, "practitioner_name": "Ann Lee", "contact_phone": "01632 960000",
        "is_lead_professional": "on",
    })
    assert "already has a lead professional" in response.content.decode()
    assert Involvement.objects.filter(person=family.child).count() == 1


def test_only_administrators_merge_and_a_merge_is_confirmed_first(client, family_for, partner, admin_user):
    kept = family_for("Smith").child
    duplicate = family_for("Smith").child
    client.force_login(partner)
    assert client.get(reverse("person-merge")).status_code == 403

    client.force_login(admin_user)
    response = client.get(reverse("person-merge"), {"q": "William Smith"})
    assert str(duplicate.pk) in response.content.decode()
    response = client.post(reverse("person-merge"), {"kept": kept.pk, "duplicate": duplicate.pk})
    assert "Check the records before merging" in response.content.decode()
    assert not PersonMerge.objects.exists()
    response = client.post(reverse("person-merge"), {"kept": kept.pk, "duplicate": duplicate.pk, "confirm": "yes"})
    assert "Explain why these two records are the same person" in response.content.decode()
    response = client.post(reverse("person-merge"), {"kept": kept.pk, "duplicate": duplicate.pk, "confirm": "yes",
                                                     "reason": "Same NHS number on the GP letter"})
    assert response.status_code == 302
    merge = PersonMerge.objects.get()
    assert merge.merged_by == admin_user and merge.reason == "Same NHS number on the GP letter"


def test_a_merged_record_leads_to_the_kept_one(client, family_for, partner, admin_user):
    from earlyhelp.people.services import person_merge

    kept = family_for("Smith", worker=partner).child
    duplicate = family_for("Smith").child
    person_merge(kept=kept, duplicate=duplicate, merged_by=admin_user, reason="Same child")
    client.force_login(partner)
    response = client.get(reverse("person-detail", args=[duplicate.pk]))
    assert response.url == reverse("person-detail", args=[kept.pk])


def test_the_merge_page_keeps_every_merge_a_page_at_a_time(client, family_for, admin_user):
    # Django admin holds no one's record: the merge page is where the whole history is.
    from earlyhelp.people.views import MERGES_PAGE_SIZE

    kept = family_for("Smith").child
    for number in range(MERGES_PAGE_SIZE + 1):
        PersonMerge.objects.create(kept=kept, duplicate=family_for("Smith").child, merged_by=admin_user,
                                   reason=f"Merge number {number}", duplicate_snapshot={})
    client.force_login(admin_user)
    first = client.get(reverse("person-merge")).content.decode()
    assert f"Merge number {MERGES_PAGE_SIZE}<" in first and "Merge number 0<" not in first
    assert "Merge number 0<" in client.get(reverse("person-merge"), {"page": 2}).content.decode()
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get("/admin/people/").status_code == 404


def test_changing_a_person_saves_and_keeps_identifiers_unique(client, family_for, partner):
    family = family_for("Smith", worker=partner)
    family_for("Jones", nhs_number="9434765919")
    client.force_login(partner)
    url = reverse("person-update", args=[family.child.pk])
    data = {key: value for key, value in person_post(known_as="Billy").items() if key != "role"}
    response = client.post(url, {**data, "nhs_number": "943 476 5919"})
    assert "record already has this NHS number" in response.content.decode()
    family.child.refresh_from_db()
    assert family.child.known_as == ""
    response = client.post(url, data)
    assert response.url == reverse("person-detail", args=[family.child.pk])
    family.child.refresh_from_db()
    assert family.child.known_as == "Billy" and family.child.search_name == "william smith billy"


def test_a_relationship_is_added_from_the_family_page(client, family_for, partner):
    from earlyhelp.people.models import Relationship, RelationshipKind

    family = family_for("Smith", worker=partner)
    client.force_login(partner)
    response = client.post(reverse("relationship-create", args=[family.pk]), {
        "person": family.parent.pk, "kind": RelationshipKind.PARENT_OF, "relative": family.child.pk,
        "has_parental_responsibility": "on",
    })
    assert response.status_code == 302
    relationship = Relationship.objects.get()
    assert (relationship.person, relationship.relative, relationship.has_parental_responsibility) == (
        family.parent, family.child, True)
    page = client.get(reverse("family-detail", args=[family.pk])).content.decode()
    assert "Joanne Smith is the parent of William Smith (has parental responsibility)" in page


def test_ending_an_involvement_from_the_person_page(client, family_for, partner, outsider, health_visiting):
    family = family_for("Smith", worker=partner)
    health = Involvement.objects.create(person=family.child, agency=health_visiting, practitioner_name="Ann Lee")
    url = reverse("involvement-end", args=[health.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    client.force_login(partner)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    health.refresh_from_db()
    assert health.ended_on is not None
    assert "Involvements that have ended (1)" in response.content.decode()

    # Ending their own involvement takes the partner out of the network: back home, not a 403.
    own = Involvement.objects.get(person=family.child, practitioner=partner)
    response = client.post(reverse("involvement-end", args=[own.pk]))
    assert response.url == reverse("home")
