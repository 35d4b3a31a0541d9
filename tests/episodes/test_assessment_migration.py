"""Migration 0006: existing per-child parenting and environment ratings move to the family, without
loss, on a copy of seeded data (docs/assessment.md, "Moving existing assessments")."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from earlyhelp.episodes.models import AssessmentChildSection, FamilyRating, SubdimensionRating

merge = importlib.import_module("earlyhelp.episodes.migrations.0006_family_ratings_from_children")

BEFORE = [("episodes", "0004_episode_oversight_due_on")]
AFTER = [("episodes", "0006_family_ratings_from_children")]


def _row(name, section_id, key, strengths, needs, score):
    return {"first_name": name, "section_id": section_id, "subdimension": key, "strengths": strengths,
            "needs": needs, "score": score}


def test_the_same_text_is_kept_once_and_different_texts_each_with_the_childs_name():
    family, notes = merge.merge_family_ratings([
        _row("Amara", 1, "housing", "Settled tenancy", "Damp bedroom", 4),
        _row("Tobi", 2, "housing", "Settled tenancy", "Cold at night", 6),
        _row("Zara", 3, "housing", "Settled tenancy", "Damp bedroom", None),
    ])
    assert family["housing"] == {
        "strengths": "Settled tenancy",
        "needs": "Amara and Zara: Damp bedroom\n\nTobi: Cold at night",
        "score": 4,  # the lowest: the most worried
    }
    assert notes == {
        (1, "family_environment_note"): ["Housing: scored 4 out of 10 for Amara (the family's score is the lowest, 4)."],
        (2, "family_environment_note"): ["Housing: scored 6 out of 10 for Tobi (the family's score is the lowest, 4)."],
    }


def test_the_same_score_needs_no_note():
    family, notes = merge.merge_family_ratings([
        _row("Amara", 1, "basic_care", "", "Breakfast missed", 5),
        _row("Tobi", 2, "basic_care", "", "Breakfast missed", 5),
    ])
    assert family["basic_care"] == {"strengths": "", "needs": "Breakfast missed", "score": 5}
    assert notes == {}


def _kept(merged: str, name: str, text: str) -> bool:
    if merged == text:
        return True
    for block in merged.split("\n\n"):
        names, _, said = block.partition(": ")
        if said == text and name in names.split(" and "):
            return True
    return False


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_the_latest():
    """Back to every app's newest migration, as the other tests expect the database: migrating to
    0006 alone would leave later migrations (and their columns) unapplied."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_seeded_assessments_move_to_the_family_without_loss():
    from earlyhelp.seed import seed_database

    seed_database(families=40, seed=7)
    assert FamilyRating.objects.exists()
    try:
        old = _migrate(BEFORE)  # back: the family's ratings copied into every child's section
        OldRating = old.get_model("episodes", "SubdimensionRating")
        family_keys = list(merge.LABELS)
        # Make the children differ, as the per-child form let them: for the second child of each
        # assessment, other words and a score one lower in every family area rated.
        second_sections = {}
        for section_id, assessment_id in old.get_model("episodes", "AssessmentChildSection").objects.order_by(
                "assessment_id", "child__date_of_birth", "pk").values_list("pk", "assessment_id"):
            second_sections.setdefault(assessment_id, []).append(section_id)
        changed = [ids[1] for ids in second_sections.values() if len(ids) > 1]
        for rating in OldRating.objects.filter(section_id__in=changed, subdimension__in=family_keys):
            rating.needs = f"{rating.needs} Only for this child.".strip()
            rating.score = max((rating.score or 1) - 1, 0)
            rating.save()
        before = list(OldRating.objects.filter(subdimension__in=family_keys).values(
            "section_id", "section__assessment_id", "section__child__first_name", "subdimension", "strengths",
            "needs", "score"))
        child_before = set(OldRating.objects.exclude(subdimension__in=family_keys).values_list(
            "section_id", "subdimension", "strengths", "needs", "score"))
        assert changed and before and child_before
    finally:
        _migrate(AFTER)
        _migrate_to_the_latest()

    assert not SubdimensionRating.objects.filter(subdimension__in=family_keys).exists()
    assert set(SubdimensionRating.objects.values_list(
        "section_id", "subdimension", "strengths", "needs", "score")) == child_before  # untouched
    family = {(rating.assessment_id, rating.subdimension): rating for rating in FamilyRating.objects.all()}
    sections = {section.pk: section for section in AssessmentChildSection.objects.all()}
    scores: dict[tuple, set] = {}
    for row in before:
        key = (row["section__assessment_id"], row["subdimension"])
        rating = family[key]
        name = row["section__child__first_name"]
        for part in ("strengths", "needs"):
            text = row[part]
            if text:  # every child's words are there, alone or after their name
                assert _kept(getattr(rating, part), name, text), (row, getattr(rating, part))
        if row["score"] is not None:
            scores.setdefault(key, set()).add(row["score"])
    for key, found in scores.items():
        assert family[key].score == min(found)
    for row in before:
        key = (row["section__assessment_id"], row["subdimension"])
        if len(scores.get(key, ())) > 1:
            note_field = merge.NOTE_FIELD[row["subdimension"]]
            note = getattr(sections[row["section_id"]], note_field)
            assert f"{merge.LABELS[row['subdimension']]}: scored {row['score']} out of 10" in note
