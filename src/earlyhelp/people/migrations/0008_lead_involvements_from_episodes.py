"""Each child of concern of an episode with a lead professional gets that lead as their lead
involvement (one lead a child: episodes/services/lead.py), where the child has no lead yet.

Open episodes, and episodes closed by an accepted step up (the social worker goes on leading).
A child who already has a different lead keeps them: a migration does not end anyone's role.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Episode = apps.get_model("episodes", "Episode")
    EpisodeChild = apps.get_model("episodes", "EpisodeChild")
    Assignment = apps.get_model("episodes", "LeadProfessionalAssignment")
    Involvement = apps.get_model("people", "Involvement")
    episodes = {
        row["pk"]: row for row in Episode.objects.filter(lead_professional__isnull=False).values(
            "pk", "state", "closure__reason", "lead_professional_id", "lead_professional__agency_id",
            "lead_professional__job_title", "team__agency_id", "opened_on",
        )
        if row["state"] != "closed" or row["closure__reason"] == "stepped_up"
    }
    if not episodes:
        return
    started = dict(Assignment.objects.filter(episode_id__in=episodes, ended_on__isnull=True)
                   .values_list("episode_id", "started_on"))
    children = list(EpisodeChild.objects.filter(episode_id__in=episodes, removed_on__isnull=True)
                    .values_list("episode_id", "person_id"))
    led = set(Involvement.objects.filter(person_id__in={p for _, p in children}, is_lead_professional=True,
                                         ended_on__isnull=True).values_list("person_id", flat=True))
    new = []
    for episode_id, person_id in children:
        episode = episodes[episode_id]
        agency_id = episode["lead_professional__agency_id"] or episode["team__agency_id"]
        if person_id in led or agency_id is None:
            continue
        led.add(person_id)
        new.append(Involvement(
            person_id=person_id, agency_id=agency_id, practitioner_id=episode["lead_professional_id"],
            role_description=(episode["lead_professional__job_title"] or "")[:150], is_lead_professional=True,
            started_on=started.get(episode_id) or episode["opened_on"], episode_id=episode_id,
        ))
    Involvement.objects.bulk_create(new, batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0007_involvement_episode_lead"),
        ("episodes", "0004_episode_oversight_due_on"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
