"""The Ashworth family with an assessment in progress and everyone around it, for the alerts tests."""

from datetime import date, timedelta

from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Role, Team, TeamKind, User
from earlyhelp.episodes.models import Assessment, Episode, EpisodeChild, EpisodeState, TafMeeting
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person


def make_user(username: str, role: str, agency, team=None) -> User:
    user = User.objects.create_user(username=username, password="x" * 12, role=role, agency=agency,
                                    first_name=username.title(), last_name="Tester")
    if team is not None:
        user.teams.add(team)
    return user


def alerts_world() -> dict:
    """The Ashworth family (Kim, a parent; Noah, 9), an episode in assessment led by `lead` of the
    North Team, with its manager and a partner at a Team Around the Family meeting; a social worker;
    someone outside; and the Brook family, in which Kim also lives (with her partner)."""
    early_help = Agency.objects.create(name="Early Help Service", kind=AgencyKind.LA_EARLY_HELP)
    school = Agency.objects.create(name="Moor Primary School", kind=AgencyKind.SCHOOL)
    social_care = Agency.objects.create(name="Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    team = Team.objects.create(name="North Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=early_help)
    far_team = Team.objects.create(name="Far Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=early_help)
    users = {
        "lead": make_user("lead", Role.EARLY_HELP_PRACTITIONER, early_help, team),
        "manager": make_user("manager", Role.TEAM_MANAGER, early_help, team),
        "partner": make_user("partner", Role.PARTNER_PRACTITIONER, school),
        "social_worker": make_user("socialworker", Role.SOCIAL_WORKER, social_care),
        "outsider": make_user("outsider", Role.EARLY_HELP_PRACTITIONER, early_help, far_team),
        "analyst": make_user("analyst", Role.PERFORMANCE_ANALYST, early_help),
    }
    family = Family.objects.create(name="Ashworth family", postcode="ZZ3 3ZZ", created_by=users["lead"])
    other_family = Family.objects.create(name="Brook family", postcode="ZZ4 4ZZ", created_by=users["lead"])
    people = {
        "kim": Person.objects.create(first_name="Kim", last_name="Ashworth", date_of_birth=date(1989, 5, 1)),
        "noah": Person.objects.create(first_name="Noah", last_name="Ashworth", date_of_birth=date(2017, 1, 9)),
        "lee": Person.objects.create(first_name="Lee", last_name="Brook", date_of_birth=date(1985, 2, 2)),
    }
    FamilyMember.objects.create(family=family, person=people["kim"], role=MemberRole.PARENT)
    FamilyMember.objects.create(family=family, person=people["noah"], role=MemberRole.CHILD)
    FamilyMember.objects.create(family=other_family, person=people["kim"], role=MemberRole.PARENT)
    FamilyMember.objects.create(family=other_family, person=people["lee"], role=MemberRole.PARENT)
    today = timezone.localdate()
    episode = Episode.objects.create(
        reference="EP-ALERT-1", family=family, state=EpisodeState.ASSESSMENT, team=team,
        lead_professional=users["lead"], allocated_worker=users["lead"], opened_on=today - timedelta(days=5),
    )
    EpisodeChild.objects.create(episode=episode, person=people["noah"], added_on=episode.opened_on)
    assessment = Assessment.objects.create(episode=episode, started_on=episode.opened_on,
                                           due_on=today + timedelta(days=9), organisation=early_help)
    meeting = TafMeeting.objects.create(episode=episode, held_on=today - timedelta(days=2), discussed="Mornings",
                                        recorded_by=users["lead"])
    meeting.practitioners.add(users["lead"], users["partner"])
    return {"family": family, "other_family": other_family, "episode": episode, "assessment": assessment,
            "people": people, "users": users, "team": team}
