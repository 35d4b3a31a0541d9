"""Supporting Families: a family's needs against the programme's ten headline outcomes (STANDARDS.md).

One record per family and headline outcome: the need, whether the family plan covers it, the
evidence that things improved, and whether the improvement was still there six months after
the episode closed (with the date it was checked), which is what the programme counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.people.models import Family


class HeadlineOutcome(models.TextChoices):
    EDUCATION = "education", "Getting a good education"
    EARLY_YEARS = "early_years", "Good early years development"
    HEALTH = "health", "Improved mental and physical health"
    SUBSTANCE_USE = "substance_use", "Promoting recovery and reducing harm from substance use"
    FAMILY_RELATIONSHIPS = "family_relationships", "Improved family relationships"
    SAFE_FROM_ABUSE = "safe_from_abuse", "Children safe from abuse and exploitation"
    CRIME = "crime", "Crime prevention and tackling crime"
    DOMESTIC_ABUSE = "domestic_abuse", "Safe from domestic abuse"
    HOUSING = "housing", "Secure housing"
    FINANCIAL_STABILITY = "financial_stability", "Financial stability"


class FamilyOutcomeNeed(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="outcome_needs")
    headline_outcome = models.CharField(max_length=30, choices=HeadlineOutcome.choices)
    need = models.TextField(help_text="The need, in a sentence or two")
    in_family_plan = models.BooleanField(default=False, help_text="The family plan has an outcome for this need")
    improvement_evidence = models.TextField(blank=True)
    improved_on = models.DateField(null=True, blank=True)
    # Checked at least six months after the episode closed; None until someone has checked.
    sustained = models.BooleanField(null=True, blank=True)
    sustained_checked_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family", "headline_outcome"]
        constraints = [
            models.UniqueConstraint(fields=["family", "headline_outcome"], name="one_need_per_headline_outcome"),
            models.CheckConstraint(
                condition=Q(sustained__isnull=True) | Q(sustained_checked_on__isnull=False),
                name="sustained_has_a_checked_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_headline_outcome_display()} ({self.family_id})"
