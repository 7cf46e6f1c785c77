"""Read an audit's results: answers, scores and the heatmap's data.

This is the core path of the Results page, kept free of Streamlit so that
tests and the benchmark run exactly what the page runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from staymobil_core.audits import AuditReference, audit_and_previous
from staymobil_core.framework import Framework
from staymobil_core.framework_store import stored_framework
from staymobil_core.scoring import (
    AuditScores,
    HeatmapCell,
    Score,
    improvable_answers,
    score_audit,
)

ISO_LAYOUT = "iso"
DIMENSION_LAYOUT = "dimension"
NO_DATA = "no data"

HEATMAP_COLUMNS = [
    "phase",
    "phase_order",
    "core_activity",
    "row_order",
    "domain",
    "column_order",
    "score",
    "label",
    "band",
    "coverage",
    "has_data",
]


@dataclass(frozen=True, slots=True)
class AuditResults:
    audit: AuditReference
    framework: Framework
    answers: dict[str, str | None]
    scores: AuditScores
    previous_total: Score | None


def answer_codes(
    con: duckdb.DuckDBPyConnection, audit_id: int
) -> dict[str, str | None]:
    return answer_codes_by_audit(con, [audit_id])[audit_id]


def answer_codes_by_audit(
    con: duckdb.DuckDBPyConnection, audit_ids: list[int]
) -> dict[int, dict[str, str | None]]:
    """Return {audit id: {indicator id: answer code}} for one or two audits."""
    codes: dict[int, dict[str, str | None]] = {a: {} for a in audit_ids}
    first, second = audit_ids[0], audit_ids[-1]
    for owner, indicator_id, code in con.execute(
        "SELECT audit_id, indicator_id, answer_code FROM answers "
        "WHERE audit_id = ? OR audit_id = ?",
        [first, second],
    ).fetchall():
        codes[owner][indicator_id] = code
    return codes


def audit_results(
    con: duckdb.DuckDBPyConnection, audit_id: int, with_previous: bool = True
) -> AuditResults:
    """Read one audit's answers and score them, with the previous audit's total.

    Two queries in all (the audits, then the answers of both audits), since on
    the Results page each round trip to DuckDB costs more than the scoring.
    """
    audit, previous = audit_and_previous(con, audit_id)
    if not with_previous:
        previous = None
    framework = _framework_of(con, audit)
    audit_ids = [audit_id] + ([previous.audit_id] if previous else [])
    answers = answer_codes_by_audit(con, audit_ids)
    scores = score_audit(framework, audit.actor_type, answers[audit_id])

    previous_total = None
    if previous is not None:
        previous_total = score_audit(
            _framework_of(con, previous),
            previous.actor_type,
            answers[previous.audit_id],
        ).total
    return AuditResults(audit, framework, answers[audit_id], scores, previous_total)


def _framework_of(con: duckdb.DuckDBPyConnection, audit: AuditReference) -> Framework:
    return stored_framework(
        con, audit.framework_id, audit.framework_version, audit.framework_sha256
    )


def heatmap_frame(results: AuditResults, layout: str = ISO_LAYOUT) -> pd.DataFrame:
    """Return one row per (core activity, domain) cell, including empty cells.

    A cell without indicators or without answers has score NaN, label
    "no data" and has_data False, so the chart draws it as no data rather
    than as 0 or not at all.
    """
    framework = results.framework
    if layout == ISO_LAYOUT:
        domains, cells = framework.iso_subjects, results.scores.iso_cells
        names = {d.id: f"{d.clause} {d.name}".strip() for d in domains}
    elif layout == DIMENSION_LAYOUT:
        domains, cells = framework.dimensions, results.scores.dimension_cells
        names = {d.id: d.name for d in domains}
    else:
        raise ValueError(f"Unknown heatmap layout {layout!r}")

    column_order = {d.id: position for position, d in enumerate(domains)}
    phase_of = {}
    row_order = {}
    for phase_position, phase in enumerate(framework.phases):
        for ca in phase.core_activities:
            phase_of[ca.id] = (phase_position, f"{phase_position + 1} {phase.name}")
            row_order[ca.id] = (len(row_order), ca.name)
    rows = [_cell_row(cell, phase_of, row_order, column_order, names) for cell in cells]
    return pd.DataFrame(rows, columns=HEATMAP_COLUMNS)


def _cell_row(
    cell: HeatmapCell,
    phase_of: dict,
    row_order: dict,
    column_order: dict,
    names: dict,
) -> list:
    score = cell.score
    phase_position, phase_name = phase_of[cell.core_activity_id]
    position, activity_name = row_order[cell.core_activity_id]
    has_data = score.score is not None
    if score.coverage.indicators == 0:
        coverage = "no indicators in this cell"
    else:
        coverage = score.coverage.describe()
    return [
        phase_name,
        phase_position,
        activity_name,
        position,
        names[cell.domain_id],
        column_order[cell.domain_id],
        round(score.score, 1) if has_data else float("nan"),
        f"{score.score:.0f}" if has_data else NO_DATA,
        score.band.label if score.band else NO_DATA,
        coverage,
        has_data,
    ]


def scores_frame(scores: tuple[Score, ...]) -> pd.DataFrame:
    """Return one row per scored group for bar charts and tables."""
    return pd.DataFrame(
        [
            {
                "area": s.label,
                "order": position,
                "score": round(s.score, 1) if s.score is not None else float("nan"),
                "band": s.band.label if s.band else NO_DATA,
                "answered": s.coverage.answered,
                "applicable": s.coverage.applicable,
                "open": s.coverage.open,
                "not_applicable": s.coverage.not_applicable,
                "coverage": s.coverage.describe(),
            }
            for position, s in enumerate(scores)
        ]
    )


def improvable_by_area(
    results: AuditResults,
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Return [(core activity name, [(indicator id, statement, answer label)])]."""
    framework = results.framework
    labels = {o.code: o.label for o in framework.answer_scale}
    grouped = improvable_answers(framework, results.audit.actor_type, results.answers)
    return [
        (
            ca.name,
            [(i.id, i.statement, labels[code]) for i, code in grouped[ca.id]],
        )
        for ca in framework.core_activities
        if ca.id in grouped
    ]
