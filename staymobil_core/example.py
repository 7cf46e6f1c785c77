"""Load and remove a clearly labelled example organisation with three audits.

The answers are generated deterministically from the indicator id and the
year, so every load gives the same data. Their shape follows what the 2019
StayMobil pilots reported: strong mentoring, learning plans and preparation;
weaker impact assessment, improvement strategies, certification and the
environmental side, with steady progress from year to year.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb

from staymobil_core.audits import COMPLETE, TeamMember, insert_audit
from staymobil_core.database import now, transaction
from staymobil_core.framework import Framework, Indicator
from staymobil_core.framework_store import register_framework
from staymobil_core.organisations import (
    OrganisationDetails,
    delete_organisations_where,
    insert_organisation,
)

EXAMPLE_NAME = "Example: Riverside VET College (example data)"
EXAMPLE_DETAILS = OrganisationDetails(
    name=EXAMPLE_NAME,
    country="Slovenia",
    organisation_type="sending",
    size="medium (50-249 staff)",
    contact_person="Ana Novak (example)",
    contact_email="quality@example.org",
)
EXAMPLE_TEAM = (
    TeamMember("Ana Novak", "Quality assurance"),
    (
        TeamMember("Luka Horvat", "International office"),
        TeamMember("Maja Kranjc", "Teaching staff, hospitality"),
        TeamMember("Peter Zupan", "Finance"),
        TeamMember("Eva Kos", "Student services"),
    ),
)
EXAMPLE_YEARS = (2024, 2025, 2026)
# The latest audit stays a draft with a few open indicators, so the Audit page
# has something left to answer.
OPEN_IN_LATEST = 6

# Chance of a "yes" in the first year, by core activity; it rises each year.
_BASE_YES = {
    "learning-plan": 0.82,
    "general-preparation": 0.8,
    "learning-plan-implementation": 0.84,
    "mentoring-monitoring": 0.88,
    "learning-outcomes": 0.8,
    "certification-recognition": 0.6,
    "impact-assessment": 0.5,
    "improvement-strategies": 0.52,
}
_DEFAULT_YES = 0.7
_YEARLY_GAIN = 0.07
_ENVIRONMENT_PENALTY = 0.35


def example_organisation_id(con: duckdb.DuckDBPyConnection) -> int | None:
    row = con.execute(
        "SELECT organisation_id FROM organisations WHERE is_example LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def load_example(con: duckdb.DuckDBPyConnection, framework: Framework) -> int:
    """Store the example organisation with its three audits; return its id.

    Replaces an example loaded before, all in one transaction.
    """
    register_framework(con, framework)
    with transaction(con) as cur:
        delete_organisations_where(cur, "is_example", [])
        organisation_id = insert_organisation(cur, EXAMPLE_DETAILS, is_example=True)
        for position, year in enumerate(EXAMPLE_YEARS):
            latest = position == len(EXAMPLE_YEARS) - 1
            lead, members = EXAMPLE_TEAM
            audit_id = insert_audit(
                cur, organisation_id, framework, dt.date(year, 3, 15), lead, members
            )
            _insert_answers(cur, framework, audit_id, position, latest)
            if not latest:
                cur.execute(
                    "UPDATE audits SET status = ?, completed_at = ? WHERE audit_id = ?",
                    [COMPLETE, dt.datetime(year, 4, 30, 12), audit_id],
                )
    return organisation_id


def remove_example(con: duckdb.DuckDBPyConnection) -> bool:
    """Delete the example organisation and its audits; return True if one existed."""
    with transaction(con) as cur:
        found = cur.execute(
            "SELECT count(*) FROM organisations WHERE is_example"
        ).fetchone()
        delete_organisations_where(cur, "is_example", [])
    return found[0] > 0


def example_answer(indicator: Indicator, year_index: int) -> str:
    """Return the example answer code of one indicator in one audit year."""
    # One draw per indicator for every year, against a rising chance of a
    # "yes", so an answer never gets worse from one year to the next.
    draw = _uniform(f"{indicator.id}:answer")
    chance_yes = _BASE_YES.get(indicator.core_activity_id, _DEFAULT_YES)
    chance_yes += _YEARLY_GAIN * year_index
    if "environment" in indicator.iso_subjects:
        chance_yes -= _ENVIRONMENT_PENALTY
    if indicator.allow_na and _uniform(f"{indicator.id}:na") < 0.15:
        return "na"
    if draw < chance_yes:
        return "yes"
    if draw < chance_yes + (1 - chance_yes) * 0.6:
        return "partly"
    return "no"


def _insert_answers(
    cur: duckdb.DuckDBPyConnection,
    framework: Framework,
    audit_id: int,
    year_index: int,
    latest: bool,
) -> None:
    indicators = framework.indicators_for(EXAMPLE_DETAILS.organisation_type)
    values = {o.code: o.value for o in framework.answer_scale}
    open_ids = set()
    if latest:
        ranked = sorted(indicators, key=lambda i: _uniform(f"{i.id}:open"))
        open_ids = {i.id for i in ranked[:OPEN_IN_LATEST]}

    rows = []
    stamp = now()
    for indicator in indicators:
        if indicator.id in open_ids:
            continue
        code = example_answer(indicator, year_index)
        comment = (
            "Example answer, generated for trying the app." if code != "yes" else ""
        )
        rows.append([audit_id, indicator.id, code, values[code], comment, "", stamp])
    cur.executemany(
        "INSERT INTO answers (audit_id, indicator_id, answer_code, answer_value, "
        "comment, evidence, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _uniform(key: str) -> float:
    """Map a text key to a fixed number in [0, 1), the same on every run."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
