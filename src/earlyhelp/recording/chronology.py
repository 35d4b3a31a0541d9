"""The chronology of a family, or of one child in it (issue 12, point 4).

Significant notes and every event the service already knows, each from its own record: one
query for each source (and one for each source's children), whatever the number of events,
merged and sorted here. Filtering by kind, dates and significance is done on the merged list
(one family's events fit in memory); the child filter goes into each query that knows children.

Each source's own "may see" permission decides whether its entries link to their page and show
their details; a record the user may not see is shown only as existing, with its date
(docs/case-recording.md, "Chronology"). The permission is asked once for each source and episode,
with one of its records: every one of them is granted through the family's network (or, for the
allocation meeting, by role), and only someone in the network sees the chronology, so the answer
is the same for each record of one family.

Writes no access record: the pages and downloads do (chronology_views.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from earlyhelp.episodes.models import (
    Episode,
    EpisodeChild,
    EpisodeEvent,
    Review,
    StepDown,
    TafMeeting,
)
from earlyhelp.episodes.selectors_core import event_title
from earlyhelp.frontdoor.models import (
    AllocationDecision,
    HarmReferral,
    LevelOfNeedDecision,
    RequestForSupport,
    RequestPerson,
)
from earlyhelp.people.access import family_answers_kept
from earlyhelp.people.models import Family, Person
from earlyhelp.policy import may

from .models import OversightNote
from .selectors import notes_for_chronology

PAGE_SIZE = 50
HIDDEN_SUMMARY = "You cannot see the details of this record"


class ChronologyKind(models.TextChoices):
    NOTE = "note", "Contact or case note"
    REQUEST = "request", "Request for support"
    LEVEL = "level", "Level of need decision"
    HARM = "harm", "Concern of significant harm"
    ALLOCATION = "allocation", "Allocation meeting"
    EPISODE = "episode", "Early help started or children changed"
    CONSENT = "consent", "Consent"
    SHARING = "sharing", "Information sharing"
    ASSESSMENT = "assessment", "Assessment"
    LEAD = "lead", "Lead professional"
    DISAGREEMENT = "disagreement", "Disagreement"
    MEETING = "meeting", "Team Around the Family meeting"
    PLAN = "plan", "Plan"
    REVIEW = "review", "Review"
    OVERSIGHT = "oversight", "Management oversight"
    STEP_UP = "step_up", "Step up"
    STEP_DOWN = "step_down", "Step down"
    CLOSURE = "closure", "Closure"


@dataclass
class ChronologyEntry:
    at: datetime
    time_known: bool
    kind: str
    title: str
    summary: str = ""
    who: str = ""
    children: list[str] = field(default_factory=list)
    significant: bool = False
    url: str = ""
    # The user may not see the record: only that it exists, and when.
    hidden: bool = False
    # Ties on the same moment keep a stable order: the source, then its record.
    tiebreak: tuple = ()

    @property
    def kind_label(self) -> str:
        return ChronologyKind(self.kind).label

    @property
    def on(self) -> date:
        return timezone.localtime(self.at).date()


@dataclass(frozen=True)
class Filters:
    child: Person | None = None
    kinds: frozenset[str] = frozenset()
    start: date | None = None
    end: date | None = None
    significant_only: bool = False
    oldest_first: bool = False


# The episode timeline's kinds, as the chronology files them, and the episode page each links to.
# Meetings, reviews and step downs come from their own records instead (with the day they were
# held, and a link to each), so their timeline events are left out.
EVENT_KINDS: dict[str, tuple[str, str]] = {
    "opened": (ChronologyKind.EPISODE, "episode-detail"),
    "child_added": (ChronologyKind.EPISODE, "episode-detail"),
    "child_removed": (ChronologyKind.EPISODE, "episode-detail"),
    "lead_professional_chosen": (ChronologyKind.LEAD, "episode-lead-professional"),
    "lead_professional_transferred": (ChronologyKind.LEAD, "episode-lead-professional"),
    "disagreement_raised": (ChronologyKind.DISAGREEMENT, "episode-lead-professional"),
    "disagreement_resolved": (ChronologyKind.DISAGREEMENT, "episode-lead-professional"),
    "consent_recorded": (ChronologyKind.CONSENT, "episode-consent"),
    "consent_given": (ChronologyKind.CONSENT, "episode-consent"),
    "consent_refused": (ChronologyKind.CONSENT, "episode-consent"),
    "consent_withdrawn": (ChronologyKind.CONSENT, "episode-consent"),
    "consent_withdrawn_by_person": (ChronologyKind.CONSENT, "episode-consent"),
    "sharing_decision": (ChronologyKind.SHARING, "episode-sharing"),
    "assessment_started": (ChronologyKind.ASSESSMENT, "episode-assessment"),
    "assessment_submitted": (ChronologyKind.ASSESSMENT, "episode-assessment"),
    "assessment_returned": (ChronologyKind.ASSESSMENT, "episode-assessment"),
    "assessment_completed": (ChronologyKind.ASSESSMENT, "episode-assessment"),
    "monitoring_form": (ChronologyKind.ASSESSMENT, "episode-monitoring"),
    "plan_agreed": (ChronologyKind.PLAN, "episode-plan"),
    "outcome_added": (ChronologyKind.PLAN, "episode-plan"),
    "action_added": (ChronologyKind.PLAN, "episode-plan"),
    "action_status": (ChronologyKind.PLAN, "episode-plan"),
    "step_up_requested": (ChronologyKind.STEP_UP, "episode-stepping"),
    "step_up_accepted": (ChronologyKind.STEP_UP, "episode-stepping"),
    "step_up_declined": (ChronologyKind.STEP_UP, "episode-stepping"),
    "step_up_declined_to_consent": (ChronologyKind.STEP_UP, "episode-stepping"),
    "step_up_declined_to_assessment": (ChronologyKind.STEP_UP, "episode-stepping"),
    "step_up_declined_to_planning": (ChronologyKind.STEP_UP, "episode-stepping"),
    "closed": (ChronologyKind.CLOSURE, "episode-stepping"),
}
EVENTS_FROM_THEIR_OWN_RECORDS = ("taf_meeting", "review", "stepped_down")
# Besides notes marked as one: a significant event is a concern of significant harm, its decision,
# and a step up or step down.
SIGNIFICANT_EVENT_KINDS = frozenset({"step_up_requested", "step_up_accepted"})


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class _Asker:
    """May the user see this source? Asked once for each (permission, key)."""

    def __init__(self, user):
        self.user = user
        self.answers: dict[tuple, bool] = {}

    def __call__(self, permission: str, record, key=None) -> bool:
        if (permission, key) not in self.answers:
            self.answers[(permission, key)] = may(self.user, permission, record)
        return self.answers[(permission, key)]


def _hide(entry: ChronologyEntry) -> ChronologyEntry:
    entry.hidden, entry.summary, entry.who, entry.url, entry.children = True, "", "", "", []
    return entry


def _children_by(rows, record_field: str, person_field: str) -> dict[int, list[str]]:
    """The names of the children on each record of one source, oldest first: one query, whatever the
    number of records (or none)."""
    names: dict[int, list[str]] = {}
    for record_id, first, last, known_as in (
            rows.order_by(f"{person_field}__date_of_birth", f"{person_field}_id")
            .values_list(record_field, f"{person_field}__first_name", f"{person_field}__last_name",
                         f"{person_field}__known_as")):
        name = Person(first_name=first, last_name=last, known_as=known_as).full_name
        if name not in names.setdefault(record_id, []):
            names[record_id].append(name)
    return names


def _note_entries(user, family: Family, child: Person | None) -> list[ChronologyEntry]:
    entries = []
    for note_entry in notes_for_chronology(user, family, child=child):
        note = note_entry.note
        if note is None:  # a restricted note the user may not read: only that it exists
            entries.append(ChronologyEntry(at=note_entry.at, time_known=False, kind=ChronologyKind.NOTE,
                                           title=note_entry.title, hidden=True, tiebreak=(0, 0)))
            continue
        children = []
        for row in note_entry.children:
            seen = " (seen alone)" if row.seen_alone else " (seen)" if row.seen else " (not seen)"
            children.append(row.child.full_name + seen)
        title = note_entry.title
        if note.significant:
            title = f"Significant event: {note.get_significant_category_display() or 'significant event'} ({title.lower()})"
        summary = note.what_happened
        if note_entry.addenda:
            summary += f" ({len(note_entry.addenda)} addend{'um' if len(note_entry.addenda) == 1 else 'a'})"
        entries.append(ChronologyEntry(
            at=note.happened_at, time_known=note.time_known, kind=ChronologyKind.NOTE, title=title,
            summary=summary, who=_name(note.author), children=children, significant=note.significant,
            url=note_entry.url, tiebreak=(0, note.pk),
        ))
    return entries


def _request_entries(ask, family, child) -> list[ChronologyEntry]:
    requests = RequestForSupport.objects.filter(family=family).select_related("requested_by", "triaged_by")
    if child is not None:
        requests = requests.filter(people__person=child).distinct()
    requests = list(requests)
    if not requests:  # and no query for their children
        return []
    named = _children_by(RequestPerson.objects.filter(request__family=family, is_child=True, person__isnull=False),
                         "request_id", "person")
    entries = []
    for support_request in requests:
        visible = ask("frontdoor.view_request", support_request)
        url = reverse("request-detail", kwargs={"request_id": support_request.pk})
        children = named.get(support_request.pk, [])
        who = _name(support_request.requested_by) or support_request.get_source_display()
        entry = ChronologyEntry(
            at=support_request.submitted_at, time_known=True, kind=ChronologyKind.REQUEST,
            title=f"Request for support {support_request.reference}",
            summary=f"{support_request.get_urgency_display()}. {support_request.concern_details}",
            who=who, children=children, url=url, tiebreak=(1, support_request.pk),
        )
        entries.append(entry if visible else _hide(entry))
        if support_request.triaged_at:
            entry = ChronologyEntry(
                at=support_request.triaged_at, time_known=True, kind=ChronologyKind.REQUEST,
                title=f"Request {support_request.reference} triaged",
                summary=support_request.get_triage_outcome_display() or support_request.get_status_display(),
                who=_name(support_request.triaged_by), children=children, url=url, tiebreak=(2, support_request.pk),
            )
            entries.append(entry if visible else _hide(entry))
    return entries


def _level_entries(ask, family, child) -> list[ChronologyEntry]:
    decisions = LevelOfNeedDecision.objects.filter(family=family).select_related("decided_by", "request")
    if child is not None:  # a decision on a request: the children it names; else the whole family's
        decisions = decisions.filter(Q(request__isnull=True) | Q(request__people__person=child)).distinct()
    entries = []
    for decision in decisions:
        visible = ask("frontdoor.view_request", decision.request) if decision.request else True
        url = (reverse("request-detail", kwargs={"request_id": decision.request_id}) if decision.request_id
               else reverse("family-detail", kwargs={"family_id": family.pk}))
        entry = ChronologyEntry(
            at=decision.decided_at, time_known=True, kind=ChronologyKind.LEVEL,
            title=f"Level of need decided: {decision.get_level_display()}", summary=decision.reasons,
            who=_name(decision.decided_by), url=url, tiebreak=(3, decision.pk),
        )
        entries.append(entry if visible else _hide(entry))
    return entries


def _harm_entries(ask, family, child) -> list[ChronologyEntry]:
    referrals = HarmReferral.objects.filter(family=family).select_related("raised_by", "decided_by")
    if child is not None:
        referrals = referrals.filter(children=child).distinct()
    referrals = list(referrals)
    if not referrals:
        return []
    named = _children_by(HarmReferral.children.through.objects.filter(harmreferral__family=family),
                         "harmreferral_id", "person")
    entries = []
    for referral in referrals:
        visible = ask("frontdoor.view_harm_referral", referral)
        url = reverse("harm-referral-detail", kwargs={"referral_id": referral.pk})
        children = named.get(referral.pk, [])
        entry = ChronologyEntry(
            at=referral.raised_at, time_known=True, kind=ChronologyKind.HARM,
            title="Concern of significant harm raised", summary=referral.what_is_known,
            who=_name(referral.raised_by), children=children, significant=True, url=url, tiebreak=(4, referral.pk),
        )
        entries.append(entry if visible else _hide(entry))
        if referral.decided_at:
            entry = ChronologyEntry(
                at=referral.decided_at, time_known=True, kind=ChronologyKind.HARM,
                title=f"Children's Social Care decided: {referral.get_decision_display()}",
                summary=referral.decision_notes, who=_name(referral.decided_by), children=children,
                significant=True, url=url, tiebreak=(5, referral.pk),
            )
            entries.append(entry if visible else _hide(entry))
    return entries


def _allocation_entries(ask, family, child) -> list[ChronologyEntry]:
    decisions = AllocationDecision.objects.filter(request__family=family).select_related(
        "meeting", "request", "team", "practitioner", "decided_by")
    if child is not None:
        decisions = decisions.filter(request__people__person=child).distinct()
    entries = []
    for decision in decisions:
        # The meeting is the front door's; everyone who may see the request sees its decision there.
        if ask("frontdoor.view_meeting", decision.meeting):
            url = reverse("allocation-meeting-detail", kwargs={"meeting_id": decision.meeting_id})
        else:
            url = reverse("request-detail", kwargs={"request_id": decision.request_id})
        allocated = decision.practitioner and _name(decision.practitioner) or (decision.team and decision.team.name)
        summary = decision.get_outcome_display() + (f": {allocated}" if allocated else "")
        if decision.other_service:
            summary += f": {decision.other_service}"
        entry = ChronologyEntry(
            at=decision.decided_at, time_known=True, kind=ChronologyKind.ALLOCATION,
            title=f"Allocation meeting of {decision.meeting.held_on:%-d %B %Y}: request {decision.request.reference}",
            summary=f"{summary}. {decision.reasons}", who=_name(decision.decided_by), url=url,
            tiebreak=(6, decision.pk),
        )
        entries.append(entry if ask("frontdoor.view_request", decision.request) else _hide(entry))
    return entries


def _episode_entries(ask, family, child) -> list[ChronologyEntry]:
    episodes = Episode.objects.filter(family=family)
    if child is not None:
        episodes = episodes.filter(children__person=child).distinct()
    episodes = {episode.pk: episode for episode in episodes}
    if not episodes:
        return []
    # Every child who was ever a child of concern in the episode.
    children = _children_by(EpisodeChild.objects.filter(episode__family=family), "episode_id", "person")
    children = {pk: children.get(pk, []) for pk in episodes}
    visible = {pk: ask("episodes.view_episode", episode) for pk, episode in episodes.items()}
    entries = []

    def add(entry: ChronologyEntry, episode_id: int):
        entries.append(entry if visible[episode_id] else _hide(entry))

    events = (EpisodeEvent.objects.filter(episode_id__in=list(episodes))
              .exclude(kind__in=EVENTS_FROM_THEIR_OWN_RECORDS).select_related("by"))
    for event in events:
        kind, url_name = EVENT_KINDS.get(event.kind, (ChronologyKind.EPISODE, "episode-detail"))
        episode = episodes[event.episode_id]
        add(ChronologyEntry(
            at=event.at, time_known=True, kind=kind, title=event_title(event.kind),
            summary=f"{event.summary} (episode {episode.reference})", who=_name(event.by),
            children=children[event.episode_id], significant=event.kind in SIGNIFICANT_EVENT_KINDS,
            url=reverse(url_name, kwargs={"episode_id": event.episode_id}), tiebreak=(7, event.pk),
        ), event.episode_id)
    for meeting in TafMeeting.objects.filter(episode_id__in=list(episodes)).select_related("recorded_by"):
        add(ChronologyEntry(
            at=_start_of(meeting.held_on), time_known=False, kind=ChronologyKind.MEETING,
            title="Team Around the Family meeting", summary=meeting.decided or meeting.discussed,
            who=_name(meeting.recorded_by), children=children[meeting.episode_id],
            url=reverse("episode-taf-detail", kwargs={"episode_id": meeting.episode_id, "meeting_id": meeting.pk}),
            tiebreak=(8, meeting.pk),
        ), meeting.episode_id)
    for review in Review.objects.filter(episode_id__in=list(episodes)).select_related("recorded_by"):
        add(ChronologyEntry(
            at=_start_of(review.held_on), time_known=False, kind=ChronologyKind.REVIEW,
            title=f"Plan reviewed: {review.get_decision_display()}", summary=review.notes or review.new_or_unmet_needs,
            who=_name(review.recorded_by), children=children[review.episode_id],
            url=reverse("episode-review-detail", kwargs={"episode_id": review.episode_id, "review_id": review.pk}),
            tiebreak=(9, review.pk),
        ), review.episode_id)
    # Oversight is read by the episode's own lead, allocated worker and managers: asked per episode.
    for oversight in OversightNote.objects.filter(episode_id__in=list(episodes)).select_related("recorded_by"):
        entry = ChronologyEntry(
            at=oversight.recorded_at, time_known=True, kind=ChronologyKind.OVERSIGHT,
            title=f"{oversight.get_kind_display()} recorded", summary=oversight.decision,
            who=_name(oversight.recorded_by), children=children[oversight.episode_id],
            url=reverse("episode-oversight", kwargs={"episode_id": oversight.episode_id}), tiebreak=(12, oversight.pk),
        )
        readable = ask("recording.view_oversight", episodes[oversight.episode_id], key=oversight.episode_id)
        entries.append(entry if readable else _hide(entry))
    return entries


def _step_down_entries(ask, family, child) -> list[ChronologyEntry]:
    step_downs = StepDown.objects.filter(family=family).select_related("social_worker", "decided_by")
    if child is not None:
        step_downs = step_downs.filter(children=child).distinct()
    step_downs = list(step_downs)
    if not step_downs:
        return []
    named = _children_by(StepDown.children.through.objects.filter(stepdown__family=family), "stepdown_id", "person")
    entries = []
    for step_down in step_downs:
        visible = ask("episodes.view_step_down", step_down)
        url = reverse("step-down-detail", kwargs={"step_down_id": step_down.pk})
        children = named.get(step_down.pk, [])
        entry = ChronologyEntry(
            at=step_down.proposed_at, time_known=True, kind=ChronologyKind.STEP_DOWN,
            title="Step down to early help proposed", summary=step_down.final_assessment_summary,
            who=_name(step_down.social_worker), children=children, significant=True, url=url,
            tiebreak=(10, step_down.pk),
        )
        entries.append(entry if visible else _hide(entry))
        if step_down.decided_at:
            entry = ChronologyEntry(
                at=step_down.decided_at, time_known=True, kind=ChronologyKind.STEP_DOWN,
                title=f"Step down: {step_down.get_status_display()}", summary=step_down.return_reasons,
                who=_name(step_down.decided_by), children=children, significant=True, url=url,
                tiebreak=(11, step_down.pk),
            )
            entries.append(entry if visible else _hide(entry))
    return entries


SOURCES: list[Callable] = [_request_entries, _level_entries, _harm_entries, _allocation_entries,
                           _episode_entries, _step_down_entries]


def chronology_entries(user, family: Family, filters: Filters | None = None) -> list[ChronologyEntry]:
    """The family's chronology (or one child's) as the user may see it, filtered and in order.

    The caller has checked that the user may see the family (people.selectors.family_get_for_user)
    and writes the access record."""
    filters = filters or Filters()
    ask = _Asker(user)
    with family_answers_kept():
        entries = _note_entries(user, family, filters.child)
        for source in SOURCES:
            entries += source(ask, family, filters.child)
    if filters.kinds:
        entries = [entry for entry in entries if entry.kind in filters.kinds]
    if filters.significant_only:
        entries = [entry for entry in entries if entry.significant]
    if filters.start:
        entries = [entry for entry in entries if entry.on >= filters.start]
    if filters.end:
        entries = [entry for entry in entries if entry.on <= filters.end]
    entries.sort(key=lambda entry: (entry.at, entry.tiebreak), reverse=not filters.oldest_first)
    return entries


def chronology_children(family: Family) -> list[Person]:
    """The children of the family, current and former, for the child filter."""
    from earlyhelp.people.models import MemberRole

    return list(Person.objects.filter(memberships__family=family, memberships__role__in=[MemberRole.CHILD, MemberRole.UNBORN])
                .distinct().order_by("date_of_birth", "pk"))
