from django.db import models


class ClosureDay(models.Model):
    """A one-off day the authority is closed (added by an administrator); not a working day."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.reason}"
