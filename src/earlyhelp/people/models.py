"""People, families (households), relationships and who already works with them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.accounts.models import Agency, Locality
from earlyhelp.standards import AnnexAGender, Ethnicity


class SenStatus(models.TextChoices):
    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care (EHC) plan"
    UNKNOWN = "unknown", "Not known"


class Disability(models.TextChoices):
    NO = "no", "No"
    YES = "yes", "Yes"
    UNKNOWN = "unknown", "Not known"


class Person(models.Model):
    first_name = models.CharField("First name", max_length=100)
    middle_names = models.CharField("Middle names", max_length=150, blank=True)
    last_name = models.CharField("Last name", max_length=100)
    known_as = models.CharField(
        "Known as", max_length=100, blank=True, help_text="The name they use, if different"
    )
    date_of_birth = models.DateField("Date of birth", null=True, blank=True, db_index=True)
    expected_date_of_birth = models.DateField(
        "Expected date of birth", null=True, blank=True, help_text="For an unborn child"
    )
    sex = models.CharField(max_length=1, choices=AnnexAGender.choices, default=AnnexAGender.NOT_STATED)
    gender = models.CharField(max_length=1, choices=AnnexAGender.choices, default=AnnexAGender.NOT_STATED)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True)
    upn = models.CharField("Unique pupil number (UPN)", max_length=13, null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    first_language = models.CharField(max_length=60, default="English", blank=True)
    interpreter_needed = models.BooleanField(default=False)
    disability = models.CharField(max_length=10, choices=Disability.choices, default=Disability.UNKNOWN)
    disability_details = models.TextField(blank=True)
    sen_status = models.CharField(
        "Special educational needs", max_length=15, choices=SenStatus.choices, default=SenStatus.UNKNOWN
    )
    school = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils",
        help_text="School or early years setting",
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    # Lower-case, accent-free "first last known_as" for fuzzy search (kept by Person.save).
    search_name = models.CharField(max_length=360, editable=False, db_index=True, default="")
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=Q(nhs_number__isnull=False, merged_into__isnull=True),
                name="person_unique_nhs_number",
            ),
            models.UniqueConstraint(
                fields=["upn"], condition=Q(upn__isnull=False, merged_into__isnull=True),
                name="person_unique_upn",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "date_of_birth"], name="person_surname_dob"),
            # "Already known?" blocks on these when they are typed.
            models.Index(fields=["date_of_birth"], name="person_date_of_birth"),
            models.Index(fields=["postcode"], name="person_postcode"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        from .matching import normalise_name

        self.search_name = normalise_name(" ".join(filter(None, [self.first_name, self.last_name, self.known_as])))
        self.postcode = self.postcode.upper().strip()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "postcode"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        name = f"{self.first_name} {self.last_name}"
        return f"{name} (known as {self.known_as})" if self.known_as else name

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Family(models.Model):
    """A household: the people who live together and are supported together."""

    name = models.CharField(max_length=150, help_text="How the family is known, e.g. 'Smith family'")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="families"
    )
    members = models.ManyToManyField(Person, through="FamilyMember", related_name="families")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHILD = "child", "Child"
    UNBORN = "unborn", "Unborn child"
    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling (adult)"
    GRANDPARENT = "grandparent", "Grandparent"
    SIGNIFICANT_ADULT = "significant_adult", "Significant adult"
    OTHER = "other", "Other household member"


CHILD_ROLES = frozenset({MemberRole.CHILD, MemberRole.UNBORN})


class FamilyMember(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family", "role", "person__date_of_birth"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "person"], condition=Q(left_on__isnull=True), name="member_once_per_family"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) in {self.family}"

    @property
    def is_child(self) -> bool:
        return self.role in CHILD_ROLES


class RelationshipKind(models.TextChoices):
    PARENT_OF = "parent_of", "is the parent of"
    STEP_PARENT_OF = "step_parent_of", "is the step-parent of"
    CARER_OF = "carer_of", "is the carer of"
    GRANDPARENT_OF = "grandparent_of", "is the grandparent of"
    SIBLING_OF = "sibling_of", "is the sibling of"
    HALF_SIBLING_OF = "half_sibling_of", "is the half-sibling of"
    PARTNER_OF = "partner_of", "is the partner of"
    OTHER = "other", "is related to"


class Relationship(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative", "kind"], name="relationship_once"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.relative}"


class FamilyAddress(models.Model):
    """Where the family has lived; the current address has no end date."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="address_history")
    address = models.TextField()
    postcode = models.CharField(max_length=8)
    moved_in = models.DateField(null=True, blank=True)
    moved_out = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-moved_in"]
        verbose_name_plural = "family addresses"


class Involvement(models.Model):
    """An agency or practitioner already working with a person (DOMAIN §2: ask before assessing)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    # For practitioners who do not use the service.
    practitioner_name = models.CharField(max_length=150, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)
    role_description = models.CharField(max_length=150, blank=True, help_text="e.g. health visitor, class teacher")
    is_lead_professional = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True, db_index=True)
    # Set when the lead professional was chosen on an early help episode: the child's one lead
    # (DOMAIN §6) is then kept by the episode's lead change (episodes/services/lead.py), and ended
    # there, so the involvement and the episode never name two different leads.
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.CASCADE, null=True, blank=True, related_name="lead_involvements"
    )

    class Meta:
        ordering = ["-is_lead_professional", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_lead_professional=True, ended_on__isnull=True),
                name="one_current_lead_professional_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_name} ({self.agency}) with {self.person}"

    @property
    def contact_name(self) -> str:
        if self.practitioner_id:
            return self.practitioner.get_full_name()
        return self.practitioner_name or self.agency.name

    @property
    def phone(self) -> str:
        return self.contact_phone or (self.practitioner.phone if self.practitioner_id else "") or self.agency.phone

    @property
    def email(self) -> str:
        return self.contact_email or (self.practitioner.email if self.practitioner_id else "") or self.agency.email


class PersonMerge(models.Model):
    """A record that two people were found to be one; the duplicate points at the kept record."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_duplicate")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    duplicate_snapshot = models.JSONField(help_text="The duplicate's details as they were before the merge")
    moved = models.JSONField(default=dict, help_text="How many records of each kind moved to the kept person")
