"""The core pages of issue 7, each with a user who may see it, picked from the seeded database.

The benchmark (benchmarks/run.py) and the query budget test (tests/test_query_budget.py) both
measure these pages, so a budget recorded by one holds for the other. Each pick takes the
longest list of its kind (the practitioner with the most open episodes, the episode with the
most plan actions, the family with the most members), or the shortest, so that a page whose
queries grow with its list shows it. Every user is inside the family's network (people/access.py): the lead
professional of the episode, or a role whose page it is.
"""

import time
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.demo import DEMO_ACCOUNTS
from earlyhelp.accounts.models import Role, User
from earlyhelp.episodes.models import (
    OPEN_EPISODE_STATES,
    AssessmentChildSection,
    Episode,
    EpisodeEvent,
)
from earlyhelp.frontdoor.models import RequestForSupport, RequestStatus
from earlyhelp.people.access import user_can_see_family
from earlyhelp.people.models import Family
from earlyhelp.recording.models import CaseNote

from .search_set import known_queries

# The order of the table.
CORE_PAGE_KEYS = (
    "my_work", "family", "assessment_section", "plan", "chronology", "note", "search", "front_door", "dashboard",
    "dashboard_counted", "annex_a",
)
# p95 targets in milliseconds: core pages 50 ms (issue 15; issue 7 asked for 100); the chronology
# and a note 100 ms (issue 12); the dashboard as it opens, with its figures kept ready, 200 ms
# (issue 15), and counted when asked for other filters 1 s; Annex A for the whole council 5 s.
PAGE_TARGET_MS = 50
TARGETS_MS = {"chronology": 100, "note": 100, "dashboard": 200, "dashboard_counted": 1000, "annex_a": 5_000}
SEARCH_PAYLOADS = 20


PLURALS = {"child": "children", "addendum": "addenda"}


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}" if count == 1 else f"{count} {PLURALS.get(thing, thing + 's')}"


class NoPageData(LookupError):
    """The database has nothing to show on a core page (not seeded, or too small)."""


@dataclass(frozen=True)
class CorePage:
    key: str
    title: str
    username: str
    path: str
    method: str = "GET"
    # POST bodies used in turn (a new misspelt name for each search), or one empty GET.
    payloads: tuple[dict, ...] = field(default=({},))
    # What the list on the page holds, for the reader of the table: "14 open episodes".
    list_size: str = ""
    # The POST asks for a file made in the background (earlyhelp/background): timed with the worker's making
    # of it and its download, the work the user waits for.
    made_in_background: bool = False

    @property
    def target_ms(self) -> int:
        return TARGETS_MS.get(self.key, PAGE_TARGET_MS)

    @property
    def is_export(self) -> bool:
        return self.key == "annex_a"


def _open_episodes():
    return Episode.objects.filter(state__in=sorted(OPEN_EPISODE_STATES))


def _demo_or_first(role: Role) -> User:
    """The demo account of the role when seeded, else the first user with it."""
    demo = next((account.username for account in DEMO_ACCOUNTS if account.role == role), None)
    user = User.objects.filter(username=demo, role=role, is_active=True).first() if demo else None
    user = user or User.objects.filter(role=role, is_active=True).order_by("pk").first()
    if user is None:
        raise NoPageData(f"No user with the role {role.label}")
    return user


def _by_size(field_name: str, longest: bool) -> tuple[str, str]:
    return (f"-{field_name}" if longest else field_name), "pk"


def busiest_practitioner(*, longest: bool = True) -> tuple[User, int]:
    """The early help practitioner with the most (or fewest) open episodes as lead professional."""
    open_work = Q(led_episodes__state__in=sorted(OPEN_EPISODE_STATES))
    user = (User.objects.filter(role=Role.EARLY_HELP_PRACTITIONER, is_active=True)
            .annotate(open_episodes=Count("led_episodes", filter=open_work))
            .filter(open_episodes__gt=0).order_by(*_by_size("open_episodes", longest)).first())
    if user is None:
        raise NoPageData("No early help practitioner leads an open episode")
    from earlyhelp.episodes.selectors_core import my_work_list

    return user, my_work_list(user).count()


def _led_by_practitioner():
    return _open_episodes().filter(lead_professional__role=Role.EARLY_HELP_PRACTITIONER,
                                   lead_professional__is_active=True)


def _checked(user: User, family_id: int) -> User:
    # The pick must pass the one access rule, or the benchmark would time a refusal.
    if not user_can_see_family(user, family_id):
        raise NoPageData(f"{user.username} may not see family {family_id}")
    return user


def _family_page(longest: bool) -> CorePage:
    family = (Family.objects.filter(episodes__in=_led_by_practitioner())
              .annotate(member_count=Count("memberships", distinct=True))
              .order_by(*_by_size("member_count", longest)).first())
    if family is None:
        raise NoPageData("No family has an open episode led by an early help practitioner")
    lead = _checked(_led_by_practitioner().filter(family=family).order_by("pk").first().lead_professional,
                    family.pk)
    return CorePage("family", "Family page", lead.username, reverse("family-detail", args=[family.pk]),
                    list_size=_counted(family.member_count, "member"))


def _assessment_page(longest: bool) -> CorePage:
    section = (AssessmentChildSection.objects.filter(assessment__episode__in=_led_by_practitioner())
               .annotate(ratings_count=Count("ratings")).order_by(*_by_size("ratings_count", longest))
               .select_related("assessment__episode__lead_professional").first())
    if section is None:
        raise NoPageData("No open episode has an assessment with a child's section")
    episode = section.assessment.episode
    lead = _checked(episode.lead_professional, episode.family_id)
    return CorePage("assessment_section", "Assessment: a child's section", lead.username,
                    reverse("episode-assessment-child", args=[episode.pk, section.pk]),
                    list_size=_counted(section.ratings_count, "rating"))


def _plan_page(longest: bool) -> CorePage:
    episode = (_led_by_practitioner()
               .annotate(actions=Count("outcomes__actions", distinct=True),
                         outcome_count=Count("outcomes", distinct=True))
               .filter(actions__gt=0).order_by(*_by_size("actions", longest))
               .select_related("lead_professional").first())
    if episode is None:
        raise NoPageData("No open episode has a plan with actions")
    lead = _checked(episode.lead_professional, episode.family_id)
    return CorePage("plan", "Plan", lead.username, reverse("episode-plan", args=[episode.pk]),
                    list_size=f"{_counted(episode.outcome_count, 'outcome')}, {_counted(episode.actions, 'action')}")


def _chronology_page(longest: bool) -> CorePage:
    """The chronology of the family with the most (or fewest) events: its episodes' timeline
    events and its case notes."""
    def count_of(rows, family_path: str):
        return Coalesce(Subquery(rows.filter(**{family_path: OuterRef("family_id")}).order_by()
                                 .values(family_path).annotate(total=Count("pk")).values("total")), 0)

    episode = (_led_by_practitioner()
               .annotate(event_count=count_of(EpisodeEvent.objects.all(), "episode__family_id"),
                         note_count=count_of(CaseNote.objects.all(), "family_id"))
               .annotate(entry_count=F("event_count") + F("note_count"))
               .filter(event_count__gt=0).order_by(*_by_size("entry_count", longest))
               .select_related("lead_professional").first())
    if episode is None:
        raise NoPageData("No family with an open episode has events")
    lead = _checked(episode.lead_professional, episode.family_id)
    return CorePage("chronology", "Chronology of a family", lead.username,
                    reverse("family-chronology", args=[episode.family_id]),
                    list_size=f"{_counted(episode.event_count, 'episode event')}, "
                              f"{_counted(episode.note_count, 'case note')}")


def _note_page(longest: bool) -> CorePage:
    """A completed case note with the most (or fewest) children and addenda, read by its author,
    the lead professional of its open episode."""
    note = (CaseNote.objects.filter(completed_at__isnull=False, episode__in=_led_by_practitioner(),
                                    author=F("episode__lead_professional"))
            .annotate(child_count=Count("children", distinct=True), addendum_count=Count("addenda", distinct=True))
            .annotate(size=F("child_count") + F("addendum_count"))
            .order_by(*_by_size("size", longest)).select_related("author").first())
    if note is None:
        raise NoPageData("No open episode led by a practitioner has a completed note by its lead")
    author = _checked(note.author, note.family_id)
    return CorePage("note", "A case note", author.username, reverse("note-detail", args=[note.pk]),
                    list_size=f"{_counted(note.child_count, 'child')}, {_counted(note.addendum_count, 'addendum')}")


def _search_page(practitioner: User, seed: int) -> CorePage:
    queries = [query for query in known_queries(count=SEARCH_PAYLOADS * 2, seed=seed) if query.kind == "typo"]
    if not queries:
        raise NoPageData("No people to search for")
    payloads = tuple({"name": query.name} for query in queries[:SEARCH_PAYLOADS])
    return CorePage("search", '"Already known?" search, misspelt name', practitioner.username,
                    reverse("already-known"), method="POST", payloads=payloads,
                    list_size=f"{len(payloads)} different names")


def _front_door_page() -> CorePage:
    officer = _demo_or_first(Role.FRONT_DOOR_OFFICER)
    waiting = RequestForSupport.objects.filter(
        status__in=[RequestStatus.AWAITING_TRIAGE, RequestStatus.AWAITING_ALLOCATION]).count()
    return CorePage("front_door", "Front-door queue", officer.username, reverse("front-door"),
                    list_size=f"{_counted(waiting, 'request')} waiting")


def _dashboard_page() -> CorePage:
    """As it opens: the figures the background task keeps ready (worked out here first, as it would)."""
    from earlyhelp.reporting.summaries import summaries_refresh

    manager = _demo_or_first(Role.TEAM_MANAGER)
    started = time.perf_counter()
    sets = summaries_refresh()
    seconds = time.perf_counter() - started
    return CorePage("dashboard", "Manager dashboard as it opens", manager.username, reverse("dashboard"),
                    list_size=f"last 12 months, all teams: figures kept ready (the background task worked out "
                              f"{sets} sets in {seconds:.1f} s)")


def _dashboard_counted_page() -> CorePage:
    """Filtered to one team: counted while the manager waits."""
    from earlyhelp.reporting.forms import filters_query
    from earlyhelp.reporting.selectors import Filters, default_period

    manager = _demo_or_first(Role.TEAM_MANAGER)
    team = manager.teams.order_by("pk").first()
    start, end = default_period(timezone.localdate())
    query = filters_query(Filters(date_from=start, date_to=end, team=team))
    return CorePage("dashboard_counted", "Manager dashboard, one team", manager.username,
                    f"{reverse('dashboard')}?{query}",
                    list_size=f"last 12 months, {team.name if team else 'all teams'}: counted when asked")


def _annex_a_page() -> CorePage:
    analyst = _demo_or_first(Role.PERFORMANCE_ANALYST)
    today = timezone.localdate()
    payload = {"as_of_0": str(today.day), "as_of_1": str(today.month), "as_of_2": str(today.year), "format": "xlsx"}
    return CorePage("annex_a", "Annex A List 2 export (XLSX)", analyst.username, reverse("reports"),
                    method="POST", payloads=(payload,), list_size="the whole council", made_in_background=True)


def core_pages(*, seed: int = 1, longest: bool = True, only: tuple[str, ...] = ()) -> list[CorePage]:
    """The core pages in table order (those named in `only`, when given); NoPageData when the
    database cannot show one of them.

    longest=False picks the shortest lists instead (the query budget test compares the two).
    """
    unknown = set(only) - set(CORE_PAGE_KEYS)
    if unknown:
        raise ValueError(f"No such core page: {', '.join(sorted(unknown))} (the keys are {', '.join(CORE_PAGE_KEYS)})")

    def my_work() -> CorePage:
        practitioner, open_episodes = busiest_practitioner(longest=longest)
        return CorePage("my_work", 'My work (early help practitioner)', practitioner.username,
                        reverse("my-work"), list_size=_counted(open_episodes, "open episode"))

    pages = {
        "my_work": my_work,
        "family": lambda: _family_page(longest),
        "assessment_section": lambda: _assessment_page(longest),
        "plan": lambda: _plan_page(longest),
        "chronology": lambda: _chronology_page(longest),
        "note": lambda: _note_page(longest),
        "search": lambda: _search_page(busiest_practitioner(longest=longest)[0], seed),
        "front_door": _front_door_page,
        "dashboard": _dashboard_page,
        "dashboard_counted": _dashboard_counted_page,
        "annex_a": _annex_a_page,
    }
    return [pages[key]() for key in CORE_PAGE_KEYS if not only or key in only]
