"""Subject access request: everything held about one person, readable and machine-readable.

Records are found through every relation that points at the person (and at the families they
belong to), so a new kind of record is included without changing this module.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.utils import timezone

from earlyhelp.people.models import Family, Person
from earlyhelp.people.relations import links_to

from .models import AccessKind
from .services import access_record_create

# Internal search helpers and links that say nothing a person would recognise.
SKIPPED_FIELDS = {"search_name"}


@dataclass
class Section:
    title: str
    rows: list[dict] = field(default_factory=list)


def _rows(queryset: models.QuerySet) -> list[dict]:
    rows = []
    for instance in queryset:
        row = {}
        for name, value in model_to_dict(instance).items():
            if name in SKIPPED_FIELDS:
                continue
            model_field = instance._meta.get_field(name)
            if getattr(model_field, "choices", None) and value not in (None, ""):
                value = getattr(instance, f"get_{name}_display")()
            elif isinstance(value, list) and value and isinstance(value[0], models.Model):
                value = [str(item) for item in value]
            row[str(model_field.verbose_name)] = value
        rows.append(row)
    return rows


def _related_sections(instance: models.Model, skip: set[str]) -> list[Section]:
    sections = []
    for link in links_to(type(instance)):
        if link.record._meta.label in skip:
            continue
        rows = _rows(link.records([instance.pk]))
        if rows:
            sections.append(Section(link.title, rows))
    return sections


def subject_access_pack(*, person: Person) -> dict:
    from auditlog.models import LogEntry

    families = Family.objects.filter(memberships__person=person).distinct()
    skip = {"auditlog.LogEntry"}
    pack = {
        "generated_at": timezone.now(),
        "person": person.full_name,
        "sections": [Section("Personal details", _rows(Person.objects.filter(pk=person.pk)))],
    }
    pack["sections"] += _related_sections(person, skip)
    for family in families:
        pack["sections"].append(Section(f"Household: {family.name}", _rows(Family.objects.filter(pk=family.pk))))
        pack["sections"] += [
            Section(f"{section.title} ({family.name})", section.rows)
            for section in _related_sections(family, skip | {"people.FamilyMember"})
        ]
    changes = LogEntry.objects.get_for_object(person).order_by("timestamp")
    pack["sections"].append(Section("Changes made to the personal details", [
        {"When": entry.timestamp, "Who": str(entry.actor or "the system"), "Changes": entry.changes_dict}
        for entry in changes
    ]))
    return pack


def subject_access_documents(*, person: Person, progress=None) -> dict[str, bytes]:
    """The pack's two files by name: HTML for reading, JSON for machines."""
    if progress:
        progress(10, "Finding every record about the person")
    pack = subject_access_pack(person=person)
    if progress:
        progress(70, "Writing the pack")
    stem = f"subject-access-{person.pk}-{timezone.localdate():%Y%m%d}"
    serialisable = {**pack, "sections": [{"title": s.title, "records": s.rows} for s in pack["sections"]]}
    return {
        f"{stem}.html": render_to_string("audit/subject_access.html", {"pack": pack}).encode("utf-8"),
        f"{stem}.json": json.dumps(serialisable, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode("utf-8"),
    }


SUBJECT_ACCESS_WHAT = "Subject access request pack"


def subject_access_write(*, person: Person, requested_by, out_dir: Path) -> tuple[Path, Path]:
    """Write the pack as HTML and JSON, and record that it was made."""
    documents = subject_access_documents(person=person)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, content in documents.items():
        paths[name.rsplit(".", 1)[1]] = out_dir / name
        paths[name.rsplit(".", 1)[1]].write_bytes(content)
    access_record_create(user=requested_by, kind=AccessKind.EXPORT, person=person,
                         what=SUBJECT_ACCESS_WHAT, reason="Subject access request")
    return paths["html"], paths["json"]
