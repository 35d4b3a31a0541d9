"""Building an episode for consent and sharing tests, straight from the models."""

from datetime import date

from earlyhelp.episodes.models import Episode, EpisodeChild, EpisodeState
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person


def make_episode(*, lead, name: str = "Okafor", state: str = EpisodeState.AWAITING_CONSENT, team=None,
                 reference: str | None = None) -> Episode:
    """A family with a mother, a father and two children (aged about 14 and 6), in an episode led by `lead`."""
    team = team if team is not None else lead.teams.first()
    family = Family.objects.create(name=f"{name} family", locality=team.locality if team else None,
                                   postcode="ZZ99 3CZ")
    mother = Person.objects.create(first_name="Grace", last_name=name, date_of_birth=date(1986, 5, 14))
    father = Person.objects.create(first_name="Daniel", last_name=name, date_of_birth=date(1984, 2, 2))
    teen = Person.objects.create(first_name="Chidi", last_name=name, date_of_birth=date(2012, 1, 20))
    young = Person.objects.create(first_name="Ada", last_name=name, date_of_birth=date(2020, 3, 9))
    FamilyMember.objects.create(family=family, person=mother, role=MemberRole.PARENT)
    FamilyMember.objects.create(family=family, person=father, role=MemberRole.PARENT)
    FamilyMember.objects.create(family=family, person=teen, role=MemberRole.CHILD)
    FamilyMember.objects.create(family=family, person=young, role=MemberRole.CHILD)
    episode = Episode.objects.create(
        reference=reference or f"EH-{name[:3].upper()}-{Episode.objects.count() + 1:04d}",
        family=family, state=state, team=team, allocated_worker=lead, lead_professional=lead,
        opened_on=date(2026, 3, 2),
    )
    for child in (teen, young):
        EpisodeChild.objects.create(episode=episode, person=child, added_on=date(2026, 3, 2))
    episode.mother, episode.father, episode.teen, episode.young = mother, father, teen, young
    return episode
