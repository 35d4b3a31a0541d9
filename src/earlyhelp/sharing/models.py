"""Consent and the information-sharing log (DOMAIN §4)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.accounts.models import Agency
from earlyhelp.people.models import Family, Person

User = settings.AUTH_USER_MODEL


class ConsentScope(models.TextChoices):
    ASSESSMENT = "assessment", "The Early Help Assessment and support"
    SHARING = "sharing", "Sharing information with named agencies"


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", "Written"
    VERBAL = "verbal", "Verbal"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"


# How a scope reads in a sentence: "consent to ...".
SCOPE_PHRASES = {
    ConsentScope.ASSESSMENT: "the Early Help Assessment and support",
    ConsentScope.SHARING: "sharing information",
}


class Consent(models.Model):
    """One person's consent (a parent or carer, or a child of sufficient age and understanding)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="consents")
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    scope = models.CharField(max_length=15, choices=ConsentScope.choices)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="consents")
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices)
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    given_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Refusal (DOMAIN §4): why, and whether needs will escalate without help.
    refusal_reason = models.TextField(blank=True)
    needs_will_escalate = models.BooleanField(null=True, blank=True)
    escalation_judgement = models.TextField(blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["episode", "scope"], condition=Q(withdrawn_on__isnull=True), name="consent_current")
        ]

    @property
    def scope_phrase(self) -> str:
        return SCOPE_PHRASES.get(self.scope, self.get_scope_display())


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent"
    HEALTH_DEVELOPMENT = "health_development", "The child's health or development will be impaired without services"
    SIGNIFICANT_HARM = "significant_harm", "Reasonable cause to believe the child is suffering, or likely to suffer, significant harm"
    PREVENT_HARM = "prevent_harm", "To prevent significant harm to a child or serious harm to an adult, including through preventing, detecting or prosecuting serious crime"


PUBLIC_INTEREST_BASES = frozenset(set(LawfulBasis) - {LawfulBasis.CONSENT})


class SharingDecision(models.Model):
    """Every decision to share or not to share, with its reasons (DOMAIN §4)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="sharing_decisions")
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="sharing_decisions"
    )
    shared = models.BooleanField()
    what = models.TextField(help_text="What was shared, or asked for")
    with_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    with_whom = models.CharField(max_length=200, blank=True)
    why = models.TextField()
    # Blank only for a decision not to share: no lawful basis is needed to withhold.
    lawful_basis = models.CharField(max_length=25, choices=LawfulBasis.choices, blank=True)
    justification = models.TextField(blank=True, help_text="Required when sharing without consent")
    consulted = models.CharField(max_length=200, blank=True, help_text="Whom the practitioner consulted")
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(db_index=True)
    seen_by_manager_at = models.DateTimeField(null=True, blank=True)
    seen_by_manager = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shared=False) | ~Q(lawful_basis=""), name="sharing_needs_lawful_basis"
            ),
            models.CheckConstraint(
                condition=Q(shared=False) | Q(lawful_basis="consent") | ~Q(justification=""),
                name="sharing_without_consent_needs_justification",
            ),
        ]
        indexes = [
            # Team managers' list of decisions made without consent that they have not seen yet.
            models.Index(
                fields=["episode"],
                condition=Q(shared=True, seen_by_manager_at__isnull=True) & ~Q(lawful_basis="consent"),
                name="sharing_awaiting_manager",
            )
        ]
