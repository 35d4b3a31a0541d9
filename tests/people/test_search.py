"""'Already known?' ranking: exact identifiers first, typos and nicknames tolerated, need-to-know kept."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.people import selectors
from earlyhelp.people.models import Family, Involvement, Person
from earlyhelp.people.search import (
    SearchCriteria,
    date_of_birth_score,
    name_score,
    rank_candidates,
    search_people,
)

from .conftest import add_person

pytestmark = pytest.mark.django_db


def row(pk, first, last, *, born=None, nhs=None, upn=None, postcode="", known_as="", middle=""):
    return {"pk": pk, "first_name": first, "middle_names": middle, "last_name": last, "known_as": known_as,
            "date_of_birth": born, "nhs_number": nhs, "upn": upn, "postcode": postcode}


# The shared ranking, without a database ---------------------------------------------------------


def test_an_exact_nhs_number_ranks_above_a_perfect_name_match():
    rows = [row(1, "William", "Smith", born=date(2016, 5, 4)),
            row(2, "Zara", "Jones", nhs="9434765919")]
    ranked = rank_candidates(rows, SearchCriteria(name="William Smith", date_of_birth=date(2016, 5, 4),
                                                  nhs_number="9434765919"))
    assert [match.person_id for match in ranked] == [2, 1]
    assert ranked[0].exact_identifier and ranked[0].matched_on == ("NHS number",)


def test_typos_and_nicknames_score_high_and_strangers_do_not_match():
    assert name_score(["smyth"], row(1, "John", "Smith")) >= 0.75
    assert name_score(["bill", "smith"], row(1, "William", "Smith")) > 0.9
    assert name_score(["william", "smith"], row(1, "Bill", "Smith")) > 0.9
    assert name_score(["smith", "john"], row(1, "John", "Smith")) > 0.9  # surname first
    assert name_score(["priya", "shah"], row(1, "John", "Smith")) < 0.5


def test_the_same_date_of_birth_beats_a_swapped_day_and_month():
    assert date_of_birth_score(date(2016, 5, 4), date(2016, 5, 4)) == 1
    assert 0 < date_of_birth_score(date(2016, 5, 4), date(2016, 4, 5)) < 1
    assert date_of_birth_score(date(2016, 5, 4), date(2011, 9, 20)) == 0
    rows = [row(1, "Lily", "Smith", born=date(2016, 4, 5)), row(2, "Lily", "Smith", born=date(2016, 5, 4))]
    ranked = rank_candidates(rows, SearchCriteria(name="Lily Smith", date_of_birth=date(2016, 5, 4)))
    assert [match.person_id for match in ranked] == [2, 1]


def test_results_are_bounded():
    rows = [row(index, "Sam", "Smith") for index in range(50)]
    assert len(rank_candidates(rows, SearchCriteria(name="Smith"))) == 20


# Through the database ---------------------------------------------------------------------------


def test_misspelt_surname_smyth_finds_smith(family_for):
    family = family_for("Smith")
    found = search_people(SearchCriteria(name="Smyth"))
    assert family.child.pk in {match.person_id for match in found}


def test_nickname_bill_finds_william(family_for):
    family = family_for("Smith", child="William")
    found = search_people(SearchCriteria(name="Bill Smith"))
    assert found[0].person_id == family.child.pk


def test_exact_nhs_number_comes_first_even_with_another_name(family_for):
    named = family_for("Smith", child="William").child
    numbered = family_for("Okafor", child="Grace", nhs_number="9434765919").child
    found = search_people(SearchCriteria(name="William Smith", nhs_number="9434765919"))
    assert [match.person_id for match in found[:2]] == [numbered.pk, named.pk]


def test_search_by_date_of_birth_postcode_or_upn_alone(family_for):
    child = family_for("Smith", born=date(2015, 3, 27), upn="B801200005001").child
    family_for("Jones", born=date(2012, 1, 1))
    assert [m.person_id for m in search_people(SearchCriteria(date_of_birth=date(2015, 3, 27)))] == [child.pk]
    assert [m.person_id for m in search_people(SearchCriteria(upn="B801200005001"))] == [child.pk]
    assert child.pk in {m.person_id for m in search_people(SearchCriteria(postcode="LS1 1AA"))}


def test_merged_records_disappear_from_search(family_for):
    kept = family_for("Smith").child
    duplicate = family_for("Smith").child
    Person.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    assert [match.person_id for match in search_people(SearchCriteria(name="William Smith"))] == [kept.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram candidates are PostgreSQL only")
def test_postgresql_finds_candidates_by_trigram_similarity(family_for):
    from earlyhelp.people.search import _candidates_postgresql

    child = family_for("Smith", child="William").child
    rows = _candidates_postgresql(SearchCriteria(name="Bill Smyth"))
    assert child.pk in {candidate["pk"] for candidate in rows}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="nearest-name candidates are PostgreSQL only")
def test_many_people_with_a_common_surname_neither_crowd_out_the_date_of_birth_nor_grow_the_work(family_for):
    from earlyhelp.people.search import NAME_QUERIES, NEAREST_NAMES, _candidates_postgresql

    Person.objects.bulk_create([
        Person(first_name=f"Sam{index}", last_name="Smith", search_name=f"sam{index} smith",
               date_of_birth=date(2010, 1, 1)) for index in range(NEAREST_NAMES + 50)
    ])
    child = family_for("Smith", child="William", born=date(2016, 5, 4)).child
    criteria = SearchCriteria(name="Wiliam Smiht", date_of_birth=date(2016, 5, 4))
    rows = _candidates_postgresql(criteria)
    assert child.pk in {candidate["pk"] for candidate in rows}
    assert len(rows) <= NEAREST_NAMES * NAME_QUERIES + 10
    assert search_people(criteria)[0].person_id == child.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Soundex blocks are PostgreSQL only")
@pytest.mark.parametrize("typed", ["William Smyth", "Wiliam Smiht", "Bill Smith", "Smith William", "William Smitk",
                                   "Wilkiam Smith"])
def test_names_that_sound_alike_are_found_in_one_query_without_the_slow_fallback(family_for, typed):
    from earlyhelp.people.search import _candidates_postgresql

    child = family_for("Smith", child="William").child
    with CaptureQueriesContext(connection) as queries:
        rows = _candidates_postgresql(SearchCriteria(name=typed))
    assert child.pk in {row["pk"] for row in rows}
    assert len(queries) == 1


# What each user is shown -----------------------------------------------------------------------


def test_someone_outside_the_network_learns_only_that_the_child_is_known_and_whom_to_contact(
    client, family_for, partner, outsider, health_visiting, hub
):
    family = family_for("Smith", worker=partner)
    Involvement.objects.create(person=family.child, agency=health_visiting, practitioner_name="Ann Lee",
                               role_description="Health visitor", contact_phone="01632 960777",
                               is_lead_professional=True)
    client.force_login(outsider)
    response = client.post(reverse("already-known"), {"name": "Wiliam Smyth"})
    html = response.content.decode()
    assert "Known to the service" in html
    assert "Ann Lee" in html and "01632 960777" in html and "Northgate Health Visiting" in html
    for detail in ("William", "Joanne", "Smith family", "1 High Street", "LS1 1AA", "4 May 2016"):
        assert detail not in html, detail
    # No way into the record but break-glass, which asks for a reason first.
    assert f'href="{reverse("family-detail", args=[family.pk])}"' not in html
    assert f'href="{reverse("break-glass", args=[family.pk])}"' in html


def test_someone_in_the_network_sees_the_family_and_the_lead_professional(client, family_for, partner, hub):
    family = family_for("Smith", worker=partner)
    Involvement.objects.filter(person=family.child).update(is_lead_professional=True)
    client.force_login(partner)
    response = client.post(reverse("already-known"), {"name": "Bill Smith"})
    html = response.content.decode()
    assert "William Smith" in html and reverse("family-detail", args=[family.pk]) in html
    assert "Partner Tester" in html and "partner@example.gov.uk" in html


def test_without_a_lead_professional_the_contact_is_the_early_help_hub(family_for, outsider, hub):
    family_for("Smith")
    results = selectors.already_known_search(outsider, SearchCriteria(name="Smith"), today=timezone.localdate())
    assert results and all(not result.can_view for result in results)
    assert {result.contact.name for result in results} == {"Early Help Hub"}
    assert all(result.person is None for result in results)


def test_the_contact_is_the_lead_else_the_lead_professional_of_the_open_episode(
        family_for, outsider, partner, make_user, school, hub):
    from earlyhelp.episodes.models import Episode, EpisodeState

    led = family_for("Smith")
    Involvement.objects.create(person=led.child, agency=school, practitioner_name="Ann Lead", is_lead_professional=True)
    with_episodes = family_for("Jones")
    Episode.objects.create(reference="EH-SHUT", family=with_episodes, state=EpisodeState.CLOSED,
                           opened_on=date(2023, 2, 1), closed_on=date(2024, 1, 1), lead_professional=partner)
    Episode.objects.create(reference="EH-OPEN", family=with_episodes, state=EpisodeState.PLAN_ACTIVE,
                           opened_on=date(2025, 3, 1), lead_professional=make_user("nina"))

    def contact(surname):
        results = selectors.already_known_search(outsider, SearchCriteria(name=f"William {surname}"),
                                                 today=timezone.localdate())
        return {result.contact.why: result.contact.name for result in results if result.match.score == 100}

    assert contact("Smith") == {"Lead professional": "Ann Lead"}
    assert contact("Jones") == {"Lead professional for the family's early help": "Nina Tester"}


def test_someone_in_no_household_now_is_still_found_with_whom_to_contact(family_for, partner, hub):
    from earlyhelp.people.models import FamilyMember

    family = family_for("Smith", worker=partner)
    FamilyMember.objects.filter(person=family.child).update(left_on=date(2025, 1, 1))
    results = selectors.already_known_search(partner, SearchCriteria(name="William Smith"), today=timezone.localdate())
    found = [result for result in results if result.match.person_id == family.child.pk]
    assert found and not found[0].can_view and found[0].contact.name == "Early Help Hub"


def test_the_number_of_queries_does_not_grow_with_the_results(family_for, partner, school, hub):
    def search_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            results = selectors.already_known_search(partner, SearchCriteria(name="Smith"),
                                                     today=timezone.localdate())
        return len(results), len(queries.captured_queries)

    family_for("Smith", worker=partner)
    few, few_queries = search_queries()
    for index in range(8):
        family = family_for("Smith", worker=partner if index % 2 else None)
        add_person(family, "Amy", "Smith")
        Involvement.objects.create(person=family.child, agency=school, practitioner_name="Ann Lee",
                                   contact_phone="01632 960777", is_lead_professional=True)
    many, many_queries = search_queries()
    assert many > few * 5
    assert many_queries == few_queries


def test_each_result_shown_is_written_to_the_audit_trail(family_for, partner, hub):
    family = family_for("Smith", worker=partner)
    selectors.already_known_search(partner, SearchCriteria(name="William Smith"), today=timezone.localdate())
    record = AccessRecord.objects.get(person=family.child)
    assert record.kind == AccessKind.SEARCH and record.user == partner
    assert record.family_id == family.pk
    assert Family.objects.count() == 1
