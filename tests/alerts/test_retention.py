"""Anonymising a family blanks its alerts' words, as it does every free-text note; the kind and
the dates stay for statistics. A merge moves an alert naming the duplicate (tests/people/test_merge.py)."""

from datetime import date

import pytest

from earlyhelp.alerts import services
from earlyhelp.alerts.models import Alert, AlertKind
from earlyhelp.audit.retention import family_anonymise
from earlyhelp.episodes.models import EpisodeState

pytestmark = pytest.mark.django_db


def test_anonymising_the_family_blanks_what_its_alerts_say(world):
    lead = world["users"]["lead"]
    current = services.alert_create(family=world["family"], by=lead, kind=AlertKind.VIOLENCE,
                                    details="Kim's partner punched a worker", person=world["people"]["kim"])
    ended = services.alert_create(family=world["family"], by=lead, kind=AlertKind.ANIMALS, details="Dog")
    services.alert_end(alert=ended, by=lead, reason="Kim says the dog was rehomed to her sister")
    other = services.alert_create(family=world["other_family"], by=lead, kind=AlertKind.OTHER, details="Keep")

    episode = world["episode"]
    episode.state, episode.closed_on = EpisodeState.CLOSED, date(2019, 3, 1)
    episode.save(update_fields=["state", "closed_on"])
    action = family_anonymise(family=world["family"], done_by="test")

    # Two through the family, and the one naming Kim once more through her.
    assert action.records_changed.get("alerts.Alert") == 3
    for alert in (current, ended):
        alert.refresh_from_db()
        assert (alert.details, alert.end_reason) == ("", "")
    assert Alert.objects.get(pk=current.pk).kind == AlertKind.VIOLENCE
    assert Alert.objects.get(pk=other.pk).details == "Keep"
