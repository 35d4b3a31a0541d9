"""Organisations and the people who use the system.

Access to families follows allocation and team membership (docs/roles.md), so the
user's role, agency and teams are the facts every access rule starts from.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    PARTNER_PRACTITIONER = "partner_practitioner", "Partner practitioner"
    EARLY_HELP_PRACTITIONER = "early_help_practitioner", "Early help practitioner"
    EARLY_HELP_ADVISER = "early_help_adviser", "Early help adviser"
    TEAM_MANAGER = "team_manager", "Team manager"
    FRONT_DOOR_OFFICER = "front_door_officer", "Front door officer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles that may ever be shown a named child (subject to need-to-know in the selectors).
ROLES_WORKING_WITH_FAMILIES = frozenset(
    {
        Role.PARTNER_PRACTITIONER,
        Role.EARLY_HELP_PRACTITIONER,
        Role.EARLY_HELP_ADVISER,
        Role.TEAM_MANAGER,
        Role.FRONT_DOOR_OFFICER,
        Role.SOCIAL_WORKER,
    }
)


class AgencyKind(models.TextChoices):
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years setting"
    GP_PRACTICE = "gp_practice", "GP practice"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    SCHOOL_NURSING = "school_nursing", "School nursing"
    MIDWIFERY = "midwifery", "Midwifery"
    CAMHS = "camhs", "Child and adolescent mental health services (CAMHS)"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    LA_EARLY_HELP = "la_early_help", "Local authority early help"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    VOLUNTARY = "voluntary", "Voluntary organisation"
    ADULT_SERVICES = "adult_services", "Adult services"
    OTHER = "other", "Other"


class Locality(models.Model):
    """An area of the authority; early help work is organised by locality."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices, db_index=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="agencies"
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="agency_unique_name_kind")
        ]

    def __str__(self) -> str:
        return self.name


class TeamKind(models.TextChoices):
    LOCALITY_EARLY_HELP = "locality_early_help", "Locality early help team"
    FRONT_DOOR = "front_door", "Front door (early help hub)"
    SOCIAL_CARE = "social_care", "Children's social care team"
    PERFORMANCE = "performance", "Performance and intelligence"
    PARTNER = "partner", "Partner agency team"


class Team(models.Model):
    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=30, choices=TeamKind.choices, db_index=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices, db_index=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    job_title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        ordering = ["last_name", "first_name"]

    def save(self, *args, **kwargs):
        # Only administrators reach Django admin; the role decides, not a separate flag.
        self.is_staff = self.role == Role.ADMINISTRATOR or self.is_superuser
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def can_see_families(self) -> bool:
        return self.role in ROLES_WORKING_WITH_FAMILIES

    @property
    def needs_second_factor(self) -> bool:
        """Whether EARLYHELP_REQUIRE_TWO_FACTOR asks this user for an authenticator code.

        Every role reaches personal data: the roles working with families see their records;
        administrators read the audit trail (children by name and NHS number) and merge records;
        performance analysts download Annex A, a row per child with date of birth, gender and
        ethnicity. Superusers reach Django admin whatever their role. Only an account without a
        role, which sees nothing, is not asked.
        """
        return self.is_superuser or self.role in Role.values
