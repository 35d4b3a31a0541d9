"""Who may see and record contacts and case notes (docs/roles.md, docs/case-recording.md).

- Anyone in the family's network reads its completed notes and records notes of their own: the
  episode's workers, practitioners working with a member, and partners in the Team Around the
  Family recording their own updates.
- A draft is its author's alone, until it is completed; only its author changes or completes it.
- A restricted note (a disclosure of domestic abuse, say) is read only by its author, the lead
  professional and the allocated worker of its episode (or, for a note made while no episode was
  open, of the family's open episode) and their managers: the managers of the episode's team and
  of the teams its lead professional and allocated worker belong to. With no episode at all, the
  managers of the author's teams. Everyone else in the network learns only that a restricted
  note exists (selectors.notes_for_chronology).
- Management oversight of an episode (supervision and oversight notes) is recorded by the team
  managers who manage the episode: of its team, and of the teams its lead professional and
  allocated worker belong to. It is read by them, the lead professional and the allocated worker;
  not by the rest of the family's network.
"""

import rules

from earlyhelp.accounts.models import Role, Team
from earlyhelp.episodes.models import OPEN_EPISODE_STATES, Episode
from earlyhelp.episodes.rules import leads_or_is_allocated, manages_the_episode
from earlyhelp.people.rules import in_family_network, works_with_families
from earlyhelp.policy import declare, role_in


def note_episode(note) -> Episode | None:
    """The episode whose workers read a restricted note: its own, else the family's open one."""
    if note.episode_id:
        return note.episode
    return Episode.objects.filter(family_id=note.family_id, state__in=OPEN_EPISODE_STATES).first()


@rules.predicate
def wrote_it(user, note) -> bool:
    return note is not None and note.author_id == user.pk


@rules.predicate
def is_completed(user, note) -> bool:
    return note is not None and note.completed_at is not None


@rules.predicate
def is_restricted(user, note) -> bool:
    return note is not None and note.restricted


@rules.predicate
def works_the_notes_episode(user, note) -> bool:
    """The lead professional or allocated worker of the note's episode, or one of their managers."""
    episode = note_episode(note)
    if episode is None:
        return False
    if leads_or_is_allocated.test(user, episode):
        return True
    return user.role == Role.TEAM_MANAGER and manages_the_episode.test(user, episode)


@rules.predicate
def manages_the_author(user, note) -> bool:
    """With no episode at all: a manager of one of the author's teams."""
    if note_episode(note) is not None:
        return False
    return user.role == Role.TEAM_MANAGER and Team.objects.filter(members=user).filter(
        members=note.author_id).exists()


reads_restricted = works_with_families & in_family_network & (
    wrote_it | works_the_notes_episode | manages_the_author)
sees_note = works_with_families & in_family_network & (is_completed | wrote_it) & (
    ~is_restricted | reads_restricted)
records_notes = works_with_families & in_family_network

declare("recording.view_notes", records_notes, record="Contacts and case notes (the list)",
        who="anyone in the family's network: completed notes, notices for restricted ones they may not "
            "read, and their own drafts")
declare("recording.add_note", records_notes, record="Case note",
        who="anyone in the family's network, partners in the Team Around the Family included: their own notes")
declare("recording.view_note", sees_note, record="Case note",
        who="anyone in the family's network once it is completed (a draft: its author only); a restricted "
            "note: as recording.view_restricted_note")
declare("recording.view_restricted_note", reads_restricted, record="Restricted case note",
        who="its author, the lead professional and allocated worker of its episode (or of the family's open "
            "episode) and their managers; with no episode, the managers of the author's teams")
declare("recording.change_note", works_with_families & in_family_network & wrote_it, record="Case note",
        who="its author, while it is a draft: a completed note is never changed")
declare("recording.add_addendum", records_notes & sees_note, record="Addendum to a case note",
        who="anyone in the family's network who may read the completed note")


manages_it = role_in(Role.TEAM_MANAGER) & manages_the_episode
declare("recording.add_oversight", works_with_families & manages_it, record="Management oversight of an episode",
        who="the managers of the episode's team and of the teams its lead professional and allocated worker "
            "belong to: supervision and oversight notes, never changed once recorded")
declare("recording.view_oversight", works_with_families & in_family_network & (leads_or_is_allocated | manages_it),
        record="Management oversight of an episode",
        who="the episode's lead professional and allocated worker, and the managers who may record it")
