"""A family with an open episode and everyone around it, for the recording tests."""

from datetime import date, timedelta

from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Role, Team, TeamKind, User
from earlyhelp.episodes.models import Episode, EpisodeChild, EpisodeState, TafMeeting
from earlyhelp.people.models import Family, FamilyMember, Involvement, MemberRole, Person


def make_user(username: str, role: str, agency, team=None) -> User:
    user = User.objects.create_user(username=username, password="x" * 12, role=role, agency=agency,
                                    first_name=username.title(), last_name="Tester")
    if team is not None:
        user.teams.add(team)
    return user


def recording_world(*, with_episode: bool = True) -> dict:
    """The Hartley family (Mia 10, Leo 4), an episode led by one worker and allocated to another,
    each in their own team with a manager; a partner at a Team Around the Family meeting; an
    adviser of the episode's team; a class teacher working with Mia; and someone outside."""
    early_help = Agency.objects.create(name="Early Help Service", kind=AgencyKind.LA_EARLY_HELP)
    school = Agency.objects.create(name="Hill Primary School", kind=AgencyKind.SCHOOL)
    team = Team.objects.create(name="North Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=early_help)
    other_team = Team.objects.create(name="South Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=early_help)
    far_team = Team.objects.create(name="Far Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=early_help)
    users = {
        "lead": make_user("lead", Role.EARLY_HELP_PRACTITIONER, early_help, team),
        "allocated": make_user("allocated", Role.EARLY_HELP_PRACTITIONER, early_help, other_team),
        "manager": make_user("manager", Role.TEAM_MANAGER, early_help, team),
        "allocated_manager": make_user("allocatedmanager", Role.TEAM_MANAGER, early_help, other_team),
        "adviser": make_user("adviser", Role.EARLY_HELP_ADVISER, early_help, team),
        "partner": make_user("partner", Role.PARTNER_PRACTITIONER, school),
        "teacher": make_user("teacher", Role.PARTNER_PRACTITIONER, school),
        "outsider": make_user("outsider", Role.EARLY_HELP_PRACTITIONER, early_help, far_team),
        "far_manager": make_user("farmanager", Role.TEAM_MANAGER, early_help, far_team),
    }
    family = Family.objects.create(name="Hartley family", postcode="ZZ1 1ZZ", created_by=users["lead"])
    people = {
        "mum": Person.objects.create(first_name="Dawn", last_name="Hartley", date_of_birth=date(1990, 6, 1)),
        "mia": Person.objects.create(first_name="Mia", last_name="Hartley", date_of_birth=date(2016, 2, 3)),
        "leo": Person.objects.create(first_name="Leo", last_name="Hartley", date_of_birth=date(2022, 8, 9)),
    }
    FamilyMember.objects.create(family=family, person=people["mum"], role=MemberRole.PARENT)
    FamilyMember.objects.create(family=family, person=people["mia"], role=MemberRole.CHILD)
    FamilyMember.objects.create(family=family, person=people["leo"], role=MemberRole.CHILD)
    Involvement.objects.create(person=people["mia"], agency=school, practitioner=users["teacher"],
                               role_description="Class teacher", started_on=date(2025, 9, 1))
    episode = None
    if with_episode:
        today = timezone.localdate()
        episode = Episode.objects.create(
            reference="EP-REC-1", family=family, state=EpisodeState.PLAN_ACTIVE, team=team,
            lead_professional=users["lead"], allocated_worker=users["allocated"], opened_on=today - timedelta(days=40),
        )
        for key in ("mia", "leo"):
            EpisodeChild.objects.create(episode=episode, person=people[key], added_on=episode.opened_on)
        meeting = TafMeeting.objects.create(episode=episode, held_on=today - timedelta(days=20), discussed="Sleep",
                                            recorded_by=users["lead"])
        meeting.practitioners.add(users["lead"], users["partner"])
    else:
        users["lead"].teams.add(team)
    return {"family": family, "episode": episode, "people": people, "users": users, "team": team}
