"""The Team Around the Family meeting invitation: an e-mail to each practitioner invited, with a calendar file."""

from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.policy import require

from .services import message_queue, service_link


def invitation_calendar(*, uid: str, starts_at: datetime, minutes: int, place: str, attendee: str) -> str:
    """An iCalendar REQUEST (RFC 5546) naming no child or family: the meeting, its time and place, and a link."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.EARLYHELP_LOCAL_AUTHORITY}//earlyhelp//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=minutes))
    event.add("summary", "Team Around the Family meeting")
    event.add("location", place)
    event.add("description", f"Sign in to {settings.EARLYHELP_SERVICE_NAME} to see the family's work: "
                             f"{service_link()}")
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    event.add("attendee", f"mailto:{attendee}")
    calendar.add_component(event)
    return calendar.to_ical().decode()


@transaction.atomic
def taf_invitation_send(*, episode, by, invitees, starts_at: datetime, minutes: int = 60, place: str) -> int:
    """Invite practitioners to a Team Around the Family meeting; returns how many invitations were queued."""
    require(by, "episodes.change_episode", episode, "Only people who work on this episode invite to its meetings")
    local = timezone.localtime(starts_at)
    uid = f"taf-{episode.pk}-{local:%Y%m%dT%H%M}@{settings.EARLYHELP_MESSAGES_MESSAGE_ID_DOMAIN}"
    queued = 0
    for user in invitees:
        if not user.email:
            continue
        queued += message_queue(
            kind="taf_invitation", user=user, once_key=uid,
            values={"meeting_date": f"{local:%-d %B %Y}", "meeting_time": f"{local:%-I:%M%p}".lower(),
                    "meeting_place": place},
            link_path=reverse("episode-detail", kwargs={"episode_id": episode.pk}),
            calendar=invitation_calendar(uid=uid, starts_at=starts_at, minutes=minutes, place=place,
                                         attendee=user.email)) is not None
    return queued
