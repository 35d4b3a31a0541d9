"""Contacts and case notes on a family, and on its episode when one is open (issue 12, point 1).

A note is a draft until its author completes it; a completed note is never changed, only added
to with addenda, each with its own author and time. Who may see and record notes is declared in
recording/rules.py; docs/case-recording.md says what was chosen where the rules were silent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.people.models import Family, Person

User = settings.AUTH_USER_MODEL


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    SCHOOL_VISIT = "school_visit", "School visit"
    PHONE_CALL = "phone_call", "Phone call"
    VIDEO_CALL = "video_call", "Video call"
    TEXT_OR_EMAIL = "text_or_email", "Text or e-mail"
    DIRECT_WORK = "direct_work", "Direct work with the child"
    TAF_UPDATE = "taf_update", "Team Around the Family update"
    OTHER = "other", "Other"


class SignificantEventCategory(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse incident or disclosure"
    DISCLOSURE = "disclosure", "Disclosure by the child"
    INJURY = "injury", "Injury, hospital admission or A&E attendance"
    MISSING = "missing", "Missing from home or school"
    POLICE = "police", "Police involvement, arrest or offending"
    EXCLUSION = "exclusion", "Exclusion from school"
    HOUSEHOLD = "household", "Change in the household (someone moved in or out)"
    HOUSING = "housing", "Housing crisis, eviction or homelessness"
    BEREAVEMENT = "bereavement", "Bereavement or loss"
    HEALTH = "health", "Serious illness or mental health crisis"
    OTHER = "other", "Other significant event"


class CaseNote(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="case_notes")
    # The episode open when the note was started, if there was one.
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="case_notes")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    happened_at = models.DateTimeField(db_index=True, help_text="When the contact happened")
    # Whether a time of day was given, or only the date.
    time_known = models.BooleanField(default=True)
    present = models.TextField(blank=True, help_text="Who was present")
    what_happened = models.TextField(blank=True)
    childs_words = models.TextField(blank=True, help_text="The child's own words")
    analysis = models.TextField(blank=True, help_text="The worker's analysis")
    next_steps = models.TextField(blank=True, help_text="What happens next")
    significant = models.BooleanField(default=False)
    significant_category = models.CharField(max_length=20, choices=SignificantEventCategory.choices, blank=True)
    restricted = models.BooleanField(default=False)
    restricted_reason = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="case_notes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who saved the draft last: a save from a page opened before is told who (web/versioning.py).
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-happened_at", "-pk"]
        indexes = [models.Index(fields=["family", "-happened_at"], name="note_family_when")]
        constraints = [
            models.CheckConstraint(condition=Q(significant=True) | Q(significant_category=""),
                                   name="note_category_only_if_significant"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_at:%Y-%m-%d}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class NoteChild(models.Model):
    """For each child the note is about: whether they were seen, and seen alone."""

    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_note_rows")
    seen = models.BooleanField(default=False)
    seen_alone = models.BooleanField(default=False)

    class Meta:
        ordering = ["child__date_of_birth", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["note", "child"], name="note_child_once"),
            models.CheckConstraint(condition=Q(seen=True) | Q(seen_alone=False), name="seen_alone_means_seen"),
        ]


class Addendum(models.Model):
    """Added to a completed note: the note itself never changes."""

    note = models.ForeignKey(CaseNote, on_delete=models.PROTECT, related_name="addenda")
    # The note's family, so that retention (audit/retention.py) reaches the addendum's words too.
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="case_note_addenda")
    text = models.TextField(blank=True)  # never empty when added (services.addendum_add); blank once anonymised
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]


class OversightKind(models.TextChoices):
    SUPERVISION = "supervision", "Supervision"
    OVERSIGHT = "oversight", "Management oversight"


class OversightNote(models.Model):
    """A team manager's supervision or oversight of an episode (issue 12, point 2): recorded once,
    complete, and never changed. The episode keeps the latest one's next_due_on as its stored
    `oversight_due_on`, so that late work filters on an index."""

    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT, related_name="oversight_notes")
    # The episode's family, so that retention (audit/retention.py) reaches the note's words too.
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="oversight_notes")
    kind = models.CharField(max_length=20, choices=OversightKind.choices)
    decision = models.TextField(blank=True)  # never empty when recorded (services.oversight_record)
    actions = models.TextField(blank=True)
    next_due_on = models.DateField(help_text="When the next oversight is due")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["episode", "-recorded_at"], name="oversight_episode_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.recorded_at:%Y-%m-%d}"
