"""Families: households of adults and children, with schools, health visitors, lead professionals,
relationships and address history. Synthetic only; NHS numbers from the 999 test range.

Built in memory and written with bulk_create, so thousands of families take seconds.
"""

import random
from itertools import accumulate
from datetime import date, timedelta

from django.utils import timezone
from faker import Faker
from stdnum.gb import upn as upn_numbers

from earlyhelp.accounts.models import Agency, AgencyKind, Role, User
from earlyhelp.people.matching import normalise_name
from earlyhelp.people.models import (
    Disability,
    Family,
    FamilyAddress,
    FamilyMember,
    Involvement,
    MemberRole,
    Person,
    PersonMerge,
    Relationship,
    RelationshipKind,
    SenStatus,
)
from earlyhelp.standards import AnnexAGender, Ethnicity

from .bulk import bulk_insert, new_row
from .identifiers import synthetic_nhs_number
from .organisations import Organisations

BATCH = 1000
# Roughly the ethnic make-up of children in England (school census), as weights.
ETHNICITY_WEIGHTS = {
    Ethnicity.WBRI: 640, Ethnicity.WIRI: 3, Ethnicity.WIRT: 2, Ethnicity.WOTH: 70, Ethnicity.WROM: 7,
    Ethnicity.MWBC: 15, Ethnicity.MWBA: 9, Ethnicity.MWAS: 18, Ethnicity.MOTH: 25, Ethnicity.AIND: 35,
    Ethnicity.APKN: 45, Ethnicity.ABAN: 18, Ethnicity.AOTH: 20, Ethnicity.BCRB: 8, Ethnicity.BAFR: 40,
    Ethnicity.BOTH: 8, Ethnicity.CHNE: 6, Ethnicity.OOTH: 20, Ethnicity.REFU: 4, Ethnicity.NOBT: 7,
}
# Other first languages, by ethnicity, for some of the family.
LANGUAGES = {
    Ethnicity.WOTH: ("Polish", "Romanian", "Lithuanian", "Portuguese"),
    Ethnicity.WROM: ("Romanian", "Slovak"),
    Ethnicity.APKN: ("Urdu", "Punjabi"),
    Ethnicity.ABAN: ("Bengali", "Sylheti"),
    Ethnicity.AIND: ("Gujarati", "Punjabi", "Tamil"),
    Ethnicity.AOTH: ("Pashto", "Dari", "Tamil"),
    Ethnicity.BAFR: ("Somali", "Tigrinya", "Arabic"),
    Ethnicity.CHNE: ("Cantonese", "Mandarin"),
    Ethnicity.OOTH: ("Arabic", "Kurdish", "Farsi"),
}
DISABILITIES = (
    "Autism: finds change and busy places hard; needs warning before visits",
    "Hearing impairment: uses hearing aids; face them when speaking",
    "Cerebral palsy: uses a wheelchair outside the home",
    "Learning disability: needs information in easy read",
    "Epilepsy: seizures are controlled with medication",
    "Visual impairment: needs large print",
)
# A local authority code that python-stdnum accepts, for synthetic unique pupil numbers.
UPN_LA_CODE = "938"
SCHOOL_ROLES = ("Designated safeguarding lead", "Class teacher", "Head of year", "SENCo")
OTHER_LEAD_ROLES = ("School nurse", "Family support worker", "Youth worker", "Health visitor")


class _Weighted:
    """A weighted choice with the cumulative weights worked out once."""

    def __init__(self, weights: dict):
        self.population = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def pick(self, rng: random.Random):
        return rng.choices(self.population, cum_weights=self.cumulative)[0]


ETHNICITIES = _Weighted(ETHNICITY_WEIGHTS)
SEN_STATUSES = _Weighted({SenStatus.NONE: 78, SenStatus.SEN_SUPPORT: 13, SenStatus.EHC_PLAN: 4, SenStatus.UNKNOWN: 5})


class _Pools:
    """Names and places drawn from Faker once, then chosen with the seeded rng (Faker is slow per call)."""

    def __init__(self, fake: Faker, families: int):
        size = min(max(families // 4, 50), 800)
        self.female = [fake.first_name_female() for _ in range(size)]
        self.male = [fake.first_name_male() for _ in range(size)]
        self.first = self.female + self.male
        self.surnames = [fake.last_name() for _ in range(size * 2)]
        self.streets = [fake.street_name() for _ in range(size)]
        self.towns = [fake.city() for _ in range(max(size // 5, 20))]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birthday(rng: random.Random, today: date, age: int) -> date:
    """A date of birth for someone who is `age` today."""
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _synthetic_upn(rng: random.Random, taken: set[str], *, school_index: int, admitted: int) -> str:
    """Check letter + LA code + school number + admission year + serial, by the DfE's algorithm."""
    while True:
        body = f"{UPN_LA_CODE}{2000 + school_index % 8000:04d}{admitted % 100:02d}{rng.randrange(1000):03d}"
        number = upn_numbers.calc_check_digit(body) + body
        if number not in taken:
            taken.add(number)
            return number


def _unique_nhs(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = synthetic_nhs_number(rng)
        if number not in taken:
            taken.add(number)
            return number


class _Builder:
    """Collects unsaved objects and the links between them, then writes each table once."""

    def __init__(self, *, rng: random.Random, fake: Faker, organisations: Organisations, today: date, size: int):
        self.rng, self.fake, self.today = rng, fake, today
        self.pools = _Pools(fake, size)
        self.families: list[Family] = []
        self.people: list[Person] = []
        # Rows that point at people or families by their index in the lists above.
        self.members: list[tuple[int, int, str, date | None]] = []
        self.relationships: list[tuple[int, int, str, bool]] = []
        self.addresses: list[tuple[int, str, str, date | None, date | None]] = []
        self.involvements: list[tuple[int, dict]] = []
        self.family_involvements: list[tuple[int, dict]] = []  # this family's, before they join the rest
        self.nhs_numbers: set[str] = set()
        self.upns: set[str] = set()

        agencies = organisations.agencies
        self.by_locality: dict[tuple[str, int | None], list[Agency]] = {}
        for kind in (AgencyKind.SCHOOL, AgencyKind.EARLY_YEARS, AgencyKind.HEALTH_VISITING, AgencyKind.GP_PRACTICE):
            for agency in agencies.get(kind, []):
                self.by_locality.setdefault((kind, agency.locality_id), []).append(agency)
        self.school_index = {agency.pk: index for index, agency in enumerate(agencies.get(AgencyKind.SCHOOL, []))}
        self.localities = organisations.localities
        self.early_help = agencies[AgencyKind.LA_EARLY_HELP][0]
        partners = organisations.users.get(Role.PARTNER_PRACTITIONER, [])
        self.staff_by_agency: dict[int, list[User]] = {}
        for user in partners:
            if user.agency_id:
                self.staff_by_agency.setdefault(user.agency_id, []).append(user)
        self.demo_partner = next((user for user in partners if user.username == "partner"), None)
        practitioners = organisations.users.get(Role.EARLY_HELP_PRACTITIONER, [])
        self.demo_practitioner = next((user for user in practitioners if user.username == "practitioner"), None)
        self.lead_users = [
            user for user in [*partners, *practitioners] if user.username not in ("partner", "practitioner")
        ]
        # One named contact per agency for practitioners who do not use the service.
        self.agency_contacts: dict[int, str] = {}

    def full_name(self) -> str:
        return f"{self.rng.choice(self.pools.first)} {self.rng.choice(self.pools.surnames)}"

    def street_address(self) -> str:
        return f"{self.rng.randrange(1, 200)} {self.rng.choice(self.pools.streets)}\n{self.rng.choice(self.pools.towns)}"

    def agency_in(self, kind: str, locality_id: int | None) -> Agency | None:
        choices = self.by_locality.get((kind, locality_id)) or self.by_locality.get((kind, None))
        if not choices:
            choices = [agency for (k, _), found in self.by_locality.items() if k == kind for agency in found]
        return self.rng.choice(choices) if choices else None

    def contact_at(self, agency: Agency) -> str:
        if agency.pk not in self.agency_contacts:
            self.agency_contacts[agency.pk] = self.full_name()
        return self.agency_contacts[agency.pk]

    # People --------------------------------------------------------------------------------

    def person(self, *, first: str, last: str, sex: str, born: date | None, ethnicity: str, address: str,
               postcode: str, adult: bool, due: date | None = None) -> int:
        rng, fake = self.rng, self.fake
        gender = sex if rng.random() < 0.97 else rng.choice([AnnexAGender.NOT_STATED, AnnexAGender.NEITHER])
        languages = LANGUAGES.get(ethnicity)
        language = rng.choice(languages) if languages and rng.random() < (0.6 if adult else 0.3) else "English"
        disabled = rng.random() < (0.08 if adult else 0.06)
        person = new_row(
            Person,
            first_name=first, last_name=last, sex=sex, gender=gender if born else AnnexAGender.NOT_STATED,
            middle_names=rng.choice(self.pools.female if sex == AnnexAGender.FEMALE else self.pools.male)
            if born and rng.random() < 0.4 else "",
            known_as="", date_of_birth=born, expected_date_of_birth=due, ethnicity=ethnicity,
            nhs_number=_unique_nhs(rng, self.nhs_numbers) if born and rng.random() < 0.85 else None,
            address=address, postcode=postcode, first_language=language,
            interpreter_needed=language != "English" and adult and rng.random() < 0.35,
            disability=(Disability.YES if disabled else Disability.NO) if born else Disability.UNKNOWN,
            disability_details=rng.choice(DISABILITIES) if disabled else "",
        )
        if adult:
            person.phone = f"07700 900{rng.randrange(1000):03d}"  # Ofcom's drama range
            if rng.random() < 0.7:
                handle = f"{normalise_name(first)}.{normalise_name(last)}".replace(" ", "")
                person.email = f"{handle}{rng.randrange(10, 99)}@example.com"
        self.people.append(person)
        return len(self.people) - 1

    def family(self) -> None:
        rng, fake, today = self.rng, self.fake, self.today
        locality = rng.choice(self.localities) if self.localities else None
        locality_id = locality.pk if locality else None
        surname = rng.choice(self.pools.surnames)
        ethnicity = ETHNICITIES.pick(rng)
        address = self.street_address()
        postcode = fake.postcode()
        self.family_involvements = []
        family = new_row(Family, name=f"{surname} family", address=address, postcode=postcode, locality=locality)
        self.families.append(family)
        family_index = len(self.families) - 1

        moved_in = today - timedelta(days=rng.randrange(60, 365 * 9))
        if rng.random() < 0.3:
            earlier = moved_in - timedelta(days=rng.randrange(200, 365 * 5))
            previous = self.street_address()
            self.addresses.append((family_index, previous, fake.postcode(), earlier, moved_in))
        self.addresses.append((family_index, address, postcode, moved_in, None))

        child_count = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        child_ages = sorted((rng.randrange(0, 18) for _ in range(child_count)), reverse=True)
        eldest = child_ages[0]
        adults = []
        two_adults = rng.random() < 0.6
        mother_age = min(eldest + rng.randrange(18, 38), 60)
        mother = self.person(first=rng.choice(self.pools.female), last=surname, sex=AnnexAGender.FEMALE,
                             born=_birthday(rng, today, mother_age),
                             ethnicity=ethnicity, address=address, postcode=postcode, adult=True)
        adults.append((mother, MemberRole.PARENT))
        if two_adults:
            step = rng.random() < 0.2
            partner_age = min(mother_age + rng.randrange(-4, 8), 65)
            partner = self.person(
                first=rng.choice(self.pools.male), last=rng.choice(self.pools.surnames) if step else surname, sex=AnnexAGender.MALE,
                born=_birthday(rng, today, partner_age),
                ethnicity=ethnicity if rng.random() < 0.8 else ETHNICITIES.pick(rng),
                address=address, postcode=postcode, adult=True,
            )
            adults.append((partner, MemberRole.STEP_PARENT if step else MemberRole.PARENT))
            self.relationships.append((mother, partner, RelationshipKind.PARTNER_OF, False))

        children: list[tuple[int, int]] = []  # (person index, age)
        for age in child_ages:
            sex = rng.choice([AnnexAGender.MALE, AnnexAGender.FEMALE])
            first = rng.choice(self.pools.male if sex == AnnexAGender.MALE else self.pools.female)
            child = self.person(first=first, last=surname, sex=sex,
                                born=_birthday(rng, today, age),
                                ethnicity=ethnicity, address=address, postcode=postcode, adult=False)
            self._schooling(child, age, locality_id)
            children.append((child, age))
        if mother_age < 44 and rng.random() < 0.06:
            due = today + timedelta(days=rng.randrange(20, 200))
            unborn = self.person(first="Baby", last=surname, sex=AnnexAGender.NOT_STATED, born=None, due=due,
                                 ethnicity=ethnicity, address=address, postcode=postcode, adult=False)
            self.members.append((family_index, unborn, MemberRole.UNBORN, None))
            self.relationships.append((mother, unborn, RelationshipKind.PARENT_OF, True))

        for adult, role in adults:
            self.members.append((family_index, adult, role, moved_in))
            for child, _ in children:
                kind = RelationshipKind.STEP_PARENT_OF if role == MemberRole.STEP_PARENT else RelationshipKind.PARENT_OF
                self.relationships.append((adult, child, kind, role == MemberRole.PARENT))
        for index, (child, _) in enumerate(children):
            self.members.append((family_index, child, MemberRole.CHILD, None))
            for other, _ in children[index + 1:]:
                self.relationships.append((child, other, RelationshipKind.SIBLING_OF, False))
        self._health_visiting(children, locality_id)
        self._lead_professional(family_index, children, locality_id)
        self.involvements.extend(self.family_involvements)

    def _schooling(self, child: int, age: int, locality_id: int | None) -> None:
        rng, person = self.rng, self.people[child]
        if age < 2:
            return
        if age < 4:
            if rng.random() < 0.5:
                person.school = self.agency_in(AgencyKind.EARLY_YEARS, locality_id)
            person.sen_status = SenStatus.UNKNOWN
            return
        school = self.agency_in(AgencyKind.SCHOOL, locality_id)
        person.school = school
        person.sen_status = SEN_STATUSES.pick(rng)
        if school is not None and rng.random() < 0.75:
            person.upn = _synthetic_upn(rng, self.upns, school_index=self.school_index.get(school.pk, 0),
                                        admitted=self.today.year - age + 4)
        if school is not None:
            self.family_involvements.append((child, self._school_involvement(school)))

    def _school_involvement(self, school: Agency) -> dict:
        staff = self.staff_by_agency.get(school.pk)
        if staff and self.rng.random() < 0.5:
            user = self.rng.choice(staff)
            return {"agency": school, "practitioner": user, "role_description": user.job_title}
        return {"agency": school, "practitioner_name": self.contact_at(school),
                "role_description": self.rng.choice(SCHOOL_ROLES), "contact_phone": school.phone,
                "contact_email": school.email}

    def _health_visiting(self, children: list[tuple[int, int]], locality_id: int | None) -> None:
        under_fives = [child for child, age in children if age < 5]
        if not under_fives:
            return
        health_visiting = self.agency_in(AgencyKind.HEALTH_VISITING, locality_id)
        if health_visiting is None:
            return
        name = self.contact_at(health_visiting)
        for child in under_fives:
            self.family_involvements.append((child, {
                "agency": health_visiting, "practitioner_name": name, "role_description": "Health visitor",
                "contact_phone": health_visiting.phone, "contact_email": health_visiting.email,
            }))

    def _lead_professional(self, family_index: int, children: list[tuple[int, int]], locality_id: int | None) -> None:
        """About a quarter of families have a lead professional for one child; the demo partner and
        practitioner lead one family in every 25, so their pages always have families to show."""
        rng = self.rng
        school_age = [(child, age) for child, age in children if age >= 4]
        child, age = rng.choice(children)
        lead: dict | None = None
        if self.demo_partner is not None and family_index % 25 == 0:
            partner = self.demo_partner
            if school_age and partner.agency_id:
                # The child goes to the partner's school, where the partner is the safeguarding lead.
                child, age = school_age[0]
                self.people[child].school = partner.agency
                self.family_involvements = [
                    (person, values) for person, values in self.family_involvements
                    if not (person == child and values["agency"].kind == AgencyKind.SCHOOL)
                ]
            lead = {"agency": partner.agency or self.early_help, "practitioner": partner,
                    "role_description": partner.job_title}
        elif self.demo_practitioner is not None and family_index % 25 == 1:
            practitioner = self.demo_practitioner
            lead = {"agency": practitioner.agency or self.early_help, "practitioner": practitioner,
                    "role_description": practitioner.job_title}
        elif rng.random() < 0.25:
            if self.lead_users and rng.random() < 0.5:
                user = rng.choice(self.lead_users)
                lead = {"agency": user.agency or self.early_help, "practitioner": user,
                        "role_description": user.job_title}
            else:
                agency = self.agency_in(AgencyKind.HEALTH_VISITING if age < 5 else AgencyKind.SCHOOL, locality_id)
                if agency is None:
                    return
                lead = {"agency": agency, "practitioner_name": self.full_name(),
                        "role_description": "Health visitor" if age < 5 else rng.choice(OTHER_LEAD_ROLES),
                        "contact_phone": agency.phone, "contact_email": agency.email}
        if lead is None:
            return
        lead["is_lead_professional"] = True
        lead["started_on"] = self.today - timedelta(days=rng.randrange(14, 400))
        # The lead professional replaces any other involvement of the same agency with that child.
        self.family_involvements = [
            (person, values) for person, values in self.family_involvements
            if not (person == child and values["agency"].pk == lead["agency"].pk)
        ]
        self.family_involvements.append((child, lead))

    # Writing ---------------------------------------------------------------------------------

    def save(self) -> list[Family]:
        families = bulk_insert(Family, self.families, batch_size=BATCH)
        for person in self.people:
            # bulk_create skips Person.save, which keeps search_name.
            names = [person.first_name, person.last_name, person.known_as]
            person.search_name = normalise_name(" ".join(filter(None, names)))
            person.postcode = person.postcode.upper().strip()
        people = bulk_insert(Person, self.people, batch_size=BATCH)
        bulk_insert(FamilyMember,
            [new_row(FamilyMember, family=families[family], person=people[person], role=role, joined_on=joined)
             for family, person, role, joined in self.members],
            batch_size=BATCH,
        )
        bulk_insert(Relationship,
            [new_row(Relationship, person=people[a], relative=people[b], kind=kind, has_parental_responsibility=responsible)
             for a, b, kind, responsible in self.relationships],
            batch_size=BATCH,
        )
        bulk_insert(FamilyAddress,
            [new_row(FamilyAddress, family=families[family], address=address, postcode=postcode, moved_in=moved_in,
                           moved_out=moved_out)
             for family, address, postcode, moved_in, moved_out in self.addresses],
            batch_size=BATCH,
        )
        bulk_insert(Involvement,
            [new_row(Involvement, person=people[person], started_on=values.pop("started_on", None)
                         or self.today - timedelta(days=self.rng.randrange(30, 900)), **values)
             for person, values in self.involvements],
            batch_size=BATCH,
        )
        return families


def seed_families(*, families: int, rng: random.Random, fake: Faker, organisations: Organisations) -> list[Family]:
    """Create `families` households, deterministic for a given rng and fake."""
    builder = _Builder(rng=rng, fake=fake, organisations=organisations, today=timezone.localdate(), size=families)
    for _ in range(families):
        builder.family()
    return builder.save()


def delete_families() -> None:
    """Remove every family and person (after anything else that points at them)."""
    Involvement.objects.all().delete()
    Relationship.objects.all().delete()
    FamilyAddress.objects.all().delete()
    FamilyMember.objects.all().delete()
    PersonMerge.objects.all().delete()
    Person.objects.filter(merged_into__isnull=False).update(merged_into=None)
    Person.objects.all().delete()
    Family.objects.all().delete()
