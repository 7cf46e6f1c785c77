"""Parsing and validation of framework documents, and the bundled framework."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from staymobil_core.errors import FrameworkError
from staymobil_core.framework import load_framework, parse_framework


def setting(path: tuple, value):
    """Return a mutation that sets the item at `path` of a document to `value`."""

    def mutate(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return document

    return mutate


def deleting(path: tuple):
    """Return a mutation that removes the item at `path` of a document."""

    def mutate(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return document

    return mutate


def add_duplicate_core_activity(document):
    activities = document["phases"][1]["core_activities"]
    activities.append({"id": "prep", "name": "Preparation again"})
    return document


def replace_top_level_with_list(document):
    return ["id", "small"]


# --- The small framework -------------------------------------------------


def test_small_framework_counts(small_framework):
    counts = {
        "phases": len(small_framework.phases),
        "core_activities": len(small_framework.core_activities),
        "indicators": len(small_framework.indicators),
        "answer_scale": len(small_framework.answer_scale),
        "bands": len(small_framework.bands),
        "iso_subjects": len(small_framework.iso_subjects),
        "dimensions": len(small_framework.dimensions),
        "sources": len(small_framework.sources),
    }

    assert counts == {
        "phases": 2,
        "core_activities": 3,
        "indicators": 6,
        "answer_scale": 4,
        "bands": 4,
        "iso_subjects": 2,
        "dimensions": 2,
        "sources": 4,
    }


def test_indicator_phase_from_core_activity(small_framework):
    phases = {i.id: i.phase_id for i in small_framework.indicators}

    assert phases == {
        "P1": "plan",
        "P2": "plan",
        "P3": "plan",
        "L1": "plan",
        "I1": "review",
        "I2": "review",
    }


def test_weight_defaults_to_one(small_framework):
    weights = {i.id: i.weight for i in small_framework.indicators}

    assert weights == {"P1": 1, "P2": 2, "P3": 1, "L1": 1, "I1": 1, "I2": 1}


def test_allow_na_defaults_to_false(small_framework):
    allow_na = {i.id: i.allow_na for i in small_framework.indicators}

    assert allow_na == {
        "P1": False,
        "P2": False,
        "P3": True,
        "L1": False,
        "I1": False,
        "I2": False,
    }


def test_missing_tags_default_to_empty(small_framework):
    p2 = small_framework.indicator("P2")

    assert (p2.eqavet, p2.charter, p2.sources, p2.guidance) == ((), (), (), "")


def test_strength_threshold_defaults_to_middle_band(small_framework):
    # With four bands, the upper half starts at the third, 'established' (75).
    assert small_framework.strength_threshold == 75


# --- Broken documents ----------------------------------------------------


@pytest.mark.parametrize(
    ("mutation", "fragments"),
    [
        pytest.param(
            setting(("indicators", 1, "id"), "P1"),
            ["indicator 'P1'", "duplicate id 'P1'"],
            id="duplicate-indicator-id",
        ),
        pytest.param(
            add_duplicate_core_activity,
            ["core activity 'prep'", "duplicate id 'prep'"],
            id="duplicate-core-activity-id",
        ),
        pytest.param(
            setting(("indicators", 0, "core_activity"), "nowhere"),
            ["indicator 'P1'", "unknown core activity 'nowhere'"],
            id="unknown-core-activity",
        ),
        pytest.param(
            setting(("indicators", 0, "iso_subjects"), ["labour-practices"]),
            ["indicator 'P1'", "'iso_subjects' tag 'labour-practices' is not in"],
            id="iso-subject-not-listed",
        ),
        pytest.param(
            setting(("indicators", 0, "dimension"), "economic"),
            ["indicator 'P1'", "dimension 'economic' is not in 'dimensions'"],
            id="dimension-not-listed",
        ),
        pytest.param(
            setting(("indicators", 3, "charter"), [9]),
            ["indicator 'L1'", "'charter' tag 9 is not in the list"],
            id="charter-number-not-listed",
        ),
        pytest.param(
            setting(("indicators", 0, "eqavet"), [4]),
            ["indicator 'P1'", "'eqavet' tag 4 is not in the list"],
            id="eqavet-number-not-listed",
        ),
        pytest.param(
            setting(("indicators", 0, "actors"), ["sponsor"]),
            ["indicator 'P1'", "'actors' tag 'sponsor' is not in the list"],
            id="actor-not-listed",
        ),
        pytest.param(
            setting(("answer_scale", 0, "value"), 1.5),
            ["answer 'yes'", "value 1.5 is outside 0..1"],
            id="answer-value-above-1",
        ),
        pytest.param(
            setting(("answer_scale", 2, "value"), -0.1),
            ["answer 'no'", "value -0.1 is outside 0..1"],
            id="answer-value-below-0",
        ),
        pytest.param(
            setting(("answer_scale", 1, "value"), "half"),
            ["answer 'partly'", "must be a number from 0 to 1, got 'half'"],
            id="answer-value-text",
        ),
        pytest.param(
            # Unquoted `code: yes` reaches the parser as the boolean True.
            setting(("answer_scale", 0, "code"), True),
            ["'answer_scale' entry", "'code' must be text, got True", "quotes"],
            id="answer-code-yaml-bool",
        ),
        pytest.param(
            setting(("bands", 2, "min_score"), 40),
            ["band 'established'", "rising 'min_score'"],
            id="bands-not-rising",
        ),
        pytest.param(
            setting(("bands", 0, "min_score"), 10),
            ["band 'initial'", "the first band must start at 0"],
            id="first-band-not-at-0",
        ),
        pytest.param(
            setting(("indicators", 0, "weight"), 0),
            ["indicator 'P1'", "'weight' must be a positive number, got 0"],
            id="weight-zero",
        ),
        pytest.param(
            setting(("indicators", 0, "weight"), -1),
            ["indicator 'P1'", "'weight' must be a positive number, got -1"],
            id="weight-negative",
        ),
        pytest.param(
            deleting(("indicators", 0, "statement")),
            ["indicator 'P1'", "'statement' is missing or empty"],
            id="statement-missing",
        ),
        pytest.param(
            setting(("indicators", 0, "statement"), "   "),
            ["indicator 'P1'", "'statement' is missing or empty"],
            id="statement-blank",
        ),
        pytest.param(
            setting(("indicators",), []),
            ["'indicators'", "must be a non-empty list"],
            id="indicators-empty",
        ),
        pytest.param(
            replace_top_level_with_list,
            ["the top level", "must be a mapping"],
            id="top-level-list",
        ),
        pytest.param(
            setting(("indicators", 0, "iso_subjects"), [["governance"]]),
            ["indicator 'P1'", "'iso_subjects' tag ['governance'] is not in the list"],
            id="tag-nested-list",
        ),
        pytest.param(
            setting(("indicators", 0, "weight"), float("nan")),
            ["indicator 'P1'", "'weight' must be a positive number"],
            id="weight-nan",
        ),
        pytest.param(
            setting(("indicators", 0, "weight"), float("inf")),
            ["indicator 'P1'", "'weight' must be a positive number"],
            id="weight-infinite",
        ),
    ],
)
def test_broken_document_is_rejected(small_document, mutation, fragments):
    document = mutation(small_document)

    with pytest.raises(FrameworkError) as excinfo:
        parse_framework(document, source="broken.yaml")

    message = str(excinfo.value)
    assert "Framework file 'broken.yaml'" in message
    for fragment in fragments:
        assert fragment in message


# --- Reading files -------------------------------------------------------


def test_load_framework_reads_yaml(tmp_path, small_document, small_framework):
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small_document), encoding="utf-8")

    assert load_framework(path) == small_framework


def test_load_missing_file_names_it(tmp_path):
    with pytest.raises(FrameworkError) as excinfo:
        load_framework(tmp_path / "absent.yaml")

    assert "absent.yaml" in str(excinfo.value)
    assert "not found" in str(excinfo.value)


def test_load_invalid_yaml_names_file(tmp_path):
    path = tmp_path / "unclosed.yaml"
    path.write_text("id: small\nphases: [unclosed\n", encoding="utf-8")

    with pytest.raises(FrameworkError) as excinfo:
        load_framework(path)

    assert "'unclosed.yaml'" in str(excinfo.value)
    assert "not valid YAML" in str(excinfo.value)


def test_load_invalid_yaml_gives_line(tmp_path):
    path = tmp_path / "unclosed.yaml"
    path.write_text("id: small\nphases: [unclosed\n", encoding="utf-8")

    with pytest.raises(FrameworkError) as excinfo:
        load_framework(path)

    assert "at line 3" in str(excinfo.value)
    assert "<unicode string>" not in str(excinfo.value)


def test_load_duplicate_yaml_key_rejected(tmp_path, small_document):
    text = yaml.safe_dump(small_document, sort_keys=False)
    path = tmp_path / "twice.yaml"
    path.write_text(text.replace("version: '1'", "version: '1'\nversion: '2'"))

    with pytest.raises(FrameworkError) as excinfo:
        load_framework(path)

    assert "'twice.yaml'" in str(excinfo.value)
    assert "key 'version' appears twice" in str(excinfo.value)


def test_load_non_utf8_file_names_it(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: café\n".encode("latin-1"))

    with pytest.raises(FrameworkError) as excinfo:
        load_framework(path)

    assert "latin1.yaml" in str(excinfo.value)
    assert "UTF-8" in str(excinfo.value)


def test_load_unquoted_yes_code_rejected(tmp_path, small_document):
    text = yaml.safe_dump(small_document)
    assert "code: 'yes'" in text
    path = tmp_path / "unquoted.yaml"
    path.write_text(text.replace("code: 'yes'", "code: yes"), encoding="utf-8")

    with pytest.raises(FrameworkError) as excinfo:
        load_framework(path)

    assert "'unquoted.yaml'" in str(excinfo.value)
    assert "put it in quotes" in str(excinfo.value)


# --- Bands ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "initial"),
        (49.9, "initial"),
        (50, "developing"),
        (74.99, "developing"),
        (75, "established"),
        (89.9, "established"),
        (90, "advanced"),
        (100, "advanced"),
    ],
    ids=str,
)
def test_band_for_score(small_framework, score, expected):
    assert small_framework.band_for(score).code == expected


def test_band_for_no_score(small_framework):
    assert small_framework.band_for(None) is None


# --- The bundled framework -----------------------------------------------


def test_bundled_has_four_phases(bundled_framework):
    assert len(bundled_framework.phases) == 4


def test_bundled_has_eight_core_activities(bundled_framework):
    assert len(bundled_framework.core_activities) == 8


def test_bundled_has_at_least_64_indicators(bundled_framework):
    assert len(bundled_framework.indicators) >= 64


def test_bundled_core_activities_have_eight(bundled_framework):
    counts = Counter(i.core_activity_id for i in bundled_framework.indicators)
    short = {
        ca.id: counts[ca.id]
        for ca in bundled_framework.core_activities
        if counts[ca.id] < 8
    }

    assert short == {}


def test_bundled_iso_subjects_in_every_phase(bundled_framework):
    missing = [
        (phase.id, subject.id)
        for phase in bundled_framework.phases
        for subject in bundled_framework.iso_subjects
        if not any(
            i.phase_id == phase.id and subject.id in i.iso_subjects
            for i in bundled_framework.indicators
        )
    ]

    assert missing == []


def test_bundled_charter_principles_all_referenced(bundled_framework):
    referenced = {number for i in bundled_framework.indicators for number in i.charter}
    missing = {int(p.id) for p in bundled_framework.charter_principles} - referenced

    assert missing == set()


def test_bundled_dimensions_all_used(bundled_framework):
    used = {i.dimension for i in bundled_framework.indicators}
    missing = {d.id for d in bundled_framework.dimensions} - used

    assert missing == set()


def test_bundled_indicators_have_guidance(bundled_framework):
    without_guidance = [
        i.id for i in bundled_framework.indicators if not i.guidance.strip()
    ]

    assert without_guidance == []


def test_bundled_notice_states_own_adaptation(bundled_framework):
    assert "this project's own adaptation" in bundled_framework.notice


def test_bundled_indicator_ids_unique(bundled_framework):
    # Read the raw document, because parsing already stops at a duplicate.
    ids = [entry["id"] for entry in bundled_framework.document["indicators"]]
    repeated = [i for i, count in Counter(ids).items() if count > 1]

    assert repeated == []
