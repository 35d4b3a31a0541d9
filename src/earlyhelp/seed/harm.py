"""Concerns of significant harm: a few still waiting for Children's Social Care, more already decided."""

import random
from collections.abc import Sequence
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from faker import Faker

from earlyhelp.accounts.models import Role
from earlyhelp.frontdoor.harm import default_referral_source
from earlyhelp.frontdoor.models import HarmDecision, HarmReferral, Notification
from earlyhelp.people.models import CHILD_ROLES, Family, FamilyMember

from .bulk import bulk_insert
from .organisations import Organisations

# Roles that raise concerns in the seed: the practitioners who meet children.
REFERRER_ROLES = (Role.PARTNER_PRACTITIONER, Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER)
# SQLite allows a limited number of query parameters: look children up in chunks.
CHUNK = 500
# Front door officers are told of the newest waiting concerns only, so large seeds stay small.
NOTIFIED_CONCERNS = 20

CONCERNS = (
    "{child} told {adult}, a member of staff, that {relative} hit them with a belt last night. "
    "There is a fresh bruise on the back of the left arm.",
    "{child} arrived hungry and in the same clothes for the fourth day. Said there has been no one at "
    "home in the evenings since the weekend.",
    "Police attended the home overnight after a report of domestic abuse; {child} was present. "
    "{Relative} was arrested and has since been released.",
    "{child} disclosed to {adult} that an older man they met online has been giving them money and "
    "asking them to meet him alone.",
    "{Relative} was found at home unable to care for the baby after drinking heavily; a neighbour "
    "called us. The baby is 5 months old.",
    "{child} has an injury to the face that does not match the explanation given. {Relative} would "
    "not let {adult} speak to {child} alone.",
    "{child} said they do not want to go home because of the shouting and that {relative} threatened "
    "to throw them out.",
)
RELATIVES = ("mum's partner", "dad", "mum", "an uncle", "stepdad", "an older brother")
DECISION_NOTES = {
    HarmDecision.S47: "Strategy discussion held with police and health. Threshold for a section 47 enquiry met; "
                      "social worker visiting today.",
    HarmDecision.S17: "Needs are complex but the child is not at immediate risk. Section 17 child and family "
                      "assessment started with the family's agreement.",
    HarmDecision.NO_FURTHER_ACTION: "Checks with the school, GP and police complete. The explanation is "
                                    "consistent and there are no further concerns.",
    HarmDecision.BACK_TO_EARLY_HELP: "Below the threshold for social care. Needs can be met by early help: "
                                     "referred back to the locality team with the family's agreement.",
}


def _children_by_family(family_ids: list[int]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for start in range(0, len(family_ids), CHUNK):
        rows = FamilyMember.objects.filter(
            family_id__in=family_ids[start:start + CHUNK], role__in=CHILD_ROLES, left_on__isnull=True
        ).values_list("family_id", "person_id").order_by("family_id", "person_id")
        for family_id, person_id in rows:
            children.setdefault(family_id, []).append(person_id)
    return children


def seed_harm_referrals(
    *, rng: random.Random, fake: Faker, organisations: Organisations, families: Sequence[Family]
) -> list[HarmReferral]:
    """Create concerns scaled to the number of families; every decision appears at least twice."""
    referrers = [user for role in REFERRER_ROLES for user in organisations.users.get(role, [])]
    social_workers = organisations.users.get(Role.SOCIAL_WORKER, [])
    if not families or not referrers or not social_workers:
        return []
    awaiting_total = max(2, len(families) // 200)
    decided_total = max(2 * len(HarmDecision.values), len(families) // 50)
    wanted = awaiting_total + decided_total

    # Look at a sample of families, a little more than needed, and keep those with children.
    sample = rng.sample(list(families), min(len(families), wanted * 2))
    children = _children_by_family([family.pk for family in sample])
    chosen = [family for family in sample if family.pk in children][:wanted]
    if not chosen:
        return []

    now = timezone.now()
    decisions = list(HarmDecision.values)
    referrals: list[HarmReferral] = []
    for index, family in enumerate(chosen):
        raised_by = rng.choice(referrers)
        relative = rng.choice(RELATIVES)
        text = rng.choice(CONCERNS).format(
            child=fake.first_name(), adult=f"{fake.first_name()} {fake.last_name()}",
            relative=relative, Relative=relative[0].upper() + relative[1:],
        )
        referral = HarmReferral(
            family=family, raised_by=raised_by, what_is_known=text,
            referral_source=default_referral_source(raised_by),
        )
        if index < awaiting_total:
            # Waiting concerns are recent: Children's Social Care decides within a day or so.
            referral.raised_at = now - timedelta(minutes=rng.randrange(20, 26 * 60))
        else:
            decision = decisions[(index - awaiting_total) % len(decisions)]
            decider = rng.choice(social_workers)
            referral.raised_at = now - timedelta(days=rng.randrange(2, 180), minutes=rng.randrange(0, 600))
            referral.decision = decision
            referral.decision_notes = DECISION_NOTES[HarmDecision(decision)]
            referral.decided_by = decider
            referral.social_worker = decider
            referral.decided_at = referral.raised_at + timedelta(minutes=rng.randrange(45, 30 * 60))
        referrals.append(referral)
    created = bulk_insert(HarmReferral, referrals, batch_size=1000)

    Through = HarmReferral.children.through
    bulk_insert(Through,
        [
            Through(harmreferral_id=referral.pk, person_id=person_id)
            for referral in created
            for person_id in children[referral.family_id]
        ],
        batch_size=1000,
    )

    # The front door was told of each concern still waiting (the newest ones, to keep it bounded).
    waiting = sorted(created[:awaiting_total], key=lambda referral: referral.raised_at, reverse=True)
    front_door = organisations.users.get(Role.FRONT_DOOR_OFFICER, [])
    bulk_insert(Notification,
        [
            Notification(
                recipient=officer,
                message=(
                    f"Concern of significant harm about the {referral.family.name}, raised by "
                    f"{referral.raised_by.get_full_name()}. "
                    "It is waiting for Children's Social Care's decision."
                )[:300],
                url=reverse("harm-referral-detail", kwargs={"referral_id": referral.pk}),
            )
            for referral in waiting[:NOTIFIED_CONCERNS]
            for officer in front_door
        ],
        batch_size=1000,
    )
    return created
