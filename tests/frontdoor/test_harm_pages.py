"""The pages for concerns of significant harm and notifications, through the Django test client."""


import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Locality, Role, User
from earlyhelp.frontdoor import harm
from earlyhelp.frontdoor.models import HarmDecision, HarmReferral, Notification, RequestForSupport

from .test_harm import make_family, raise_concern

TEXT = "Jayden said his stepdad locked him out overnight; he has a cut on his hand."


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def family(practitioner):
    return make_family(locality=Locality.objects.order_by("pk").first(), practitioner=practitioner)


def create_url(family) -> str:
    return reverse("harm-referral-create", kwargs={"family_id": family.pk})


def page_of(response) -> str:
    return response.content.decode()


# Raising a concern ----------------------------------------------------------------------------


def test_the_form_shows_the_family_and_its_children_to_someone_who_works_with_it(client, family, practitioner):
    client.force_login(practitioner)
    page = page_of(client.get(create_url(family)))
    assert "Harmsworth family" in page
    assert "Ellie Harmsworth, born 9 March 2014" in page and "Jayden Harmsworth" in page
    assert "Morgan Harmsworth" not in page  # the parent is not one of the children
    assert '<option value="5D" selected>' in page  # early help practitioner: 5D early help
    assert "01632 960000" in page


def test_raising_from_the_form_sends_it_and_confirms_with_what_happens_next(client, family, practitioner):
    client.force_login(practitioner)
    response = client.post(create_url(family), {
        "what_is_known": TEXT, "children": [family.kids[1].pk], "referral_source": "5D",
    })
    referral = HarmReferral.objects.get(family=family)
    assert response.status_code == 302
    assert response["Location"] == reverse("harm-referral-raised", kwargs={"referral_id": referral.pk})
    assert list(referral.children.all()) == [family.kids[1]]
    page = page_of(client.get(response["Location"]))
    assert "govuk-panel--confirmation" in page and "Concern sent to Children's Social Care" in page
    assert f"HR-{referral.pk:06d}" in page
    assert "What happens next" in page and "01632 960000" in page
    assert "Jayden Harmsworth" in page and "Harmsworth family" in page
    assert 'id="harm-alert-title"' in page  # a page of the family: the warning shows


@override_settings(EARLYHELP_CSC_PHONE="01632 960123", EARLYHELP_CSC_NAME="Initial Response Team")
def test_the_phone_route_comes_from_settings(client, family, practitioner):
    client.force_login(practitioner)
    response = client.post(create_url(family), {"what_is_known": TEXT, "referral_source": "5D"}, follow=True)
    page = page_of(response)
    assert "01632 960123" in page and "Initial Response Team" in page


def test_someone_outside_the_family_can_raise_but_learns_nothing_more_about_it(client, family, demo_user):
    partner = demo_user("partner")  # a school's safeguarding lead, not working with this family
    earlier = raise_concern(family, demo_user("practitioner"))
    client.force_login(partner)

    form_page = page_of(client.get(create_url(family)))
    assert f"Family reference {family.pk}" in form_page
    for secret in ("Harmsworth", "Ellie", "Jayden", "Tom Fletcher", 'id="harm-alert-title"'):
        assert secret not in form_page, secret
    assert '<option value="2A" selected>' in form_page  # a school: 2A schools

    response = client.post(create_url(family), {"what_is_known": TEXT, "referral_source": "2A"})
    referral = HarmReferral.objects.exclude(pk=earlier.pk).get(family=family)
    assert referral.raised_by == partner
    assert set(referral.children.all()) == set(family.kids)  # none could be chosen: all of them
    page = page_of(client.get(response["Location"]))
    assert "Concern sent to Children's Social Care" in page
    assert "locked him out overnight" in page and "01632 960000" in page
    for secret in ("Harmsworth", "Ellie", "Tom Fletcher", 'id="harm-alert-title"'):
        assert secret not in page, secret


def test_what_is_known_is_required_with_a_clear_message_and_nothing_saved(client, family, practitioner):
    client.force_login(practitioner)
    response = client.post(create_url(family), {
        "what_is_known": "   ", "children": [family.kids[0].pk], "referral_source": "3A",
    })
    assert response.status_code == 422  # shown again with its errors: nothing saved
    page = page_of(response)
    assert "There is a problem" in page and page.count("Enter what you know about the concern") == 2
    assert "<title>Error:" in page
    assert '<option value="3A" selected>' in page  # what was chosen is kept
    assert not HarmReferral.objects.filter(family=family).exists()


def test_a_request_of_the_family_is_linked_and_one_of_another_family_is_not(client, family, practitioner):
    def make_request(reference, for_family):
        return RequestForSupport.objects.create(
            reference=reference, source="practitioner", family=for_family, requested_by=practitioner,
            concern_details="Worried", family_agreement="yes", submitted_at=timezone.now(), triage_due_on=timezone.localdate(),
        )

    own = make_request("RFS-OWN", family)
    other = make_request("RFS-OTHER", make_family(name="Otherton"))
    client.force_login(practitioner)
    assert "RFS-OWN" in page_of(client.get(create_url(family) + f"?request={own.pk}"))
    client.post(create_url(family) + f"?request={own.pk}", {"what_is_known": TEXT, "referral_source": "5D"})
    client.post(create_url(family) + f"?request={other.pk}", {"what_is_known": TEXT, "referral_source": "5D"})
    linked = HarmReferral.objects.filter(family=family).values_list("request__reference", flat=True)
    # The other family's request is not linked, and the concern is still raised.
    assert sorted(map(str, linked)) == ["None", "RFS-OWN"]


@pytest.mark.parametrize("username", ["analyst", "admin"])
def test_roles_that_never_see_children_cannot_open_the_form(client, family, demo_user, username):
    client.force_login(demo_user(username))
    assert client.get(create_url(family)).status_code == 403
    assert client.post(create_url(family), {"what_is_known": TEXT}).status_code == 403
    assert not HarmReferral.objects.filter(family=family).exists()


def test_an_unknown_family_is_not_found(client, practitioner):
    client.force_login(practitioner)
    assert client.get(reverse("harm-referral-create", kwargs={"family_id": 987654})).status_code == 404


# The referral and the decision ----------------------------------------------------------------


def detail_url(referral) -> str:
    return reverse("harm-referral-detail", kwargs={"referral_id": referral.pk})


def test_a_social_worker_decides_and_the_family_warning_goes(client, family, practitioner, demo_user):
    referral = raise_concern(family, practitioner)
    client.force_login(practitioner)
    assert 'id="harm-alert-title"' in page_of(client.get(create_url(family)))

    client.force_login(demo_user("socialworker"))
    page = page_of(client.get(detail_url(referral)))
    assert "Record the decision" in page and "Section 47 enquiry" in page and "Back to early help" in page
    response = client.post(detail_url(referral), {"decision": HarmDecision.S47, "notes": "Strategy discussion today"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.decision == HarmDecision.S47 and referral.decided_by.username == "socialworker"
    page = page_of(client.get(detail_url(referral)))
    assert "Decision recorded: Section 47 enquiry" in page and "Record the decision" not in page

    client.force_login(practitioner)
    assert 'id="harm-alert-title"' not in page_of(client.get(create_url(family)))


@pytest.mark.parametrize(
    ("decision", "message"),
    [("", "Select the decision: section 47 enquiry"), ("maybe", "Select one of the four decisions")],
)
def test_the_decision_form_needs_one_of_the_four(client, family, practitioner, demo_user, decision, message):
    referral = raise_concern(family, practitioner)
    client.force_login(demo_user("socialworker"))
    response = client.post(detail_url(referral), {"decision": decision, "notes": "Reasons"})
    assert response.status_code == 422  # shown again with its errors: nothing saved
    page = page_of(response)
    assert "There is a problem" in page and message in page
    assert "Reasons" in page  # what was typed is kept
    referral.refresh_from_db()
    assert referral.is_awaiting_decision


@pytest.mark.parametrize("username", ["frontdoor", "practitioner", "manager"])
def test_only_social_workers_can_post_a_decision(client, family, practitioner, demo_user, username):
    referral = raise_concern(family, practitioner)
    client.force_login(demo_user(username))
    page = page_of(client.get(detail_url(referral)))
    assert "Record the decision" not in page
    response = client.post(detail_url(referral), {"decision": HarmDecision.NO_FURTHER_ACTION, "notes": "No"})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.is_awaiting_decision


def test_who_may_read_a_referral(client, family, practitioner, demo_user):
    referral = raise_concern(family, practitioner)
    stranger = User.objects.filter(role=Role.EARLY_HELP_PRACTITIONER).exclude(pk=practitioner.pk).first()
    client.force_login(stranger)
    assert client.get(detail_url(referral)).status_code == 403
    client.force_login(demo_user("analyst"))
    assert client.get(detail_url(referral)).status_code == 403
    for username in ("practitioner", "frontdoor", "socialworker"):
        client.force_login(demo_user(username))
        page = page_of(client.get(detail_url(referral)))
        assert "Harmsworth family" in page and "Ellie Harmsworth" in page, username


def test_reading_a_referral_is_recorded_in_the_audit_trail(client, family, practitioner, demo_user):
    from earlyhelp.audit.models import AccessRecord

    referral = raise_concern(family, practitioner)
    client.force_login(demo_user("frontdoor"))
    client.get(detail_url(referral))
    assert AccessRecord.objects.filter(user__username="frontdoor", family=family).exists()


# Lists and home pages -------------------------------------------------------------------------


def test_the_list_of_waiting_concerns_is_for_social_workers_and_the_front_door(client, family, practitioner, demo_user):
    referral = raise_concern(family, practitioner)
    client.force_login(practitioner)
    assert client.get(reverse("harm-referrals")).status_code == 403
    for username in ("socialworker", "frontdoor"):
        client.force_login(demo_user(username))
        page = page_of(client.get(reverse("harm-referrals")))
        assert f"HR-{referral.pk:06d}" in page and "Harmsworth family" in page
        assert 'href="/harm-referrals/"' in page  # in the service navigation


def test_the_waiting_concerns_come_a_page_at_a_time_oldest_first(client, family, practitioner, demo_user,
                                                                   django_assert_max_num_queries):
    from earlyhelp.frontdoor.harm_views import HARM_QUEUE_PAGE_SIZE

    HarmReferral.objects.filter(decided_at__isnull=True).delete()
    referrals = [raise_concern(family, practitioner) for _ in range(HARM_QUEUE_PAGE_SIZE + 2)]
    client.force_login(demo_user("frontdoor"))
    with django_assert_max_num_queries(25):
        first = page_of(client.get(reverse("harm-referrals")))
    assert f"{len(referrals)} concerns waiting (page 1 of 2)" in first
    assert f"HR-{referrals[0].pk:06d}" in first and f"HR-{referrals[-1].pk:06d}" not in first
    assert "Recently decided" in first
    second = page_of(client.get(reverse("harm-referrals") + "?page=2"))
    assert f"HR-{referrals[-1].pk:06d}" in second and f"HR-{referrals[0].pk:06d}" not in second
    assert "Recently decided" not in second


@pytest.mark.parametrize(("username", "empty_key"), [("socialworker", "referrals"), ("frontdoor", "harm")])
def test_home_pages_list_waiting_concerns_or_say_there_are_none(client, family, practitioner, demo_user,
                                                                username, empty_key):
    HarmReferral.objects.all().delete()
    client.force_login(demo_user(username))
    assert f'data-empty-state="{empty_key}"' in page_of(client.get(reverse("home")))
    referral = raise_concern(family, practitioner)
    page = page_of(client.get(reverse("home")))
    assert f'data-empty-state="{empty_key}"' not in page
    assert f"HR-{referral.pk:06d}" in page and "Jayden Harmsworth" in page
    harm.harm_referral_decide(referral=referral, decided_by=demo_user("socialworker"),
                              decision=HarmDecision.S17, notes="Assessment")
    assert f'data-empty-state="{empty_key}"' in page_of(client.get(reverse("home")))


# Notifications --------------------------------------------------------------------------------


def test_notifications_are_listed_newest_first_and_can_be_marked_read(client, demo_user):
    officer = demo_user("frontdoor")
    Notification.objects.filter(recipient=officer).delete()
    older = Notification.objects.create(recipient=officer, message="Older message", url="/")
    newer = Notification.objects.create(recipient=officer, message="Newer message", url="/")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timezone.timedelta(hours=2))
    client.force_login(officer)
    page = page_of(client.get(reverse("notifications")))
    assert page.index("Newer message") < page.index("Older message")
    assert "You have 2 unread notifications" in page
    assert 'data-unread-notifications>2<' in page

    assert client.get(reverse("notification-read", args=[newer.pk])).status_code == 405
    response = client.post(reverse("notification-read", args=[newer.pk]))
    assert response.status_code == 302
    newer.refresh_from_db()
    older.refresh_from_db()
    assert newer.read_at is not None and older.read_at is None
    assert 'data-unread-notifications>1<' in page_of(client.get(reverse("notifications")))

    client.post(reverse("notifications-read-all"))
    page = page_of(client.get(reverse("notifications")))
    assert "You have read all your notifications" in page and "data-unread-notifications" not in page


def test_no_one_can_mark_someone_elses_notification(client, demo_user):
    mine = Notification.objects.create(recipient=demo_user("frontdoor"), message="For the front door")
    client.force_login(demo_user("practitioner"))
    assert client.post(reverse("notification-read", args=[mine.pk])).status_code == 404
    assert "For the front door" not in page_of(client.get(reverse("notifications")))
    mine.refresh_from_db()
    assert mine.read_at is None


def test_raising_a_concern_shows_in_the_front_doors_unread_count(client, family, practitioner, demo_user):
    officer = demo_user("frontdoor")
    Notification.objects.filter(recipient=officer).delete()
    client.force_login(officer)
    assert "data-unread-notifications" not in page_of(client.get(reverse("home")))
    referral = raise_concern(family, practitioner)
    page = page_of(client.get(reverse("home")))
    assert 'data-unread-notifications>1<' in page
    page = page_of(client.get(reverse("notifications")))
    notice = Notification.objects.get(recipient=officer)
    assert "Harmsworth family" in page and reverse("notification-open", args=[notice.pk]) in page
    assert client.get(reverse("notification-open", args=[notice.pk]))["Location"] == detail_url(referral)


def test_the_unread_count_is_one_bounded_query(client, demo_user, django_assert_max_num_queries):
    from earlyhelp.web.context_processors import service

    officer = demo_user("frontdoor")
    Notification.objects.bulk_create([Notification(recipient=officer, message=f"N{i}") for i in range(120)])
    client.force_login(officer)
    assert 'data-unread-notifications>99+<' in page_of(client.get(reverse("notifications")))

    request = client.get(reverse("home")).wsgi_request
    count = service(request)["unread_notifications"]
    with django_assert_max_num_queries(1):
        assert count() == harm.UNREAD_COUNT_LIMIT
        assert count() == harm.UNREAD_COUNT_LIMIT  # asked twice, counted once
