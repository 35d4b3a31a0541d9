"""Django admin holds staff, organisations and reference data, never a child's or a family's details."""

from datetime import date

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import Role, User
from earlyhelp.api.services import token_create
from earlyhelp.audit.services import access_record_create
from earlyhelp.calendar.models import ClosureDay
from earlyhelp.episodes.models import Episode, EpisodeChild, EpisodeState
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, FamilyAddress, FamilyMember, Involvement, MemberRole, Person, PersonMerge
from earlyhelp.sso.models import GroupMapping, ProviderIdentity
from earlyhelp.web.admin import admin_site

# Every app whose models hold a child's or a family's details.
CHILD_DATA_APPS = ("people", "frontdoor", "episodes", "sharing", "audit", "reporting")
# Everything admin may hold: staff, organisations, lock-outs, second factors, closure days.
STAFF_AND_REFERENCE_APPS = {"accounts", "eh_calendar", "axes", "otp_totp", "sso", "api"}

NAME, SURNAME = "Zephyrine", "Quillfeather"
BORN = date(2014, 3, 9)
NHS_NUMBER = "9434765919"
POSTCODE = "NG9 4QZ"
ADDRESS = "17 Larkspur Row"
CHILD_DETAILS = (
    NAME, SURNAME, NHS_NUMBER, "943 476 5919", POSTCODE, "NG94QZ", ADDRESS,
    "2014-03-09", "09/03/2014", "9 March 2014", "9 Mar 2014", "March 9, 2014", "Mar. 9, 2014",
)


def child_data_models() -> set:
    return {model for label in CHILD_DATA_APPS for model in apps.get_app_config(label).get_models()}


@pytest.fixture
def child(organisations):
    """A child linked to every kind of staff record admin holds, so each admin page could show them."""
    practitioner = User.objects.get(username="practitioner")
    team = practitioner.teams.first()
    family = Family.objects.create(name=f"{SURNAME} family", address=f"{ADDRESS}\nNorthgate", postcode=POSTCODE,
                                   locality=team.locality, created_by=practitioner)
    person = Person.objects.create(first_name=NAME, last_name=SURNAME, date_of_birth=BORN, nhs_number=NHS_NUMBER,
                                   postcode=POSTCODE, address=ADDRESS, school=practitioner.agency)
    duplicate = Person.objects.create(first_name=NAME, last_name=SURNAME, date_of_birth=BORN)
    FamilyMember.objects.create(family=family, person=person, role=MemberRole.CHILD)
    FamilyAddress.objects.create(family=family, address=ADDRESS, postcode=POSTCODE, moved_in=date(2020, 1, 1))
    Involvement.objects.create(person=person, agency=practitioner.agency, practitioner=practitioner,
                               practitioner_name=practitioner.get_full_name(), is_lead_professional=True)
    episode = Episode.objects.create(reference="EH-QUI-0001", family=family, state=EpisodeState.PLAN_ACTIVE, team=team,
                                     allocated_worker=practitioner, lead_professional=practitioner,
                                     opened_on=date(2026, 3, 2))
    EpisodeChild.objects.create(episode=episode, person=person, added_on=date(2026, 3, 2))
    Notification.objects.create(recipient=practitioner, message=f"{NAME} {SURNAME} ({POSTCODE}) needs a review")
    administrator = User.objects.get(username="admin")
    access_record_create(user=practitioner, person=person, what=f"{NAME} {SURNAME}")
    PersonMerge.objects.create(kept=person, duplicate=duplicate, merged_by=administrator,
                               reason=f"{NAME} {SURNAME}, born {BORN:%d/%m/%Y}", duplicate_snapshot={"first_name": NAME})
    # One of every other kind admin holds, so that each has a change page to walk.
    ClosureDay.objects.create(date=date(2026, 12, 29), reason="Christmas closure")
    AccessAttempt.objects.create(username="practitioner", ip_address="192.0.2.1", user_agent="Firefox",
                                 failures_since_start=1, attempt_time=timezone.now())
    TOTPDevice.objects.create(user=practitioner, name="Authenticator app", confirmed=True)
    GroupMapping.objects.create(group="EH-Practitioners", role=Role.EARLY_HELP_PRACTITIONER).teams.set([team])
    ProviderIdentity.objects.create(user=practitioner, issuer="https://login.example/v2.0", subject="sub-1",
                                    groups=["EH-Practitioners"], last_signed_in=timezone.now())
    token_create(user=practitioner, name="School information system", by=practitioner)
    return person


def test_admin_registers_no_model_holding_a_childs_details():
    registered = set(admin_site._registry)
    child_models = child_data_models()
    assert Person in child_models and Family in child_models
    assert not registered & child_models
    assert {model._meta.app_label for model in registered} <= STAFF_AND_REFERENCE_APPS
    # Nor a way to one from a registered model: a related field or an inline.
    for model, model_admin in admin_site._registry.items():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation:
                assert field.related_model not in child_models, f"{model.__name__}.{field.name}"
        for inline in model_admin.inlines:
            assert inline.model not in child_models, f"{model.__name__} inline {inline.__name__}"


def admin_pages(model) -> list[str]:
    """A model's list and add pages, and the change, delete and history pages of its first record."""
    info = model._meta.app_label, model._meta.model_name
    pages = [reverse("admin:%s_%s_changelist" % info), reverse("admin:%s_%s_add" % info)]
    obj = model._default_manager.order_by("pk").first()
    # The fixture makes one of each staff kind, so no staff page goes unwalked.
    assert obj is not None or info[0] not in STAFF_AND_REFERENCE_APPS, f"nothing to open in {model.__name__}"
    if obj is not None:
        pages += [reverse(f"admin:%s_%s_{page}" % info, args=[obj.pk]) for page in ("change", "delete", "history")]
    return pages


@pytest.mark.parametrize("account", ["administrator", "superuser"])
def test_no_admin_page_shows_a_childs_details(client, child, account):
    if account == "superuser":
        # Made the usual way; the role is asked for because every user has one.
        call_command("createsuperuser", interactive=False, username="root", email="root@example.gov.uk",
                     role=Role.PERFORMANCE_ANALYST, verbosity=0)
        client.force_login(User.objects.get(username="root"))
    else:
        client.force_login(User.objects.get(username="admin"))
    pages = [reverse("admin:index")]
    pages += sorted({reverse("admin:app_list", args=[model._meta.app_label]) for model in admin_site._registry})
    for model in admin_site._registry:
        pages += admin_pages(model)
    # The staff and the organisation the child is linked to, where a deletion would reach the child.
    practitioner = User.objects.get(username="practitioner")
    pages += [reverse("admin:accounts_user_delete", args=[practitioner.pk]),
              reverse("admin:accounts_team_delete", args=[practitioner.teams.first().pk]),
              reverse("admin:accounts_agency_delete", args=[practitioner.agency.pk]),
              reverse("admin:accounts_locality_delete", args=[practitioner.teams.first().locality.pk])]
    for url in pages:
        response = client.get(url)
        assert response.status_code in {200, 403}, url  # 403: lock-outs are not added by hand
        page = response.content.decode()
        for detail in CHILD_DETAILS:
            assert detail not in page, f"{detail!r} on {url}"
    # What a deletion would reach is counted, not listed.
    page = client.get(reverse("admin:accounts_user_delete", args=[practitioner.pk])).content.decode()
    assert "Involvements: 1" in page and "Access records: 1" in page
    for label in CHILD_DATA_APPS:
        assert client.get(f"/admin/{label}/").status_code == 404


def test_the_administrators_home_page_leads_to_merging_and_the_audit_trail(client, demo_user):
    client.force_login(demo_user("admin"))
    page = client.get(reverse("home")).content.decode()
    for url_name in ("audit-search", "person-merge", "admin:eh_calendar_closureday_changelist",
                     "admin:axes_accessattempt_changelist", "admin:otp_totp_totpdevice_changelist"):
        assert f'href="{reverse(url_name)}"' in page, url_name
