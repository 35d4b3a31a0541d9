"""The seed's bulk loading: rows as bulk_create leaves them, and the schema put back afterwards."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import AccessRecord
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person
from earlyhelp.seed.bulk import bulk_insert, loading_in_bulk, new_row

pytestmark = pytest.mark.django_db


def test_rows_get_their_keys_and_foreign_keys_set_through_objects(organisations):
    family = bulk_insert(Family, [new_row(Family, name="Bulk family", postcode="LS1 1AA")])[0]
    person = bulk_insert(Person, [new_row(Person, first_name="Ada", last_name="Bulk", search_name="ada bulk",
                                          date_of_birth=date(2015, 1, 1))])[0]
    member = bulk_insert(FamilyMember, [new_row(FamilyMember, family=family, person=person, role=MemberRole.CHILD)])[0]
    assert family.pk and person.pk and member.pk
    stored = FamilyMember.objects.select_related("family", "person").get(pk=member.pk)
    assert (stored.family.name, stored.person.first_name, stored.role) == ("Bulk family", "Ada", MemberRole.CHILD)
    # Defaults are filled as Model.__init__ fills them.
    assert Person.objects.get(pk=person.pk).known_as == ""


def test_a_moment_set_by_the_seed_is_kept(organisations):
    family = Family.objects.create(name="Audit family")
    at = timezone.make_aware(datetime(2022, 3, 4, 10, 0))
    record = bulk_insert(AccessRecord, [new_row(AccessRecord, user=User.objects.order_by("pk").first(), kind="view",
                                                family_id=family.pk, what="Family page", at=at)])[0]
    assert AccessRecord.objects.get(pk=record.pk).at == at


@pytest.mark.skipif(connection.vendor != "postgresql", reason="foreign keys and indexes are dropped on PostgreSQL only")
def test_loading_in_bulk_puts_every_foreign_key_and_index_back():
    def schema():
        with connection.cursor() as cursor:
            cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY 1")
            keys = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
            return keys, cursor.fetchall()

    before = schema()
    with loading_in_bulk():
        assert schema() != before
    assert schema() == before
