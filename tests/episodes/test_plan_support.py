"""Builders for the plan, meeting and review tests: a family with children and an episode in planning."""

from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind
from earlyhelp.episodes.models import Assessment, Episode, EpisodeChild, EpisodeState
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person

_numbers = count(1)


def build_family(name: str = "Fletcher") -> tuple[Family, dict[str, Person]]:
    family = Family.objects.create(name=f"{name} family {next(_numbers)}", postcode="ZZ1 1ZZ")
    people = {
        "mum": Person.objects.create(first_name="Kerry", last_name=name, date_of_birth=date(1988, 4, 2)),
        "jack": Person.objects.create(first_name="Jack", last_name=name, date_of_birth=date(2015, 9, 14)),
        "lily": Person.objects.create(first_name="Lily", last_name=name, date_of_birth=date(2019, 1, 30)),
    }
    FamilyMember.objects.create(family=family, person=people["mum"], role=MemberRole.PARENT)
    FamilyMember.objects.create(family=family, person=people["jack"], role=MemberRole.CHILD)
    FamilyMember.objects.create(family=family, person=people["lily"], role=MemberRole.CHILD)
    return family, people


def build_episode(
    *, lead, state: str = EpisodeState.PLANNING, agreed_needs: list[str] | None = None,
    with_assessment: bool = True, team=None, name: str = "Fletcher",
) -> tuple[Episode, dict[str, Person]]:
    """An episode whose assessment is complete (in state planning unless told otherwise)."""
    family, people = build_family(name)
    today = timezone.localdate()
    episode = Episode.objects.create(
        reference=f"EP-P-{next(_numbers)}", family=family, state=state, opened_on=today - timedelta(days=30),
        lead_professional=lead, allocated_worker=lead, team=team if team is not None else lead.teams.first(),
    )
    for key in ("jack", "lily"):
        EpisodeChild.objects.create(episode=episode, person=people[key], added_on=episode.opened_on)
    if with_assessment:
        organisation = lead.agency or Agency.objects.get_or_create(name="Early Help Service", kind=AgencyKind.LA_EARLY_HELP)[0]
        Assessment.objects.create(
            episode=episode, started_on=today - timedelta(days=25), due_on=today - timedelta(days=11),
            completed_on=today - timedelta(days=12), completed_by=lead, organisation=organisation,
            what_needs_to_change="Jack to be in school every day; Kerry to get help with her mood",
            agreed_needs=agreed_needs if agreed_needs is not None else ["4B", "14A"],
        )
    return episode, people
