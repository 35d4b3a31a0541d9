"""National code lists (../shared/STANDARDS.md). Store the code, show the label."""

from django.db import models


class AnnexAGender(models.TextChoices):
    """Ofsted Annex A gender values; exported as 'a) Male' etc."""

    MALE = "a", "Male"
    FEMALE = "b", "Female"
    NOT_STATED = "c", "Not stated/recorded"
    NEITHER = "d", "Neither"


class Ethnicity(models.TextChoices):
    """DfE ethnicity codes, in Annex A order (exported as 'a) WBRI' ... 't) NOBT')."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


def annex_a_coded(choices: type[models.TextChoices], value: str, *, show: str = "label") -> str:
    """'a) Male' / 'a) WBRI': the Annex A spelling, lettered by position in the list."""
    index = choices.values.index(value)
    text = choices(value).label if show == "label" else value
    return f"{chr(ord('a') + index)}) {text}"


class CinReferralSource(models.TextChoices):
    FAMILY = "1A", "Family member/relative/carer"
    ACQUAINTANCE = "1B", "Acquaintance"
    SELF = "1C", "Self"
    OTHER_INDIVIDUAL = "1D", "Other individual"
    SCHOOLS = "2A", "Schools"
    EDUCATION = "2B", "Education services"
    GP = "3A", "GP"
    HEALTH_VISITOR = "3B", "Health visitor"
    SCHOOL_NURSE = "3C", "School nurse"
    OTHER_PRIMARY_HEALTH = "3D", "Other primary health services"
    A_AND_E = "3E", "A&E"
    OTHER_HEALTH = "3F", "Other health services"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "LA services – social care"
    LA_OTHER_INTERNAL = "5B", "Other internal LA services"
    LA_EXTERNAL = "5C", "External LA services"
    EARLY_HELP = "5D", "Early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class AssessmentFactor(models.TextChoices):
    ALCOHOL_CHILD = "1A", "Alcohol misuse: concerns about the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: concerns about the parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: concerns about another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: concerns about the child"
    DRUGS_PARENT = "2B", "Drug misuse: concerns about the parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: concerns about another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: concerns about the child"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: concerns about the parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: concerns about another person in the household"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: concerns about the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: concerns about the parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: concerns about another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: concerns about the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: concerns about the parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "Learning disability: concerns about another person in the household"
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: concerns about the child"
    PHYSICAL_DISABILITY_PARENT = "6B", "Physical disability or illness: concerns about the parent or carer"
    PHYSICAL_DISABILITY_OTHER = "6C", "Physical disability or illness: concerns about another person in the household"
    YOUNG_CARER = "7A", "Young carer"
    PRIVATELY_FOSTERED_B = "8B", "Privately fostered: overseas child intending to return"
    PRIVATELY_FOSTERED_C = "8C", "Privately fostered: overseas child remaining in the UK"
    PRIVATELY_FOSTERED_D = "8D", "Privately fostered: UK child in education"
    PRIVATELY_FOSTERED_E = "8E", "Privately fostered: UK child planning to remain"
    PRIVATELY_FOSTERED_F = "8F", "Privately fostered: other"
    UNACCOMPANIED_ASYLUM = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    CSE = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    SOCIALLY_UNACCEPTABLE = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE_CHILD_ON_CHILD = "18B", "Physical abuse: child on child"
    PHYSICAL_ABUSE_ADULT_ON_CHILD = "18C", "Physical abuse: adult on child"
    SEXUAL_ABUSE_CHILD_ON_CHILD = "19B", "Sexual abuse: child on child"
    SEXUAL_ABUSE_ADULT_ON_CHILD = "19C", "Sexual abuse: adult on child"
    OTHER = "20", "Other"
    NO_FACTORS = "21", "No factors identified"
    FGM = "22A", "Female genital mutilation"
    FAITH_OR_BELIEF = "23A", "Abuse linked to faith or belief"
    CCE = "24A", "Child criminal exploitation"


class PrimaryNeed(models.TextChoices):
    ABUSE_OR_NEGLECT = "N1", "Abuse or neglect"
    CHILD_DISABILITY = "N2", "Child's disability"
    PARENTAL_DISABILITY = "N3", "Parental disability or illness"
    ACUTE_STRESS = "N4", "Family in acute stress"
    DYSFUNCTION = "N5", "Family dysfunction"
    SOCIALLY_UNACCEPTABLE = "N6", "Socially unacceptable behaviour"
    LOW_INCOME = "N7", "Low income"
    ABSENT_PARENTING = "N8", "Absent parenting"
    NOT_CIN = "N9", "Cases other than children in need"
    NOT_STATED = "N0", "Not stated"


class Vulnerability(models.TextChoices):
    """What practitioners should be alert to (DOMAIN §2, Working Together)."""

    DISABLED = "disabled", "Is disabled or has specific additional needs"
    SEN = "sen", "Has special educational needs (with or without an EHC plan)"
    YOUNG_CARER = "young_carer", "Is a young carer"
    ANTISOCIAL = "antisocial", "Shows signs of anti-social or criminal behaviour, including gangs and organised crime"
    MISSING = "missing", "Is frequently missing from care or from home"
    EXPLOITATION = "exploitation", "Is at risk of modern slavery, trafficking or exploitation"
    RADICALISATION = "radicalisation", "Is at risk of being radicalised"
    PARENTAL_SUBSTANCE = "parental_substance", "Lives with parental substance misuse"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Lives with adult mental ill health"
    DOMESTIC_ABUSE = "domestic_abuse", "Lives with domestic abuse"
    MISUSES_SUBSTANCES = "misuses_substances", "Misuses drugs or alcohol"
    RETURNED_FROM_CARE = "returned_from_care", "Has returned home to their family from care"
    PRIVATELY_FOSTERED = "privately_fostered", "Is privately fostered"
    EARLY_SIGNS_ABUSE = "early_signs_abuse", "Shows early signs of abuse or neglect"


class FrameworkDomain(models.TextChoices):
    CHILD_DEVELOPMENT = "child_development", "Child's developmental needs"
    PARENTING_CAPACITY = "parenting_capacity", "Parenting capacity"
    FAMILY_ENVIRONMENT = "family_environment", "Family and environmental factors"


FRAMEWORK_SUBDIMENSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    FrameworkDomain.CHILD_DEVELOPMENT: (
        ("health", "Health"),
        ("education", "Education and learning"),
        ("emotional_behavioural", "Emotional and behavioural development"),
        ("identity", "Identity"),
        ("family_social_relationships", "Family and social relationships"),
        ("social_presentation", "Social presentation"),
        ("self_care", "Self-care skills"),
    ),
    FrameworkDomain.PARENTING_CAPACITY: (
        ("basic_care", "Basic care"),
        ("ensuring_safety", "Ensuring safety"),
        ("emotional_warmth", "Emotional warmth"),
        ("stimulation", "Stimulation"),
        ("guidance_boundaries", "Guidance and boundaries"),
        ("stability", "Stability"),
    ),
    FrameworkDomain.FAMILY_ENVIRONMENT: (
        ("family_history", "Family history and functioning"),
        ("wider_family", "Wider family"),
        ("housing", "Housing"),
        ("employment", "Employment"),
        ("income", "Income"),
        ("social_integration", "Family's social integration"),
        ("community_resources", "Community resources"),
    ),
}
