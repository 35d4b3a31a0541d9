"""The page inviting people to a Team Around the Family meeting: the lead professional chooses when, where and who,
and each person chosen gets an e-mail with a calendar file, naming no child or family (issue 16, point 2)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.episodes.models import EpisodeState
from earlyhelp.messaging import services
from earlyhelp.messaging.models import Message, MessageStatus

from .test_events import _with_email

pytestmark = pytest.mark.django_db


def _answers(day, *, invitees, starts="14:30", minutes="90", place="Oak Room, Civic Centre") -> dict:
    return {"meeting_on_0": str(day.day), "meeting_on_1": str(day.month), "meeting_on_2": str(day.year),
            "starts": starts, "minutes": minutes, "place": place, "invitees": [str(pk) for pk in invitees]}


def test_the_lead_professional_invites_and_each_person_gets_a_calendar_file(
        client, episode, staff, smtp, addresses, django_capture_on_commit_callbacks):
    practitioner = _with_email(staff("practitioner"))
    page = reverse("episode-taf-invite", kwargs={"episode_id": episode.pk})
    client.force_login(practitioner)
    shown = client.get(page)
    assert shown.status_code == 200
    assert practitioner.get_full_name() in shown.content.decode()
    plan = client.get(reverse("episode-plan", kwargs={"episode_id": episode.pk})).content.decode()
    assert f'href="{page}"' in plan

    day = timezone.localdate() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(page, _answers(day, invitees=[practitioner.pk]))
    assert sent.status_code == 302 and sent["Location"] == reverse("episode-plan", kwargs={"episode_id": episode.pk})
    message = Message.objects.get(kind="taf_invitation", recipient=practitioner)
    assert services.message_send(message_id=message.pk) == MessageStatus.SENT
    [arrived] = smtp.wait_for(1)
    [ics] = [part for part in arrived.iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = ics.get_content()
    assert f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T143000" in calendar
    assert f"DTEND;TZID=Europe/London:{day:%Y%m%d}T160000" in calendar
    assert "LOCATION:Oak Room\\, Civic Centre" in calendar
    assert "Quillfeather" not in arrived.as_string() and "Marisol" not in arrived.as_string()

    # The same meeting again invites nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, _answers(day, invitees=[practitioner.pk]))
    assert Message.objects.filter(kind="taf_invitation").count() == 1


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"starts": "25:00"}, "starts", "Enter the time as hours and minutes on the 24-hour clock"),
    ({"starts": ""}, "starts", "Enter the time the meeting starts"),
    ({"place": ""}, "place", "Enter where the meeting is"),
    ({"minutes": "45"}, "minutes", "Select how long the meeting is"),
    ({"invitees": []}, "invitees", "Select who is invited"),
    ({"invitees": ["999999"]}, "invitees", "Select only the people listed"),
    ({"meeting_on_1": "13"}, "meeting_on", "The date of the meeting must be a real date"),
    ({"past": True}, "meeting_on", "The meeting must be in the future"),
])
def test_bad_answers_are_shown_beside_the_field_and_nothing_is_sent(client, episode, staff, change, field, message):
    practitioner = _with_email(staff("practitioner"))
    client.force_login(practitioner)
    day = timezone.localdate() + (timedelta(days=-1) if change.pop("past", False) else timedelta(days=7))
    answers = {**_answers(day, invitees=[practitioner.pk]), **change}
    response = client.post(reverse("episode-taf-invite", kwargs={"episode_id": episode.pk}), answers)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not Message.objects.filter(kind="taf_invitation").exists()


def test_only_those_who_work_on_the_episode_invite_and_a_closed_episode_has_no_meetings(client, episode, staff):
    page = reverse("episode-taf-invite", kwargs={"episode_id": episode.pk})
    client.force_login(staff("partner"))
    assert client.get(page).status_code == 403
    client.force_login(staff("practitioner"))
    episode.state = EpisodeState.CLOSED
    episode.save(update_fields=["state"])
    assert client.get(page)["Location"] == reverse("episode-plan", kwargs={"episode_id": episode.pk})
