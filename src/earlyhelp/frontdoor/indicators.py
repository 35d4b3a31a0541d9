"""Indicators of the level of need, grouped by the assessment framework (DOMAIN §1-2, STANDARDS).

Each indicator points to one level of the continuum. The catalogue only helps a professional
see where the picture points: the decision, and its reasons, are theirs.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from earlyhelp.standards import (
    FRAMEWORK_SUBDIMENSIONS,
    AssessmentFactor,
    FrameworkDomain,
    Vulnerability,
)

from .models import LevelOfNeed


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    subdimension: str
    label: str
    level: int

    @property
    def subdimension_label(self) -> str:
        return dict(FRAMEWORK_SUBDIMENSIONS[self.domain])[self.subdimension]

    @property
    def level_label(self) -> str:
        return LevelOfNeed(self.level).label


_CHILD = FrameworkDomain.CHILD_DEVELOPMENT
_PARENTING = FrameworkDomain.PARENTING_CAPACITY
_FAMILY = FrameworkDomain.FAMILY_ENVIRONMENT

INDICATORS: tuple[Indicator, ...] = (
    # Child's developmental needs
    Indicator("child_thriving", _CHILD, "health", "Healthy and developing well; needs met by the GP, health visitor or school nurse", 1),
    Indicator("child_attendance_falling", _CHILD, "education", "School attendance falling, or occasional exclusions", 2),
    Indicator("child_sen_extra_support", _CHILD, "education", "Special educational needs or a disability that needs support from more than one service", 2),
    Indicator("child_emotional_emerging", _CHILD, "emotional_behavioural", "Emerging anxiety, low mood or behaviour that worries the school or family", 2),
    Indicator("child_young_carer", _CHILD, "family_social_relationships", "A young carer whose caring affects school or friendships", 2),
    Indicator("child_persistent_absence", _CHILD, "education", "Persistently absent or permanently excluded, with complex needs", 3),
    Indicator("child_missing_exploitation", _CHILD, "family_social_relationships", "Going missing, offending, or at risk of exploitation", 3),
    Indicator("child_self_harm", _CHILD, "emotional_behavioural", "Self-harm or serious mental ill health", 3),
    Indicator("child_injury_disclosure", _CHILD, "health", "An unexplained injury, or the child says they have been harmed", 4),
    # Parenting capacity
    Indicator("parent_meets_needs", _PARENTING, "basic_care", "Parents meet the child's needs and keep them safe", 1),
    Indicator("parent_boundaries", _PARENTING, "guidance_boundaries", "Parents struggle with routines and boundaries and ask for help", 2),
    Indicator("parent_care_gaps", _PARENTING, "basic_care", "Some gaps in basic care: hygiene, food, missed health appointments", 2),
    Indicator("parent_warmth_strained", _PARENTING, "emotional_warmth", "Relationship between parent and child under strain", 2),
    Indicator("parent_neglect_persistent", _PARENTING, "basic_care", "Basic care persistently not met despite support", 3),
    Indicator("parent_capacity_affected", _PARENTING, "stability", "Parental substance misuse or mental ill health affects the care of the child", 3),
    Indicator("parent_cannot_keep_safe", _PARENTING, "ensuring_safety", "Parent unable or unwilling to keep the child safe from harm", 4),
    # Family and environmental factors
    Indicator("family_stable", _FAMILY, "housing", "Stable housing and income, with support from wider family", 1),
    Indicator("family_money_housing_stress", _FAMILY, "income", "Debt, low income or housing problems causing stress", 2),
    Indicator("family_isolated", _FAMILY, "social_integration", "Family isolated, with few links to the community", 2),
    Indicator("family_parental_conflict", _FAMILY, "family_history", "Parental conflict", 2),
    Indicator("family_domestic_abuse", _FAMILY, "family_history", "Domestic abuse in the household", 3),
    Indicator("family_homeless", _FAMILY, "housing", "Homeless or about to be evicted", 3),
    Indicator("family_high_risk_abuse", _FAMILY, "family_history", "High-risk domestic abuse (MARAC) with the child present", 4),
)

INDICATORS_BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}


def indicators_by_domain() -> list[tuple[str, str, list[Indicator]]]:
    """(domain code, domain label, its indicators ordered by level) in the framework's order."""
    return [
        (domain.value, domain.label, sorted(
            (indicator for indicator in INDICATORS if indicator.domain == domain), key=lambda i: (i.level, i.code)
        ))
        for domain in FrameworkDomain
    ]


def level_counts(codes: Iterable[str]) -> dict[int, int]:
    """How many of the ticked indicators point to each level (every level present, unknown codes ignored)."""
    counted = Counter(INDICATORS_BY_CODE[code].level for code in codes if code in INDICATORS_BY_CODE)
    return {level: counted.get(level, 0) for level in LevelOfNeed.values}


def indicated_level(codes: Iterable[str]) -> int | None:
    """The highest level any ticked indicator points to: a prompt, never the decision."""
    levels = [INDICATORS_BY_CODE[code].level for code in codes if code in INDICATORS_BY_CODE]
    return max(levels) if levels else None


# Signs that point to significant harm (DOMAIN §3) ---------------------------------------------------
# A request, a level decision or the words of a concern can point to harm while the professional
# answers "no" to significant harm; then the page asks them to think again. It never decides for them.

HARM_KINDS = ("exploitation", "going missing", "injuries", "sexual harm")

_VULNERABILITY_HARM = {Vulnerability.EXPLOITATION: "exploitation", Vulnerability.MISSING: "going missing"}
_FACTOR_HARM = {
    AssessmentFactor.MISSING: "going missing",
    AssessmentFactor.CSE: "sexual harm",
    AssessmentFactor.TRAFFICKING: "exploitation",
    AssessmentFactor.GANGS: "exploitation",
    AssessmentFactor.CCE: "exploitation",
    AssessmentFactor.PHYSICAL_ABUSE_CHILD_ON_CHILD: "injuries",
    AssessmentFactor.PHYSICAL_ABUSE_ADULT_ON_CHILD: "injuries",
    AssessmentFactor.SEXUAL_ABUSE_CHILD_ON_CHILD: "sexual harm",
    AssessmentFactor.SEXUAL_ABUSE_ADULT_ON_CHILD: "sexual harm",
    AssessmentFactor.FGM: "injuries",
}
_INDICATOR_HARM = {
    "child_missing_exploitation": "going missing",
    "child_injury_disclosure": "injuries",
}
_WORDS_HARM = (
    ("exploitation", re.compile(r"\b(exploit\w*|county lines|groom\w*|traffick\w*|modern slavery|"
                                r"drug (?:running|debt)\w*)", re.IGNORECASE)),
    ("going missing", re.compile(r"\b(go(?:es|ne|ing)? missing|went missing|missing (?:from|overnight|for)\b|"
                                 r"ran away|runs? away|running away|reported missing)", re.IGNORECASE)),
    ("injuries", re.compile(r"\b(injur\w*|bruis\w*|burns?\b|fractur\w*|black eye|"
                            r"(?:hit|hurt|beat|kicked|punched|slapped) (?:him|her|them|me)\b)", re.IGNORECASE)),
    ("sexual harm", re.compile(r"\b(sexual\w*|sexting|indecent|nude (?:images|photos)|rape\w*)", re.IGNORECASE)),
)


@dataclass(frozen=True)
class HarmSignal:
    kind: str  # one of HARM_KINDS
    because: str  # what points to it, in the words the professional saw: a ticked label or a quoted phrase


def harm_signals(*, concerns: Iterable[str] = (), assessment_factors: Iterable[str] = (),
                 indicators: Iterable[str] = (), text: str = "") -> list[HarmSignal]:
    """Everything that points to significant harm, each shown by its label (never a bare code)."""
    signals: list[HarmSignal] = []
    for code in concerns:
        if code in _VULNERABILITY_HARM:
            signals.append(HarmSignal(_VULNERABILITY_HARM[code], Vulnerability(code).label))
    for code in assessment_factors:
        if code in _FACTOR_HARM:
            signals.append(HarmSignal(_FACTOR_HARM[code], AssessmentFactor(code).label))
    for code in indicators:
        if code in _INDICATOR_HARM:
            signals.append(HarmSignal(_INDICATOR_HARM[code], INDICATORS_BY_CODE[code].label))
    for kind, pattern in _WORDS_HARM:
        found = list(dict.fromkeys(match.group(0).lower() for match in pattern.finditer(text or "")))
        if found:
            signals.append(HarmSignal(kind, "The request says " + ", ".join(f"“{word}”" for word in found[:3])))
    return list(dict.fromkeys(signals))


def harm_kinds(signals: Iterable[HarmSignal]) -> list[str]:
    """The kinds of harm the signals point to, in HARM_KINDS order."""
    kinds = {signal.kind for signal in signals}
    return [kind for kind in HARM_KINDS if kind in kinds]


def request_harm_signals(support_request) -> list[HarmSignal]:
    """What on a request for support points to significant harm: the vulnerabilities and assessment
    factors ticked, the indicators of its level-of-need decisions, and the words of the concern."""
    decided = [code for codes in support_request.level_decisions.values_list("indicators", flat=True) for code in codes]
    return harm_signals(
        concerns=support_request.concerns, assessment_factors=support_request.assessment_factors,
        indicators=decided, text=f"{support_request.concern_details}\n{support_request.child_views}",
    )
