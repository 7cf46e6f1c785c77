"""Summarise where an organisation stands, for the Home page."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from staymobil_core.audits import Audit, list_audits
from staymobil_core.results import audit_results
from staymobil_core.scoring import Score

# The ten implementation steps of the StayMobil recommendations. The app can
# tell from its data whether steps 5, 7 and 10 happened; the others happen
# outside it and are shown as guidance.
IMPLEMENTATION_STEPS = (
    "Top management decides to run the self-audit and backs it.",
    "Internal procedures for the audit are defined: full or partial use of the "
    "framework, timeframe, and why it matters for the strategic plan.",
    "A person experienced in quality assurance and mobility is put in charge and "
    "leads a working group.",
    "The audit is announced to all staff.",
    "A diverse team from several departments is gathered.",
    "The team agrees a common understanding of the framework and gathers the "
    "internal documents it needs (strategic plan, quality plan, health and risk "
    "plan).",
    "The self-audit is carried out and the weaker areas are read.",
    "A Quality Improvement Action Plan is prepared and implemented.",
    "Results of the improvement actions are announced inside the organisation and "
    "feedback is sought.",
    "The audit is repeated after a period (yearly is advised) and progress is tracked.",
)


@dataclass(frozen=True, slots=True)
class Standing:
    audits: int
    complete_audits: int
    latest: Audit | None
    latest_total: Score | None
    departments_in_team: int
    # Step number (1-10) -> True when the app's data shows it done.
    steps_done: dict[int, bool]


def organisation_standing(
    con: duckdb.DuckDBPyConnection, organisation_id: int
) -> Standing:
    found = list_audits(con, organisation_id)
    latest = found[-1] if found else None
    complete = [a for a in found if a.is_complete]

    total = None
    departments = 0
    if latest is not None:
        total = audit_results(con, latest.audit_id, with_previous=False).scores.total
        team = (latest.lead, *latest.members)
        departments = len({m.department.casefold() for m in team if m.department})

    steps_done = {
        5: departments >= 2,
        7: bool(complete),
        10: len(complete) >= 2,
    }
    return Standing(len(found), len(complete), latest, total, departments, steps_done)
