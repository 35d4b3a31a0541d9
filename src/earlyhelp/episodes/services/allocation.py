"""Allocating open episodes to a worker, and changing their worker, by team managers (issue 13,
point 3). One episode or several at once; each change is written on the episode's timeline and
the worker is told. Who may do it is declared once: "episodes.allocate_episode" (episodes/rules.py).

The page sends the worker each episode had when it was opened: if another manager changed one
meanwhile, nothing is saved and the move is refused (409), so no allocation is lost silently.
"""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from earlyhelp.accounts.models import Role, User
from earlyhelp.frontdoor.models import Notification
from earlyhelp.messaging import services as messaging
from earlyhelp.people.access import team_ids_of
from earlyhelp.policy import require
from earlyhelp.web.refusals import Refused

from ..models import OPEN_EPISODE_STATES, Episode
from ..timeline import event_record

# Who a manager allocates a family's work to: the early help practitioners and advisers of their teams.
ALLOCATABLE_ROLES = (Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER)
NOT_ALLOCATED = "none"


class AllocationEvent:
    ALLOCATED = "worker_allocated"
    REALLOCATED = "worker_reallocated"


def allocation_workers(manager: User) -> QuerySet[User]:
    """The workers a manager may allocate to, each with `caseload`: their open episodes."""
    return (
        User.objects.filter(is_active=True, role__in=ALLOCATABLE_ROLES, teams__in=team_ids_of(manager))
        .annotate(caseload=Count("allocated_episodes", filter=Q(allocated_episodes__state__in=OPEN_EPISODE_STATES),
                                 distinct=True))
        .select_related("agency").order_by("last_name", "first_name", "pk")
    )


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else "nobody"


@transaction.atomic
def episodes_allocate(*, episodes: Sequence[Episode], worker: User | None, by: User,
                      expected_workers: Mapping[int, int | None] | None = None) -> list[Episode]:
    """Allocate each episode to `worker` (those already theirs are left as they are); returns the
    episodes that changed. `expected_workers`: the worker id (None: nobody) each episode had when
    the page was opened."""
    errors = {}
    if not episodes:
        errors["episodes"] = "Choose at least one family to allocate"
    if worker is None:
        errors["worker"] = "Choose who will hold the families' work"
    elif not allocation_workers(by).filter(pk=worker.pk).exists():
        errors["worker"] = "Choose an early help practitioner or adviser in your teams"
    if errors:
        raise ValidationError(errors)
    # Locked in one order, so two managers allocating overlapping families never deadlock.
    locked = list(Episode.objects.select_for_update(of=("self",)).filter(pk__in=[episode.pk for episode in episodes])
                  .select_related("family", "allocated_worker").order_by("pk"))
    changed = []
    for episode in locked:
        if not episode.is_open:
            raise Refused(f"The {episode.family.name}'s episode has closed since you opened the page. "
                          "Nothing has been saved.")
        require(by, "episodes.allocate_episode", episode, "Only a manager of the episode's team allocates it, while it is open")
        if expected_workers is not None and episode.pk in expected_workers \
                and expected_workers[episode.pk] != episode.allocated_worker_id:
            raise Refused(f"The {episode.family.name}'s worker changed to {_name(episode.allocated_worker)} since "
                          "you opened the page. Nothing has been saved: look again and choose.")
        if episode.allocated_worker_id == worker.pk:
            continue
        previous = episode.allocated_worker
        episode.allocated_worker = worker
        episode.save(update_fields=["allocated_worker", "updated_at"])
        if previous is None:
            event_record(episode=episode, kind=AllocationEvent.ALLOCATED, by=by,
                         summary=f"Allocated to {_name(worker)} by {_name(by)}")
        else:
            event_record(episode=episode, kind=AllocationEvent.REALLOCATED, by=by,
                         summary=f"Worker changed from {_name(previous)} to {_name(worker)} by {_name(by)}")
        changed.append((episode, previous))
    notices = []
    for episode, previous in changed:
        if worker.pk != by.pk:
            notices.append(Notification(
                recipient=worker, url=reverse("episode-detail", kwargs={"episode_id": episode.pk}),
                message=f"{_name(by)} allocated the {episode.family.name} to you (episode {episode.reference})."[:300],
            ))
        if previous is not None and previous.pk != by.pk:
            # No link: unless they lead it, the family is no longer theirs to open.
            notices.append(Notification(
                recipient=previous, url="",
                message=f"The {episode.family.name} (episode {episode.reference}) is now allocated to "
                        f"{_name(worker)}.",
            ))
    Notification.objects.bulk_create(notices)
    if changed and worker.pk != by.pk:
        messaging.on_commit(messaging.allocated, episode_ids=[episode.pk for episode, _ in changed], worker_id=worker.pk)
    return [episode for episode, _ in changed]
