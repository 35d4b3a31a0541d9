"""Every write of messages: queue one (the only writer of Message), send it, read back its delivery, and the
events of other apps that queue them (called through transaction.on_commit from their services)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.calendar.working_days import closure_days, is_working_day

from . import transports
from .kinds import SMS_BODY, kind_of
from .models import Channel, Message, MessagePreference, MessageStatus


def service_link(path: str = "/") -> str:
    return settings.EARLYHELP_MESSAGES_SERVICE_URL.rstrip("/") + path


def _personalisation(**values) -> dict:
    return {"service_name": settings.EARLYHELP_SERVICE_NAME, "local_authority": settings.EARLYHELP_LOCAL_AUTHORITY,
            **{name: str(value) for name, value in values.items()}}


def user_wants(user, kind: str) -> bool:
    choice = MessagePreference.objects.filter(user=user, kind=kind).values_list("wanted", flat=True).first()
    return kind_of(kind).default if choice is None else choice


@transaction.atomic
def message_queue(*, kind: str, user=None, to: str = "", channel: str = Channel.EMAIL, link_path: str = "/",
                  values: dict | None = None, calendar: str = "", once_key: str = "",
                  send_after: datetime | None = None) -> Message | None:
    """Queue one message to a user (by their e-mail address, if they want this kind) or to an address or number.

    Returns None when nothing is queued: the user chose not to receive it, has no address, or (with `once_key`)
    it was queued before. The send task is enqueued when the transaction commits.
    """
    spec = kind_of(kind)
    if user is not None:
        if not user.is_active or not user.email or not user_wants(user, kind):
            return None
        to = user.email
    if not to or (channel == Channel.SMS and not transports.can_send_sms()):
        return None
    personalisation = _personalisation(link=service_link(link_path), **(values or {}))
    body_format = SMS_BODY.get(kind, spec.body) if channel == Channel.SMS else spec.body
    fields = dict(kind=kind, channel=channel, recipient=user, to=to, calendar=calendar, once_key=once_key,
                  subject=spec.subject.format(**personalisation)[:200], body=body_format.format(**personalisation),
                  template_id=settings.EARLYHELP_NOTIFY_TEMPLATES.get(f"{kind}_sms" if channel == Channel.SMS
                                                                      else kind, ""),
                  personalisation=personalisation, send_after=send_after, transport=transports.transport_name())
    if once_key:
        if Message.objects.filter(kind=kind, to=to, once_key=once_key).exists():
            return None
        try:
            with transaction.atomic():  # two runs at once: the constraint lets one through
                message = Message.objects.create(**fields)
        except IntegrityError:
            return None
    else:
        message = Message.objects.create(**fields)
    transaction.on_commit(lambda: _enqueue_send(message.pk, send_after))
    return message


def _enqueue_send(message_id: int, run_after: datetime | None = None) -> None:
    from .tasks import message_send

    task = message_send.using(run_after=run_after) if run_after else message_send
    task.enqueue(message_id=message_id)


def _enqueue_check(message_id: int) -> None:
    from .tasks import message_check_delivery

    wait = timedelta(seconds=settings.EARLYHELP_MESSAGES_STATUS_CHECK_SECONDS)
    message_check_delivery.using(run_after=timezone.now() + wait).enqueue(message_id=message_id)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the `attempts`th failure: the base, doubled each time, at most a day."""
    return timedelta(seconds=min(settings.EARLYHELP_MESSAGES_RETRY_SECONDS * 2 ** (attempts - 1), 86400))


def message_send(*, message_id: int) -> str:
    """Send a queued message once (a second task for the same message finds it claimed and does nothing)."""
    claimed = Message.objects.filter(pk=message_id, status__in=[MessageStatus.QUEUED, MessageStatus.FAILED]) \
        .update(status=MessageStatus.SENDING)
    if not claimed:
        return "already sent or being sent"
    message = Message.objects.get(pk=message_id)
    message.attempts += 1
    try:
        reference = transports.send(message)
    except transports.Temporary as error:
        message.last_error = str(error)[:2000]
        if message.attempts >= settings.EARLYHELP_MESSAGES_MAX_ATTEMPTS:
            message.status = MessageStatus.PERMANENT_FAILURE
            message.last_error = f"Gave up after {message.attempts} attempts. {message.last_error}"[:2000]
        else:
            message.status = MessageStatus.FAILED
        message.save(update_fields=["status", "attempts", "last_error"])
        if message.status == MessageStatus.FAILED:
            _enqueue_send(message.pk, timezone.now() + retry_delay(message.attempts))
        return message.status
    except transports.Permanent as error:
        message.status, message.last_error = MessageStatus.PERMANENT_FAILURE, str(error)[:2000]
        message.save(update_fields=["status", "attempts", "last_error"])
        return message.status
    message.status, message.provider_reference, message.sent_at = MessageStatus.SENT, reference, timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "attempts", "last_error", "provider_reference", "sent_at"])
    if message.transport == "notify":
        _enqueue_check(message.pk)
    return message.status


def message_check_delivery(*, message_id: int) -> str:
    """Read a Notify message's delivery status back from its API; look again later while it is still on its way."""
    message = Message.objects.get(pk=message_id)
    if message.status != MessageStatus.SENT or message.transport != "notify":
        return message.status
    message.status_checks += 1
    try:
        status = transports.notify_status(message.provider_reference)
    except (transports.Temporary, transports.Permanent) as error:
        status, message.last_error = "", str(error)[:2000]
    if status in transports.NOTIFY_DELIVERED:
        message.status, message.delivered_at = MessageStatus.DELIVERED, timezone.now()
    elif status in transports.NOTIFY_PERMANENT:
        message.status, message.last_error = MessageStatus.PERMANENT_FAILURE, f"GOV.UK Notify: {status}"
    elif status in transports.NOTIFY_FAILED:
        # Notify itself has stopped trying: the message failed (it is not sent again: the reader may have it).
        message.status, message.last_error = MessageStatus.FAILED, f"GOV.UK Notify: {status}"
    message.save(update_fields=["status", "delivered_at", "last_error", "status_checks"])
    if message.status == MessageStatus.SENT and message.status_checks < settings.EARLYHELP_MESSAGES_STATUS_CHECKS:
        _enqueue_check(message.pk)
    return message.status


@transaction.atomic
def message_preferences_set(*, user, wanted: set[str]) -> None:
    """Record the user's choice for every kind they may choose: those in `wanted` on, the others off."""
    from .kinds import choosable_kinds

    for kind in choosable_kinds():
        MessagePreference.objects.update_or_create(user=user, kind=kind.name,
                                                   defaults={"wanted": kind.name in wanted})


# Events of other apps ------------------------------------------------------------------------------------


def on_commit(fn, *args, **kwargs) -> None:
    """What another app's service calls: queue the messages once its transaction has committed.

    Robust: a message that cannot be queued is logged, and never undoes or fails what the user just did.
    """
    transaction.on_commit(lambda: fn(*args, **kwargs), robust=True)


def allocated(*, episode_ids: list[int], worker_id: int) -> None:
    from earlyhelp.accounts.models import User

    worker = User.objects.get(pk=worker_id)
    for episode_id in episode_ids:
        message_queue(kind="allocation", user=worker,
                      link_path=reverse("episode-detail", kwargs={"episode_id": episode_id}))


def request_allocated(*, request_id: int, practitioner_id: int) -> None:
    from earlyhelp.accounts.models import User

    message_queue(kind="allocation", user=User.objects.get(pk=practitioner_id),
                  link_path=reverse("request-detail", kwargs={"request_id": request_id}))


def harm_raised(*, referral_id: int) -> None:
    path = reverse("harm-referral-detail", kwargs={"referral_id": referral_id})
    for address in (settings.EARLYHELP_MESSAGES_FRONT_DOOR_EMAIL, settings.EARLYHELP_MESSAGES_SOCIAL_CARE_EMAIL):
        if address:
            message_queue(kind="harm_raised", to=address, link_path=path)


def step_up_decided(*, step_up_id: int) -> None:
    from earlyhelp.episodes.models import StepUp

    step_up = StepUp.objects.select_related("requested_by").get(pk=step_up_id)
    if step_up.requested_by_id != step_up.social_worker_id:
        message_queue(kind="step_up_decided", user=step_up.requested_by,
                      values={"decision": "accepted" if step_up.accepted else "declined"},
                      link_path=reverse("episode-detail", kwargs={"episode_id": step_up.episode_id}))


def step_down_decided(*, step_down_id: int) -> None:
    from earlyhelp.episodes.models import StepDown

    step_down = StepDown.objects.select_related("social_worker").get(pk=step_down_id)
    message_queue(kind="step_down_decided", user=step_down.social_worker,
                  values={"decision": "accepted" if step_down.status == StepDown.Status.ACCEPTED else "returned"},
                  link_path=reverse("step-down-detail", kwargs={"step_down_id": step_down.pk}))


# The family's acknowledgement ------------------------------------------------------------------------------


def family_send_after(now: datetime | None = None) -> datetime:
    """The next moment inside the council's safe hours (EARLYHELP_MESSAGES_FAMILY_HOURS, working days only)."""
    start, end = settings.EARLYHELP_MESSAGES_FAMILY_HOURS
    moment = timezone.localtime(now or timezone.now())
    closed = closure_days()
    for _ in range(30):
        if is_working_day(moment.date(), closed):
            opens = moment.replace(hour=start, minute=0, second=0, microsecond=0)
            closes = moment.replace(hour=end, minute=0, second=0, microsecond=0)
            if moment < opens:
                return opens
            if moment < closes:
                return moment
        moment = timezone.make_aware(datetime.combine(moment.date() + timedelta(days=1), time(0)))
    return moment


def family_route(support_request) -> str:
    """The channel to acknowledge a family's request by, or "" for none (docs/messages.md, "Families").

    The public form records an e-mail address, a phone number and, as free text, when it is safe to get in
    touch. Free text cannot be read safely by a machine: when the family wrote anything there, nothing is sent
    and the front door reads it first. Otherwise the route they gave is used; given both, e-mail (a text's
    first words show on a locked phone's screen).
    """
    if support_request.safe_to_contact.strip():
        return ""
    if support_request.contact_email:
        return Channel.EMAIL
    if support_request.contact_phone and transports.can_send_sms():
        return Channel.SMS
    return ""


def family_acknowledge(*, request_id: int) -> Message | None:
    from earlyhelp.frontdoor.models import RequestForSupport

    support_request = RequestForSupport.objects.get(pk=request_id)
    channel = family_route(support_request)
    if not channel:
        return None
    to = support_request.contact_email if channel == Channel.EMAIL else support_request.contact_phone
    return message_queue(kind="family_acknowledgement", to=to, channel=channel, link_path="/",
                         values={"working_days": settings.EARLYHELP_TRIAGE_WORKING_DAYS},
                         once_key=f"request:{request_id}", send_after=family_send_after())
