"""Harm always overrides (DOMAIN §3): the rules for raising and deciding a concern of significant harm."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, TeamKind, User
from earlyhelp.frontdoor import harm
from earlyhelp.frontdoor.models import HarmDecision, HarmReferral, Notification, RequestForSupport
from earlyhelp.people.access import user_can_see_family
from earlyhelp.people.models import Family, FamilyMember, Involvement, MemberRole, Person
from earlyhelp.standards import CinReferralSource
from earlyhelp.web.refusals import Refused


def make_family(*, name: str = "Harmsworth", locality=None, practitioner=None, children: int = 2) -> Family:
    """A household with a parent and `children` children; `practitioner` works with the eldest."""
    family = Family.objects.create(name=f"{name} family", locality=locality, postcode="ZZ99 3CZ")
    parent = Person.objects.create(first_name="Morgan", last_name=name, date_of_birth=date(1988, 4, 2))
    FamilyMember.objects.create(family=family, person=parent, role=MemberRole.PARENT)
    kids = []
    for index in range(children):
        child = Person.objects.create(
            first_name=("Ellie", "Jayden", "Amira", "Noah")[index], last_name=name,
            date_of_birth=date(2014 + index, 3, 9),
        )
        FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
        kids.append(child)
    if practitioner is not None and kids:
        Involvement.objects.create(
            person=kids[0], agency=practitioner.agency, practitioner=practitioner, role_description="Key worker"
        )
    family.kids = kids
    return family


def raise_concern(family, user, text="Child disclosed being hit at home last night.", **kwargs):
    return harm.harm_referral_raise(family=family, raised_by=user, what_is_known=text, **kwargs)


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def family(practitioner):
    return make_family(locality=Locality.objects.order_by("pk").first(), practitioner=practitioner)


# Raising --------------------------------------------------------------------------------------


def test_raising_needs_no_request_assessment_or_consent(family, practitioner):
    from earlyhelp.episodes.models import Episode
    from earlyhelp.sharing.models import Consent

    assert not RequestForSupport.objects.filter(family=family).exists()
    assert not Episode.objects.filter(family=family).exists()
    assert not Consent.objects.filter(family=family).exists()
    before = timezone.now()

    referral = raise_concern(family, practitioner, text="  Ellie has a bruise on her cheek and is scared to go home.  ")

    referral.refresh_from_db()
    assert referral.family == family and referral.raised_by == practitioner
    assert before <= referral.raised_at <= timezone.now()
    assert referral.what_is_known == "Ellie has a bruise on her cheek and is scared to go home."
    assert referral.request is None
    assert referral.is_awaiting_decision
    # No children chosen: the referral covers every child in the family, not the parent.
    assert set(referral.children.all()) == set(family.kids)


def test_raising_is_not_blocked_by_an_unfinished_assessment_or_refused_consent(family, practitioner):
    from earlyhelp.episodes.models import Assessment, Episode, EpisodeState
    from earlyhelp.sharing.models import Consent, ConsentDecision, ConsentMethod, ConsentScope

    episode = Episode.objects.create(
        reference="EH-TEST-1", family=family, state=EpisodeState.ASSESSMENT, opened_on=timezone.localdate(),
        lead_professional=practitioner,
    )
    today = timezone.localdate()
    Assessment.objects.create(episode=episode, started_on=today, due_on=today, organisation=practitioner.agency)
    Consent.objects.create(
        family=family, episode=episode, person=family.kids[0], scope=ConsentScope.ASSESSMENT,
        decision=ConsentDecision.REFUSED, method=ConsentMethod.VERBAL, given_on=timezone.localdate(),
        recorded_by=practitioner, refusal_reason="Does not want help",
    )
    referral = raise_concern(family, practitioner)
    assert HarmReferral.objects.filter(pk=referral.pk, decided_at__isnull=True).exists()


def test_chosen_children_limit_the_referral_and_a_request_can_be_linked(family, practitioner):
    support_request = RequestForSupport.objects.create(
        reference="RFS-HARM-1", source="practitioner", family=family, requested_by=practitioner,
        concern_details="Worried", family_agreement="yes", submitted_at=timezone.now(), triage_due_on=timezone.localdate(),
    )
    referral = raise_concern(family, practitioner, children=[family.kids[1].pk], support_request=support_request)
    assert list(referral.children.all()) == [family.kids[1]]
    assert referral.request == support_request


def test_a_practitioner_without_access_to_the_family_can_raise(family, demo_user):
    partner = demo_user("partner")
    assert not user_can_see_family(partner, family.pk)
    referral = raise_concern(family, partner)
    assert referral.raised_by == partner
    assert set(referral.children.all()) == set(family.kids)


@pytest.mark.parametrize("username", ["analyst", "admin"])
def test_roles_that_never_work_with_families_cannot_raise(family, demo_user, username):
    with pytest.raises(PermissionDenied):
        raise_concern(family, demo_user(username))
    assert not HarmReferral.objects.filter(family=family).exists()


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_what_is_known_is_required_and_nothing_is_saved_without_it(family, practitioner, text):
    notifications = Notification.objects.count()
    with pytest.raises(ValidationError) as error:
        raise_concern(family, practitioner, text=text)
    assert error.value.message_dict == {"what_is_known": ["Enter what you know about the concern"]}
    assert not HarmReferral.objects.filter(family=family).exists()
    assert Notification.objects.count() == notifications


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (AgencyKind.SCHOOL, "2A"),
        (AgencyKind.GP_PRACTICE, "3A"),
        (AgencyKind.HEALTH_VISITING, "3B"),
        (AgencyKind.SCHOOL_NURSING, "3C"),
        (AgencyKind.MIDWIFERY, "3F"),
        (AgencyKind.CAMHS, "3F"),
        (AgencyKind.HOUSING, "4"),
        (AgencyKind.POLICE, "6"),
        (AgencyKind.LA_EARLY_HELP, "5D"),
        (AgencyKind.CHILDRENS_SOCIAL_CARE, "5A"),
        (AgencyKind.VOLUNTARY, "8"),
        (AgencyKind.YOUTH_JUSTICE, "8"),
        (AgencyKind.EARLY_YEARS, "8"),
    ],
)
def test_referral_source_defaults_from_the_referrers_agency(db, kind, code):
    agency = Agency.objects.create(name=f"A {kind}", kind=kind)
    user = User.objects.create_user(username=f"u-{kind}", password="x" * 14, role=Role.PARTNER_PRACTITIONER, agency=agency)
    family = make_family(practitioner=user)
    referral = raise_concern(family, user)
    assert referral.referral_source == code
    assert harm.default_referral_source(user) == code


def test_referral_source_without_an_agency_is_other_and_a_chosen_one_is_kept(db):
    user = User.objects.create_user(username="noagency", password="x" * 14, role=Role.EARLY_HELP_PRACTITIONER)
    family = make_family()
    assert raise_concern(family, user).referral_source == CinReferralSource.OTHER
    assert raise_concern(family, user, referral_source="3E").referral_source == "3E"
    with pytest.raises(ValidationError):
        raise_concern(family, user, referral_source="ZZ")


# Notifying the front door ---------------------------------------------------------------------


def test_every_active_front_door_officer_and_the_locality_social_workers_are_notified(family, practitioner):
    officers = list(User.objects.filter(role=Role.FRONT_DOOR_OFFICER, is_active=True))
    assert len(officers) >= 2
    retired = officers[-1]
    retired.is_active = False
    retired.save()
    local_social_workers = set(
        User.objects.filter(
            role=Role.SOCIAL_WORKER, teams__kind=TeamKind.SOCIAL_CARE, teams__locality=family.locality
        )
    )
    elsewhere = User.objects.filter(role=Role.SOCIAL_WORKER).exclude(teams__locality=family.locality).first()
    assert local_social_workers and elsewhere is not None

    referral = raise_concern(family, practitioner)

    url = reverse("harm-referral-detail", kwargs={"referral_id": referral.pk})
    notified = list(Notification.objects.filter(url=url).select_related("recipient"))
    recipients = [notification.recipient for notification in notified]
    assert len(recipients) == len(set(recipients)), "one notification each"
    assert set(recipients) == set(officers[:-1]) | local_social_workers
    assert retired not in recipients and elsewhere not in recipients and practitioner not in recipients
    assert all("Harmsworth family" in notification.message for notification in notified)
    assert all(notification.read_at is None for notification in notified)


# Deciding -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["practitioner", "frontdoor", "manager", "partner", "adviser"])
def test_only_social_workers_can_decide(family, practitioner, demo_user, username):
    referral = raise_concern(family, practitioner)
    with pytest.raises(PermissionDenied):
        harm.harm_referral_decide(
            referral=referral, decided_by=demo_user(username), decision=HarmDecision.S47, notes="Enquiry"
        )
    referral.refresh_from_db()
    assert referral.is_awaiting_decision and referral.decision == ""


@pytest.mark.parametrize("decision", HarmDecision.values)
def test_a_social_worker_records_each_of_the_four_decisions(family, practitioner, demo_user, decision):
    social_worker = demo_user("socialworker")
    referral = raise_concern(family, practitioner)
    harm.harm_referral_decide(referral=referral, decided_by=social_worker, decision=decision, notes=" Reasons. ")
    referral.refresh_from_db()
    assert referral.decision == decision and referral.decision_notes == "Reasons."
    assert referral.decided_by == social_worker and referral.decided_at is not None
    assert referral.social_worker == social_worker
    # The referrer is told, by reference and decision, not by the family's name.
    told = Notification.objects.get(recipient=practitioner, url=reverse("harm-referral-detail", args=[referral.pk]))
    assert HarmDecision(decision).label in told.message and "Harmsworth" not in told.message


@pytest.mark.parametrize("decision", ["", "maybe", "s48", None])
def test_the_decision_must_be_one_of_the_four(family, practitioner, demo_user, decision):
    referral = raise_concern(family, practitioner)
    with pytest.raises(ValidationError) as error:
        harm.harm_referral_decide(
            referral=referral, decided_by=demo_user("socialworker"), decision=decision, notes="Reasons"
        )
    assert "decision" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.is_awaiting_decision


def test_the_decision_needs_reasons_and_is_recorded_once(family, practitioner, demo_user):
    social_worker = demo_user("socialworker")
    referral = raise_concern(family, practitioner)
    with pytest.raises(ValidationError) as error:
        harm.harm_referral_decide(referral=referral, decided_by=social_worker, decision=HarmDecision.S17, notes=" ")
    assert error.value.message_dict == {"notes": ["Enter the reasons for the decision"]}
    harm.harm_referral_decide(referral=referral, decided_by=social_worker, decision=HarmDecision.S17, notes="Why")
    with pytest.raises(Refused):
        harm.harm_referral_decide(
            referral=referral, decided_by=social_worker, decision=HarmDecision.NO_FURTHER_ACTION, notes="Again"
        )
    referral.refresh_from_db()
    assert referral.decision == HarmDecision.S17


# The warning on every page of the family ------------------------------------------------------


def _render_alerts(family) -> str:
    return Template("{% load family_alerts %}{% family_alerts family %}").render(Context({"family": family}))


BANNER = 'id="harm-alert-title"'


def test_the_family_warning_shows_until_a_decision_and_then_goes(family, practitioner, demo_user):
    assert BANNER not in _render_alerts(family)
    referral = raise_concern(family, practitioner)
    shown = _render_alerts(family)
    assert BANNER in shown
    assert "waiting for Children's Social Care's decision" in shown
    assert "Tom Fletcher" in shown and practitioner.agency.name in shown
    assert reverse("harm-referral-detail", args=[referral.pk]) in shown
    harm.harm_referral_decide(
        referral=referral, decided_by=demo_user("socialworker"), decision=HarmDecision.BACK_TO_EARLY_HELP,
        notes="Early help can meet these needs",
    )
    assert BANNER not in _render_alerts(family)


def test_every_family_page_offers_to_raise_a_concern(family):
    shown = _render_alerts(family)
    assert BANNER not in shown
    assert f'href="{reverse("harm-referral-create", args=[family.pk])}"' in shown
    # A family id works as well as a family (episode pages pass episode.family_id).
    assert f'href="{reverse("harm-referral-create", args=[family.pk])}"' in _render_alerts(family.pk)


def test_the_warning_is_one_query_and_only_for_this_family(family, practitioner, django_assert_num_queries):
    other = make_family(name="Otherton")
    raise_concern(other, practitioner)
    raise_concern(family, practitioner)
    raise_concern(family, practitioner, text="A second worry, from the school nurse.")
    # One for the concerns of significant harm, one for the alerts about risks to workers (tests/alerts).
    with django_assert_num_queries(2):
        shown = _render_alerts(family)
    assert "2 concerns of significant harm" in shown
    with django_assert_num_queries(2):
        shown = _render_alerts(other)
    assert "A concern of significant harm about this family is waiting" in shown


def test_the_warning_is_not_shown_for_a_family_the_page_marks_as_not_viewable(family, practitioner):
    raise_concern(family, practitioner)
    family.can_view = False
    assert _render_alerts(family).strip() == ""


def test_any_page_with_a_family_or_an_episode_in_its_context_shows_the_warning(family, practitioner, rf):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    raise_concern(family, practitioner)
    request = rf.get("/")
    request.user = practitioner
    assert BANNER in render_to_string("web/base.html", {"family": family}, request=request)
    episode = SimpleNamespace(family_id=family.pk)
    assert BANNER in render_to_string("web/base.html", {"episode": episode}, request=request)
    assert BANNER not in render_to_string("web/base.html", {}, request=request)


# Seed ------------------------------------------------------------------------------------------


def test_seed_makes_waiting_and_decided_concerns_with_every_decision(seeded):
    import random

    from faker import Faker

    from earlyhelp.seed.harm import seed_harm_referrals
    from earlyhelp.seed.organisations import Organisations

    HarmReferral.objects.all().delete()
    Notification.objects.filter(url__startswith="/harm-referrals/").delete()
    families = [make_family(name=f"Seedfam{index}") for index in range(30)]
    organisations = Organisations(users={role: list(User.objects.filter(role=role)) for role in Role})
    created = seed_harm_referrals(rng=random.Random(5), fake=Faker("en_GB"), organisations=organisations, families=families)
    assert len(created) == HarmReferral.objects.count() >= 2 + 2 * len(HarmDecision.values)
    waiting = HarmReferral.objects.filter(decided_at__isnull=True)
    assert waiting.count() >= 2
    decided = HarmReferral.objects.filter(decided_at__isnull=False)
    assert set(decided.values_list("decision", flat=True)) == set(HarmDecision.values)
    assert all(referral.decided_at > referral.raised_at for referral in decided)
    assert all(referral.children.count() == 2 for referral in HarmReferral.objects.all())
    officers = User.objects.filter(role=Role.FRONT_DOOR_OFFICER).count()
    assert Notification.objects.filter(url__startswith="/harm-referrals/").count() == officers * waiting.count()


def test_seed_reset_removes_concerns_before_the_people_they_protect(practitioner, demo_user):
    from earlyhelp.seed import seed_database

    referral = raise_concern(make_family(), practitioner)
    harm.harm_referral_decide(referral=referral, decided_by=demo_user("socialworker"),
                              decision=HarmDecision.S17, notes="Assessment")
    seed_database(families=40, seed=7, reset=True)
    assert not HarmReferral.objects.filter(pk=referral.pk).exists()
    assert User.objects.filter(username="practitioner").exists()
