"""Each kind of message is queued by the event that causes it (through that app's own service), goes to whom it
should, carries a link to the service and no child's or family's details."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Locality, User
from earlyhelp.episodes.services import allocation, stepping
from earlyhelp.frontdoor.models import HarmReferral
from earlyhelp.messaging import invitations, services
from earlyhelp.messaging.kinds import KINDS
from earlyhelp.messaging.models import Message, MessageStatus
from tests.frontdoor.test_harm import make_family as harm_family
from tests.frontdoor.test_harm import raise_concern

LINK = re.compile(r"https://earlyhelp\.council\.example/\S*")


def _details(family) -> list[str]:
    """What must never be in a message: the family's name, each member's names and identifiers, the address."""
    words = {family.name, family.name.split()[0]}
    for member in family.members.all():
        words |= {member.first_name, member.last_name, member.nhs_number or "", member.upn or ""}
    words |= {family.postcode or ""}
    return sorted(word for word in words if word)


def _sent_all(mailbox) -> list:
    queued = list(Message.objects.filter(status=MessageStatus.QUEUED).order_by("pk"))
    for message in queued:
        assert services.message_send(message_id=message.pk) == MessageStatus.SENT, message.last_error
    return mailbox.wait_for(len(queued))


def _assert_clean(arrived, family) -> None:
    text = arrived["Subject"] + "\n" + arrived.get_body(("plain",)).get_content()
    for attachment in arrived.iter_attachments():
        text += attachment.get_content() if isinstance(attachment.get_content(), str) else ""
    assert LINK.search(text), text
    for word in _details(family):
        assert word.lower() not in text.lower(), f"{word!r} is in the message: {text}"


def _with_email(user: User) -> User:
    user.email = f"{user.username}@council.example"
    user.save(update_fields=["email"])
    return user


@pytest.mark.django_db
def test_every_kind_of_message_links_to_the_service_and_names_no_child_or_family(
        smtp, addresses, episode, staff, django_capture_on_commit_callbacks):
    family = episode.family
    practitioner, social_worker = _with_email(staff("practitioner")), _with_email(staff("socialworker"))
    manager, front_door = _with_email(staff("manager")), _with_email(staff("frontdoor"))
    seen = set()
    with django_capture_on_commit_callbacks(execute=True):
        # A new allocation, by the manager through the episodes' allocation service.
        allocation.episodes_allocate(episodes=[episode], worker=practitioner, by=manager)
        # A concern of significant harm: to the front door's and Children's Social Care's mailboxes.
        harmed = harm_family(locality=Locality.objects.order_by("pk").first(), practitioner=practitioner)
        raise_concern(harmed, practitioner)
        # A step up decided (to whoever asked), and a step down decided (to the social worker who proposed it).
        step_up = stepping.episode_step_up(episode=episode, by=practitioner, reasons=["safeguarding"],
                                           details="Disclosure at school", assessment_factors=["16A"])
        stepping.step_up_decide(step_up=step_up, by=social_worker, accept=False, notes="Below threshold")
        HarmReferral.objects.create(family=family, raised_by=practitioner, raised_at=timezone.now(),
                                    what_is_known="Bruise", referral_source="5D", social_worker=social_worker,
                                    decision="s17", decided_by=social_worker, decided_at=timezone.now())
        step_down = stepping.step_down_propose(family=family, by=social_worker, children=[family.members.get()],
                                               final_assessment_summary="Risks reduced", handover_plan="Joint visit",
                                               proposed_lead=None)
        stepping.step_down_decide(step_down=step_down, by=front_door, accept=False, return_reasons="Still current")
        # An invitation to a Team Around the Family meeting.
        invitations.taf_invitation_send(episode=episode, by=practitioner, invitees=[practitioner, manager],
                                        starts_at=timezone.now() + timedelta(days=7), place="Oak Room, Civic Centre")
    # Actions and reviews due.
    episode.refresh_from_db()
    episode.review_due_on = timezone.localdate() + timedelta(days=1)
    episode.save(update_fields=["review_due_on"])
    from earlyhelp.messaging.due import reminders_queue
    from tests.messaging.test_due import action_owned_by

    action_owned_by(episode, practitioner, due_in_days=1)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_queue()
    kinds = dict(Message.objects.values_list("kind", "to").order_by("kind", "to"))
    assert {"allocation", "harm_raised", "step_up_decided", "step_down_decided", "taf_invitation", "action_due",
            "review_due"} <= set(kinds)
    assert set(Message.objects.filter(kind="harm_raised").values_list("to", flat=True)) == {
        "front-door@council.example", "social-care@council.example"}
    assert Message.objects.get(kind="allocation").recipient == practitioner
    assert Message.objects.get(kind="step_up_decided").recipient == practitioner
    assert Message.objects.get(kind="step_down_decided").recipient == social_worker

    for arrived in _sent_all(smtp):
        _assert_clean(arrived, family)
        _assert_clean(arrived, harmed)
        seen.add(Message.objects.get(provider_reference=arrived["Message-ID"]).kind)
    assert seen == set(KINDS) - {"family_acknowledgement"}  # tests/messaging/test_family.py sends that one

    # The invitation carries its calendar file, naming the meeting, its time and place, and no one's details.
    [invitation] = [m for m in smtp.messages if "Team Around the Family" in m["Subject"]
                    and m["To"] == practitioner.email]
    [ics] = [part for part in invitation.iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = ics.get_content()
    assert "METHOD:REQUEST" in calendar and "SUMMARY:Team Around the Family meeting" in calendar
    assert "LOCATION:Oak Room\\, Civic Centre" in calendar and f"ATTENDEE:mailto:{practitioner.email}" in calendar


@pytest.mark.django_db
def test_the_invitation_through_notify_sends_the_calendar_file_as_a_link(notify, episode, staff):
    from .servers import uploaded_file

    practitioner = _with_email(staff("practitioner"))
    starts = timezone.make_aware(datetime(2030, 3, 4, 14, 30))
    invitations.taf_invitation_send(episode=episode, by=practitioner, invitees=[practitioner], starts_at=starts,
                                    place="Oak Room")
    message = Message.objects.get(kind="taf_invitation")
    services.message_send(message_id=message.pk)
    message.refresh_from_db()
    sent = notify.sent[message.provider_reference]["personalisation"]
    assert sent["meeting_date"] == "4 March 2030" and sent["meeting_time"] == "2:30pm"
    assert sent["meeting_place"] == "Oak Room"
    assert b"DTSTART;TZID=Europe/London:20300304T143000" in uploaded_file(sent["calendar_file"])
    # Sent twice, the same meeting invites nobody twice.
    assert invitations.taf_invitation_send(episode=episode, by=practitioner, invitees=[practitioner],
                                           starts_at=starts, place="Oak Room") == 0


@pytest.mark.django_db
def test_only_people_who_work_on_the_episode_invite_to_its_meetings(episode, staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invitations.taf_invitation_send(episode=episode, by=staff("analyst"), invitees=[],
                                        starts_at=timezone.now(), place="Oak Room")


@pytest.mark.django_db
def test_no_message_for_a_user_without_an_address_or_for_ones_own_allocation(
        episode, staff, django_capture_on_commit_callbacks):
    manager, practitioner = staff("manager"), staff("practitioner")
    practitioner.email = ""
    practitioner.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        allocation.episodes_allocate(episodes=[episode], worker=practitioner, by=manager)
    assert not Message.objects.exists()
