"""The transition table walked completely: every allowed move works, every other is refused."""

from datetime import date

import pytest

from earlyhelp.episodes.models import Episode, EpisodeEvent, EpisodeState
from earlyhelp.episodes.transitions import TRANSITIONS, Action, TransitionRefused, episode_transition
from earlyhelp.people.models import Family

ALL_ACTIONS = [value for name, value in vars(Action).items() if name.isupper()]


def _episode(state: str, number: int) -> Episode:
    family = Family.objects.create(name=f"Family {number}")
    return Episode.objects.create(reference=f"EP-T-{number}", family=family, state=state, opened_on=date(2026, 1, 5))


@pytest.mark.parametrize("state", list(EpisodeState))
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_every_move_is_allowed_exactly_when_the_table_says(seeded, demo_user, state, action):
    worker = demo_user("practitioner")
    episode = _episode(state, abs(hash((state, action))) % 10_000_000)
    move = TRANSITIONS.get((state, action))
    if move is None:
        with pytest.raises(TransitionRefused) as refused:
            episode_transition(episode=episode, action=action, by=worker)
        assert str(refused.value)  # a plain reason
        episode.refresh_from_db()
        assert episode.state == state
        assert not EpisodeEvent.objects.filter(episode=episode).exists()
    else:
        episode_transition(episode=episode, action=action, by=worker)
        episode.refresh_from_db()
        assert episode.state == move.to
        event = EpisodeEvent.objects.get(episode=episode)
        assert (event.from_state, event.to_state, event.by) == (state, move.to, worker)
        assert (episode.closed_on is not None) == (move.to == EpisodeState.CLOSED)


def test_every_state_can_be_reached_and_every_open_state_can_end():
    reached = {EpisodeState.AWAITING_CONSENT} | {move.to for move in TRANSITIONS.values()}
    assert reached == set(EpisodeState)
    for state in set(EpisodeState) - {EpisodeState.CLOSED}:
        assert any(from_state == state for from_state, _ in TRANSITIONS), state
