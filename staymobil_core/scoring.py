"""Score an audit: pure functions from a framework and answer codes.

A group's score is 100 x sum(weight x value) / sum(weight) over its
answered, applicable indicators. "Not applicable" answers are left out, and
open (unanswered) indicators are neither 0 nor left out silently: every
score carries its coverage, so a score from 3 of 12 indicators never looks
like one from 12 of 12. A group with no answered indicator has no score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from staymobil_core.framework import Band, Framework, Indicator

TOTAL = "total"
PHASE = "phase"
CORE_ACTIVITY = "core_activity"
ISO_SUBJECT = "iso_subject"
DIMENSION = "dimension"
ISO_CELL = "iso_cell"
DIMENSION_CELL = "dimension_cell"


@dataclass(frozen=True, slots=True)
class Coverage:
    indicators: int
    answered: int
    not_applicable: int
    open: int

    @property
    def applicable(self) -> int:
        return self.indicators - self.not_applicable

    @property
    def share_answered(self) -> float | None:
        """Answered of applicable, 0..1; None when nothing is applicable."""
        return self.answered / self.applicable if self.applicable else None

    def describe(self) -> str:
        return (
            f"{self.answered} of {self.applicable} applicable answered, "
            f"{self.open} open, {self.not_applicable} not applicable"
        )


@dataclass(frozen=True, slots=True)
class Score:
    kind: str
    area_id: str
    label: str
    # None when no indicator of the group has an answer with a value.
    score: float | None
    band: Band | None
    coverage: Coverage


@dataclass(frozen=True, slots=True)
class HeatmapCell:
    core_activity_id: str
    domain_id: str
    score: Score


@dataclass(frozen=True, slots=True)
class AuditScores:
    total: Score
    phases: tuple[Score, ...]
    core_activities: tuple[Score, ...]
    iso_subjects: tuple[Score, ...]
    dimensions: tuple[Score, ...]
    iso_cells: tuple[HeatmapCell, ...]
    dimension_cells: tuple[HeatmapCell, ...]
    strengths: tuple[Score, ...]
    weaknesses: tuple[Score, ...]


@dataclass(slots=True)
class _Tally:
    indicators: int = 0
    answered: int = 0
    not_applicable: int = 0
    weighted_sum: float = 0.0
    weight_sum: float = 0.0

    def add(self, indicator: Indicator, code: str | None, value: float | None) -> None:
        self.indicators += 1
        if code is None:
            return
        if value is None:
            self.not_applicable += 1
            return
        self.answered += 1
        self.weighted_sum += indicator.weight * value
        self.weight_sum += indicator.weight

    def coverage(self) -> Coverage:
        open_count = self.indicators - self.answered - self.not_applicable
        return Coverage(self.indicators, self.answered, self.not_applicable, open_count)

    def score(self) -> float | None:
        if not self.weight_sum:
            return None
        return 100.0 * self.weighted_sum / self.weight_sum


def score_audit(
    framework: Framework, actor_type: str, answers: Mapping[str, str | None]
) -> AuditScores:
    """Score every group of an audit.

    `answers` maps indicator id to answer code (None or missing = open).
    Only indicators that apply to `actor_type` count. Codes not on the
    framework's scale are treated as open; `answers.save_answer` never
    stores one.
    """
    tallies = _tally(framework, actor_type, answers)

    def score(kind: str, area_id: str, label: str) -> Score:
        tally = tallies.get((kind, area_id)) or _Tally()
        value = tally.score()
        band = framework.band_for(value)
        return Score(kind, area_id, label, value, band, tally.coverage())

    def cells(kind: str, domains) -> tuple[HeatmapCell, ...]:
        return tuple(
            HeatmapCell(
                ca.id, d.id, score(kind, f"{ca.id}|{d.id}", f"{ca.name} / {d.name}")
            )
            for ca in framework.core_activities
            for d in domains
        )

    core_activities = tuple(
        score(CORE_ACTIVITY, ca.id, ca.name) for ca in framework.core_activities
    )
    iso_subjects = tuple(
        score(ISO_SUBJECT, d.id, d.name) for d in framework.iso_subjects
    )
    dimensions = tuple(score(DIMENSION, d.id, d.name) for d in framework.dimensions)
    strengths, weaknesses = _strengths_and_weaknesses(
        framework, core_activities + iso_subjects + dimensions
    )
    return AuditScores(
        total=score(TOTAL, TOTAL, "Whole audit"),
        phases=tuple(score(PHASE, p.id, p.name) for p in framework.phases),
        core_activities=core_activities,
        iso_subjects=iso_subjects,
        dimensions=dimensions,
        iso_cells=cells(ISO_CELL, framework.iso_subjects),
        dimension_cells=cells(DIMENSION_CELL, framework.dimensions),
        strengths=strengths,
        weaknesses=weaknesses,
    )


def _tally(
    framework: Framework, actor_type: str, answers: Mapping[str, str | None]
) -> dict[tuple[str, str], _Tally]:
    values = {o.code: o.value for o in framework.answer_scale}
    tallies: dict[tuple[str, str], _Tally] = {}

    def add(key: tuple[str, str], indicator: Indicator, code, value) -> None:
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = _Tally()
        tally.add(indicator, code, value)

    for indicator in framework.indicators_for(actor_type):
        code = answers.get(indicator.id)
        if code not in values:
            code = None
        value = values.get(code)
        activity = indicator.core_activity_id
        add((TOTAL, TOTAL), indicator, code, value)
        add((PHASE, indicator.phase_id), indicator, code, value)
        add((CORE_ACTIVITY, activity), indicator, code, value)
        add((DIMENSION, indicator.dimension), indicator, code, value)
        add(
            (DIMENSION_CELL, f"{activity}|{indicator.dimension}"),
            indicator,
            code,
            value,
        )
        for subject in indicator.iso_subjects:
            add((ISO_SUBJECT, subject), indicator, code, value)
            add((ISO_CELL, f"{activity}|{subject}"), indicator, code, value)
    return tallies


def _strengths_and_weaknesses(
    framework: Framework, areas: tuple[Score, ...]
) -> tuple[tuple[Score, ...], tuple[Score, ...]]:
    """Split scored areas at the framework's strength threshold.

    Areas without a score are neither. Strengths come strongest first,
    weaknesses weakest first; ties go to the area with more answers.
    """
    scored = [a for a in areas if a.score is not None]
    strengths = [a for a in scored if a.score >= framework.strength_threshold]
    weaknesses = [a for a in scored if a.score < framework.strength_threshold]
    strengths.sort(key=lambda a: (-a.score, -a.coverage.answered))
    weaknesses.sort(key=lambda a: (a.score, -a.coverage.answered))
    return tuple(strengths), tuple(weaknesses)


def improvable_answers(
    framework: Framework, actor_type: str, answers: Mapping[str, str | None]
) -> dict[str, list[tuple[Indicator, str]]]:
    """Group the indicators answered below the top of the scale by core activity.

    With the bundled scale that is every No and Partly. Returns
    {core activity id: [(indicator, answer code), ...]} in framework order.
    """
    values = {o.code: o.value for o in framework.answer_scale}
    top = max(v for v in values.values() if v is not None)
    grouped: dict[str, list[tuple[Indicator, str]]] = {}
    for indicator in framework.indicators_for(actor_type):
        code = answers.get(indicator.id)
        value = values.get(code)
        if value is not None and value < top:
            grouped.setdefault(indicator.core_activity_id, []).append((indicator, code))
    return grouped
