"""Store and read the answers of an audit, one indicator at a time.

Each call is its own transaction, so an answer is on disk the moment it is
given. Comments and evidence are stored separately from the answer, so that
saving one never overwrites the other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from staymobil_core.audits import Audit, get_audit, require_draft
from staymobil_core.database import now, transaction
from staymobil_core.errors import InvalidInputError
from staymobil_core.framework import Framework, Indicator
from staymobil_core.framework_store import stored_framework

MAX_NOTE = 5000


@dataclass(frozen=True, slots=True)
class Answer:
    indicator_id: str
    # None while the indicator is open (a comment may exist without an answer).
    code: str | None
    # None for "not applicable" and for open indicators.
    value: float | None
    comment: str
    evidence: str
    updated_at: dt.datetime


def save_answer(
    con: duckdb.DuckDBPyConnection, audit_id: int, indicator_id: str, code: str | None
) -> None:
    """Store the answer code for one indicator; None makes it open again."""
    with transaction(con) as cur:
        audit, framework, indicator = _answerable(cur, audit_id, indicator_id)
        value = _value_for(framework, indicator, code)
        cur.execute(
            "INSERT INTO answers (audit_id, indicator_id, answer_code, answer_value, "
            "comment, evidence, updated_at) VALUES (?, ?, ?, ?, '', '', ?) "
            "ON CONFLICT (audit_id, indicator_id) DO UPDATE SET "
            "answer_code = excluded.answer_code, answer_value = excluded.answer_value, "
            "updated_at = excluded.updated_at",
            [audit.audit_id, indicator.id, code, value, now()],
        )


def save_notes(
    con: duckdb.DuckDBPyConnection,
    audit_id: int,
    indicator_id: str,
    comment: str | None = None,
    evidence: str | None = None,
) -> None:
    """Store the comment, the evidence note or link, or both, for one indicator.

    A field passed as None keeps its stored text, so a page that saves only
    the evidence never overwrites a comment saved meanwhile from elsewhere.
    """
    notes = {"comment": comment, "evidence": evidence}
    notes = {field: text.strip() for field, text in notes.items() if text is not None}
    for field, text in notes.items():
        if len(text) > MAX_NOTE:
            raise InvalidInputError(
                f"The {field} for indicator {indicator_id} is {len(text)} characters "
                f"long; at most {MAX_NOTE} are allowed. Shorten it, or link to a "
                "document instead."
            )
    if not notes:
        return

    # Column names come from the fixed dict above, never from the caller.
    updates = ", ".join(f"{field} = excluded.{field}" for field in notes)
    with transaction(con) as cur:
        audit, _, indicator = _answerable(cur, audit_id, indicator_id)
        cur.execute(
            "INSERT INTO answers (audit_id, indicator_id, answer_code, answer_value, "
            "comment, evidence, updated_at) VALUES (?, ?, NULL, NULL, ?, ?, ?) "
            f"ON CONFLICT (audit_id, indicator_id) DO UPDATE SET {updates}, "
            "updated_at = excluded.updated_at",
            [
                audit.audit_id,
                indicator.id,
                notes.get("comment", ""),
                notes.get("evidence", ""),
                now(),
            ],
        )


def read_answers(con: duckdb.DuckDBPyConnection, audit_id: int) -> dict[str, Answer]:
    """Return the stored answers of an audit by indicator id."""
    rows = con.execute(
        "SELECT indicator_id, answer_code, answer_value, comment, evidence, updated_at "
        "FROM answers WHERE audit_id = ?",
        [audit_id],
    ).fetchall()
    return {row[0]: Answer(*row) for row in rows}


def _answerable(
    cur: duckdb.DuckDBPyConnection, audit_id: int, indicator_id: str
) -> tuple[Audit, Framework, Indicator]:
    audit = get_audit(cur, audit_id)
    require_draft(audit)
    framework = stored_framework(cur, audit.framework_id, audit.framework_version)
    indicator = framework.indicator(indicator_id)
    if indicator is None:
        raise InvalidInputError(
            f"Indicator '{indicator_id}' is not in framework {framework.id} "
            f"{framework.version}. Answer one of the indicators listed on the "
            "Audit page."
        )
    if audit.actor_type not in indicator.actors:
        raise InvalidInputError(
            f"Indicator '{indicator_id}' does not apply to {audit.actor_type} "
            f"organisations (it applies to {', '.join(indicator.actors)})."
        )
    return audit, framework, indicator


def _value_for(
    framework: Framework, indicator: Indicator, code: str | None
) -> float | None:
    if code is None:
        return None
    option = framework.option(code)
    if option is None:
        allowed = ", ".join(f"'{o.code}' ({o.label})" for o in framework.answer_scale)
        raise InvalidInputError(
            f"Answer {code!r} for indicator {indicator.id} is not on the answer "
            f"scale. Use one of: {allowed}."
        )
    if option.value is None and not indicator.allow_na:
        raise InvalidInputError(
            f"Indicator {indicator.id} cannot be answered '{option.label}': the "
            "framework requires an answer for it. Choose another answer."
        )
    return option.value
