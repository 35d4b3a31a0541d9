"""Reports read from the streaming replica when there is one; everything else and every write, the primary.

The router is asked here; that the dashboard's queries really reach a replica is shown with a real
one in tests/test_several_hosts.py.
"""

import pytest
from django.conf import settings
from django.test import override_settings

from earlyhelp.config.routers import REPLICA, ReplicaRouter, reads_from_replica, replica_reads
from earlyhelp.people.models import Family
from earlyhelp.reporting import annex_a, views

WITH_REPLICA = {**settings.DATABASES, REPLICA: {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}}


def test_without_a_replica_everything_reads_the_primary():
    with replica_reads():
        assert Family.objects.all().db == "default"


@override_settings(DATABASES=WITH_REPLICA)
def test_with_a_replica_only_what_is_marked_reads_it_and_nothing_is_written_there():
    assert Family.objects.all().db == "default"
    with replica_reads():
        assert Family.objects.all().db == REPLICA
        assert ReplicaRouter().db_for_write(Family) is None  # the primary
    assert Family.objects.all().db == "default"  # the block ended
    assert not ReplicaRouter().allow_migrate(REPLICA, "people")
    assert ReplicaRouter().allow_migrate("default", "people")


@override_settings(DATABASES=WITH_REPLICA)
def test_a_marked_function_reads_the_replica_and_the_mark_ends_with_it():
    @reads_from_replica
    def report():
        return Family.objects.all().db

    assert report() == REPLICA
    assert Family.objects.all().db == "default"


@override_settings(DATABASES=WITH_REPLICA)
def test_a_failing_report_does_not_leave_later_reads_on_the_replica():
    @reads_from_replica
    def failing():
        raise ValueError("broken")

    with pytest.raises(ValueError):
        failing()
    assert Family.objects.all().db == "default"


@pytest.mark.parametrize("marked", [
    views.dashboard_page, views.dashboard_csv, views.dashboard_list, views.supporting_families,
    views.supporting_families_csv, annex_a.annex_a_rows,
])
def test_the_reports_the_dashboard_and_annex_a_are_marked(marked):
    assert marked.__code__ is reads_from_replica(lambda: None).__code__, marked
