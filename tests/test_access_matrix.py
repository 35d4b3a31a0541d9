"""Need-to-know, checked for every page that shows or changes family data.

The pages come from the URL configuration: every route that takes the id of a family or of
something inside one is tested, so a new page is covered as soon as it exists. For each role,
a user outside the family's network is refused (403 or 404) with none of the family's data in
the response, on GET and on POST, and nothing is written; the family's lead professional and
its team manager get through; every role inside the network can read the family's pages.
"""

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency, Role, Team, TeamKind, User
from earlyhelp.alerts.models import Alert
from earlyhelp.background.models import BackgroundFile, FileStatus
from earlyhelp.documents.models import Document
from earlyhelp.episodes import models as ep
from earlyhelp.frontdoor import models as fd
from earlyhelp.people.models import Family, FamilyMember, Involvement, MemberRole, Person
from earlyhelp.recording.models import Addendum, CaseNote, NoteChild, OversightNote
from earlyhelp.sharing.models import Consent, SharingDecision

# Routes that take an object id but are, by design, not need-to-know pages, and why.
EXEMPT = {
    "request-create-step": "the practitioner's own question pages; starting from a family asks people.view_family "
                           "(tests/frontdoor/test_request_pages.py)",
    "self-referral-step": "the public's own question pages: no one signs in, the answers are the session's "
                          "(tests/frontdoor/test_self_referral.py)",
    "audit-person": "the audit trail: administrators only (tests/audit)",
    "audit-person-csv": "the audit trail: administrators only (tests/audit)",
    "audit-subject-access": "subject access packs: administrators only (tests/audit)",
    "background-file": "a file made in the background: only who asked for it (tests/background)",
    "background-file-download": "a file made in the background: only who asked for it (tests/background)",
    "break-glass": "asks for a reason and shows only the family's number (tests/audit)",
    "harm-referral-create": "harm overrides: anyone may raise a concern; shows no details (tests/frontdoor/test_harm*)",
    "harm-referral-raised": "the referrer's own confirmation (tests/frontdoor/test_harm*)",
    "notification-read": "the user's own notifications",
    "notification-open": "the user's own notifications; the page it leads to asks its own permission",
    "allocation-meeting-detail": "the front door's meeting: front door officers and managers only (tests/frontdoor)",
    "allocation-decision-create": "the front door's meeting: front door officers and managers only (tests/frontdoor)",
    "escalation-resolve": "managers resolving a disagreement (tests/frontdoor)",
    "sharing-mark-seen": "managers marking a decision seen (tests/sharing)",
    "directory-oruk-service": "the public directory of services: no family's data (tests/directory)",
    # The API answers a token, never the pages' session (401 here): tests/api/test_access_matrix_api.py
    # runs this matrix over it with each user's token and compares its answers with these pages'.
    **{name: "the API: the matrix with tokens is tests/api/test_access_matrix_api.py" for name in (
        "api-family", "api-person", "api-request", "api-episode", "api-episode-plan", "api-note")},
    "api-token-revoke": "the user's own API token (tests/api/test_tokens.py)",
}
# Pages every role inside the network may read.
READ_PAGES = {
    "family-detail", "person-detail", "episode-detail", "episode-assessment", "episode-plan",
    "episode-reviews", "episode-consent", "episode-sharing", "episode-stepping", "family-chronology",
}
ROLES = list(Role)
# Pages the network's members may not use because of what their role does, not who they are.
ROLE_SPECIFIC = {
    # A manager signs off assessments and resolves disagreements (this one the lead raised); the
    # front door, and only the front door, triages requests.
    Role.EARLY_HELP_PRACTITIONER: {"episode-assessment-sign-off", "episode-disagreement-resolve", "request-triage",
                                   "request-family-link", "request-family-create",
                                   "oversight-create"},  # oversight is the episode's managers' to record
    Role.TEAM_MANAGER: {"request-triage", "request-family-link", "request-family-create"},
}


def family_data_routes() -> list[tuple[str, list[str]]]:
    routes = []

    def walk(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if "admin" not in str(pattern.pattern):
                    walk(pattern)
            elif isinstance(pattern, URLPattern) and pattern.name:
                kwargs = list(pattern.pattern.converters)
                if kwargs and pattern.name not in EXEMPT:
                    routes.append((pattern.name, kwargs))

    walk(get_resolver())
    return sorted(set((name, tuple(kwargs)) for name, kwargs in routes))


ROUTES = family_data_routes()


def _user(username: str, role: str, agency, team=None) -> User:
    user = User.objects.create_user(username=username, password="x" * 12, role=role, agency=agency,
                                    first_name=username.title(), last_name="Tester")
    if team:
        user.teams.add(team)
    return user


def _document(episode, user) -> Document:
    """A document on the episode, its file in the test run's documents storage."""
    from django.core.files.base import ContentFile

    from earlyhelp.documents.services import document_add

    return document_add(owner=episode, upload=ContentFile(b"%PDF-1.4\n%%EOF\n", name="letter.pdf"), category="letter",
                        description="Matrix attendance letter", dated=timezone.localdate(), by=user)


@pytest.fixture
def world(organisations):
    """One family with something of every kind, and users of every role outside and inside it."""
    today = timezone.localdate()
    early_help = Agency.objects.get(kind="la_early_help")
    social_care = Agency.objects.get(kind="childrens_social_care")
    school = Agency.objects.filter(kind="school").first()
    team = Team.objects.create(name="Matrix Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=early_help)
    other_team = Team.objects.create(name="Elsewhere Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=early_help)

    family = Family.objects.create(name="Zebedee-Quill family", address="1 Hidden Lane", postcode="ZZ1 1ZZ")
    child = Person.objects.create(first_name="Xanthe", last_name="Zebedee-Quill", date_of_birth=date(2016, 3, 3))
    parent = Person.objects.create(first_name="Yolanda", last_name="Zebedee-Quill", date_of_birth=date(1988, 1, 1))
    FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
    FamilyMember.objects.create(family=family, person=parent, role=MemberRole.PARENT)

    inside = {
        Role.EARLY_HELP_PRACTITIONER: _user("in-practitioner", Role.EARLY_HELP_PRACTITIONER, early_help, team),
        Role.TEAM_MANAGER: _user("in-manager", Role.TEAM_MANAGER, early_help, team),
        Role.EARLY_HELP_ADVISER: _user("in-adviser", Role.EARLY_HELP_ADVISER, early_help, team),
        Role.PARTNER_PRACTITIONER: _user("in-partner", Role.PARTNER_PRACTITIONER, school),
        Role.SOCIAL_WORKER: _user("in-socialworker", Role.SOCIAL_WORKER, social_care),
    }
    outside = {role: _user(f"out-{role}", role, early_help if role != Role.SOCIAL_WORKER else social_care,
                           other_team if role in (Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER,
                                                  Role.EARLY_HELP_PRACTITIONER) else None)
               for role in ROLES}
    lead = inside[Role.EARLY_HELP_PRACTITIONER]
    involvement = Involvement.objects.create(person=child, agency=school, practitioner=inside[Role.PARTNER_PRACTITIONER],
                                             role_description="Class teacher", started_on=date(2025, 9, 1))

    request = fd.RequestForSupport.objects.create(
        reference="EH-MATRIX-1", source=fd.RequestSource.PRACTITIONER, status=fd.RequestStatus.ALLOCATED,
        family=family, requested_by=inside[Role.PARTNER_PRACTITIONER], requester_agency=school,
        concern_details="Xanthe is often hungry", family_agreement=fd.FamilyAgreement.YES,
        submitted_at=timezone.now() - timedelta(days=30), triage_due_on=today - timedelta(days=29),
    )
    level = fd.LevelOfNeedDecision.objects.create(family=family, request=request, level=2, reasons="Needs", decided_by=lead)
    meeting = fd.AllocationMeeting.objects.create(held_on=today - timedelta(days=25), chair=inside[Role.TEAM_MANAGER])
    allocation = fd.AllocationDecision.objects.create(meeting=meeting, request=request, outcome="allocate_team",
                                                      team=team, reasons="Locality", decided_by=inside[Role.TEAM_MANAGER])
    # Decided, so that it is no longer the whole front door's and social care's work.
    harm = fd.HarmReferral.objects.create(family=family, raised_by=lead, raised_at=timezone.now(),
                                          what_is_known="Bruise", referral_source="5D",
                                          social_worker=inside[Role.SOCIAL_WORKER], decision="early_help",
                                          decided_by=inside[Role.SOCIAL_WORKER], decided_at=timezone.now())
    harm.children.add(child)

    episode = ep.Episode.objects.create(reference="EP-MATRIX-1", family=family, state=ep.EpisodeState.PLAN_ACTIVE,
                                        team=team, allocated_worker=lead, lead_professional=lead, request=request,
                                        opened_on=today - timedelta(days=20))
    episode_child = ep.EpisodeChild.objects.create(episode=episode, person=child, added_on=episode.opened_on)
    ep.LeadProfessionalAssignment.objects.create(episode=episode, lead=lead, started_on=episode.opened_on, assigned_by=lead)
    disagreement = ep.Disagreement.objects.create(episode=episode, topic="lead", raised_by=lead, details="Who leads")
    assessment = ep.Assessment.objects.create(episode=episode, started_on=episode.opened_on, due_on=today,
                                              completed_on=today - timedelta(days=10), organisation=early_help,
                                              agreed_needs=["16A"], what_needs_to_change="Regular meals")
    section = ep.AssessmentChildSection.objects.create(assessment=assessment, child=child, wishes_and_feelings="Happy")
    taf = ep.TafMeeting.objects.create(episode=episode, held_on=today - timedelta(days=8), discussed="Meals",
                                       recorded_by=lead)
    taf.practitioners.add(lead)
    outcome = ep.Outcome.objects.create(episode=episode, in_familys_words="Xanthe eats breakfast", needs=["16A"])
    action = ep.PlanAction.objects.create(outcome=outcome, description="Breakfast club", owner_agency=school,
                                          due_on=today + timedelta(days=7))
    ep.PlanVersion.objects.create(episode=episode, number=1, snapshot={"outcomes": []}, made_by=lead)
    review = ep.Review.objects.create(episode=episode, held_on=today - timedelta(days=1), decision="continue",
                                      recorded_by=lead)
    step_up = ep.StepUp.objects.create(episode=episode, reasons=["complexity"], details="More needs",
                                       requested_by=lead, requested_at=timezone.now(),
                                       social_worker=inside[Role.SOCIAL_WORKER])
    step_down = ep.StepDown.objects.create(family=family, social_worker=inside[Role.SOCIAL_WORKER],
                                           final_assessment_summary="Lower", handover_plan="Visit",
                                           proposed_at=timezone.now(), status="accepted", episode=episode,
                                           decided_by=inside[Role.TEAM_MANAGER], decided_at=timezone.now())
    consent = Consent.objects.create(family=family, episode=episode, person=parent, scope="assessment",
                                     decision="given", method="written", given_on=episode.opened_on, recorded_by=lead)
    sharing = SharingDecision.objects.create(family=family, episode=episode, shared=True, what="Plan", why="TAF",
                                             lawful_basis="consent", decided_by=lead, decided_at=timezone.now())
    note = CaseNote.objects.create(family=family, episode=episode, kind="home_visit", happened_at=timezone.now(),
                                   what_happened="Saw Xanthe at home", author=lead, completed_at=timezone.now())
    NoteChild.objects.create(note=note, child=child, seen=True, seen_alone=True)
    OversightNote.objects.create(episode=episode, family=family, kind="supervision", decision="Matrix oversight decision",
                                 next_due_on=today + timedelta(days=28), recorded_by=inside[Role.TEAM_MANAGER])
    document = _document(episode, lead)
    alert = Alert.objects.create(family=family, person=parent, kind="animals", details="Large dog in the yard",
                                 recorded_by=lead)
    ids = {
        "family_id": family.pk, "person_id": child.pk, "involvement_id": involvement.pk, "request_id": request.pk,
        "meeting_id": taf.pk, "episode_id": episode.pk, "child_id": episode_child.pk,
        "disagreement_id": disagreement.pk, "section_id": section.pk, "number": 1, "outcome_id": outcome.pk,
        "action_id": action.pk, "review_id": review.pk, "step_up_id": step_up.pk, "step_down_id": step_down.pk,
        "consent_id": consent.pk, "referral_id": harm.pk, "escalation_id": 0, "outcome": "education",
        "note_id": note.pk, "document_id": document.pk, "alert_id": alert.pk,
        # The lead's chronology PDF, being made (background/): only the lead may open its page.
        "file_id": BackgroundFile.objects.create(requested_by=lead, kind="chronology_pdf", title="Chronology (PDF)",
                                                 params={"family_id": family.pk, "query": ""},
                                                 status=FileStatus.RUNNING).pk,
    }
    # Where one kwarg name means different things on different routes.
    by_route = {
        "level-disagree": {"decision_id": level.pk},
        "episode-start-from-allocation": {"decision_id": allocation.pk},
        "sharing-mark-seen": {"decision_id": sharing.pk},
        # Question pages: a question of each journey (every page asks the same permission).
        "episode-step-up-step": {"step": "why"},
        "episode-close-step": {"step": "outcomes"},
    }
    secrets = ["Zebedee-Quill", "Xanthe", "Yolanda", "Hidden Lane", "ZZ1 1ZZ", "often hungry", "Regular meals",
               "Large dog in the yard", "Matrix oversight decision"]
    secrets.append("Matrix attendance letter")  # the document's description
    return {"ids": ids, "by_route": by_route, "inside": inside, "outside": outside, "lead": lead,
            "secrets": secrets, "episode": episode, "family": family}


def _url(world, name: str, kwargs: tuple[str, ...]) -> str:
    values = {**world["ids"], **world["by_route"].get(name, {})}
    missing = [kwarg for kwarg in kwargs if kwarg not in values]
    assert not missing, f"The access matrix does not know how to fill {missing} for the route {name!r}: add it"
    return reverse(name, kwargs={kwarg: values[kwarg] for kwarg in kwargs})


def _row_counts() -> dict[str, int]:
    models = [Family, Person, FamilyMember, Involvement, fd.RequestForSupport, fd.HarmReferral, ep.Episode,
              ep.EpisodeEvent, ep.Outcome, ep.PlanAction, ep.Review, ep.TafMeeting, ep.Closure, ep.StepUp,
              ep.StepDown, Consent, SharingDecision, CaseNote, Addendum, Document, Alert]
    return {model.__name__: model.objects.count() for model in [*models, OversightNote]}


def _assert_refused(response, world, what: str, *, method: str = "POST") -> None:
    # 405: a page that only takes POST refuses a GET before it reads anything. 409: a move already
    # made, refused before anything of the record is read (a front door officer, who saw every
    # request while it waited, sending a triage again); the secrets check below still applies.
    allowed = (403, 404, 405) if method == "GET" else (403, 404, 409)
    assert response.status_code in allowed, f"{what}: expected a refusal, got {response.status_code}"
    body = response.content.decode()
    leaked = [secret for secret in world["secrets"] if secret in body]
    assert not leaked, f"{what}: the refusal shows {leaked}"


@pytest.mark.parametrize("role", ROLES)
def test_everyone_outside_the_network_is_refused_every_family_page(client, world, role):
    client.force_login(world["outside"][role])
    before = _row_counts()
    for name, kwargs in ROUTES:
        url = _url(world, name, kwargs)
        _assert_refused(client.get(url), world, f"{role} GET {name}", method="GET")
        _assert_refused(client.post(url, {}), world, f"{role} POST {name}")
    assert _row_counts() == before, "a refused request changed something"


@pytest.mark.parametrize("role", [Role.EARLY_HELP_PRACTITIONER, Role.TEAM_MANAGER])
def test_the_lead_professional_and_the_team_manager_get_through(client, world, role):
    client.force_login(world["inside"][role])
    refused = []
    for name, kwargs in ROUTES:
        response = client.get(_url(world, name, kwargs))
        if response.status_code in (403, 404):
            refused.append((name, response.status_code))
    # Pages for other roles' work: the social worker's decisions and proposals.
    social_work_only = {"step-down-propose"}
    unexpected = [name for name, _ in refused if name not in social_work_only | ROLE_SPECIFIC.get(role, set())]
    assert unexpected == [], f"{role} was refused: {', '.join(unexpected)}"


@pytest.mark.parametrize("role", [Role.EARLY_HELP_ADVISER, Role.PARTNER_PRACTITIONER, Role.SOCIAL_WORKER])
def test_everyone_inside_the_network_can_read_the_familys_pages(client, world, role):
    client.force_login(world["inside"][role])
    for name, kwargs in ROUTES:
        if name in READ_PAGES:
            response = client.get(_url(world, name, kwargs))
            assert response.status_code == 200, f"{role} could not read {name}"
            assert "Zebedee-Quill" in response.content.decode()


def test_every_route_with_an_object_id_is_either_in_the_matrix_or_exempt_with_a_reason():
    names = {name for name, _ in ROUTES}
    assert {"family-detail", "person-detail", "episode-detail", "request-detail"} <= names
    assert all(reason for reason in EXEMPT.values())


def test_a_view_of_a_family_page_writes_exactly_one_access_record(client, world):
    from earlyhelp.audit.models import AccessRecord

    client.force_login(world["lead"])
    for name, kwargs in [("family-detail", ("family_id",)), ("person-detail", ("person_id",)),
                         ("episode-detail", ("episode_id",))]:
        before = AccessRecord.objects.count()
        assert client.get(_url(world, name, kwargs)).status_code == 200
        assert AccessRecord.objects.count() == before + 1, name


# Requests, meetings and disagreements, for every kind of manager ------------------------------


@pytest.fixture
def front_door_world(world):
    """An open request in triage, about a family in one locality, a decision about its level
    with a disagreement waiting for a manager; and managers of every kind around it."""
    from earlyhelp.accounts.models import Locality

    early_help = Agency.objects.get(kind="la_early_help")
    social_care = Agency.objects.get(kind="childrens_social_care")
    here, elsewhere = Locality.objects.order_by("pk")[:2]
    team_here = Team.objects.create(name="Here Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=early_help,
                                    locality=here)
    team_elsewhere = Team.objects.create(name="Elsewhere Locality Team", kind=TeamKind.LOCALITY_EARLY_HELP,
                                         agency=early_help, locality=elsewhere)
    csc_team = Team.objects.create(name="Social Care Team", kind=TeamKind.SOCIAL_CARE, agency=social_care,
                                   locality=here)
    managers = {
        "locality manager": _user("fd-manager-here", Role.TEAM_MANAGER, early_help, team_here),
        "manager of another locality": _user("fd-manager-elsewhere", Role.TEAM_MANAGER, early_help, team_elsewhere),
        "social care manager": _user("fd-manager-csc", Role.TEAM_MANAGER, social_care, csc_team),
        "manager with no team": _user("fd-manager-none", Role.TEAM_MANAGER, early_help),
    }
    officer = _user("fd-officer", Role.FRONT_DOOR_OFFICER, early_help)
    requester = world["inside"][Role.PARTNER_PRACTITIONER]
    family = Family.objects.create(name="Waiting-Quill family", address="2 Queue Lane", postcode="ZZ2 2ZZ",
                                   locality=here)
    child = Person.objects.create(first_name="Wren", last_name="Waiting-Quill", date_of_birth=date(2017, 4, 4))
    FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
    request = fd.RequestForSupport.objects.create(
        reference="EH-MATRIX-2", source=fd.RequestSource.PRACTITIONER, status=fd.RequestStatus.AWAITING_TRIAGE,
        family=family, requested_by=requester, requester_agency=requester.agency,
        concern_details="Wren misses school", family_agreement=fd.FamilyAgreement.YES,
        submitted_at=timezone.now(), triage_due_on=timezone.localdate() + timedelta(days=3),
    )
    fd.RequestPerson.objects.create(request=request, person=child, is_child=True, first_name="Wren",
                                    last_name="Waiting-Quill")
    level = fd.LevelOfNeedDecision.objects.create(family=family, request=request, level=2, reasons="Some needs",
                                                  decided_by=officer)
    escalation = fd.Escalation.objects.create(decision=level, raised_by=requester, disagreement="Higher",
                                              proposed_level=3)
    meeting = fd.AllocationMeeting.objects.create(held_on=timezone.localdate(), chair=managers["locality manager"])
    return {**world, "managers": managers, "officer": officer, "request": request, "escalation": escalation,
            "allocation_meeting": meeting, "front_door_secrets": ["Waiting-Quill", "Wren", "misses school"]}


def _front_door_pages(fdw) -> dict[str, str]:
    request_id = fdw["request"].pk
    return {
        "request-detail": reverse("request-detail", kwargs={"request_id": request_id}),
        "request-triage": reverse("request-triage", kwargs={"request_id": request_id}),
        "request-checklist": reverse("request-checklist", kwargs={"request_id": request_id}),
        "request-level": reverse("request-level", kwargs={"request_id": request_id}),
        "family-detail": reverse("family-detail", kwargs={"family_id": fdw["request"].family_id}),
        "front-door": reverse("front-door"),
        "allocation-meetings": reverse("allocation-meetings"),
        "allocation-meeting-detail": reverse("allocation-meeting-detail",
                                             kwargs={"meeting_id": fdw["allocation_meeting"].pk}),
    }


@pytest.mark.parametrize("manager", ["locality manager", "manager of another locality", "social care manager",
                                     "manager with no team"])
def test_no_manager_opens_the_front_doors_work(client, front_door_world, manager):
    """Requests waiting for triage and the allocation meetings are the front door's, whoever manages what."""
    client.force_login(front_door_world["managers"][manager])
    for name, url in _front_door_pages(front_door_world).items():
        if name in ("request-detail", "request-checklist", "request-level", "family-detail") \
                and manager == "locality manager":
            continue  # the locality's managers decide its waiting disagreement (below), so they may read it
        response = client.get(url)
        assert response.status_code in (403, 404), f"{manager} opened {name}"
        body = response.content.decode()
        assert not [s for s in front_door_world["front_door_secrets"] if s in body], f"{manager}: {name} leaked"


def test_the_front_door_officer_opens_all_of_the_front_doors_work(client, front_door_world):
    client.force_login(front_door_world["officer"])
    for name, url in _front_door_pages(front_door_world).items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("manager, may_resolve", [
    ("locality manager", True), ("manager of another locality", False), ("social care manager", False),
    ("manager with no team", False),
])
def test_only_a_manager_of_the_locality_holding_the_request_resolves_its_disagreement(
        client, front_door_world, manager, may_resolve):
    escalation = front_door_world["escalation"]
    url = reverse("escalation-resolve", kwargs={"escalation_id": escalation.pk})
    client.force_login(front_door_world["managers"][manager])
    page = client.get(url)
    assert (page.status_code == 200) is may_resolve, manager
    response = client.post(url, {"outcome": "upheld", "outcome_notes": "The level stands"})
    escalation.refresh_from_db()
    if may_resolve:
        assert response.status_code == 302 and escalation.resolved_by == front_door_world["managers"][manager]
    else:
        assert response.status_code in (403, 404) and escalation.resolved_at is None


def test_once_a_manager_has_decided_only_a_new_disagreement_changes_the_level(client, front_door_world):
    from earlyhelp.frontdoor import services

    escalation = front_door_world["escalation"]
    manager = front_door_world["managers"]["locality manager"]
    services.escalation_resolve(escalation=escalation, resolved_by=manager, outcome="changed",
                                notes="Level 3 fits", new_level=3)
    request = front_door_world["request"]
    current = request.level_decisions.order_by("-decided_at", "-pk").first()
    assert current.level == 3 and current.decided_by == manager
    requester = front_door_world["inside"][Role.PARTNER_PRACTITIONER]
    client.force_login(requester)
    response = client.post(reverse("request-level", kwargs={"request_id": request.pk}),
                           {"level": "1", "reasons": "I still think it is low"})
    assert response.status_code in (200, 400, 403)
    assert request.level_decisions.order_by("-decided_at", "-pk").first().pk == current.pk
    # A new disagreement, about the manager's decision, is still open to them.
    services.escalation_raise(decision=current, raised_by=requester, disagreement="Still too high",
                              proposed_level=2)


def test_whoever_raised_a_disagreement_cannot_resolve_it_even_as_a_manager(front_door_world):
    from earlyhelp.frontdoor import services
    from earlyhelp.policy import may

    manager = front_door_world["managers"]["locality manager"]
    decision = front_door_world["escalation"].decision
    services.escalation_resolve(escalation=front_door_world["escalation"], resolved_by=manager,
                                outcome="withdrawn", notes="Withdrawn")
    mine = fd.Escalation.objects.create(decision=decision, raised_by=manager, disagreement="Mine",
                                        proposed_level=4)
    assert not may(manager, "frontdoor.resolve_escalation", mine)


@pytest.mark.parametrize("kind", ["social care manager", "manager in another locality", "manager with no team"])
def test_managers_of_other_teams_and_localities_are_refused_every_family_page(client, world, kind):
    from earlyhelp.accounts.models import Locality

    early_help = Agency.objects.get(kind="la_early_help")
    social_care = Agency.objects.get(kind="childrens_social_care")
    locality = Locality.objects.order_by("pk").first()
    team = {
        "social care manager": Team.objects.create(name="CSC Matrix", kind=TeamKind.SOCIAL_CARE, agency=social_care,
                                                   locality=locality),
        "manager in another locality": Team.objects.create(name="Far Matrix", kind=TeamKind.LOCALITY_EARLY_HELP,
                                                           agency=early_help, locality=locality),
        "manager with no team": None,
    }[kind]
    manager = _user(f"out-{kind.replace(' ', '-')}", Role.TEAM_MANAGER,
                    social_care if kind == "social care manager" else early_help, team)
    client.force_login(manager)
    before = _row_counts()
    for name, kwargs in ROUTES:
        url = _url(world, name, kwargs)
        _assert_refused(client.get(url), world, f"{kind} GET {name}", method="GET")
        _assert_refused(client.post(url, {}), world, f"{kind} POST {name}")
    assert _row_counts() == before
