"""Builders for the assessment tests: a family with two children and an episode at the assessment stage."""

from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from earlyhelp.episodes.models import Episode, EpisodeChild, EpisodeState
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person

_numbers = count(1)


def build_family(name: str = "Adeyemi") -> tuple[Family, dict[str, Person]]:
    family = Family.objects.create(name=f"{name} family {next(_numbers)}", postcode="ZZ9 9ZZ")
    people = {
        "mum": Person.objects.create(first_name="Bola", last_name=name, date_of_birth=date(1990, 6, 11)),
        "amara": Person.objects.create(first_name="Amara", last_name=name, date_of_birth=date(2014, 3, 8)),
        "tobi": Person.objects.create(first_name="Tobi", last_name=name, date_of_birth=date(2018, 11, 21)),
    }
    FamilyMember.objects.create(family=family, person=people["mum"], role=MemberRole.PARENT)
    FamilyMember.objects.create(family=family, person=people["amara"], role=MemberRole.CHILD)
    FamilyMember.objects.create(family=family, person=people["tobi"], role=MemberRole.CHILD)
    return family, people


def build_episode(*, lead, state: str = EpisodeState.ASSESSMENT, team=None, name: str = "Adeyemi",
                  reference: str | None = None) -> tuple[Episode, dict[str, Person]]:
    """An episode in the assessment stage led (and worked) by `lead`, with two children of concern."""
    family, people = build_family(name)
    today = timezone.localdate()
    episode = Episode.objects.create(
        reference=reference or f"EP-A-{next(_numbers)}", family=family, state=state,
        opened_on=today - timedelta(days=3), lead_professional=lead, allocated_worker=lead,
        team=team if team is not None else lead.teams.first(),
    )
    for key in ("amara", "tobi"):
        EpisodeChild.objects.create(episode=episode, person=people[key], added_on=episode.opened_on)
    return episode, people


def fill_every_part(assessment, by) -> None:
    """Everything completion needs, through the services."""
    from earlyhelp.episodes.services import assessment as service

    for section in assessment.child_sections.select_related("child"):
        service.assessment_child_section_save(
            section=section, by=by,
            wishes_and_feelings=f"{section.child.first_name} wants Mum to be less tired.",
            how_heard="Seen alone at school, with drawings.",
            ratings={"health": {"strengths": "Registered with a GP", "needs": "Missed dental checks", "score": 6}},
        )
    service.assessment_family_ratings_save(
        assessment=assessment, by=by, child_notes={},
        ratings={"basic_care": {"strengths": "Meals every day", "needs": "Breakfast is often missed", "score": 5}},
    )
    service.assessment_family_views_save(assessment=assessment, by=by, parents_views="Bola says she is exhausted.")
    service.assessment_analysis_save(assessment=assessment, by=by, what_needs_to_change="Routines at home",
                                     impact_if_not="School attendance will fall further")
    service.assessment_needs_save(assessment=assessment, by=by, agreed_needs=["4B", "7A"])
