"""Scores, coverage, strengths and weaknesses on the small framework.

For a sending organisation the small framework has five indicators: P1, P2
(weight 2), P3 (may be not applicable) and L1 in phase 'plan', and I1 in
phase 'review'. I2 applies only to receiving organisations.
"""

from __future__ import annotations

import pytest

from staymobil_core.scoring import Coverage, Score, improvable_answers, score_audit


def area(scores: tuple[Score, ...], area_id: str) -> Score:
    return next(s for s in scores if s.area_id == area_id)


def cell(cells, core_activity_id: str, domain_id: str) -> Score:
    return next(
        c.score
        for c in cells
        if c.core_activity_id == core_activity_id and c.domain_id == domain_id
    )


ALL_YES = {"P1": "yes", "P2": "yes", "P3": "yes", "L1": "yes", "I1": "yes"}


def test_all_yes_scores_100(small_framework):
    scores = score_audit(small_framework, "sending", ALL_YES)

    assert scores.total.score == 100
    assert scores.total.band.code == "advanced"
    assert scores.total.coverage == Coverage(
        indicators=5, answered=5, not_applicable=0, open=0
    )


def test_all_yes_every_phase_100(small_framework):
    scores = score_audit(small_framework, "sending", ALL_YES)

    assert [(s.area_id, s.score) for s in scores.phases] == [
        ("plan", 100),
        ("review", 100),
    ]


def test_weighted_mixed_answers(small_framework):
    answers = {"P1": "yes", "P2": "no", "P3": "partly"}

    scores = score_audit(small_framework, "sending", answers)

    # 100 x (1x1 + 2x0 + 1x0.5) / (1 + 2 + 1)
    prep = area(scores.core_activities, "prep")
    assert prep.score == 37.5
    assert prep.band.code == "initial"
    assert prep.coverage == Coverage(indicators=3, answered=3, not_applicable=0, open=0)


def test_total_ignores_open_indicators(small_framework):
    answers = {"P1": "yes", "P2": "no", "P3": "partly"}

    scores = score_audit(small_framework, "sending", answers)

    # L1 and I1 are open, so the total uses the same three answers as 'prep'.
    assert scores.total.score == 37.5
    assert scores.total.coverage == Coverage(
        indicators=5, answered=3, not_applicable=0, open=2
    )


def test_na_left_out_of_score(small_framework):
    answers = {"P1": "yes", "P2": "no", "P3": "na"}

    scores = score_audit(small_framework, "sending", answers)

    # 100 x (1x1 + 2x0) / (1 + 2). P3 is in neither sum.
    prep = area(scores.core_activities, "prep")
    assert prep.score == pytest.approx(100 / 3)
    assert prep.coverage == Coverage(indicators=3, answered=2, not_applicable=1, open=0)
    assert prep.coverage.applicable == 2


def test_open_indicators_not_counted_zero(small_framework):
    scores = score_audit(small_framework, "sending", {"P1": "yes"})

    prep = area(scores.core_activities, "prep")
    assert prep.score == 100
    assert prep.coverage == Coverage(indicators=3, answered=1, not_applicable=0, open=2)


def test_none_answer_counts_as_open(small_framework):
    scores = score_audit(small_framework, "sending", {"P1": "yes", "P2": None})

    prep = area(scores.core_activities, "prep")
    assert prep.score == 100
    assert prep.coverage.open == 2


def test_unanswered_group_has_no_score(small_framework):
    scores = score_audit(small_framework, "sending", {"P1": "yes"})

    assert area(scores.core_activities, "impact") == Score(
        kind="core_activity",
        area_id="impact",
        label="Impact",
        score=None,
        band=None,
        coverage=Coverage(indicators=1, answered=0, not_applicable=0, open=1),
    )


def test_only_na_group_has_no_score(small_framework):
    scores = score_audit(small_framework, "receiving", {"P1": "na", "P3": "na"})

    prep = area(scores.core_activities, "prep")
    assert prep.score is None
    assert prep.band is None
    assert prep.coverage == Coverage(indicators=2, answered=0, not_applicable=2, open=0)
    assert prep.coverage.share_answered is None


def test_empty_heatmap_cell_has_no_indicators(small_framework):
    scores = score_audit(small_framework, "sending", ALL_YES)

    # L1 is tagged 'governance' only, so this cell has no indicator at all.
    empty = cell(scores.iso_cells, "plan-doc", "environment")
    assert empty.coverage.indicators == 0
    assert empty.score is None


def test_heatmap_has_every_cell(small_framework):
    scores = score_audit(small_framework, "sending", {})

    iso_keys = [(c.core_activity_id, c.domain_id) for c in scores.iso_cells]
    assert iso_keys == [
        ("prep", "governance"),
        ("prep", "environment"),
        ("plan-doc", "governance"),
        ("plan-doc", "environment"),
        ("impact", "governance"),
        ("impact", "environment"),
    ]


def test_receiving_actor_filters_indicators(small_framework):
    answers = {**ALL_YES, "P2": "no", "I2": "partly"}

    scores = score_audit(small_framework, "receiving", answers)

    # P2 (sending and intermediary only) is ignored. I2 (receiving only) counts.
    assert area(scores.core_activities, "prep").score == 100
    assert area(scores.core_activities, "impact").score == 75
    assert scores.total.coverage == Coverage(
        indicators=5, answered=5, not_applicable=0, open=0
    )


def test_sending_actor_counts_p2_not_i2(small_framework):
    answers = {**ALL_YES, "P2": "no", "I2": "partly"}

    scores = score_audit(small_framework, "sending", answers)

    # 100 x (1 + 2x0 + 1) / (1 + 2 + 1). I2 is ignored.
    assert area(scores.core_activities, "prep").score == 50
    assert area(scores.core_activities, "impact").score == 100


def test_unknown_answer_code_is_open(small_framework):
    answers = {"P1": "maybe", "P2": "yes"}

    scores = score_audit(small_framework, "sending", answers)

    prep = area(scores.core_activities, "prep")
    assert prep.score == 100
    assert prep.coverage == Coverage(indicators=3, answered=1, not_applicable=0, open=2)


def test_two_subject_indicator_counts_twice(small_framework):
    answers = {**ALL_YES, "P2": "no"}

    scores = score_audit(small_framework, "sending", answers)

    # P2 (weight 2) is tagged governance and environment.
    governance = area(scores.iso_subjects, "governance")
    environment = area(scores.iso_subjects, "environment")
    assert governance.coverage.indicators == 4
    assert environment.coverage.indicators == 2
    # Governance: P1, P2, P3, L1 -> 100 x (1 + 0 + 1 + 1) / (1 + 2 + 1 + 1).
    assert governance.score == 60
    # Environment: P2, I1 -> 100 x (0 + 1) / (2 + 1).
    assert environment.score == pytest.approx(100 / 3)


def test_dimension_scores(small_framework):
    answers = {**ALL_YES, "P2": "no"}

    scores = score_audit(small_framework, "sending", answers)

    # Social: P1, P3, L1. Green: P2 (weight 2) and I1.
    assert [(s.area_id, s.score) for s in scores.dimensions] == [
        ("social", 100),
        ("green", pytest.approx(100 / 3)),
    ]


# --- Strengths and weaknesses (threshold 75 for the small framework) -----


def test_strengths_and_weaknesses_split(small_framework):
    answers = {"P1": "yes", "P2": "yes", "P3": "yes", "L1": "partly", "I1": "no"}

    scores = score_audit(small_framework, "sending", answers)

    # Core activities: prep 100, plan-doc 50, impact 0. ISO subjects:
    # governance 90, environment 66.7. Dimensions: social 83.3, green 66.7.
    assert [(s.kind, s.area_id) for s in scores.strengths] == [
        ("core_activity", "prep"),
        ("iso_subject", "governance"),
        ("dimension", "social"),
    ]
    assert [(s.kind, s.area_id) for s in scores.weaknesses] == [
        ("core_activity", "impact"),
        ("core_activity", "plan-doc"),
        ("iso_subject", "environment"),
        ("dimension", "green"),
    ]


def test_score_at_threshold_is_strength(small_framework):
    answers = {"P1": "yes", "P2": "partly", "P3": "yes"}

    scores = score_audit(small_framework, "sending", answers)

    # 100 x (1 + 2x0.5 + 1) / (1 + 2 + 1) = 75, exactly the threshold.
    prep = area(scores.core_activities, "prep")
    assert prep.score == 75
    assert prep in scores.strengths
    assert prep not in scores.weaknesses


def test_unscored_areas_are_neither(small_framework):
    scores = score_audit(small_framework, "sending", {"P1": "yes"})

    listed = {s.area_id for s in scores.strengths + scores.weaknesses}
    assert listed == {"prep", "governance", "social"}
    assert scores.weaknesses == ()


def test_strength_ties_favour_more_answers(small_framework):
    scores = score_audit(small_framework, "sending", ALL_YES)

    # Every area scores 100, so the number of answers decides the order.
    assert [(s.area_id, s.coverage.answered) for s in scores.strengths] == [
        ("governance", 4),
        ("prep", 3),
        ("social", 3),
        ("environment", 2),
        ("green", 2),
        ("plan-doc", 1),
        ("impact", 1),
    ]


# --- Improvable answers --------------------------------------------------


def test_improvable_answers_grouped_by_core_activity(small_framework):
    # Listed in reverse, to show that the result follows framework order.
    answers = {
        "I2": "no",
        "I1": None,
        "L1": "partly",
        "P3": "na",
        "P2": "partly",
        "P1": "no",
    }

    grouped = improvable_answers(small_framework, "sending", answers)

    indicator = small_framework.indicator
    assert grouped == {
        "prep": [(indicator("P1"), "no"), (indicator("P2"), "partly")],
        "plan-doc": [(indicator("L1"), "partly")],
    }
    assert list(grouped) == ["prep", "plan-doc"]


def test_improvable_answers_skip_yes(small_framework):
    assert improvable_answers(small_framework, "sending", ALL_YES) == {}
