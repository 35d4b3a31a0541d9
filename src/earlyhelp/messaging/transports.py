"""The two ways out: GOV.UK Notify (notifications-python-client) or SMTP (Django's e-mail), chosen by settings.

Each transport sends one Message and returns the provider's reference, or raises Temporary (worth trying
again later: the server could not be reached, was busy or said 4xx over SMTP) or Permanent (it refused this
message: a bad address, a bad key or template; trying again would not help).
"""

import io
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid

from .models import Channel


class Temporary(Exception):
    pass


class Permanent(Exception):
    pass


def transport_name() -> str:
    return settings.EARLYHELP_MESSAGES_TRANSPORT


def can_send_sms() -> bool:
    return transport_name() == "notify"


# GOV.UK Notify ------------------------------------------------------------------------------------------


def notify_client():
    from notifications_python_client.notifications import NotificationsAPIClient

    return NotificationsAPIClient(settings.EARLYHELP_NOTIFY_API_KEY, base_url=settings.EARLYHELP_NOTIFY_BASE_URL,
                                  timeout=settings.EARLYHELP_MESSAGES_TIMEOUT)


def _notify_error(error) -> Exception:
    from notifications_python_client.errors import APIError

    if isinstance(error, APIError):
        status = error.status_code
        text = f"GOV.UK Notify answered {status}: {error.message}"
        # 429: over the rate limit; 5xx (and the client's own 503 for no answer): try again later.
        return Temporary(text) if status == 429 or status >= 500 else Permanent(text)
    return Temporary(f"GOV.UK Notify could not be reached: {error}")


def notify_send(message) -> str:
    from notifications_python_client.errors import APIError
    from notifications_python_client.utils import prepare_upload
    from requests import RequestException

    if not message.template_id:
        raise Permanent(f"No GOV.UK Notify template is set for {message.kind} messages "
                        f"(EARLYHELP_NOTIFY_TEMPLATES)")
    personalisation = dict(message.personalisation)
    client = notify_client()
    try:
        if message.channel == Channel.SMS:
            answer = client.send_sms_notification(phone_number=message.to, template_id=message.template_id,
                                                  personalisation=personalisation, reference=str(message.pk))
        else:
            if message.calendar:
                # Notify sends no attachments: the template's ((calendar_file)) becomes a link to the file.
                personalisation["calendar_file"] = prepare_upload(
                    io.BytesIO(message.calendar.encode()), filename="invitation.ics")
            answer = client.send_email_notification(email_address=message.to, template_id=message.template_id,
                                                    personalisation=personalisation, reference=str(message.pk))
    except (APIError, RequestException) as error:
        raise _notify_error(error) from error
    return answer["id"]


# Notify's statuses (docs.notifications.service.gov.uk, "Delivery status") and what each means here.
NOTIFY_DELIVERED = {"delivered", "sent"}  # "sent": an international text, no delivery receipt will come
NOTIFY_PERMANENT = {"permanent-failure", "validation-failed", "virus-scan-failed"}
NOTIFY_FAILED = {"temporary-failure", "technical-failure"}


def notify_status(reference: str) -> str:
    from notifications_python_client.errors import APIError
    from requests import RequestException

    try:
        return notify_client().get_notification_by_id(reference)["status"]
    except (APIError, RequestException) as error:
        raise _notify_error(error) from error


# SMTP ----------------------------------------------------------------------------------------------------


def smtp_send(message) -> str:
    if message.channel != Channel.EMAIL:
        raise Permanent("Text messages need GOV.UK Notify (EARLYHELP_MESSAGES_TRANSPORT=notify)")
    reference = make_msgid(domain=settings.EARLYHELP_MESSAGES_MESSAGE_ID_DOMAIN)
    email = EmailMessage(subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL,
                         to=[message.to], headers={"Message-ID": reference},
                         connection=get_connection(timeout=settings.EARLYHELP_MESSAGES_TIMEOUT))
    if message.calendar:
        email.attach("invitation.ics", message.calendar, "text/calendar; method=REQUEST")
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if all(code >= 500 for code in codes):
            raise Permanent(f"The mail server refused the address: {error.recipients}") from error
        raise Temporary(f"The mail server refused the address for now: {error.recipients}") from error
    except smtplib.SMTPResponseException as error:
        text = f"The mail server answered {error.smtp_code}: {error.smtp_error!r}"
        raise (Permanent(text) if error.smtp_code >= 500 else Temporary(text)) from error
    except (smtplib.SMTPException, OSError, socket.timeout) as error:
        raise Temporary(f"The mail server could not be reached: {error}") from error
    return reference


def send(message) -> str:
    return notify_send(message) if transport_name() == "notify" else smtp_send(message)
