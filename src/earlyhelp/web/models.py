from django.conf import settings
from django.db import models


class Draft(models.Model):
    """What one user typed into a long form and has not saved yet: the page's fields as posted.

    Only ever read back for the user who typed it, on the page it was typed on (key: the page's
    path and query). Holds a child's details, so it is never registered in Django admin; drafts
    go when the form is saved, when the user discards them, or after EARLYHELP_DRAFT_DAYS.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=500)
    # {"fields": {name: [values]}, "action": the path the form posts to}
    data = models.JSONField()
    # Kept from a submission that met an expired session (restored on opening, with a notice).
    kept_at_sign_out = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="draft_one_per_user_and_page")]

    @property
    def typed_values(self) -> list[str]:
        """The words typed (not the choices' codes and hidden values), for reading without JavaScript."""
        return [
            value for values in self.data.get("fields", {}).values() for value in values
            if any(character.isalpha() for character in value) and " " in value.strip()
        ]

    def __str__(self) -> str:
        return f"Draft of {self.key}"
