from django.conf import settings
from django.db import models


class Claims(models.Model):
    """What the provider says about a user beyond their name: their groups, and how they signed in (RFC 8176)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    groups = models.JSONField(default=list)
    amr = models.JSONField(default=list)
