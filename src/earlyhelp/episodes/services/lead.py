"""A child has one lead professional at a time, whoever records it (DOMAIN §6).

The child's lead is one record: their current lead involvement (people.Involvement with
is_lead_professional). An involvement recorded on the child's page is one way to write it; the
episode's lead change is the other, and it writes through here: it makes the episode's lead the
lead involvement of each child of concern (linked to the episode) and ends whoever led for them
before. "Already known?", the family page, the person page, "Start early help", triage and the
episode all read that one record, so they cannot name two different leads.

The episode's lead ends with the episode, except after a step up Children's Social Care accepted:
the social worker goes on leading (the role transferred to the statutory service).
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q

from earlyhelp.accounts.models import Agency, User
from earlyhelp.people.models import Involvement, Person

from ..models import Episode, EpisodeChild


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def lead_agency(lead: User, episode: Episode) -> Agency | None:
    """The organisation the lead works for: their own, else their first team's, else the episode's team's."""
    if lead.agency_id:
        return lead.agency
    team = lead.teams.select_related("agency").order_by("name").first()
    if team is not None:
        return team.agency
    return episode.team.agency if episode.team_id else None


def _current_child_ids(episode: Episode) -> list[int]:
    return list(
        EpisodeChild.objects.filter(episode=episode, removed_on__isnull=True)
        .order_by("person__date_of_birth", "person_id").values_list("person_id", flat=True)
    )


def other_leads(episode: Episode, lead: User | None = None) -> list[Involvement]:
    """The children of concern's current leads that are not this episode's (or are not `lead`)."""
    leads = Involvement.objects.filter(
        person_id__in=_current_child_ids(episode), is_lead_professional=True, ended_on__isnull=True,
    ).select_related("person", "agency", "practitioner", "episode")
    return [
        involvement for involvement in leads
        if involvement.episode_id != episode.pk and (lead is None or involvement.practitioner_id != lead.pk)
    ]


def describe_lead(involvement: Involvement) -> str:
    """'Sam Jones (health visitor, Riverside Health) for Amy'."""
    what = ", ".join(filter(None, [involvement.role_description, involvement.agency.name]))
    return f"{involvement.contact_name} ({what}) for {involvement.person.first_name}"


def child_leads_write(*, episode: Episode, lead: User, on: date, person_ids: Iterable[int] | None = None
                      ) -> list[Involvement]:
    """Make `lead` the current lead professional of the episode's children of concern (or of
    `person_ids`), ending whoever else led for them. Returns the other leads it ended."""
    ids = list(person_ids) if person_ids is not None else _current_child_ids(episode)
    if not ids:
        return []
    agency = lead_agency(lead, episode)
    if agency is None:
        raise ValidationError({"lead": f"{_name(lead)} has no organisation recorded: ask an administrator to "
                                       "add one before they lead"})
    # The same lock as involvement_create, so a lead recorded on the child's page at the same moment waits.
    list(Person.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    current = list(
        Involvement.objects.filter(person_id__in=ids, is_lead_professional=True, ended_on__isnull=True)
        .select_related("person", "agency", "practitioner")
    )
    covered = {involvement.person_id for involvement in current if involvement.practitioner_id == lead.pk}
    ended = [involvement for involvement in current if involvement.practitioner_id != lead.pk]
    for involvement in ended:
        involvement.ended_on = max(on, involvement.started_on or on)
        involvement.save(update_fields=["ended_on"])
    replaced = [involvement for involvement in ended if involvement.episode_id != episode.pk]
    Involvement.objects.bulk_create([
        Involvement(
            person_id=person_id, agency=agency, practitioner=lead, role_description=lead.job_title[:150],
            is_lead_professional=True, started_on=on, episode=episode,
        )
        for person_id in ids if person_id not in covered
    ] + [_continuing(involvement, on) for involvement in replaced])
    return replaced


def _continuing(involvement: Involvement, on: date) -> Involvement:
    """Someone who led from another service stops leading, not working with the child: their
    involvement goes on from `on`, without the lead role (and they stay in the family's network)."""
    return Involvement(
        person_id=involvement.person_id, agency_id=involvement.agency_id, practitioner_id=involvement.practitioner_id,
        practitioner_name=involvement.practitioner_name, contact_phone=involvement.contact_phone,
        contact_email=involvement.contact_email, role_description=involvement.role_description,
        is_lead_professional=False, started_on=on,
    )


def child_leads_end(*, episode: Episode, on: date, person_ids: Iterable[int] | None = None) -> int:
    """The episode's lead stops leading for its children (or for `person_ids`): the episode closed,
    or a child is no longer of concern. Leads recorded elsewhere are left as they are."""
    rows = Involvement.objects.filter(episode=episode, is_lead_professional=True, ended_on__isnull=True)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    return rows.update(ended_on=on)


def child_leads_reconcile(*, replace_others: bool) -> int:
    """Write the lead involvements of episodes whose lead was recorded in bulk (the demo seed):
    each child of concern of an open episode, or of one closed by an accepted step up, gets the
    episode's lead as their lead professional. With `replace_others`, a different lead recorded
    elsewhere ends the day the episode's lead started (the seed's record is the later one) and
    goes on as an involvement without the role; without, a child who already has a lead keeps
    them. Returns how many leads were written."""
    from ..models import ClosureReason, EpisodeState, LeadProfessionalAssignment

    episodes = {
        row["pk"]: row for row in Episode.objects.filter(lead_professional__isnull=False).exclude(
            Q(state=EpisodeState.CLOSED) & ~Q(closure__reason=ClosureReason.STEPPED_UP)
        ).values("pk", "lead_professional_id", "lead_professional__agency_id", "lead_professional__job_title",
                 "team__agency_id", "opened_on")
    }
    if not episodes:
        return 0
    started = dict(
        LeadProfessionalAssignment.objects.filter(episode_id__in=episodes, ended_on__isnull=True)
        .values_list("episode_id", "started_on")
    )
    children = list(
        EpisodeChild.objects.filter(episode_id__in=episodes, removed_on__isnull=True)
        .order_by("episode_id", "person_id").values_list("episode_id", "person_id")
    )
    current = {
        row["person_id"]: row for row in Involvement.objects.filter(
            person_id__in={person_id for _, person_id in children}, is_lead_professional=True,
            ended_on__isnull=True,
        ).values("pk", "person_id", "practitioner_id", "started_on")
    }
    replaced_leads = {}
    to_end: dict[date, list[int]] = {}
    new, done = [], set()
    for episode_id, person_id in children:
        episode = episodes[episode_id]
        agency_id = episode["lead_professional__agency_id"] or episode["team__agency_id"]
        on = started.get(episode_id) or episode["opened_on"]
        lead = current.get(person_id)
        if person_id in done or agency_id is None or (lead and lead["practitioner_id"] == episode["lead_professional_id"]):
            continue
        if lead is not None:
            if not replace_others:
                continue
            ended_on = max(on, lead["started_on"] or on)
            to_end.setdefault(ended_on, []).append(lead["pk"])
            replaced_leads[lead["pk"]] = ended_on
        done.add(person_id)
        new.append(Involvement(
            person_id=person_id, agency_id=agency_id, practitioner_id=episode["lead_professional_id"],
            role_description=(episode["lead_professional__job_title"] or "")[:150], is_lead_professional=True,
            started_on=on, episode_id=episode_id,
        ))
    for ended_on, pks in to_end.items():
        Involvement.objects.filter(pk__in=pks).update(ended_on=ended_on)
    leads_written = len(new)
    new += [_continuing(involvement, replaced_leads[involvement.pk])
            for involvement in Involvement.objects.filter(pk__in=replaced_leads)]
    Involvement.objects.bulk_create(new, batch_size=500)
    return leads_written
