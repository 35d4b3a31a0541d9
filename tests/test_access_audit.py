"""Every look recorded (docs/roles.md): generated from the URL configuration.

Every route that takes an identifier is opened by people who may see it; whenever a page
answers 200 it must have written an access record, by that user, for the family it shows (or
one of its people). A new page is covered as soon as it exists: it either records, or it is
listed below with the reason it shows no family.
"""

import pytest

from earlyhelp.accounts.models import Agency, Role, User
from earlyhelp.audit.models import AccessRecord
from earlyhelp.frontdoor import models as fd
from earlyhelp.people.models import FamilyMember

from .test_access_matrix import ROUTES, _url, family_data_routes, world  # noqa: F401 (fixture)

# Routes with an identifier that never show a family's details, and why.
SHOW_NO_FAMILY = {
    "notification-read": "marks the user's own notification read and redirects",
    "notification-open": "marks the user's own notification read and redirects to its page, which records the look",
    "break-glass": "asks for a reason and shows only the family's number; opening it is recorded as break-glass",
    "involvement-end": "takes only POST",
    "background-file": "the user's own file being made: shows only the family's or the person's number",
    "background-file-download": "the download is recorded by its kind's own writer (tests/background)",
    "sharing-mark-seen": "takes only POST",
    "directory-oruk-service": "the public directory of services holds no family's details (tests/directory)",
    "api-token-revoke": "takes only POST; the user's own API token",
    "request-create-step": "its identifier is a question's name; started from a family (?family=), each page records "
                           "the look (tests/frontdoor/test_request_pages.py)",
    "self-referral-step": "its identifier is a question's name; the public's own answers, no one's record "
                          "(tests/frontdoor/test_self_referral.py)",
}


def _all_routes():
    """Every route with an identifier, including those the matrix exempts (meetings, audit pages)."""
    from .test_access_matrix import EXEMPT

    names = {name for name, _ in ROUTES} | set(EXEMPT)
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if "admin" not in str(pattern.pattern):
                    walk(pattern)
            elif isinstance(pattern, URLPattern) and pattern.name in names and pattern.pattern.converters:
                found.append((pattern.name, tuple(pattern.pattern.converters)))

    walk(get_resolver())
    return sorted(set(found))


@pytest.fixture
def audit_world(world):
    early_help = Agency.objects.get(kind="la_early_help")
    inside = world["inside"]
    request = fd.RequestForSupport.objects.get(reference="EH-MATRIX-1")
    level = request.level_decisions.first()
    escalation = fd.Escalation.objects.create(decision=level, raised_by=inside[Role.PARTNER_PRACTITIONER],
                                              disagreement="Too low", proposed_level=3)
    meeting = fd.AllocationDecision.objects.get(request=request).meeting
    world["ids"]["escalation_id"] = escalation.pk
    for name in ("allocation-meeting-detail", "allocation-decision-create"):
        world["by_route"][name] = {"meeting_id": meeting.pk}
    front_door = User.objects.create_user(username="audit-frontdoor", password="x" * 12,
                                          role=Role.FRONT_DOOR_OFFICER, agency=early_help)
    administrator = User.objects.create_user(username="audit-admin", password="x" * 12,
                                             role=Role.ADMINISTRATOR, agency=early_help)
    world["viewers"] = [world["lead"], inside[Role.TEAM_MANAGER], inside[Role.EARLY_HELP_ADVISER],
                        inside[Role.PARTNER_PRACTITIONER], inside[Role.SOCIAL_WORKER], front_door, administrator]
    return world


def _recorded_the_family(world, user, before: int) -> bool:
    family = world["family"]
    people = FamilyMember.objects.filter(family=family).values("person_id")
    return AccessRecord.objects.filter(pk__gt=before, user=user).filter(
        family=family).exists() or AccessRecord.objects.filter(pk__gt=before, user=user, person__in=people).exists()


@pytest.mark.django_db
def test_every_page_with_an_identifier_records_the_look(client, audit_world):
    unrecorded, unopened = [], []
    for name, kwargs in _all_routes():
        if name in SHOW_NO_FAMILY:
            continue
        url = _url(audit_world, name, kwargs)
        opened = False
        for user in audit_world["viewers"]:
            client.force_login(user)
            before = AccessRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(url)
            if response.status_code != 200:
                continue
            opened = True
            if not _recorded_the_family(audit_world, user, before):
                unrecorded.append(f"{name} as {user.username}")
        if not opened:
            unopened.append(name)
    assert unrecorded == [], f"pages that showed the family without recording it: {unrecorded}"
    # Pages that only take a form, or lead elsewhere in this world's state, show nothing on GET;
    # the pages that show a family must all have been opened and checked.
    must_open = {"family-detail", "person-detail", "request-detail", "request-checklist", "request-level",
                 "level-disagree", "escalation-resolve", "allocation-meeting-detail", "episode-detail",
                 "episode-assessment", "episode-plan", "episode-reviews", "episode-consent", "episode-sharing",
                 "episode-stepping", "step-up-decide", "step-down-detail", "harm-referral-detail",
                 "harm-referral-create", "family-move", "person-create", "relationship-create", "audit-person",
                 "supporting-families-family"}
    assert not must_open & set(unopened), f"no one could open these pages: {sorted(must_open & set(unopened))}"


def test_every_route_with_an_identifier_is_checked():
    names = {name for name, _ in family_data_routes()}
    assert names - {name for name, _ in _all_routes()} == set()
