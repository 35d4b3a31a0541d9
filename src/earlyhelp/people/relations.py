"""Every relation that points at a model, found from Django's `_meta` rather than listed by hand,
so a kind of record added later is found without anyone remembering to add it.

One walker for the three things that must reach every record about a person: merging duplicates
(`people.services.person_merge` moves each row), retention (`audit.retention` blanks their free
text) and subject access (`audit.subject_access` lists them). Higher apps' models are found
through the model's relations, never imported here.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Link:
    """One foreign-key column on some table that points at the target model.

    `model` holds the column `field`: the record itself, or the through table of a many-to-many
    field. `record` is the kind of record a reader would recognise (the model itself, or the
    model that declares the many-to-many field), and `lookup` leads from it to the target.
    """

    model: type[models.Model]
    field: models.ForeignKey
    record: type[models.Model]
    lookup: str

    @property
    def label(self) -> str:
        """A readable key, e.g. "episodes.EpisodeChild.person" or "frontdoor.HarmReferral.children"."""
        if self.lookup == "pk":  # the owner's side of a many-to-many field declared on the target
            return f"{self.model._meta.label}.{self.field.name}"
        return f"{self.record._meta.label}.{self.lookup}"

    @property
    def title(self) -> str:
        return str(self.record._meta.verbose_name_plural).capitalize()

    def rows(self, targets: Iterable) -> models.QuerySet:
        """The rows holding the column that point at any of `targets` (instances or keys)."""
        return self.model._default_manager.filter(**{f"{self.field.name}__in": targets})

    def records(self, targets: Iterable) -> models.QuerySet:
        """The records a reader would recognise that point at any of `targets`."""
        return self.record._default_manager.filter(**{f"{self.lookup}__in": targets})


def links_to(target: type[models.Model]) -> list[Link]:
    """Every foreign key pointing at `target`: reverse ForeignKeys and OneToOneFields (those with
    `related_name="+"` too) and the columns of many-to-many through tables, whether Django made
    the table or a model declares it, and whichever model declares the field (`target` included)."""
    links = []
    for relation in target._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or relation.many_to_many:
            continue  # forward fields; a many-to-many is reached through its through table's column
        model, field = relation.related_model, relation.field
        owner = model._meta.auto_created
        if owner:  # the through table Django made for a ManyToManyField declared on `owner`
            many = next(f for f in owner._meta.many_to_many if f.remote_field.through is model)
            lookup = many.name if field.name == many.m2m_reverse_field_name() else "pk"
            links.append(Link(model, field, owner, lookup))
        else:
            links.append(Link(model, field, model, field.name))
    return links


# Relations a merge leaves pointing at the duplicate, with why: each is the history of the record
# as it was. Higher apps add theirs with `leave_on_merge` from their AppConfig.ready.
LEFT_ON_MERGE: dict[str, str] = {
    "people.Person.merged_into": "records merged earlier into the duplicate keep pointing at it; "
                                 "the chain of merged_into leads to the kept record",
    "people.PersonMerge.kept": "the history of earlier merges says which record was kept then",
    "people.PersonMerge.duplicate": "the merge record itself names the duplicate",
}


def leave_on_merge(label: str, *, why: str) -> None:
    """Declare that merging leaves this relation (a `Link.label`) on the duplicate record."""
    LEFT_ON_MERGE[label] = why


def links_moved_on_merge(target: type[models.Model]) -> list[Link]:
    return [link for link in links_to(target) if link.label not in LEFT_ON_MERGE]
