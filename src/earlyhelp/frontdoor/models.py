"""Requests for support, the pre-assessment checklist, level-of-need decisions,
concerns of significant harm, triage and allocation (DOMAIN §1-3, §8)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.accounts.models import Agency, Team
from earlyhelp.people.models import Family, Person
from earlyhelp.standards import CinReferralSource

User = settings.AUTH_USER_MODEL


class RequestSource(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SELF_REFERRAL = "self_referral", "Family (self-referral)"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    SOON = "soon", "Soon: within a week"
    URGENT = "urgent", "Urgent: today"


class RequestStatus(models.TextChoices):
    AWAITING_TRIAGE = "awaiting_triage", "Waiting for triage"
    AWAITING_ALLOCATION = "awaiting_allocation", "Waiting for the allocation meeting"
    ALLOCATED = "allocated", "Allocated"
    SINGLE_AGENCY = "single_agency", "Single agency action plan"
    UNIVERSAL = "universal", "Universal services / no further action"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred to another service"
    NO_ACTION_NOW = "no_action_now", "No action now"
    SOCIAL_CARE = "social_care", "Referred to Children's Social Care"


OPEN_REQUEST_STATUSES = frozenset({RequestStatus.AWAITING_TRIAGE, RequestStatus.AWAITING_ALLOCATION})


class TriageOutcome(models.TextChoices):
    """What the front door decides about a new request (the status follows from it)."""

    EHA_NEEDED = "eha_needed", "An Early Help Assessment is needed: to the allocation meeting"
    SINGLE_AGENCY = "single_agency", "Single agency action plan"
    UNIVERSAL = "universal", "Universal services / no further action"
    SIGNIFICANT_HARM = "significant_harm", "Concern of significant harm: refer to Children's Social Care"
    REFER_ELSEWHERE = "refer_elsewhere", "Refer to another service"


class FamilyAgreement(models.TextChoices):
    YES = "yes", "Yes, the family knows and agrees"
    KNOWS_NOT_AGREED = "knows_not_agreed", "The family knows but has not agreed"
    NOT_TOLD = "not_told", "The family has not been told"


class RequestForSupport(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    source = models.CharField(max_length=20, choices=RequestSource.choices)
    status = models.CharField(
        max_length=25, choices=RequestStatus.choices, default=RequestStatus.AWAITING_TRIAGE, db_index=True
    )
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="requests_made"
    )
    requester_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="requests_made"
    )
    # For self-referrals: who is asking and how to reach them.
    requester_name = models.CharField(max_length=150, blank=True)
    requester_relationship = models.CharField(max_length=100, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)
    safe_to_contact = models.TextField(blank=True, help_text="When and how it is safe to get in touch")
    # Where the family lives, as the requester gave it (the family record keeps its own address).
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    concerns = models.JSONField(default=list, help_text="Vulnerability codes (earlyhelp.standards.Vulnerability)")
    assessment_factors = models.JSONField(default=list, help_text="CIN assessment factor codes")
    concern_details = models.TextField()
    already_tried = models.TextField(blank=True)
    family_agreement = models.CharField(max_length=20, choices=FamilyAgreement.choices)
    no_agreement_reason = models.TextField(blank=True)
    child_views = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    submitted_at = models.DateTimeField(db_index=True)
    triage_due_on = models.DateField(db_index=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    triage_notes = models.TextField(blank=True)
    triage_outcome = models.CharField(max_length=20, choices=TriageOutcome.choices, blank=True)
    referred_to = models.CharField(
        max_length=200, blank=True, help_text="The service the front door referred the family to"
    )

    class Meta:
        ordering = ["submitted_at"]
        verbose_name_plural = "requests for support"
        # The queues, oldest first (ties by pk, as they are listed): read in order, never sorted.
        indexes = [models.Index(fields=["status", "submitted_at", "id"], name="request_queue_in_order")]

    def __str__(self) -> str:
        return self.reference


class RequestPerson(models.Model):
    """A child or adult named on a request, as typed; linked to a Person once matched."""

    request = models.ForeignKey(RequestForSupport, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="requests")
    is_child = models.BooleanField(default=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    relationship = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-is_child", "date_of_birth"]


class ChecklistOutcome(models.TextChoices):
    UNIVERSAL = "universal", "Universal services: no further action"
    SINGLE_AGENCY = "single_agency", "Single agency action plan"
    EHA_NEEDED = "eha_needed", "An Early Help Assessment is needed"
    SIGNIFICANT_HARM = "significant_harm", "Concern of significant harm: refer to Children's Social Care"


class PreAssessmentChecklist(models.Model):
    """DOMAIN §2: whether an assessment is needed, and whether someone already leads."""

    request = models.OneToOneField(RequestForSupport, on_delete=models.CASCADE, related_name="checklist")
    existing_lead_professional_checked = models.BooleanField()
    existing_lead_professional = models.CharField(max_length=200, blank=True)
    child_progressing_well = models.BooleanField()
    needs_met_by_own_service = models.BooleanField()
    other_statutory_assessment = models.BooleanField(help_text="e.g. youth justice or CAMHS")
    low_needs_single_agency = models.BooleanField()
    more_than_one_service_needed = models.BooleanField()
    harm_concern = models.BooleanField()
    outcome = models.CharField(max_length=20, choices=ChecklistOutcome.choices)
    notes = models.TextField(blank=True)
    completed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)


class LevelOfNeed(models.IntegerChoices):
    UNIVERSAL = 1, "Level 1: Universal"
    EARLY_HELP = 2, "Level 2: Early help / targeted"
    CHILD_IN_NEED = 3, "Level 3: Child in need (s17)"
    CHILD_PROTECTION = 4, "Level 4: Child protection (s47)"


class LevelOfNeedDecision(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="level_decisions")
    request = models.ForeignKey(
        RequestForSupport, on_delete=models.PROTECT, null=True, blank=True, related_name="level_decisions"
    )
    level = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices)
    indicators = models.JSONField(default=list, help_text="Indicator codes the professional ticked")
    reasons = models.TextField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-decided_at"]


class EscalationOutcome(models.TextChoices):
    UPHELD = "upheld", "Original decision upheld"
    CHANGED = "changed", "Decision changed"
    WITHDRAWN = "withdrawn", "Disagreement withdrawn"


class Escalation(models.Model):
    """A professional disagreement, through the dispute resolution and escalation policy."""

    decision = models.ForeignKey(LevelOfNeedDecision, on_delete=models.PROTECT, related_name="escalations")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    disagreement = models.TextField()
    proposed_level = models.PositiveSmallIntegerField(choices=LevelOfNeed.choices, null=True, blank=True)
    outcome = models.CharField(max_length=15, choices=EscalationOutcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    resolved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)


class HarmDecision(models.TextChoices):
    S47 = "s47", "Section 47 enquiry"
    S17 = "s17", "Section 17 assessment (child in need)"
    NO_FURTHER_ACTION = "nfa", "No further action"
    BACK_TO_EARLY_HELP = "early_help", "Back to early help"


class HarmReferral(models.Model):
    """A concern of significant harm: a referral to Children's Social Care, never blocked (DOMAIN §3)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="harm_referrals")
    request = models.ForeignKey(
        RequestForSupport, on_delete=models.PROTECT, null=True, blank=True, related_name="harm_referrals"
    )
    children = models.ManyToManyField(Person, related_name="harm_referrals")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="harm_referrals_raised")
    raised_at = models.DateTimeField(db_index=True)
    what_is_known = models.TextField()
    referral_source = models.CharField(max_length=3, choices=CinReferralSource.choices)
    social_worker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="harm_referrals_assigned"
    )
    decision = models.CharField(max_length=12, choices=HarmDecision.choices, blank=True)
    decision_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["family"], condition=Q(decided_at__isnull=True), name="harm_awaiting_decision"),
            # The harm referrals page's most recent decisions, newest first.
            models.Index(fields=["-decided_at"], condition=Q(decided_at__isnull=False), name="harm_recently_decided"),
        ]

    @property
    def is_awaiting_decision(self) -> bool:
        return self.decided_at is None


class AllocationMeeting(models.Model):
    """The Vulnerable Children's Meeting (DOMAIN §8)."""

    held_on = models.DateField(db_index=True)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    attendees = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]


class AllocationOutcome(models.TextChoices):
    ALLOCATE_TEAM = "allocate_team", "Allocate to a team"
    ALLOCATE_PRACTITIONER = "allocate_practitioner", "Allocate to a practitioner"
    REFER_ELSEWHERE = "refer_elsewhere", "Refer to another service"
    NO_ACTION_NOW = "no_action_now", "No action now"


class AllocationDecision(models.Model):
    meeting = models.ForeignKey(AllocationMeeting, on_delete=models.PROTECT, related_name="decisions")
    request = models.OneToOneField(RequestForSupport, on_delete=models.PROTECT, related_name="allocation")
    outcome = models.CharField(max_length=25, choices=AllocationOutcome.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations")
    practitioner = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations")
    other_service = models.CharField(max_length=200, blank=True)
    reasons = models.TextField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)


class Notification(models.Model):
    """A message for one user (e.g. the front door told of a harm concern)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
