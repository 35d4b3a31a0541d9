"""The episode's timeline: its one writer, `event_record`.

Every service that changes an episode notes it here: the kind, a summary in plain words, who and
when; a transition adds the states it moved between. The episode page's timeline and the
chronology read these rows; the titles of the kinds are in selectors_core.EVENT_TITLES.
"""

from datetime import datetime

from django.utils import timezone

from .models import EpisodeEvent

SUMMARY_LENGTH = EpisodeEvent._meta.get_field("summary").max_length


def event_record(*, episode, kind: str, summary: str, by, from_state: str = "", to_state: str = "",
                 at: datetime | None = None) -> EpisodeEvent:
    return EpisodeEvent.objects.create(
        episode=episode, kind=kind, from_state=from_state, to_state=to_state,
        summary=summary[:SUMMARY_LENGTH], by=by, at=at or timezone.now(),
    )
