"""The Results page's data: audit results, heatmap and score frames, the
improvement list and the sourcebook, on the small framework."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from staymobil_core.answers import save_answer
from staymobil_core.audits import TeamMember, start_audit
from staymobil_core.framework import parse_framework
from staymobil_core.results import (
    audit_results,
    heatmap_frame,
    improvable_by_area,
    scores_frame,
)
from staymobil_core.sourcebook import indicator_references, sourcebook

COLUMNS = [
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
NAN = float("nan")
NO_INDICATORS = "no indicators in this cell"
I1_OPEN = "0 of 1 applicable answered, 1 open, 0 not applicable"

# I1 stays open. Prep scores 100 x (1 + 2x0 + 0.5) / (1 + 2 + 1) = 37.5.
MIXED = {"P1": "yes", "P2": "no", "P3": "partly", "L1": "yes"}


def answered(con, audit_id: int, answers: dict[str, str]):
    for indicator_id, code in answers.items():
        save_answer(con, audit_id, indicator_id, code)
    return audit_results(con, audit_id)


def covered(answered: int, applicable: int) -> str:
    return f"{answered} of {applicable} applicable answered, 0 open, 0 not applicable"


# --- Heatmap ---------------------------------------------------------------


def test_iso_heatmap_frame(con, audit_id):
    results = answered(con, audit_id, MIXED)

    expected = pd.DataFrame(
        [
            ["1 Planning", 0, "Preparation", 0, "6.2 Organisational governance",
             0, 37.5, "38", "Initial", covered(3, 3), True],
            ["1 Planning", 0, "Preparation", 0, "6.5 The environment",
             1, 0.0, "0", "Initial", covered(1, 1), True],
            ["1 Planning", 0, "Learning plan", 1, "6.2 Organisational governance",
             0, 100.0, "100", "Advanced", covered(1, 1), True],
            ["1 Planning", 0, "Learning plan", 1, "6.5 The environment",
             1, NAN, "no data", "no data", NO_INDICATORS, False],
            ["2 Review", 1, "Impact", 2, "6.2 Organisational governance",
             0, NAN, "no data", "no data", NO_INDICATORS, False],
            ["2 Review", 1, "Impact", 2, "6.5 The environment",
             1, NAN, "no data", "no data", I1_OPEN, False],
        ],
        columns=COLUMNS,
    )  # fmt: skip
    pd.testing.assert_frame_equal(heatmap_frame(results, "iso"), expected)


def test_dimension_heatmap_frame(con, audit_id):
    results = answered(con, audit_id, MIXED)

    # I2, the only social indicator of 'impact', does not apply to senders.
    expected = pd.DataFrame(
        [
            ["1 Planning", 0, "Preparation", 0, "Social cohesion",
             0, 75.0, "75", "Established", covered(2, 2), True],
            ["1 Planning", 0, "Preparation", 0, "Environmental responsibility",
             1, 0.0, "0", "Initial", covered(1, 1), True],
            ["1 Planning", 0, "Learning plan", 1, "Social cohesion",
             0, 100.0, "100", "Advanced", covered(1, 1), True],
            ["1 Planning", 0, "Learning plan", 1, "Environmental responsibility",
             1, NAN, "no data", "no data", NO_INDICATORS, False],
            ["2 Review", 1, "Impact", 2, "Social cohesion",
             0, NAN, "no data", "no data", NO_INDICATORS, False],
            ["2 Review", 1, "Impact", 2, "Environmental responsibility",
             1, NAN, "no data", "no data", I1_OPEN, False],
        ],
        columns=COLUMNS,
    )  # fmt: skip
    pd.testing.assert_frame_equal(heatmap_frame(results, "dimension"), expected)


@pytest.mark.parametrize("layout", ["iso", "dimension"])
def test_heatmap_has_every_cell(con, audit_id, layout):
    frame = heatmap_frame(audit_results(con, audit_id), layout)

    cells = list(zip(frame["row_order"], frame["column_order"], strict=True))
    assert cells == [(row, column) for row in range(3) for column in range(2)]


@pytest.mark.parametrize("layout", ["iso", "dimension"])
def test_heatmap_cells_without_answers(con, audit_id, layout):
    frame = heatmap_frame(audit_results(con, audit_id), layout)

    assert frame["has_data"].tolist() == [False] * 6
    assert frame["label"].tolist() == ["no data"] * 6
    assert frame["band"].tolist() == ["no data"] * 6
    assert all(math.isnan(score) for score in frame["score"])


def test_heatmap_rows_follow_framework_order(con, audit_id):
    frame = heatmap_frame(answered(con, audit_id, MIXED), "iso")

    assert frame["phase"].unique().tolist() == ["1 Planning", "2 Review"]
    assert frame["core_activity"].unique().tolist() == [
        "Preparation",
        "Learning plan",
        "Impact",
    ]
    assert frame["phase_order"].is_monotonic_increasing
    assert frame["row_order"].is_monotonic_increasing


def test_heatmap_unknown_layout_raises(con, audit_id):
    results = audit_results(con, audit_id)

    with pytest.raises(ValueError, match="'sideways'"):
        heatmap_frame(results, "sideways")


# --- Audit results and the previous audit ----------------------------------


def test_audit_results_reads_answers(con, audit_id):
    results = answered(con, audit_id, MIXED)

    assert results.answers == MIXED
    assert results.scores.total.score == pytest.approx(100 * 2.5 / 5)
    assert results.audit.audit_id == audit_id
    assert results.framework.id == "small"


def test_second_audit_has_previous_total(
    con, organisation_id, audit_id, small_framework
):
    first = answered(con, audit_id, {"P1": "yes", "P2": "no"})
    second_id = start_audit(
        con,
        organisation_id,
        small_framework,
        dt.date(2027, 3, 1),
        TeamMember("Rita Sousa"),
    )

    second = answered(con, second_id, {"P1": "yes"})

    # 100 x (1 + 2x0) / (1 + 2)
    assert second.previous_total == first.scores.total
    assert second.previous_total.score == pytest.approx(100 / 3)


def test_first_audit_has_no_previous_total(con, audit_id):
    assert audit_results(con, audit_id).previous_total is None


def test_previous_total_skipped_on_request(
    con, organisation_id, audit_id, small_framework
):
    second_id = start_audit(
        con,
        organisation_id,
        small_framework,
        dt.date(2027, 3, 1),
        TeamMember("Rita Sousa"),
    )

    results = audit_results(con, second_id, with_previous=False)

    assert results.previous_total is None


# --- Score frames and the improvement list ---------------------------------


def test_scores_frame_of_core_activities(con, audit_id):
    results = answered(con, audit_id, MIXED)

    expected = pd.DataFrame(
        [
            {
                "area": "Preparation",
                "order": 0,
                "score": 37.5,
                "band": "Initial",
                "answered": 3,
                "applicable": 3,
                "open": 0,
                "not_applicable": 0,
                "coverage": covered(3, 3),
            },
            {
                "area": "Learning plan",
                "order": 1,
                "score": 100.0,
                "band": "Advanced",
                "answered": 1,
                "applicable": 1,
                "open": 0,
                "not_applicable": 0,
                "coverage": covered(1, 1),
            },
            {
                "area": "Impact",
                "order": 2,
                "score": NAN,
                "band": "no data",
                "answered": 0,
                "applicable": 1,
                "open": 1,
                "not_applicable": 0,
                "coverage": I1_OPEN,
            },
        ]
    )
    pd.testing.assert_frame_equal(
        scores_frame(results.scores.core_activities), expected
    )


def test_scores_frame_rounds_to_one_decimal(con, audit_id):
    results = answered(con, audit_id, MIXED)

    # Social: P1, P3 and L1 give 100 x 2.5 / 3 = 83.33...
    frame = scores_frame(results.scores.dimensions)

    assert frame["score"].tolist() == [83.3, 0.0]


def test_scores_frame_counts_not_applicable(con, audit_id):
    results = answered(con, audit_id, {"P1": "yes", "P3": "na"})

    row = scores_frame(results.scores.core_activities).iloc[0]

    assert (row["answered"], row["applicable"], row["open"]) == (1, 2, 1)
    assert row["not_applicable"] == 1


def test_improvable_by_area_lists_no_and_partly(con, audit_id):
    answers = {"P1": "no", "P2": "partly", "P3": "yes", "L1": "partly", "I1": "yes"}

    results = answered(con, audit_id, answers)

    assert improvable_by_area(results) == [
        (
            "Preparation",
            [
                ("P1", "Preparation one.", "No"),
                ("P2", "Preparation two, weighted double.", "Partly"),
            ],
        ),
        ("Learning plan", [("L1", "Learning plan one.", "Partly")]),
    ]


def test_improvable_by_area_skips_yes(con, audit_id):
    answers = {"P1": "yes", "P2": "yes", "P3": "na", "L1": "yes"}

    assert improvable_by_area(answered(con, audit_id, answers)) == []


# --- Sourcebook ------------------------------------------------------------


def test_sourcebook_links_indicators(small_framework):
    entries = [
        (entry.source.id, [i.id for i in entry.indicators])
        for entry in sourcebook(small_framework)
    ]

    assert entries == [
        ("charter", ["L1"]),
        ("eqavet", ["P1", "I1"]),
        ("iso26000", ["P1", "P2", "P3", "L1", "I1", "I2"]),
        ("ecvet", ["L1"]),
    ]


@pytest.mark.parametrize(
    ("indicator_id", "expected"),
    [
        (
            "L1",
            [
                "Quality Charter principle 2: Learning plan",
                "ISO 26000 6.2 Organisational governance",
                "ECVET",
            ],
        ),
        (
            "P1",
            [
                "EQAVET indicator 1: Relevance",
                "ISO 26000 6.2 Organisational governance",
            ],
        ),
        (
            "P2",
            [
                "ISO 26000 6.2 Organisational governance",
                "ISO 26000 6.5 The environment",
            ],
        ),
        (
            "I1",
            [
                "EQAVET indicator 3: Participation",
                "ISO 26000 6.5 The environment",
            ],
        ),
    ],
    ids=["L1-charter-and-ecvet", "P1-eqavet", "P2-two-subjects", "I1-eqavet"],
)
def test_indicator_references(small_framework, indicator_id, expected):
    indicator = small_framework.indicator(indicator_id)

    assert indicator_references(small_framework, indicator) == expected


def test_reference_without_clause(small_document):
    del small_document["iso_subjects"][1]["clause"]
    framework = parse_framework(small_document, source="small.yaml")

    references = indicator_references(framework, framework.indicator("I1"))

    assert references[-1] == "ISO 26000 The environment"
