"""Open episodes that never had management oversight get its first due date.

New episodes are given it when they open (EARLYHELP_OVERSIGHT_WEEKS after). Those already open
are due that long after they opened, or on the day of this upgrade when that has passed: the
service could not record oversight before, so weeks of lateness would not be true.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

BATCH = 2000


def first_oversight_due(apps, schema_editor):
    Episode = apps.get_model("episodes", "Episode")
    weeks = timedelta(weeks=getattr(settings, "EARLYHELP_OVERSIGHT_WEEKS", 4))
    today = timezone.localdate()
    waiting = (Episode.objects.exclude(state="closed").filter(oversight_due_on__isnull=True)
               .only("pk", "opened_on").order_by("pk"))
    batch = []
    for episode in waiting.iterator(chunk_size=BATCH):
        episode.oversight_due_on = max(episode.opened_on + weeks, today)
        batch.append(episode)
        if len(batch) == BATCH:
            Episode.objects.bulk_update(batch, ["oversight_due_on"])
            batch = []
    Episode.objects.bulk_update(batch, ["oversight_due_on"])


class Migration(migrations.Migration):

    dependencies = [
        ("episodes", "0006_family_ratings_from_children"),
    ]

    operations = [
        migrations.RunPython(first_oversight_due, migrations.RunPython.noop),
    ]
