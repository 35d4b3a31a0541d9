"""Who may see, record and end alerts about risks to workers: those who may see and change the family."""

import pytest

from earlyhelp.alerts.models import Alert
from earlyhelp.policy import PERMISSIONS, may

pytestmark = pytest.mark.django_db


def _alert(world) -> Alert:
    return Alert.objects.create(family=world["family"], kind="animals", details="Two large dogs",
                                recorded_by=world["users"]["lead"])


@pytest.mark.parametrize("who", ["lead", "manager", "partner"])
def test_the_familys_network_sees_records_and_ends_alerts(world, who):
    alert, user = _alert(world), world["users"][who]
    assert may(user, "alerts.view_alert", alert) and may(user, "alerts.view_alert", world["family"])
    assert may(user, "alerts.add_alert", world["family"])
    assert may(user, "alerts.end_alert", alert)


@pytest.mark.parametrize("who", ["outsider", "analyst", "social_worker"])
def test_no_one_outside_the_network_sees_records_or_ends_them(world, who):
    alert, user = _alert(world), world["users"][who]
    for name in ("alerts.view_alert", "alerts.add_alert", "alerts.end_alert"):
        assert not may(user, name, alert), name
    assert not may(user, "alerts.add_alert", world["family"])


def test_the_rules_follow_the_familys_own(world):
    alert = _alert(world)
    for user in world["users"].values():
        assert may(user, "alerts.view_alert", alert) == may(user, "people.view_family", world["family"])
        assert may(user, "alerts.end_alert", alert) == may(user, "people.change_family", world["family"])
    assert {"alerts.view_alert", "alerts.add_alert", "alerts.end_alert"} <= set(PERMISSIONS)
