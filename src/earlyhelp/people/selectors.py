"""Every read of people and families, through the need-to-know rule in access.py.

Pages about one family or person are written to the audit trail here, once per view.
"""

from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from earlyhelp.accounts.models import (
    ROLES_WORKING_WITH_FAMILIES,
    Agency,
    AgencyKind,
    Locality,
    Team,
    TeamKind,
    User,
)
from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.audit.services import access_record_create
from earlyhelp.policy import may, require

from .access import family_ids_visible_among
from .models import Family, FamilyMember, Involvement, MemberRole, Person, PersonMerge, Relationship
from .relations import links_moved_on_merge
from .search import Match, SearchCriteria, search_people

SCHOOL_KINDS = (AgencyKind.SCHOOL, AgencyKind.EARLY_YEARS)
# The order household members are listed in: children first, youngest last.
ROLE_ORDER = {role: index for index, role in enumerate(
    [MemberRole.CHILD, MemberRole.UNBORN, MemberRole.PARENT, MemberRole.STEP_PARENT, MemberRole.CARER,
     MemberRole.SIBLING, MemberRole.GRANDPARENT, MemberRole.SIGNIFICANT_ADULT, MemberRole.OTHER]
)}


def age_text(person: Person, today: date) -> str:
    """'7 years', '5 months', 'Unborn, due 3 May 2026'."""
    if person.date_of_birth is None:
        if person.expected_date_of_birth:
            return f"Unborn, due {person.expected_date_of_birth:%-d %B %Y}"
        return "Not known"
    born = person.date_of_birth
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months < 24:
        return "1 month" if months == 1 else f"{max(months, 0)} months"
    years = person.age_on(today)
    return f"{years} years"


def format_nhs_number(number: str) -> str:
    """'9991234567' -> '999 123 4567', as printed on NHS letters."""
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else number


# Lists for forms -----------------------------------------------------------------------------


def localities_list() -> QuerySet[Locality]:
    return Locality.objects.order_by("name")


def schools_list() -> QuerySet[Agency]:
    return Agency.objects.filter(kind__in=SCHOOL_KINDS, is_active=True).order_by("name")


def agencies_list() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


def practitioners_list() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role__in=ROLES_WORKING_WITH_FAMILIES)
        .select_related("agency")
        .order_by("last_name", "first_name", "pk")
    )


# Families and people --------------------------------------------------------------------------


def _require_family_role(user: User) -> None:
    require(user, "people.search_known")


def family_get_for_user(user: User, family_id: int, *, page: str, path: str = "", change: bool = False,
                        kind: str = AccessKind.VIEW) -> Family:
    """The family if the user may see it (or, with `change`, change it), else 403; every look is audited
    (a download or an export with its own `kind`)."""
    family = get_object_or_404(Family.objects.select_related("locality", "created_by"), pk=family_id)
    require(user, "people.change_family" if change else "people.view_family", family)
    access_record_create(user=user, family=family, what=page, path=path, kind=kind)
    return family


def person_can_be_seen(user: User, person: Person) -> bool:
    return may(user, "people.view_person", person)


def person_get_for_user(user: User, person_id: int, *, page: str, path: str = "") -> Person:
    """The person if the user may see one of their families (else 403); every look is audited."""
    person = get_object_or_404(Person.objects.select_related("school", "merged_into"), pk=person_id)
    require(user, "people.view_person", person)
    access_record_create(user=user, person=person, what=page, path=path)
    return person


def person_merged_into(person_id: int) -> int | None:
    """The record a merged duplicate now points at, so old links still lead somewhere."""
    return Person.objects.filter(pk=person_id).values_list("merged_into_id", flat=True).first()


def person_and_merged_ids(person_id: int) -> list[int]:
    """This record and every record merged into it, directly or through an earlier merge."""
    ids, found = [person_id], [person_id]
    while found:
        found = list(Person.objects.filter(merged_into_id__in=found).values_list("pk", flat=True))
        ids += found
    return ids


@dataclass
class MemberRow:
    membership: FamilyMember
    person: Person
    age: str
    lead: Involvement | None = None


@dataclass
class FamilyPage:
    members: list[MemberRow]
    former_members: list[MemberRow]
    relationships: list[Relationship]
    addresses: list
    involvements: list[Involvement]
    ended_involvements: list[Involvement]
    leads: list[MemberRow] = field(default_factory=list)


def family_page(family: Family, *, today: date) -> FamilyPage:
    """Everything the family page shows, in a fixed number of queries."""
    memberships = list(
        FamilyMember.objects.filter(family=family, person__merged_into__isnull=True)
        .select_related("person", "person__school")
    )
    person_ids = [membership.person_id for membership in memberships]
    involvements = list(
        Involvement.objects.filter(person_id__in=person_ids)
        .select_related("agency", "practitioner", "practitioner__agency", "person", "episode")
        .order_by("ended_on", "-is_lead_professional", "person__date_of_birth", "agency__name")
    )
    leads = {
        involvement.person_id: involvement for involvement in involvements
        if involvement.is_lead_professional and involvement.ended_on is None
    }
    rows = [
        MemberRow(membership, membership.person, age_text(membership.person, today), leads.get(membership.person_id))
        for membership in memberships
    ]

    def order(row: MemberRow):
        born = row.person.date_of_birth or row.person.expected_date_of_birth or date.max
        return (ROLE_ORDER.get(row.membership.role, 99), -born.toordinal(), row.person.first_name)

    current = sorted((row for row in rows if row.membership.left_on is None), key=order)
    relationships = list(
        Relationship.objects.filter(Q(person_id__in=person_ids) & Q(relative_id__in=person_ids))
        .select_related("person", "relative")
        .order_by("person__last_name", "person__first_name", "kind")
    )
    return FamilyPage(
        members=current,
        former_members=sorted((row for row in rows if row.membership.left_on is not None), key=order),
        relationships=relationships,
        addresses=list(family.address_history.order_by("moved_out", "-moved_in")),
        involvements=[involvement for involvement in involvements if involvement.ended_on is None],
        ended_involvements=[involvement for involvement in involvements if involvement.ended_on is not None],
        leads=[row for row in current if row.lead is not None],
    )


def family_people_list(family: Family) -> list[Person]:
    """Current members, for choosing in forms."""
    return list(
        Person.objects.filter(memberships__family=family, memberships__left_on__isnull=True, merged_into__isnull=True)
        .distinct()
        .order_by("date_of_birth", "first_name")
    )


@dataclass
class PersonPage:
    memberships: list[FamilyMember]
    relationships: list[Relationship]
    involvements: list[Involvement]
    ended_involvements: list[Involvement]
    age: str
    visible_family_ids: set[int]
    nhs_number: str


def _mark_visible(user: User, memberships: list[FamilyMember]) -> set[int]:
    """Sets `can_view` on each membership (may the user see that household?), asked in one query."""
    visible_family_ids = family_ids_visible_among(user, [membership.family_id for membership in memberships])
    for membership in memberships:
        membership.can_view = membership.family_id in visible_family_ids
    return visible_family_ids


def person_page(user: User, person: Person, *, today: date) -> PersonPage:
    memberships = list(person.memberships.select_related("family").order_by("left_on", "family__name"))
    visible_family_ids = _mark_visible(user, memberships)
    # Only relatives in households the user works with: a relationship names the other person.
    visible_people = FamilyMember.objects.filter(family_id__in=visible_family_ids).values("person_id")
    relationships = list(
        Relationship.objects.filter(
            (Q(person=person) & Q(relative_id__in=visible_people))
            | (Q(relative=person) & Q(person_id__in=visible_people))
        ).select_related("person", "relative").order_by("kind", "pk")
    )
    involvements = list(
        person.involvements.select_related("agency", "practitioner", "practitioner__agency", "episode")
        .order_by("ended_on", "-is_lead_professional", "agency__name")
    )
    return PersonPage(
        memberships=memberships,
        relationships=relationships,
        involvements=[involvement for involvement in involvements if involvement.ended_on is None],
        ended_involvements=[involvement for involvement in involvements if involvement.ended_on is not None],
        age=age_text(person, today),
        visible_family_ids=visible_family_ids,
        nhs_number=format_nhs_number(person.nhs_number or ""),
    )


def family_lead_professionals(family_id: int | None) -> list[Involvement]:
    """Each current member's lead professional, one a child at most, whoever recorded it (an
    involvement, or the lead chosen on an episode: episodes/services/lead.py). The one read of who
    leads that "Start early help", triage and the request pages show (DOMAIN §2: ask before assessing)."""
    if not family_id:
        return []
    return list(
        Involvement.objects.filter(
            person__memberships__family_id=family_id, person__memberships__left_on__isnull=True,
            person__merged_into__isnull=True, is_lead_professional=True, ended_on__isnull=True,
        )
        .select_related("person", "agency", "practitioner", "practitioner__agency", "episode")
        .distinct()
        .order_by("person__date_of_birth", "pk")
    )


def involvement_get_for_user(user: User, involvement_id: int) -> Involvement:
    involvement = get_object_or_404(Involvement.objects.select_related("person", "agency", "episode"), pk=involvement_id)
    require(user, "people.view_person", involvement.person)
    return involvement


# "Already known?" ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Whom to call about a person: never more than a practitioner would put in an email signature."""

    why: str
    name: str
    role: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class KnownFamily:
    family: Family
    role: str
    open_requests: list
    open_episodes: list


@dataclass
class KnownResult:
    match: Match
    can_view: bool
    contact: Contact | None
    # Only filled in when the user may see the family: otherwise the page has nothing to leak.
    person: Person | None = None
    age: str = ""
    families: list[KnownFamily] = field(default_factory=list)
    lead: Involvement | None = None
    # For someone outside the network whose role may see families: the record break-glass opens.
    break_glass_family_id: int | None = None
    # For someone outside the network: the family a concern of significant harm about this person goes
    # to (DOMAIN §3: harm overrides; the concern form shows nothing of a family the user may not see).
    concern_family_id: int | None = None

    @property
    def has_open_support(self) -> bool:
        return any(known.open_requests or known.open_episodes for known in self.families)

    @property
    def strength(self) -> str:
        if self.match.exact_identifier:
            return "Exact match"
        return "Strong match" if self.match.score >= 90 else "Possible match"


def _hub_contact() -> Contact:
    hub = Team.objects.filter(kind=TeamKind.FRONT_DOOR).select_related("agency").order_by("pk").first()
    if hub is None:
        return Contact(why="Ask the early help front door", name="Early Help Hub")
    return Contact(why="No lead professional is recorded: ask the early help front door", name=hub.name,
                   organisation=hub.agency.name, phone=hub.phone, email=hub.email)


def _user_contact(user: User, why: str) -> Contact:
    return Contact(
        why=why, name=user.get_full_name() or user.username, role=user.job_title,
        organisation=user.agency.name if user.agency_id else "", phone=user.phone, email=user.email,
    )


def _team_contact(team: Team, why: str) -> Contact:
    return Contact(why=why, name=team.name, organisation=team.agency.name, phone=team.phone, email=team.email)


def contact_for(person: Person) -> Contact | None:
    """The lead professional, else whoever the family is allocated to; None when no one is (then the
    front door, `_hub_contact`, asked only when a result needs it)."""
    if person.current_leads:
        lead = person.current_leads[0]
        return Contact(
            why="Lead professional", name=lead.contact_name, role=lead.role_description,
            organisation=lead.agency.name, phone=lead.phone, email=lead.email,
        )
    for membership in person.current_memberships:
        for episode in membership.family.open_episodes:
            if episode.lead_professional_id:
                return _user_contact(episode.lead_professional, "Lead professional for the family's early help")
            if episode.allocated_worker_id:
                return _user_contact(episode.allocated_worker, "Allocated early help worker")
            if episode.team_id:
                return _team_contact(episode.team, "Allocated early help team")
        for request in membership.family.active_requests:
            allocation = getattr(request, "allocation", None)
            if allocation is None:
                continue
            if allocation.practitioner_id:
                return _user_contact(allocation.practitioner, "Allocated practitioner")
            if allocation.team_id:
                return _team_contact(allocation.team, "Allocated team")
    return None


def _by(rows, key: str, *, newest_first: str = "") -> dict[int, list]:
    """The rows grouped by `key`, in the query's order, or newest first by `newest_first` (a field
    that is never empty).

    Sorted here, not by ORDER BY: beside a wide select_related, Django hashes every selected column
    to compile an ORDER BY, which cost more than sorting these few rows (docs/performance.md)."""
    if newest_first:
        rows = sorted(rows, key=attrgetter(newest_first), reverse=True)
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _people_with_context(user: User, person_ids: list[int]) -> dict[int, Person]:
    """The people, their current families (with can_view), open requests and episodes, and their
    current lead professional: a fixed number of queries however many there are.

    Each list is one query by the ids, grouped here: a search page asks this for every search, and
    prefetch_related's machinery for four nested lists cost more than the queries themselves."""
    from earlyhelp.episodes.models import Episode, EpisodeState
    from earlyhelp.frontdoor.models import OPEN_REQUEST_STATUSES, RequestForSupport, RequestStatus

    # No order asked where there is at most one: a person has one current lead, a family one open episode.
    leads = _by(Involvement.objects.filter(person_id__in=person_ids, is_lead_professional=True, ended_on__isnull=True)
                .select_related("agency", "practitioner").order_by(), "person_id")
    memberships = _by(FamilyMember.objects.filter(person_id__in=person_ids, left_on__isnull=True)
                      .select_related("family", "person").order_by("pk"), "person_id")
    # The people come with their households; only someone in none is asked for on their own.
    people = {person_id: listed[0].person for person_id, listed in memberships.items()}
    if missing := [person_id for person_id in person_ids if person_id not in people]:
        people.update((person.pk, person) for person in Person.objects.filter(pk__in=missing).order_by())
    family_ids = {membership.family_id for listed in memberships.values() for membership in listed}
    requests = _by(RequestForSupport.objects.filter(
        family_id__in=family_ids, status__in=[*OPEN_REQUEST_STATUSES, RequestStatus.ALLOCATED],
    ).select_related("allocation", "allocation__team", "allocation__team__agency",
                     "allocation__practitioner", "allocation__practitioner__agency")
        .order_by(), "family_id", newest_first="submitted_at") if family_ids else {}
    episodes = _by(Episode.objects.filter(family_id__in=family_ids).exclude(state=EpisodeState.CLOSED).select_related(
        "lead_professional", "lead_professional__agency", "allocated_worker", "allocated_worker__agency",
        "team", "team__agency",
    ).order_by(), "family_id") if family_ids else {}
    for person in people.values():
        person.current_leads = leads.get(person.pk, [])
        person.current_memberships = memberships.get(person.pk, [])
        for membership in person.current_memberships:
            membership.family.active_requests = requests.get(membership.family_id, [])
            membership.family.open_episodes = episodes.get(membership.family_id, [])
    _mark_visible(user, [membership for person in people.values() for membership in person.current_memberships])
    return people


def known_results(
    user: User, matches: list[Match], *, today: date, audit_what: str = "", path: str = ""
) -> list[KnownResult]:
    """Turn matches into what the user may be shown: details for families they work with, and
    for the rest only that the person is known and whom to contact."""
    from earlyhelp.frontdoor.models import OPEN_REQUEST_STATUSES

    if not matches:
        return []
    people = _people_with_context(user, [match.person_id for match in matches])
    hub = None
    results = []
    for match in matches:
        person = people.get(match.person_id)
        if person is None:
            continue
        memberships = person.current_memberships
        visible = [membership for membership in memberships if membership.can_view]
        contact = contact_for(person)
        if contact is None:
            hub = hub or _hub_contact()
            contact = hub
        if not visible:
            results.append(KnownResult(
                match=match, can_view=False, contact=contact,
                break_glass_family_id=memberships[0].family_id if memberships and user.can_see_families else None,
                concern_family_id=memberships[0].family_id if memberships else None,
            ))
            continue
        results.append(KnownResult(
            match=match, can_view=True, contact=contact, person=person, age=age_text(person, today),
            lead=person.current_leads[0] if person.current_leads else None,
            families=[
                KnownFamily(
                    family=membership.family,
                    role=membership.get_role_display(),
                    open_requests=[r for r in membership.family.active_requests if r.status in OPEN_REQUEST_STATUSES],
                    open_episodes=list(membership.family.open_episodes),
                )
                for membership in visible
            ],
        ))
    if audit_what:
        AccessRecord.objects.bulk_create([
            AccessRecord(
                user=user, kind=AccessKind.SEARCH, person_id=result.match.person_id,
                family_id=(result.families[0].family.pk if result.families else None),
                what=audit_what[:200], path=path[:300],
            )
            for result in results
        ])
    return results


def already_known_search(user: User, criteria: SearchCriteria, *, today: date, path: str = "") -> list[KnownResult]:
    _require_family_role(user)
    return known_results(user, search_people(criteria), today=today,
                         audit_what='"Already known?" search result', path=path)


def likely_duplicates(user: User, criteria: SearchCriteria, *, today: date, path: str = "") -> list[KnownResult]:
    """People who may be the one about to be created (same search, same ranking)."""
    _require_family_role(user)
    matches = [match for match in search_people(criteria, limit=10) if match.exact_identifier or match.score >= 75]
    return known_results(user, matches, today=today, audit_what="Shown as a possible duplicate", path=path)


# Merging (administrators) ---------------------------------------------------------------------


def _require_administrator(user: User) -> None:
    require(user, "people.merge_people")


def people_for_merge_search(user: User, query: str) -> list[Person]:
    """Records an administrator may be about to merge: by record number, NHS number or name."""
    _require_administrator(user)
    query = query.strip()
    if not query:
        return []
    compact = "".join(query.split())
    people = Person.objects.filter(merged_into__isnull=True)
    if compact.isdigit() and len(compact) == 10:
        found = people.filter(nhs_number=compact)
    elif compact.isdigit():
        found = people.filter(pk=int(compact))
    else:
        ids = [match.person_id for match in search_people(SearchCriteria(name=query))]
        order = {person_id: index for index, person_id in enumerate(ids)}
        found = people.filter(pk__in=ids)
        return sorted(_with_families(found), key=lambda person: order[person.pk])
    return list(_with_families(found[:20]))


def _with_families(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.select_related("school").prefetch_related(
        Prefetch("memberships", queryset=FamilyMember.objects.select_related("family"), to_attr="all_memberships")
    )


def person_for_merge(user: User, person_id: int, *, path: str = "") -> Person | None:
    _require_administrator(user)
    person = _with_families(Person.objects.filter(pk=person_id)).first()
    if person is not None:
        access_record_create(user=user, person=person, what="Compared for a merge", path=path)
    return person


# How the merge page names a kind of record where the model's own name reads badly; any other
# kind pointing at a person is counted under its model's plural name.
MERGE_COUNT_TITLES = {
    "people.FamilyMember": "Household memberships",
    "frontdoor.RequestPerson": "People named on requests for support",
    "frontdoor.HarmReferral": "Concerns of significant harm",
    "episodes.EpisodeChild": "Episodes (as a child of concern)",
    "episodes.AssessmentChildSection": "Assessments (the child's own section)",
    "episodes.TafMeeting": "Team around the family meetings attended",
    "episodes.PlanAction": "Plan actions they own",
    "episodes.StepDown": "Steps down from social care",
}


def merge_counts(person: Person) -> dict[str, int]:
    """How many records of each kind would move with this person: every relation a merge moves."""
    counts: dict[str, int] = {}
    for link in links_moved_on_merge(Person):
        count = link.rows([person.pk]).count()
        if count:
            title = MERGE_COUNT_TITLES.get(link.record._meta.label, link.title)
            counts[title] = counts.get(title, 0) + count
    return counts


def merges_list(user: User) -> QuerySet[PersonMerge]:
    """Every merge, newest first: the merge page is the only place the history is shown."""
    _require_administrator(user)
    return PersonMerge.objects.select_related("kept", "duplicate", "merged_by").order_by("-merged_at", "-pk")

