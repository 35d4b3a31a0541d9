"""Who looked at which child's record, when, how and why. Written once, never changed."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessKind(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Found in a search"
    LISTED = "listed", "Listed on a page"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded a document"
    BREAK_GLASS = "break_glass", "Opened with break-glass access"


class AccessRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Access records cannot be changed")

    def delete(self):
        raise PermissionError("Access records cannot be deleted")


class AccessRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_records")
    kind = models.CharField(max_length=15, choices=AccessKind.choices)
    # What was looked at: the family, and the person when the page was about one person.
    family = models.ForeignKey(
        "people.Family", on_delete=models.PROTECT, null=True, blank=True, related_name="access_records"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="access_records"
    )
    what = models.CharField(max_length=200, help_text="The page, export or document")
    path = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True, help_text="The break-glass reason, if any")
    # Set at creation, never later (see save); a default rather than auto_now_add so that
    # synthetic history can carry its own moments.
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["family", "-at"], name="access_by_family"),
            models.Index(fields=["person", "-at"], name="access_by_person"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Access records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Access records cannot be deleted")


class BreakGlassAccess(models.Model):
    """Time-limited access to a family outside the user's network, with the reason stated."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    family = models.ForeignKey("people.Family", on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "family", "expires_at"], name="break_glass_lookup")]


class RetentionAction(models.Model):
    """The record that a family's records were anonymised after the retention period."""

    family_reference = models.PositiveBigIntegerField(db_index=True)
    action = models.CharField(max_length=20, default="anonymised")
    last_closed_on = models.DateField()
    records_changed = models.JSONField(default=dict)
    done_by = models.CharField(max_length=150)
    done_at = models.DateTimeField(auto_now_add=True)
