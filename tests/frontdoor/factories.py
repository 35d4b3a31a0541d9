"""Small builders for front door tests: families and requests made through the services."""

from datetime import date, datetime

from django.utils import timezone

from earlyhelp.frontdoor import services
from earlyhelp.frontdoor.models import FamilyAgreement, RequestSource, Urgency
from earlyhelp.people.models import Family, FamilyMember, Involvement, MemberRole, Person

CHILD = services.PersonEntry("Ellie", "Marsh", date(2015, 3, 9))
PARENT = services.PersonEntry("Kerry", "Marsh", date(1988, 6, 1), relationship="Mum", is_child=False)


def make_family(*, name: str = "Marsh", practitioner=None, lead=None, children=(("Ellie", date(2015, 3, 9)),)) -> Family:
    """A household with a parent and children; `practitioner` works with the eldest child, `lead` leads for them."""
    family = Family.objects.create(name=f"{name} family", postcode="ZZ99 3CZ")
    parent = Person.objects.create(first_name="Kerry", last_name=name, date_of_birth=date(1988, 6, 1))
    FamilyMember.objects.create(family=family, person=parent, role=MemberRole.PARENT)
    kids = []
    for first, born in children:
        child = Person.objects.create(first_name=first, last_name=name, date_of_birth=born)
        FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
        kids.append(child)
    if practitioner is not None:
        Involvement.objects.create(person=kids[0], agency=practitioner.agency, practitioner=practitioner,
                                   role_description="Class teacher")
    if lead is not None:
        Involvement.objects.create(person=kids[0], agency=lead.agency, practitioner=lead,
                                   role_description="Health visitor", is_lead_professional=True)
    family.kids = kids
    family.parent = parent
    return family


def practitioner_request(user, *, family=None, submitted_at: datetime | None = None, people=None, **overrides):
    fields = dict(
        source=RequestSource.PRACTITIONER,
        requested_by=user,
        family=family,
        people=people or [CHILD, PARENT],
        concerns=["sen"],
        assessment_factors=["4B"],
        concern_details="Ellie is often late and tired; mum says she is struggling since her partner left.",
        already_tried="School pastoral support for a term.",
        family_agreement=FamilyAgreement.YES,
        child_views="Ellie says she worries about mum.",
        urgency=Urgency.ROUTINE,
        submitted_at=submitted_at,
    )
    fields.update(overrides)
    return services.request_create(**fields)


def self_referral(*, submitted_at: datetime | None = None, **overrides):
    fields = dict(
        source=RequestSource.SELF_REFERRAL,
        requester_name="Kerry Marsh",
        requester_relationship="Mum",
        contact_phone="01632 960123",
        people=[CHILD],
        concern_details="My daughter will not go to school and I do not know what to do.",
        family_agreement=FamilyAgreement.YES,
        submitted_at=submitted_at,
    )
    fields.update(overrides)
    return services.request_create(**fields)


def london(year, month, day, hour=10, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))
