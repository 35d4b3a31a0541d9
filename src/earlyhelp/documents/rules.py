"""Who may see and add documents (docs/roles.md, docs/documents.md).

A document on a family or one of its episodes is the family's: anyone in its network. A
document on a person is seen by anyone in the network of a family the person belongs or belonged
to, as the person's own page is. Keeping the family's copy of the assessment or the plan is a
change to the episode: those who may change it.
"""

import rules

from earlyhelp.episodes.models import Episode
from earlyhelp.episodes.rules import may_change_episode
from earlyhelp.people.models import Family, Person
from earlyhelp.people.rules import (
    in_a_network_of_the_person,
    in_family_network,
    works_with_families,
)
from earlyhelp.policy import declare

from .models import Document


@rules.predicate
def in_the_owners_network(user, record) -> bool:
    """`record`: a document, or what one is on (a family, a person, an episode)."""
    if record is None:
        return False
    if isinstance(record, Document):
        if record.person_id:
            return in_a_network_of_the_person.test(user, record.person)
        return in_family_network.test(user, record.family_id)
    if isinstance(record, Person):
        return in_a_network_of_the_person.test(user, record)
    if isinstance(record, (Family, Episode)):
        return in_family_network.test(user, record)
    return False


sees_documents = works_with_families & in_the_owners_network

declare("documents.view_document", sees_documents, record="Document",
        who="anyone in the family's network; a document on a person: anyone in the network of a family the "
            "person belongs or belonged to")
declare("documents.add_document", sees_documents, record="Document",
        who="anyone in the network of the family (or, for a person, of one of the person's families), partners "
            "in the Team Around the Family included")
declare("documents.keep_family_copy", works_with_families & in_family_network & may_change_episode,
        record="Document given to the family",
        who="those who may change the episode (as episodes.change_episode): the assessment's or plan's PDF as "
            "given to the family")
