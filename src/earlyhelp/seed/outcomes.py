"""Supporting Families records for some families whose early help has closed.

Needs are chosen from the assessment factors on the family's monitoring form (so they match
the story already seeded), topped up to two to four headline outcomes. Improvements are
checked six months after closure where that date has passed; most have lasted.
"""

import random
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.episodes.models import ClosureReason, Episode, EpisodeState, MonitoringForm
from earlyhelp.reporting.models import FamilyOutcomeNeed, HeadlineOutcome

from .bulk import bulk_insert

# Share of families, by how their early help closed, that the service records outcomes for.
RECORDED_SHARE = {ClosureReason.NEEDS_MET: 0.6, ClosureReason.STEPPED_DOWN: 0.4, ClosureReason.MOVED_AWAY: 0.1}
CHUNK = 2000
H = HeadlineOutcome

# Assessment factor (by its number) -> the headline outcome it falls under.
FACTOR_OUTCOMES = {
    "1": H.SUBSTANCE_USE, "2": H.SUBSTANCE_USE, "3": H.DOMESTIC_ABUSE, "4": H.HEALTH, "5": H.HEALTH,
    "6": H.HEALTH, "7": H.FAMILY_RELATIONSHIPS, "10": H.SAFE_FROM_ABUSE, "11": H.SAFE_FROM_ABUSE,
    "12": H.SAFE_FROM_ABUSE, "13": H.CRIME, "14": H.CRIME, "15": H.HEALTH, "16": H.SAFE_FROM_ABUSE,
    "17": H.SAFE_FROM_ABUSE, "18": H.SAFE_FROM_ABUSE, "19": H.SAFE_FROM_ABUSE, "22": H.SAFE_FROM_ABUSE,
    "23": H.SAFE_FROM_ABUSE, "24": H.CRIME,
}
NEEDS = {
    H.EDUCATION: ("School attendance below 80% and two fixed-term exclusions this year",
                  "Attendance 97% over the last two terms; no exclusions"),
    H.EARLY_YEARS: ("Speech and language delay at the two-year check; not taking up a funded nursery place",
                    "Attends nursery three days a week; speech now within the expected range"),
    H.HEALTH: ("Parent's low mood stops the children getting to school and appointments",
               "Parent engaging with talking therapies; GP reports mood much improved"),
    H.SUBSTANCE_USE: ("Parent's drinking most evenings, affecting care of the children",
                      "Completed the community alcohol programme; abstinent by their own and their GP's account"),
    H.FAMILY_RELATIONSHIPS: ("Frequent arguments at home; the eldest is staying out late to avoid them",
                             "Family completed the parenting programme; fewer arguments, agreed house rules"),
    H.SAFE_FROM_ABUSE: ("Concerns of neglect: little food in the house, the children unkempt",
                        "Health visitor and school report the children well cared for"),
    H.CRIME: ("The eldest arrested twice for anti-social behaviour and seen with older young people",
              "No further police contact; attending the youth project weekly"),
    H.DOMESTIC_ABUSE: ("Police called to the home twice for domestic abuse in three months",
                       "Non-molestation order in place; no further call-outs; the family has a safety plan"),
    H.HOUSING: ("Rent arrears and a notice seeking possession",
                "Arrears cleared with a payment plan; tenancy secure"),
    H.FINANCIAL_STABILITY: ("Debts of over £4,000 and no income while benefits were stopped",
                            "Benefits restored; debt advice arranged a manageable repayment plan"),
}
TOP_UPS = (H.EDUCATION, H.HOUSING, H.FINANCIAL_STABILITY, H.HEALTH, H.FAMILY_RELATIONSHIPS, H.EARLY_YEARS)


@dataclass(frozen=True)
class _Closed:
    episode_id: int
    family_id: int
    closed_on: object
    recorder_id: int | None
    team_id: int | None


def _outcomes_for(factors: list[str], rng: random.Random) -> list[str]:
    chosen: list[str] = []
    for factor in factors:
        outcome = FACTOR_OUTCOMES.get(factor.rstrip("ABCDEF"))
        if outcome and outcome not in chosen:
            chosen.append(outcome)
    target = rng.randint(2, 4)
    for outcome in rng.sample(TOP_UPS, len(TOP_UPS)):
        if len(chosen) >= target:
            break
        if outcome not in chosen:
            chosen.append(outcome)
    return chosen[:4]


def seed_outcomes(*, rng: random.Random) -> int:
    """Supporting Families needs for a share of closed episodes' families; returns how many needs."""
    today = timezone.localdate()
    managers: dict[int, int] = dict(
        User.teams.through.objects.filter(user__role=Role.TEAM_MANAGER).order_by("team_id", "user_id")
        .values_list("team_id", "user_id")
    )
    fallback = User.objects.filter(role=Role.TEAM_MANAGER).order_by("pk").values_list("pk", flat=True).first()
    if fallback is None:
        return 0
    # Each family's most recent closure is the one its outcomes follow.
    closed = Episode.objects.filter(
        state=EpisodeState.CLOSED, closed_on__isnull=False
    ).exclude(family__outcome_needs__isnull=False).order_by("family_id", "-closed_on", "-pk").values_list(
        "pk", "family_id", "closed_on", "lead_professional_id", "allocated_worker_id", "team_id", "closure__reason",
    )
    chosen: dict[int, _Closed] = {}
    latest_seen: set[int] = set()
    for pk, family_id, closed_on, lead_id, worker_id, team_id, reason in closed.iterator(chunk_size=CHUNK):
        if family_id in latest_seen:
            continue
        latest_seen.add(family_id)
        if reason not in RECORDED_SHARE or rng.random() >= RECORDED_SHARE[reason]:
            continue
        recorder = worker_id or managers.get(team_id) or fallback
        chosen[family_id] = _Closed(pk, family_id, closed_on, recorder, team_id)
    episodes = [item.episode_id for item in chosen.values()]
    factors: dict[int, list[str]] = {}
    for start in range(0, len(episodes), CHUNK):
        factors.update(MonitoringForm.objects.filter(assessment__episode_id__in=episodes[start:start + CHUNK])
                       .values_list("assessment__episode_id", "factors"))
    needs: list[FamilyOutcomeNeed] = []
    for item in chosen.values():
        check_from = item.closed_on + relativedelta(months=6)
        for outcome in _outcomes_for(factors.get(item.episode_id, []), rng):
            need, improvement = NEEDS[outcome]
            sustained, checked_on = None, None
            if check_from <= today:
                roll = rng.random()
                if roll < 0.75:
                    sustained = True
                elif roll < 0.9:
                    sustained = False
                if sustained is not None:
                    checked_on = min(today, check_from + relativedelta(days=rng.randint(0, 30)))
            needs.append(FamilyOutcomeNeed(
                family_id=item.family_id, headline_outcome=outcome, need=need,
                in_family_plan=rng.random() < 0.9, improvement_evidence=improvement,
                improved_on=item.closed_on - relativedelta(days=rng.randint(0, 30)),
                sustained=sustained, sustained_checked_on=checked_on, recorded_by_id=item.recorder_id,
            ))
    bulk_insert(FamilyOutcomeNeed, needs, batch_size=CHUNK)
    return len(needs)
