"""Single sign-on: which provider group gives which role and teams, and which provider account is which user."""

from django.conf import settings
from django.db import models

from earlyhelp.accounts.models import Agency, Role, Team


class GroupMapping(models.Model):
    """A group the council's identity provider puts in the sign-in's groups claim, and what it gives here.

    Kept by an administrator in Django admin. A user in several mapped groups takes the role of the
    mapping with the lowest order and the teams of every mapping they match.
    """

    group = models.CharField(
        max_length=255, unique=True,
        help_text="The group exactly as the provider sends it (for Microsoft Entra ID, the group's object ID "
                  "unless the app registration is set to send names).")
    description = models.CharField(max_length=200, blank=True, help_text="What the group is, for administrators.")
    role = models.CharField(max_length=30, choices=Role.choices)
    teams = models.ManyToManyField(Team, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               help_text="The organisation its members work for (left as it is when blank).")
    order = models.PositiveSmallIntegerField(
        default=100, help_text="When a user's groups give different roles, the lowest order wins.")

    class Meta:
        ordering = ["order", "group"]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"


class ProviderIdentity(models.Model):
    """The provider's stable identifier for a user (iss and sub), so a changed e-mail or name is the same person."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_identity")
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    groups = models.JSONField(default=list, help_text="The groups the provider sent at the last sign-in.")
    last_signed_in = models.DateTimeField()

    class Meta:
        verbose_name_plural = "provider identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique_subject")]

    def __str__(self) -> str:
        return f"{self.user} ({self.subject})"
