"""Reads of consent and the sharing log.

Episode-level reads take an episode that already came through
episodes.selectors.episode_get_for_user (need-to-know checked, view audited).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind
from earlyhelp.people.access import families_visible_to
from earlyhelp.people.models import FamilyMember, MemberRole, Person
from earlyhelp.policy import may
from earlyhelp.web.refusals import Refused

from .models import Consent, ConsentDecision, ConsentScope, LawfulBasis, SharingDecision

# Whose agreement lets an assessment start (DOMAIN §4). A child's own consent is recorded too,
# by age and understanding, but it cannot stand in for a parent's or carer's.
PARENT_CARER_ROLES = frozenset({MemberRole.PARENT, MemberRole.STEP_PARENT, MemberRole.CARER})
CHILD_CONSENT_ROLES = frozenset({MemberRole.CHILD})

# Agencies too numerous to list for every family; offered only when the family already uses them.
LOCAL_AGENCY_KINDS_ONLY_WHEN_USED = (AgencyKind.SCHOOL, AgencyKind.EARLY_YEARS, AgencyKind.GP_PRACTICE)


def _member_role(episode) -> Subquery:
    return Subquery(
        FamilyMember.objects.filter(
            family_id=episode.family_id, person_id=OuterRef("person_id"), left_on__isnull=True
        ).values("role")[:1]
    )


@dataclass
class AssessmentConsentPosition:
    """Where the family stands on the assessment: each person's latest decision."""

    latest: list[Consent] = field(default_factory=list)

    @property
    def parents(self) -> list[Consent]:
        return [c for c in self.latest if c.member_role in PARENT_CARER_ROLES]

    @property
    def given(self) -> list[Consent]:
        return [c for c in self.latest if c.decision == ConsentDecision.GIVEN and not c.withdrawn_on]

    @property
    def refused(self) -> list[Consent]:
        return [c for c in self.latest if c.decision == ConsentDecision.REFUSED]

    @property
    def withdrawn(self) -> list[Consent]:
        return [c for c in self.latest if c.withdrawn_on]

    @property
    def parent_given(self) -> list[Consent]:
        return [c for c in self.given if c.member_role in PARENT_CARER_ROLES]

    @property
    def all_parents_refused(self) -> bool:
        return bool(self.parents) and all(c.decision == ConsentDecision.REFUSED for c in self.parents)

    @property
    def parent_withdrawn_none_given(self) -> bool:
        return not self.parent_given and any(c.withdrawn_on for c in self.parents)


def assessment_consent_position(episode) -> AssessmentConsentPosition:
    """Each person's latest assessment-consent decision, with their role in the family, in one query."""
    consents = (
        Consent.objects.filter(episode=episode, scope=ConsentScope.ASSESSMENT)
        .select_related("person")
        .annotate(member_role=_member_role(episode))
        .order_by("person_id", "-given_on", "-pk")
    )
    latest: dict[int, Consent] = {}
    for consent in consents:
        latest.setdefault(consent.person_id, consent)
    return AssessmentConsentPosition(latest=sorted(latest.values(), key=lambda c: (c.given_on, c.pk)))


# The work consent to "the Early Help Assessment and support" covers: the assessment and the plan.
PAUSED_STAGES = {"assessment": "The assessment", "planning": "Agreeing the plan", "plan_active": "The plan"}
WORK_CONSENT_COVERS = frozenset(PAUSED_STAGES)


@dataclass(frozen=True)
class ConsentPause:
    """The work is paused: every parent or carer who gave consent to the assessment has withdrawn it."""

    withdrawn: list[Consent]
    stage: str  # what stopped, in words: "The assessment", "Agreeing the plan", "The plan"

    @property
    def names(self) -> str:
        names = [consent.person.full_name for consent in self.withdrawn]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def withdrawn_on(self) -> date:
        return max(consent.withdrawn_on for consent in self.withdrawn)


def consent_pause_for(episode, position: AssessmentConsentPosition) -> ConsentPause | None:
    if episode.state not in WORK_CONSENT_COVERS or not position.parent_withdrawn_none_given:
        return None
    return ConsentPause(withdrawn=[consent for consent in position.parents if consent.withdrawn_on],
                        stage=PAUSED_STAGES[episode.state])


def consent_pause(episode) -> ConsentPause | None:
    """None unless the episode's work is paused because consent was withdrawn (DOMAIN §4)."""
    return consent_pause_for(episode, assessment_consent_position(episode))


def consent_refuse_while_paused(episode, *, what: str) -> None:
    """Refuse (409) a step the withdrawn consent covered, and say what the practitioner can do instead."""
    pause = consent_pause(episode)
    if pause is not None:
        raise Refused(
            f"{pause.names} withdrew consent to the assessment and support on {pause.withdrawn_on:%-d %B %Y}, "
            f"so {what} while no parent or carer's consent is current. Consider how the children's needs "
            "might still be met: meet them another way and close the episode, or refer to Children's Social "
            "Care. If the family agrees again, record their consent."
        )


def consent_summary_for_episode(episode) -> dict:
    """The consent status shown on every page of the episode, in one query."""
    position = assessment_consent_position(episode)
    if position.parent_given:
        status, colour = "Given", "green"
    elif position.parent_withdrawn_none_given:
        status, colour = "Withdrawn", "red"
    elif any(c.decision == ConsentDecision.REFUSED for c in position.parents):
        status, colour = "Refused", "red"
    elif position.given:
        status, colour = "A parent or carer has not agreed yet", "yellow"
    else:
        status, colour = "Not recorded yet", "yellow"
    return {
        "status": status,
        "colour": colour,
        "given": position.given,
        "refused": position.refused,
        "withdrawn": position.withdrawn,
        "parent_given": position.parent_given,
        "pause": consent_pause_for(episode, position),
    }


def consent_close_offer(episode) -> dict | None:
    """Whether the practitioner may close the episode because of consent, and how (DOMAIN §4)."""
    from earlyhelp.episodes.models import EpisodeState
    from earlyhelp.episodes.transitions import TRANSITIONS, Action

    position = assessment_consent_position(episode)
    if episode.state == EpisodeState.AWAITING_CONSENT and position.all_parents_refused:
        return {
            "action": Action.CONSENT_REFUSED,
            "heading": "Close the episode because consent was refused",
            "reason": "Every parent or carer asked has refused consent to the assessment.",
        }
    if (episode.state, Action.CONSENT_WITHDRAWN) in TRANSITIONS and position.parent_withdrawn_none_given:
        return {
            "action": Action.CONSENT_WITHDRAWN,
            "heading": "Close the episode because consent was withdrawn",
            "reason": "No parent or carer's consent to the assessment is current: it has been withdrawn.",
        }
    return None


def _with_role_labels(consents) -> list[Consent]:
    consents = list(consents)
    for consent in consents:
        consent.member_role_label = MemberRole(consent.member_role).label.lower() if consent.member_role else ""
    return consents


def consent_records_for_episode(episode) -> list[Consent]:
    """Every consent record of the episode, newest first, with who and for which agencies.

    A person's earlier decision about the assessment is marked `superseded` by their latest one
    (e.g. verbal consent later confirmed in writing).
    """
    records = _with_role_labels(
        Consent.objects.filter(episode=episode)
        .select_related("person", "recorded_by")
        .prefetch_related(Prefetch("agencies", queryset=Agency.objects.only("name").order_by("name")))
        .annotate(member_role=_member_role(episode))
        .order_by("-given_on", "-pk")
    )
    decided: set[int] = set()
    for record in records:
        record.superseded = record.scope == ConsentScope.ASSESSMENT and record.person_id in decided
        if record.scope == ConsentScope.ASSESSMENT:
            decided.add(record.person_id)
    return records


def consent_get_for_episode(episode, consent_id: int) -> Consent | None:
    return (
        Consent.objects.filter(episode=episode, pk=consent_id)
        .select_related("person")
        .prefetch_related("agencies")
        .annotate(member_role=_member_role(episode))
        .first()
    )


def consents_by_ids_for_episode(episode, consent_ids: list[int]) -> list[Consent]:
    return _with_role_labels(
        Consent.objects.filter(episode=episode, pk__in=consent_ids)
        .select_related("person", "recorded_by")
        .prefetch_related("agencies")
        .annotate(member_role=_member_role(episode))
        .order_by("pk")
    )


@dataclass(frozen=True)
class ConsentPerson:
    person_id: int
    name: str
    role: str
    role_label: str
    age: int | None

    @property
    def is_child(self) -> bool:
        return self.role in CHILD_CONSENT_ROLES

    @property
    def label(self) -> str:
        if self.is_child:
            age = f", aged {self.age}" if self.age is not None else ", age not known"
            return f"{self.name} – child{age}"
        return f"{self.name} – {self.role_label.lower()}"


def consent_people_for_episode(episode, *, on: date | None = None) -> list[ConsentPerson]:
    """Who can give or refuse consent: the parents and carers, then the children (with ages)."""
    on = on or timezone.localdate()
    memberships = (
        FamilyMember.objects.filter(
            family_id=episode.family_id, left_on__isnull=True,
            role__in=[*PARENT_CARER_ROLES, *CHILD_CONSENT_ROLES],
        )
        .select_related("person")
        .order_by("person__date_of_birth", "person__last_name", "person__first_name")
    )
    people = [
        ConsentPerson(
            person_id=m.person_id, name=m.person.full_name, role=m.role,
            role_label=MemberRole(m.role).label, age=m.person.age_on(on),
        )
        for m in memberships
    ]
    return sorted(people, key=lambda p: p.is_child)


def consent_agency_choices(episode) -> QuerySet[Agency]:
    """Agencies the family may agree to share with: those serving the whole authority or their
    locality, and the schools, settings and surgeries already involved with them."""
    family_id = episode.family_id
    current_members = Q(memberships__family_id=family_id, memberships__left_on__isnull=True)
    member_ids = Person.objects.filter(current_members).values("pk")
    relevant = (
        Q(locality__isnull=True)
        | (Q(locality_id=episode.family.locality_id) & ~Q(kind__in=LOCAL_AGENCY_KINDS_ONLY_WHEN_USED))
        | Q(pk__in=Person.objects.filter(pk__in=member_ids, school__isnull=False).values("school_id"))
        | Q(pk__in=Agency.objects.filter(
            involvements__person_id__in=member_ids, involvements__ended_on__isnull=True).values("pk"))
        | Q(pk__in=Consent.agencies.through.objects.filter(consent__episode=episode).values("agency_id"))
    )
    if episode.team_id:
        relevant |= Q(pk=episode.team.agency_id)
    return Agency.objects.filter(relevant, is_active=True).order_by("name")


def sharing_consents_for_episode(episode) -> dict[int, list[Consent]]:
    """Agency id -> the current consents to share with it (each person's latest decision about
    that agency is 'given' and has not been withdrawn)."""
    consents = (
        Consent.objects.filter(episode=episode, scope=ConsentScope.SHARING)
        .select_related("person")
        .prefetch_related("agencies")
        .order_by("-given_on", "-pk")
    )
    latest: dict[tuple[int, int], Consent] = {}
    for consent in consents:
        for agency in consent.agencies.all():
            latest.setdefault((consent.person_id, agency.pk), consent)
    current: dict[int, list[Consent]] = {}
    for (_, agency_id), consent in latest.items():
        if consent.decision == ConsentDecision.GIVEN and not consent.withdrawn_on:
            current.setdefault(agency_id, []).append(consent)
    return current


def sharing_consent_agencies(episode) -> list[dict]:
    """For the sharing page: which agencies the family has agreed information may go to, and by whom."""
    current = sharing_consents_for_episode(episode)
    agencies = Agency.objects.filter(pk__in=current).order_by("name")
    return [{"agency": agency, "consents": current[agency.pk]} for agency in agencies]


def sharing_decisions_for_episode(episode) -> list[SharingDecision]:
    return list(
        SharingDecision.objects.filter(episode=episode)
        .select_related("with_agency", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def without_consent_filter() -> Q:
    """A decision made without consent: information shared on a public-interest basis."""
    return Q(shared=True) & ~Q(lawful_basis=LawfulBasis.CONSENT)


def sharing_for_review(user) -> QuerySet[SharingDecision]:
    """Decisions made without consent, in episodes of the team manager's teams, not yet seen."""
    if not may(user, "sharing.list_for_review"):
        return SharingDecision.objects.none()
    team_ids = list(user.teams.values_list("pk", flat=True))
    return (
        SharingDecision.objects.filter(
            without_consent_filter(),
            seen_by_manager_at__isnull=True,
            episode__team_id__in=team_ids,
            family__in=families_visible_to(user),
        )
        .select_related("episode", "family", "with_agency", "decided_by")
        .order_by("decided_at", "pk")
    )


def sharing_for_review_count(user) -> int:
    return sharing_for_review(user).count()


def sharing_decision_for_manager(user, decision_id: int) -> SharingDecision | None:
    """A decision made without consent in one of the manager's teams (seen or not)."""
    decision = (SharingDecision.objects.filter(without_consent_filter(), pk=decision_id)
                .select_related("episode", "family").first())
    return decision if decision is not None and may(user, "sharing.review_sharing", decision) else None
