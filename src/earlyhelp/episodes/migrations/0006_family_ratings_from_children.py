"""Parenting capacity and family and environmental factors move from each child's section to the
family's (FamilyRating), without loss (docs/assessment.md, "Moving existing assessments"):

- a text the children share is kept once; texts that differ are each kept, labelled with the first
  names of the children they were written for;
- scores that differ: the lowest (the most worried) becomes the family's, and each child's own score
  is written in that child's note for the domain.

The lists are frozen here, as they were when the move was written, so later changes to
earlyhelp.standards cannot change what this migration does.
"""

from collections import defaultdict

from django.db import migrations

PARENTING_CAPACITY = {
    "basic_care": "Basic care", "ensuring_safety": "Ensuring safety", "emotional_warmth": "Emotional warmth",
    "stimulation": "Stimulation", "guidance_boundaries": "Guidance and boundaries", "stability": "Stability",
}
FAMILY_ENVIRONMENT = {
    "family_history": "Family history and functioning", "wider_family": "Wider family", "housing": "Housing",
    "employment": "Employment", "income": "Income", "social_integration": "Family's social integration",
    "community_resources": "Community resources",
}
NOTE_FIELD = {
    **{key: "parenting_capacity_note" for key in PARENTING_CAPACITY},
    **{key: "family_environment_note" for key in FAMILY_ENVIRONMENT},
}
LABELS = {**PARENTING_CAPACITY, **FAMILY_ENVIRONMENT}


def _merged_text(texts: list[tuple[str, str]]) -> str:
    """(first name, text) pairs to one text: shared once, differing ones labelled by child."""
    by_text: dict[str, list[str]] = {}
    for name, text in texts:
        text = (text or "").strip()
        if text:
            by_text.setdefault(text, []).append(name)
    if len(by_text) <= 1:
        return next(iter(by_text), "")
    return "\n\n".join(f"{' and '.join(names)}: {text}" for text, names in by_text.items())


def merge_family_ratings(rows: list[dict]) -> tuple[dict, dict]:
    """Rows of one assessment's per-child ratings (first_name, section_id, subdimension, strengths,
    needs, score), for the family's sub-dimensions only, to (family ratings by sub-dimension,
    note lines by (section id, note field))."""
    by_key: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_key[row["subdimension"]].append(row)
    family: dict[str, dict] = {}
    notes: dict[tuple[int, str], list[str]] = defaultdict(list)
    for key, key_rows in by_key.items():
        scores = [row["score"] for row in key_rows if row["score"] is not None]
        family[key] = {
            "strengths": _merged_text([(row["first_name"], row["strengths"]) for row in key_rows]),
            "needs": _merged_text([(row["first_name"], row["needs"]) for row in key_rows]),
            "score": min(scores) if scores else None,
        }
        if len(set(scores)) > 1:
            for row in key_rows:
                if row["score"] is not None:
                    notes[(row["section_id"], NOTE_FIELD[key])].append(
                        f"{LABELS[key]}: scored {row['score']} out of 10 for {row['first_name']} "
                        f"(the family's score is the lowest, {family[key]['score']})."
                    )
    return family, notes


def forwards(apps, schema_editor):
    SubdimensionRating = apps.get_model("episodes", "SubdimensionRating")
    FamilyRating = apps.get_model("episodes", "FamilyRating")
    AssessmentChildSection = apps.get_model("episodes", "AssessmentChildSection")
    moved = SubdimensionRating.objects.filter(subdimension__in=list(LABELS))
    by_assessment: dict[int, list[dict]] = defaultdict(list)
    for rating in moved.values("section_id", "section__assessment_id", "section__child__first_name",
                               "subdimension", "strengths", "needs", "score").order_by(
            "section__assessment_id", "section__child__date_of_birth", "section_id"):
        by_assessment[rating["section__assessment_id"]].append(
            {**rating, "first_name": rating["section__child__first_name"]})
    family_rows = []
    all_notes: dict[tuple[int, str], list[str]] = {}
    for assessment_id, rows in by_assessment.items():
        family, notes = merge_family_ratings(rows)
        family_rows += [FamilyRating(assessment_id=assessment_id, subdimension=key, **values)
                        for key, values in family.items()]
        all_notes.update(notes)
    FamilyRating.objects.bulk_create(family_rows, batch_size=500)
    by_section: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for (section_id, note_field), lines in all_notes.items():
        by_section[section_id][note_field] = lines
    for section in AssessmentChildSection.objects.filter(pk__in=list(by_section)):
        for note_field, lines in by_section[section.pk].items():
            setattr(section, note_field, "\n".join([getattr(section, note_field), *lines]).strip())
        section.save(update_fields=["parenting_capacity_note", "family_environment_note"])
    moved.delete()


def backwards(apps, schema_editor):
    """Back to a copy of the family's ratings in every child's section (the notes are dropped with
    their columns by the schema migration before this one)."""
    SubdimensionRating = apps.get_model("episodes", "SubdimensionRating")
    FamilyRating = apps.get_model("episodes", "FamilyRating")
    AssessmentChildSection = apps.get_model("episodes", "AssessmentChildSection")
    sections: dict[int, list[int]] = defaultdict(list)
    for section_id, assessment_id in AssessmentChildSection.objects.values_list("pk", "assessment_id"):
        sections[assessment_id].append(section_id)
    SubdimensionRating.objects.bulk_create([
        SubdimensionRating(section_id=section_id, subdimension=rating.subdimension, strengths=rating.strengths,
                           needs=rating.needs, score=rating.score)
        for rating in FamilyRating.objects.all() for section_id in sections[rating.assessment_id]
    ], batch_size=500)
    FamilyRating.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("episodes", "0005_family_ratings"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
