"""Who may see and change families and people (docs/roles.md), and the people app's ways in."""

import rules

from earlyhelp.accounts.models import ROLES_WORKING_WITH_FAMILIES, Role
from earlyhelp.policy import declare, role_in

from .access import network_route, user_can_see_family
from .models import Family, FamilyMember


def _family_id(record) -> int | None:
    if isinstance(record, int):
        return record
    return record.pk if isinstance(record, Family) else getattr(record, "family_id", None)


works_with_families = role_in(*ROLES_WORKING_WITH_FAMILIES)


@rules.predicate
def in_family_network(user, record) -> bool:
    """Need-to-know: `record` is a family, a family's id, or anything with a `family_id`."""
    return user_can_see_family(user, _family_id(record))


@rules.predicate
def in_a_network_of_the_person(user, person) -> bool:
    if person is None:
        return False
    from .access import visible_families_filter

    return Family.objects.filter(visible_families_filter(user), memberships__person=person).exists()


declare("people.view_family", works_with_families & in_family_network, record="Family",
        who="anyone in the family's network (need-to-know)")
declare("people.change_family", works_with_families & in_family_network, record="Family",
        who="anyone in the family's network: its address, people, relationships and involvements")
declare("people.view_person", works_with_families & in_a_network_of_the_person, record="Person",
        who="anyone in the network of a family the person belongs or belonged to")
declare("people.merge_people", role_in(Role.ADMINISTRATOR), record="Person",
        who="administrators, in the service (not Django admin)")
declare("people.search_known", works_with_families, record="Family",
        who="any role that works with families: only that the family is known and whom to contact, "
            "unless they are in its network")


# Ways into a family's network that the people app owns -----------------------------------------


@network_route("involvement", who="a practitioner currently working with a member of the family")
def _involvement_rows(user):
    return FamilyMember.objects.filter(
        person__involvements__practitioner=user, person__involvements__ended_on__isnull=True,
    )


@network_route("recorded the family", who="the person who first recorded the family", family_field="pk")
def _recorded_rows(user):
    return Family.objects.filter(created_by=user)
