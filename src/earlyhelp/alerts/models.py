"""Alerts about risks to workers that follow the family (issue 12, point 3; DOMAIN §5).

A risk to workers (violence, intimidation, dogs, "visit in pairs") recorded on the family's
alerts page, or in the assessment's engagement section, shows on every page of the family, on
each of its people's pages, on the meeting forms and on a step up to Children's Social Care,
until someone who may change the family ends it with a reason. An ended alert no longer shows
but stays in the family's history. Who may see, record and end one: alerts/rules.py; what was
chosen where the rules were silent: docs/alerts.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.people.models import Family, Person

User = settings.AUTH_USER_MODEL


class AlertKind(models.TextChoices):
    VIOLENCE = "violence", "Violence or aggression"
    INTIMIDATION = "intimidation", "Intimidation or threats"
    ANIMALS = "animals", "Dogs or other animals"
    VISIT_IN_PAIRS = "visit_in_pairs", "Visit in pairs"
    OTHER = "other", "Other risk to workers"


class AlertSource(models.TextChoices):
    ALERT_PAGE = "alert_page", "Recorded as an alert"
    ASSESSMENT = "assessment", "Recorded in the assessment's engagement section"


class Alert(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="worker_alerts")
    # Optional: the person the risk comes from (a parent, a partner, a dog's owner).
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="worker_alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    # Never empty when recorded (services.py); blank once the family is anonymised (audit/retention.py).
    details = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=AlertSource.choices, default=AlertSource.ALERT_PAGE)
    # The assessment whose engagement section recorded it. An id, not a key: alerts sits below
    # episodes, which calls this app's service; the assessment is never deleted.
    source_assessment_id = models.PositiveBigIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Never empty when ended (services.py); blank once the family is anonymised.
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["family"], condition=Q(ended_at__isnull=True), name="alert_open_by_family"),
            models.Index(fields=["source_assessment_id"], condition=Q(source_assessment_id__isnull=False),
                         name="alert_by_assessment"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__isnull=True, ended_by__isnull=True)
                                   | Q(ended_at__isnull=False, ended_by__isnull=False),
                                   name="alert_ended_by_someone"),
            models.CheckConstraint(condition=~Q(source="assessment") | Q(source_assessment_id__isnull=False),
                                   name="alert_assessment_named"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.family_id})"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
