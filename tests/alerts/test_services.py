"""Recording and ending alerts, and the one alert the assessment's engagement section keeps in step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from earlyhelp.alerts import services
from earlyhelp.alerts.models import Alert, AlertKind, AlertSource
from earlyhelp.episodes.services import assessment as assessment_service
from earlyhelp.web.refusals import Refused

pytestmark = pytest.mark.django_db


def test_recording_an_alert_needs_a_kind_and_details_and_someone_in_the_family(world):
    lead = world["users"]["lead"]
    with pytest.raises(ValidationError) as error:
        services.alert_create(family=world["family"], by=lead, kind="", details="  ",
                              person=world["people"]["lee"])
    assert set(error.value.message_dict) == {"kind", "details", "person"}
    alert = services.alert_create(family=world["family"], by=lead, kind=AlertKind.VISIT_IN_PAIRS,
                                  details=" Dad shouted at the last visitor. ", person=world["people"]["kim"])
    assert (alert.details, alert.source, alert.recorded_by, alert.is_open) == (
        "Dad shouted at the last visitor.", AlertSource.ALERT_PAGE, lead, True)


def test_only_someone_who_may_change_the_family_records_or_ends_one(world):
    with pytest.raises(PermissionDenied):
        services.alert_create(family=world["family"], by=world["users"]["outsider"], kind="violence", details="x")
    alert = services.alert_create(family=world["family"], by=world["users"]["lead"], kind="violence", details="x")
    with pytest.raises(PermissionDenied):
        services.alert_end(alert=alert, by=world["users"]["outsider"], reason="Moved away")
    assert Alert.objects.get(pk=alert.pk).is_open


def test_ending_needs_a_reason_and_an_ended_alert_cannot_be_ended_again(world):
    alert = services.alert_create(family=world["family"], by=world["users"]["lead"], kind="animals",
                                  details="Dog")
    with pytest.raises(ValidationError) as error:
        services.alert_end(alert=alert, by=world["users"]["manager"], reason="   ")
    assert set(error.value.message_dict) == {"reason"}
    ended = services.alert_end(alert=alert, by=world["users"]["manager"], reason="The dog was rehomed")
    assert (ended.ended_by, ended.end_reason, ended.is_open) == (world["users"]["manager"], "The dog was rehomed",
                                                                 False)
    with pytest.raises(Refused):
        services.alert_end(alert=alert, by=world["users"]["lead"], reason="Again")
    assert Alert.objects.get(pk=alert.pk).end_reason == "The dog was rehomed"


def _save_engagement(world, risk: str, kind: str = ""):
    return assessment_service.assessment_engagement_save(
        assessment=world["assessment"], by=world["users"]["lead"], engagement_attempts="Two visits",
        not_assessed="", risk_to_workers=risk, risk_kind=kind)


def test_a_risk_in_the_engagement_section_is_one_alert_kept_in_step_never_a_duplicate(world):
    _save_engagement(world, "")
    assert not Alert.objects.exists()
    _save_engagement(world, "Dad threatened the school nurse in May.", AlertKind.INTIMIDATION)
    _save_engagement(world, "Dad threatened the school nurse in May.", AlertKind.INTIMIDATION)
    alert = Alert.objects.get()
    assert (alert.family, alert.kind, alert.source, alert.source_assessment_id) == (
        world["family"], AlertKind.INTIMIDATION, AlertSource.ASSESSMENT, world["assessment"].pk)
    _save_engagement(world, "Dad threatened the school nurse in May. Visit in pairs.")
    alert.refresh_from_db()
    assert alert.details.endswith("Visit in pairs.") and alert.kind == AlertKind.INTIMIDATION
    assert Alert.objects.count() == 1


def test_the_risk_removed_from_the_section_leaves_the_alert_until_someone_ends_it(world):
    _save_engagement(world, "Aggressive dog")
    _save_engagement(world, "")
    assert Alert.objects.get().is_open


def test_an_ended_alert_is_not_brought_back_by_saving_again_but_a_new_risk_is_a_new_alert(world):
    _save_engagement(world, "Aggressive dog", AlertKind.ANIMALS)
    services.alert_end(alert=Alert.objects.get(), by=world["users"]["manager"], reason="Dog rehomed")
    _save_engagement(world, "Aggressive dog", AlertKind.ANIMALS)
    assert Alert.objects.filter(ended_at__isnull=True).count() == 0
    _save_engagement(world, "Mum's new partner was violent to a housing officer", AlertKind.VIOLENCE)
    open_alert = Alert.objects.get(ended_at__isnull=True)
    assert open_alert.kind == AlertKind.VIOLENCE and Alert.objects.count() == 2
