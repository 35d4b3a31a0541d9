"""Messages sent outside the service (GOV.UK Notify or SMTP), and what each user chose to receive."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (temporary)"
    PERMANENT_FAILURE = "permanent_failure", "Permanent failure"


class Message(models.Model):
    """One message to one recipient, written only by services.message_queue and sent by tasks.message_send."""

    kind = models.CharField(max_length=40, db_index=True)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="messages_received")
    # The e-mail address or phone number it goes to (the user's, when it is a user's, as it was at queuing).
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    # For GOV.UK Notify: the kind's template and the values it is given (docs/messages.md).
    template_id = models.CharField(max_length=64, blank=True)
    personalisation = models.JSONField(default=dict, blank=True)
    # A calendar file (text/calendar), attached over SMTP, a file link through Notify.
    calendar = models.TextField(blank=True)
    # Set for messages that must go once only (a reminder of one action's due date): unique with kind and to.
    once_key = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED,
                              db_index=True)
    transport = models.CharField(max_length=10, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    send_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    status_checks = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "to", "once_key"], condition=~Q(once_key=""),
                                    name="message_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"


class MessagePreference(models.Model):
    """A user's choice for one kind of message; without a row the kind's default holds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences")
    kind = models.CharField(max_length=40)
    wanted = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="message_preference_once")]
