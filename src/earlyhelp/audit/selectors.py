from django.db.models import Q, QuerySet

from .models import AccessRecord


def access_records_for_person(*, person_id: int) -> QuerySet[AccessRecord]:
    """Who has looked at this person's record, or at a family page of a family they belong to.

    Looks at records merged into this one count: a merge leaves access records on the record that
    was looked at (they are never changed), so this follows merged_into back to every duplicate.
    """
    from earlyhelp.people.models import FamilyMember
    from earlyhelp.people.selectors import person_and_merged_ids

    person_ids = person_and_merged_ids(person_id)
    family_ids = FamilyMember.objects.filter(person_id__in=person_ids).values("family_id")
    return (
        AccessRecord.objects.filter(Q(person_id__in=person_ids) | Q(family_id__in=family_ids, person__isnull=True))
        .select_related("user", "user__agency", "family")
        .order_by("-at")
    )


def people_for_audit_search(*, query: str):
    """Administrators find the record whose audit trail they need (name or NHS number)."""
    from earlyhelp.people.models import Person

    query = query.strip()
    if not query:
        return Person.objects.none()
    digits = "".join(query.split())
    if digits.isdigit():
        return Person.objects.filter(nhs_number=digits)[:20]
    terms = query.split()
    people = Person.objects.all()
    for term in terms:
        people = people.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(known_as__icontains=term))
    return people.order_by("last_name", "first_name")[:20]


def family_managers(*, family):
    """Team managers of the teams the family is allocated to, or else of its locality's teams."""
    from earlyhelp.accounts.models import Role, Team, TeamKind, User

    teams = Team.objects.filter(allocations__request__family=family)
    if not teams.exists() and family.locality_id:
        teams = Team.objects.filter(locality_id=family.locality_id, kind=TeamKind.LOCALITY_EARLY_HELP)
    if not teams.exists():
        teams = Team.objects.filter(kind=TeamKind.FRONT_DOOR)
    return User.objects.filter(role=Role.TEAM_MANAGER, is_active=True, teams__in=teams).distinct()
