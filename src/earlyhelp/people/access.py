"""Need-to-know: who may see a family's details (docs/roles.md). Written once, here.

A family is open to a user through one of its *ways in*: an involvement with one of its
members, the request someone made, the episode someone leads, the team it is allocated to, the
front door's open request, a concern of significant harm waiting for social care, break-glass
access. The app that owns each kind of record declares its ways in, in its `rules.py`, with
`network_route`; this module combines them. A way in is a queryset of the owning model's rows
that open a family for the user, and the path from a row to its family. From that one
declaration come both forms the service needs:

- the single-family check (`user_can_see_family`): each way in asked in turn, through the
  family's index, stopping at the first that opens the family (ASKED_FIRST first);
- the check for a few families (`annotate_visibility`, `visible_families_filter`): an `EXISTS`
  per way in, correlated on the family; or, when the families are known first
  (`family_ids_visible_among`), one UNION ALL of each way in's rows for just those families;
- the list filter (`families_visible_to`): one UNION ALL of a subquery per way in, each answered
  through the user's or the status's index, without an OR of joins that would multiply rows.

Raising a concern of significant harm does not by itself open the family: anyone may raise one
(harm overrides), so it must not become a way to read records. Everyone else may learn only
that the family is known and whom to contact.
"""

from collections.abc import Callable
from contextlib import closing, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.accounts.models import User

from .models import Family


@dataclass(frozen=True)
class NetworkRoute:
    """One way into a family's network. `rows(user)` gives the rows that open a family for the
    user (or None when the way cannot apply to them); `family_field` leads from a row to the family."""

    name: str
    who: str
    rows: Callable[[User], QuerySet | None]
    family_field: str = "family_id"
    roles: frozenset[str] | None = None


NETWORK_ROUTES: dict[str, NetworkRoute] = {}


def network_route(name: str, *, who: str, roles=None, family_field: str = "family_id"):
    """Declare a way into families' networks (a decorator on the function giving its rows)."""

    def register(rows: Callable[[User], QuerySet | None]):
        if name in NETWORK_ROUTES:
            raise ValueError(f"The way in {name!r} is declared twice")
        NETWORK_ROUTES[name] = NetworkRoute(
            name=name, who=who, rows=rows, family_field=family_field,
            roles=frozenset(roles) if roles is not None else None,
        )
        return rows

    return register


# The user's teams, read once while the ways in are built (several ways in need them).
_TEAM_IDS: ContextVar[dict[int, list[int]] | None] = ContextVar("network_team_ids", default=None)


def team_ids_of(user: User) -> list[int]:
    known = _TEAM_IDS.get()
    if known is not None and user.pk in known:
        return known[user.pk]
    team_ids = list(user.teams.values_list("pk", flat=True))
    if known is not None:
        known[user.pk] = team_ids
    return team_ids


# The single-family check asks the ways in one at a time, these first: the ones that open a family
# to most of the people who open families most (a practitioner's own episodes, a partner's work with
# a member, a team's episodes), so that the usual answer takes one small query, not the building
# and planning of all twenty at once (docs/performance.md).
ASKED_FIRST = ("lead professional", "allocated worker", "involvement", "episode's team", "asked for support",
               "allocated practitioner", "allocated team")


def _asking_order(route: NetworkRoute) -> int:
    return ASKED_FIRST.index(route.name) if route.name in ASKED_FIRST else len(ASKED_FIRST)


def _applicable_routes(user: User, *, in_asking_order: bool = False):
    """The ways in that can apply to the user, with their rows, built one at a time as asked for."""
    if not user.is_authenticated or not user.is_active or not user.can_see_families:
        return
    routes = NETWORK_ROUTES.values()
    if in_asking_order:
        routes = sorted(routes, key=_asking_order)
    token = _TEAM_IDS.set({})
    try:
        for route in routes:
            if route.roles is not None and user.role not in route.roles:
                continue
            rows = route.rows(user)
            if rows is not None:
                yield route, rows
    finally:
        _TEAM_IDS.reset(token)


def _routes_for(user: User) -> list[tuple[NetworkRoute, QuerySet]]:
    return list(_applicable_routes(user))


def _any_of(conditions: list) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


def visible_families_filter(user: User) -> Q:
    """A Q on Family, true for the families this user may see: for one family or a few."""
    return _any_of([Q(Exists(rows.filter(**{route.family_field: OuterRef("pk")})))
                    for route, rows in _routes_for(user)])


def _visible_family_ids(user: User, among=None) -> QuerySet | None:
    """The same rule as visible_families_filter, for whole lists of families: the families each way
    in opens, as one UNION ALL of indexed subqueries (not an OR of IN tests, which PostgreSQL can
    only answer by reading every family), or None when no way in applies. `among`: only these."""
    routes = _routes_for(user)
    if among is not None:
        routes = _one_per_kind_of_record(routes)
    opened = [(rows if among is None else rows.filter(**{f"{route.family_field}__in": among}))
              .order_by().values_list(route.family_field, flat=True) for route, rows in routes]
    if not opened:
        return None
    return opened[0].union(*opened[1:], all=True) if len(opened) > 1 else opened[0]


def _one_per_kind_of_record(routes: list[tuple[NetworkRoute, QuerySet]]) -> list[tuple[NetworkRoute, QuerySet]]:
    """The ways in through one kind of record (an episode's lead, worker, team and meetings) as one
    OR of their rows. Only for a few families: every part is then read through the family's index,
    where an OR costs nothing and a UNION of fewer parts is quicker to build and to plan; over the
    whole list the OR would read every row (hence the separate parts there)."""
    combined: dict[tuple, tuple[NetworkRoute, QuerySet]] = {}
    for route, rows in routes:
        kind = (rows.model, route.family_field)
        combined[kind] = (route, combined[kind][1] | rows) if kind in combined else (route, rows)
    return list(combined.values())


def family_ids_visible_among(user: User, family_ids) -> set[int]:
    """Which of these few families the user may see, in one query: each kind of record's ways in,
    for just these families, through the family's index (a search's results, a person's households)."""
    family_ids = {family_id for family_id in family_ids if family_id}
    opened = _visible_family_ids(user, among=family_ids) if family_ids else None
    return set(opened) if opened is not None else set()


# Inside family_answers_kept, a user's visible families are listed once when there are at most
# this many (a manager's network, a few hundred): a page with several lists (a manager's home: the
# step downs, the oversight due, the late work) then asks the UNION of every way in once, not
# once a list. A larger network (a practitioner's thousands of involvements) stays a subquery.
KEPT_FAMILY_LIST_AT_MOST = 1000


def families_visible_to(user: User) -> QuerySet[Family]:
    lists = _FAMILY_LISTS.get()
    if lists is not None and lists.get(user.pk) is not None:
        return Family.objects.filter(pk__in=lists[user.pk])
    family_ids = _visible_family_ids(user)
    if family_ids is None:
        return Family.objects.none()
    visible = Family.objects.filter(pk__in=family_ids)
    if lists is not None and user.pk not in lists:
        listed = list(visible.order_by("pk").values_list("pk", flat=True)[:KEPT_FAMILY_LIST_AT_MOST + 1])
        lists[user.pk] = listed if len(listed) <= KEPT_FAMILY_LIST_AT_MOST else None
        if lists[user.pk] is not None:
            return Family.objects.filter(pk__in=listed)
    return visible


# Answers kept while a read-only page asks many questions about one family (family_answers_kept).
_FAMILY_ANSWERS: ContextVar[dict[tuple[int, int], bool] | None] = ContextVar("family_answers", default=None)
_FAMILY_LISTS: ContextVar[dict[int, list[int] | None] | None] = ContextVar("family_lists", default=None)


@contextmanager
def family_answers_kept():
    """Inside this block, whether a user may see a family is asked of the database once, and so
    is the list of the families they may see (when it is short: KEPT_FAMILY_LIST_AT_MOST).

    For reads that ask the policy about many records of one family (the chronology, a list of
    notes): each record's own rules still decide; only the network part, the same for every
    record of the family, is not asked again. Never around a write, which may change the network.
    """
    if _FAMILY_ANSWERS.get() is not None:  # already inside one: keep its answers
        yield
        return
    token, lists_token = _FAMILY_ANSWERS.set({}), _FAMILY_LISTS.set({})
    try:
        yield
    finally:
        _FAMILY_ANSWERS.reset(token)
        _FAMILY_LISTS.reset(lists_token)


def user_can_see_family(user: User, family_id: int | None) -> bool:
    if not family_id:
        return False
    known = _FAMILY_ANSWERS.get()
    if known is not None and (user.pk, family_id) in known:
        return known[(user.pk, family_id)]
    with closing(_applicable_routes(user, in_asking_order=True)) as routes:
        answer = any(rows.filter(**{route.family_field: family_id}).exists() for route, rows in routes)
    if not answer:
        # Each way in above was its own statement, each seeing what was saved when it ran: a family
        # moving from one way in to another meanwhile (a step up accepted: from "awaiting a decision"
        # to "social worker on a step up") could be missed by both. A refusal is confirmed by one
        # statement, which sees one moment.
        answer = family_id in family_ids_visible_among(user, {family_id})
    if known is not None:
        known[(user.pk, family_id)] = answer
    return answer


def routes_into_family(user: User, family_id: int) -> list[str]:
    """Which ways in open this family to the user (for tests and for explaining a decision)."""
    return [route.name for route, rows in _routes_for(user)
            if rows.filter(**{route.family_field: family_id}).exists()]


def annotate_visibility(queryset: QuerySet[Family], user: User) -> QuerySet[Family]:
    """Adds `can_view` to each family without one query per row."""
    return queryset.annotate(
        can_view=Exists(Family.objects.filter(visible_families_filter(user), pk=OuterRef("pk")))
    )
