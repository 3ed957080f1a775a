"""The record of processing lists every retention category of the schedule, with its period."""

from __future__ import annotations

from pathlib import Path

from privacy.retention import SCHEDULE

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_record_of_processing_lists_every_retention_category():
    text = (DOCS / "registre-des-traitements.md").read_text(encoding="utf-8")

    for category in SCHEDULE:
        row = next((line for line in text.splitlines() if line.startswith(f"| {category.label} |")), None)
        assert row is not None, category.label
        assert f"| {category.months} mois" in row, category.label


def test_the_impact_assessment_covers_minors_scoring_and_screening():
    text = (DOCS / "aipd.md").read_text(encoding="utf-8")

    for topic in ("mineur·es", "Notation", "Surveillance des messages"):
        assert topic in text
