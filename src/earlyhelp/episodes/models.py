"""The early help episode and everything in it (DOMAIN §5-8).

States and the moves between them are in episodes/transitions.py (one explicit table).
Due dates are stored and indexed so that work lists never recompute them per row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.accounts.models import Agency, Team
from earlyhelp.people.models import Family, Person
from earlyhelp.standards import AssessmentFactor, CinReferralSource

User = settings.AUTH_USER_MODEL


class EpisodeState(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", "Waiting for consent"
    ASSESSMENT = "assessment", "Assessment in progress"
    PLANNING = "planning", "Assessment complete: agreeing the plan"
    PLAN_ACTIVE = "plan_active", "Plan in place"
    STEP_UP_REQUESTED = "step_up_requested", "Step up requested"
    CLOSED = "closed", "Closed"


OPEN_EPISODE_STATES = frozenset(set(EpisodeState) - {EpisodeState.CLOSED})


class DueKind(models.TextChoices):
    CONSENT = "consent", "Consent to record"
    ASSESSMENT = "assessment", "Assessment due"
    TAF_MEETING = "taf_meeting", "First Team Around the Family meeting"
    PLAN = "plan", "Plan to agree with the family"
    REVIEW = "review", "Review due"
    ACTION = "action", "Overdue action"
    STEP_UP = "step_up", "Step-up decision awaited"


class Episode(models.Model):
    """One episode per family, covering every child of concern."""

    reference = models.CharField(max_length=20, unique=True)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="episodes")
    state = models.CharField(max_length=20, choices=EpisodeState.choices, db_index=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes")
    allocated_worker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_episodes"
    )
    # The current lead professional (history in LeadProfessionalAssignment).
    lead_professional = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="led_episodes"
    )
    request = models.ForeignKey(
        "frontdoor.RequestForSupport", on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    opened_on = models.DateField(db_index=True)
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    # Stored, indexed: what is due next and when (kept by episodes.services.episode_refresh_due).
    next_due_on = models.DateField(null=True, blank=True, db_index=True)
    next_due_kind = models.CharField(max_length=20, choices=DueKind.choices, blank=True)
    review_due_on = models.DateField(null=True, blank=True, db_index=True)
    review_latest_on = models.DateField(null=True, blank=True, db_index=True)
    # Stored, indexed: when the next management oversight is due (the latest oversight note's
    # next_due_on, kept by recording.services.oversight_record; empty until the first one).
    oversight_due_on = models.DateField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"], condition=~Q(state="closed"), name="one_open_episode_per_family"
            )
        ]
        indexes = [
            models.Index(fields=["lead_professional", "next_due_on"], name="episode_lead_due"),
            models.Index(fields=["allocated_worker", "next_due_on"], name="episode_worker_due"),
            models.Index(fields=["team", "next_due_on"], name="episode_team_due"),
            models.Index(fields=["team", "oversight_due_on"], name="episode_team_oversight_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state != EpisodeState.CLOSED


class EpisodeChild(models.Model):
    """A child of concern in the episode; children join and leave with dates."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episode_memberships")
    added_on = models.DateField()
    removed_on = models.DateField(null=True, blank=True)
    removal_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["person__date_of_birth"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "person"], condition=Q(removed_on__isnull=True), name="child_once_per_episode"
            )
        ]


class EpisodeEvent(models.Model):
    """The timeline: every transition and notable change, with who and when."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    summary = models.CharField(max_length=300)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]


class LeadProfessionalAssignment(models.Model):
    """Who led when (DOMAIN §6); the current one has no end date."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="lead_history")
    lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="lead_assignments")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    chosen_with_family = models.BooleanField(default=True)
    handover_note = models.TextField(blank=True)
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(ended_on__isnull=True), name="one_current_lead_per_episode"
            )
        ]


class Disagreement(models.Model):
    """About who should lead or about the level of concern: recorded with its outcome."""

    class Topic(models.TextChoices):
        LEAD = "lead", "Who should be the lead professional"
        LEVEL = "level", "The level of concern"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="disagreements")
    topic = models.CharField(max_length=10, choices=Topic.choices)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    details = models.TextField()
    outcome = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")


class Assessment(models.Model):
    """One Early Help Assessment for the family, with a section per child (DOMAIN §5)."""

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="assessment")
    started_on = models.DateField()
    due_on = models.DateField(db_index=True)
    completed_on = models.DateField(null=True, blank=True, db_index=True)
    completed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assessments")
    parents_views = models.TextField(blank=True)
    what_needs_to_change = models.TextField(blank=True)
    impact_if_not = models.TextField(blank=True)
    agreed_needs = models.JSONField(default=list, help_text="Assessment factor codes agreed with the family")
    # When engagement is hard (DOMAIN §5).
    engagement_attempts = models.TextField(blank=True)
    not_assessed = models.TextField(blank=True, help_text="What could not be assessed, and why")
    risk_to_workers = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who saved a part last: a save from a page opened before is told who (web/versioning.py).
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")


class AssessmentChildSection(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="child_sections")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessment_sections")
    wishes_and_feelings = models.TextField(blank=True, help_text="In the child's own words")
    how_heard = models.TextField(blank=True, help_text="How the child was seen and listened to")
    # Parenting capacity and the family's circumstances are the family's (FamilyRating); where
    # they differ for this child, one note per domain says how (docs/assessment.md).
    parenting_capacity_note = models.TextField(blank=True, help_text="Where parenting capacity differs for this child")
    family_environment_note = models.TextField(
        blank=True, help_text="Where family and environmental factors differ for this child")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "child"], name="one_section_per_child")]


class SubdimensionRating(models.Model):
    """Strengths, needs and a 0-10 score for one of a child's developmental needs (the framework's
    first domain); the other two domains are the family's (FamilyRating)."""

    section = models.ForeignKey(AssessmentChildSection, on_delete=models.CASCADE, related_name="ratings")
    subdimension = models.CharField(max_length=40)  # a key of standards.FRAMEWORK_SUBDIMENSIONS
    strengths = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "subdimension"], name="one_rating_per_subdimension"),
            models.CheckConstraint(condition=Q(score__lte=10), name="score_0_to_10"),
        ]


class FamilyRating(models.Model):
    """Strengths, needs and a 0-10 score for one sub-dimension of parenting capacity or family and
    environmental factors: the family's, once for all the children (the assessment framework)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="family_ratings")
    subdimension = models.CharField(max_length=40)  # a key of standards.FRAMEWORK_SUBDIMENSIONS
    strengths = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "subdimension"], name="one_family_rating_per_subdimension"),
            models.CheckConstraint(condition=Q(score__lte=10), name="family_score_0_to_10"),
        ]


class MonitoringForm(models.Model):
    """The EHA monitoring form for managers, completed with the assessment (DOMAIN §5)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="monitoring")
    primary_need = models.CharField(max_length=2)
    factors = models.JSONField(default=list)
    services_needed = models.JSONField(default=list, help_text="Agency kinds the family needs")
    additional_support_needed = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    completed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)


class TafMeeting(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="taf_meetings")
    held_on = models.DateField(db_index=True)
    practitioners = models.ManyToManyField(User, blank=True, related_name="taf_meetings")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="taf_meetings")
    family_members = models.ManyToManyField(Person, blank=True, related_name="taf_meetings")
    discussed = models.TextField()
    decided = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]


class Outcome(models.Model):
    """An outcome in the family's words, linked to the needs it addresses."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="outcomes")
    in_familys_words = models.TextField()
    needs = models.JSONField(default=list, help_text="Assessment factor codes")
    achieved = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "No longer needed"


class PlanAction(models.Model):
    """Support or action: by whom and by when (DOMAIN §7)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=15, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    # The directory's service the family is referred to, if any (kept when it leaves its feed: directory/models.py).
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="plan_actions")

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_user__isnull=False) | Q(owner_agency__isnull=False) | Q(owner_person__isnull=False),
                name="action_has_an_owner",
            )
        ]


class PlanVersion(models.Model):
    """The plan as it stood when agreed or reviewed: each review leaves one behind."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["episode", "number"], name="plan_version_once")]


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", "Continue with the plan"
    STEP_UP = "step_up", "Step up to Children's Social Care"
    STEP_DOWN = "step_down", "Step down to universal services"
    CLOSE = "close", "Close"


class Review(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(db_index=True)
    new_or_unmet_needs = models.TextField(blank=True)
    decision = models.CharField(max_length=15, choices=ReviewDecision.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]


class OutcomeProgress(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="progress")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__lte=10), name="progress_0_to_10")]


class StepUpReason(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding concerns have emerged"
    NOT_ENGAGING = "not_engaging", "The family does not engage"
    NEEDS_NOT_REDUCING = "needs_not_reducing", "Needs are not reducing despite support"
    COMPLEXITY = "complexity", "Complexity has increased"
    RISK_FACTORS = "risk_factors", "New risk factors have emerged"
    POOR_OUTCOMES = "poor_outcomes", "Outcomes remain poor after coordinated support"


class StepUp(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="step_ups")
    reasons = models.JSONField(help_text="StepUpReason codes")
    details = models.TextField()
    referral_source = models.CharField(max_length=3, choices=CinReferralSource.choices, default=CinReferralSource.EARLY_HELP)
    assessment_factors = models.JSONField(default=list)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(db_index=True)
    social_worker = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="step_ups")
    accepted = models.BooleanField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)


class StepDown(models.Model):
    """From Children's Social Care to early help (DOMAIN §8)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted by early help"
        RETURNED = "returned", "Returned to Children's Social Care"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="step_downs")
    children = models.ManyToManyField(Person, related_name="step_downs")
    social_worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="step_downs_proposed")
    final_assessment_summary = models.TextField()
    handover_plan = models.TextField()
    proposed_lead = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reasons = models.TextField(blank=True)
    social_care_closure_code = models.CharField(max_length=4, blank=True, help_text="RC9 when accepted")
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="step_down")


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    STEPPED_UP = "stepped_up", "Stepped up to Children's Social Care"
    STEPPED_DOWN = "stepped_down", "Stepped down to universal services"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Family withdrew consent"
    CONSENT_REFUSED = "consent_refused", "Family did not consent"
    MOVED_AWAY = "moved_away", "Moved away"
    REACHED_18 = "reached_18", "Child reached 18"
    OTHER = "other", "Other"


class Closure(models.Model):
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="closure")
    reason = models.CharField(max_length=20, choices=ClosureReason.choices)
    new_authority = models.CharField(max_length=150, blank=True, help_text="When the family moved away")
    other_reason = models.CharField(max_length=200, blank=True)
    summary_for_family = models.TextField()
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField()


class NeedOutcome(models.Model):
    """The outcome for each agreed need at closure."""

    class Result(models.TextChoices):
        MET = "met", "Need met"
        IMPROVED = "improved", "Improved"
        UNCHANGED = "unchanged", "No change"
        WORSE = "worse", "Worse"

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="need_outcomes")
    need = models.CharField(max_length=3, choices=AssessmentFactor.choices)
    result = models.CharField(max_length=10, choices=Result.choices)
    comment = models.TextField(blank=True)
