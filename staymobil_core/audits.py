"""Start audits, record their team, and move them between draft and complete.

A complete audit is read-only: answers and team cannot change until someone
reopens it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from staymobil_core.database import now, transaction
from staymobil_core.errors import AuditLockedError, InvalidInputError, NotFoundError
from staymobil_core.framework import Framework
from staymobil_core.organisations import MAX_TEXT, clean_text, get_organisation

DRAFT = "draft"
COMPLETE = "complete"
# A date outside this range is a typing mistake, not an audit.
FIRST_AUDIT_DATE = dt.date(2000, 1, 1)
LAST_AUDIT_DATE = dt.date(2100, 12, 31)


@dataclass(frozen=True, slots=True)
class TeamMember:
    name: str
    department: str = ""


@dataclass(frozen=True, slots=True)
class Audit:
    audit_id: int
    organisation_id: int
    framework_id: str
    framework_version: str
    actor_type: str
    audit_date: dt.date
    status: str
    completed_at: dt.datetime | None
    lead: TeamMember
    members: tuple[TeamMember, ...]

    @property
    def is_complete(self) -> bool:
        return self.status == COMPLETE

    @property
    def label(self) -> str:
        # The id tells apart audits started on the same day.
        return f"{self.audit_date.isoformat()} ({self.status}, no. {self.audit_id})"


_COLUMNS = (
    "audit_id, organisation_id, framework_id, framework_version, actor_type, "
    "audit_date, status, completed_at"
)


def start_audit(
    con: duckdb.DuckDBPyConnection,
    organisation_id: int,
    framework: Framework,
    audit_date: dt.date,
    lead: TeamMember,
    members: list[TeamMember] | tuple[TeamMember, ...] = (),
) -> int:
    """Create a draft audit of the organisation with its team; return its id.

    The framework must already be registered. The audit records the
    framework version and the organisation's current type, which decides
    which indicators apply.
    """
    with transaction(con) as cur:
        return insert_audit(cur, organisation_id, framework, audit_date, lead, members)


def insert_audit(
    cur: duckdb.DuckDBPyConnection,
    organisation_id: int,
    framework: Framework,
    audit_date: dt.date,
    lead: TeamMember,
    members: list[TeamMember] | tuple[TeamMember, ...] = (),
) -> int:
    """Validate and insert a draft audit inside the caller's transaction."""
    lead, members = _validated_team(lead, members)
    if not isinstance(audit_date, dt.date):
        raise InvalidInputError(
            f"Audit date {audit_date!r} is not a date. Pick a date in the form."
        )
    if not FIRST_AUDIT_DATE <= audit_date <= LAST_AUDIT_DATE:
        raise InvalidInputError(
            f"Audit date {audit_date.isoformat()} is outside "
            f"{FIRST_AUDIT_DATE.isoformat()} to {LAST_AUDIT_DATE.isoformat()}. "
            "Check the year."
        )

    organisation = get_organisation(cur, organisation_id)
    stamp = now()
    audit_id = cur.execute(
        "INSERT INTO audits (organisation_id, framework_id, framework_version, "
        "actor_type, audit_date, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING audit_id",
        [
            organisation_id,
            framework.id,
            framework.version,
            organisation.organisation_type,
            audit_date,
            DRAFT,
            stamp,
            stamp,
        ],
    ).fetchone()[0]
    _insert_team(cur, audit_id, lead, members)
    return audit_id


def update_team(
    con: duckdb.DuckDBPyConnection,
    audit_id: int,
    lead: TeamMember,
    members: list[TeamMember] | tuple[TeamMember, ...],
) -> None:
    """Replace the audit team of a draft audit."""
    lead, members = _validated_team(lead, members)
    with transaction(con) as cur:
        require_draft(get_audit(cur, audit_id))
        cur.execute("DELETE FROM audit_members WHERE audit_id = ?", [audit_id])
        _insert_team(cur, audit_id, lead, members)
        cur.execute(
            "UPDATE audits SET updated_at = ? WHERE audit_id = ?", [now(), audit_id]
        )


def get_audit(con: duckdb.DuckDBPyConnection, audit_id: int) -> Audit:
    row = con.execute(
        f"SELECT {_COLUMNS} FROM audits WHERE audit_id = ?", [audit_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"Audit {audit_id} does not exist. Pick an audit in the sidebar."
        )
    # Sorted here: ORDER BY on a handful of rows costs DuckDB more than Python.
    members = con.execute(
        "SELECT position, name, department, role FROM audit_members WHERE audit_id = ?",
        [audit_id],
    ).fetchall()
    return _audit_from(row, [m[1:] for m in sorted(members)])


def list_audits(con: duckdb.DuckDBPyConnection, organisation_id: int) -> list[Audit]:
    """Return the organisation's audits, oldest first."""
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM audits WHERE organisation_id = ? "
        "ORDER BY audit_date, audit_id",
        [organisation_id],
    ).fetchall()
    teams: dict[int, list] = {row[0]: [] for row in rows}
    for audit_id, name, department, role in con.execute(
        "SELECT m.audit_id, m.name, m.department, m.role FROM audit_members m "
        "JOIN audits a USING (audit_id) WHERE a.organisation_id = ? "
        "ORDER BY m.audit_id, m.position",
        [organisation_id],
    ).fetchall():
        teams[audit_id].append((name, department, role))
    return [_audit_from(row, teams[row[0]]) for row in rows]


def previous_audit(con: duckdb.DuckDBPyConnection, audit: Audit) -> Audit | None:
    """Return the organisation's audit just before this one, if any."""
    _, previous = audit_and_previous(con, audit.audit_id)
    return get_audit(con, previous.audit_id) if previous else None


@dataclass(frozen=True, slots=True)
class AuditReference:
    """The fields of an audit that scoring reads, with its framework's content hash."""

    audit_id: int
    framework_id: str
    framework_version: str
    framework_sha256: str
    actor_type: str
    audit_date: dt.date


def audit_and_previous(
    con: duckdb.DuckDBPyConnection, audit_id: int
) -> tuple[AuditReference, AuditReference | None]:
    """Return an audit and the one just before it (by date, then id).

    Reads only the organisation's few audits, without their teams, because on
    the Results page each round trip to DuckDB costs more than the scoring.
    """
    owner = con.execute(
        "SELECT organisation_id FROM audits WHERE audit_id = ?", [audit_id]
    ).fetchone()
    if owner is None:
        raise NotFoundError(
            f"Audit {audit_id} does not exist. Pick an audit in the sidebar."
        )
    # A literal organisation id lets DuckDB use audits_by_organisation; as a
    # subquery it scans every audit.
    rows = con.execute(
        "SELECT a.audit_id, a.framework_id, a.framework_version, f.content_sha256, "
        "a.actor_type, a.audit_date FROM audits a JOIN frameworks f "
        "ON f.framework_id = a.framework_id AND f.version = a.framework_version "
        "WHERE a.organisation_id = ?",
        owner,
    ).fetchall()
    ordered = sorted((AuditReference(*row) for row in rows), key=_chronological)
    position = next((n for n, a in enumerate(ordered) if a.audit_id == audit_id), None)
    if position is None:
        raise NotFoundError(
            f"Audit {audit_id} does not exist. Pick an audit in the sidebar."
        )
    return ordered[position], ordered[position - 1] if position else None


def _chronological(audit: AuditReference) -> tuple[dt.date, int]:
    return audit.audit_date, audit.audit_id


def complete_audit(con: duckdb.DuckDBPyConnection, audit_id: int) -> None:
    """Mark a draft audit complete; from then on it is read-only."""
    _set_status(con, audit_id, COMPLETE)


def reopen_audit(con: duckdb.DuckDBPyConnection, audit_id: int) -> None:
    """Turn a complete audit back into a draft so it can be changed."""
    _set_status(con, audit_id, DRAFT)


def delete_audit(con: duckdb.DuckDBPyConnection, audit_id: int) -> None:
    """Remove a draft audit with its team and answers."""
    with transaction(con) as cur:
        require_draft(get_audit(cur, audit_id))
        cur.execute("DELETE FROM answers WHERE audit_id = ?", [audit_id])
        cur.execute("DELETE FROM audit_members WHERE audit_id = ?", [audit_id])
        cur.execute("DELETE FROM audits WHERE audit_id = ?", [audit_id])


def require_draft(audit: Audit) -> None:
    if audit.is_complete:
        raise AuditLockedError(
            f"Audit of {audit.audit_date.isoformat()} is complete and read-only. "
            "Reopen it on the Audit page to change it."
        )


def _set_status(con: duckdb.DuckDBPyConnection, audit_id: int, status: str) -> None:
    with transaction(con) as cur:
        audit = get_audit(cur, audit_id)
        if audit.status == status:
            return
        stamp = now()
        cur.execute(
            "UPDATE audits SET status = ?, updated_at = ?, completed_at = ? "
            "WHERE audit_id = ?",
            [status, stamp, stamp if status == COMPLETE else None, audit_id],
        )


def _insert_team(
    cur: duckdb.DuckDBPyConnection,
    audit_id: int,
    lead: TeamMember,
    members: tuple[TeamMember, ...],
) -> None:
    rows = [[audit_id, 0, lead.name, "lead", lead.department]]
    rows += [
        [audit_id, position, m.name, "member", m.department]
        for position, m in enumerate(members, start=1)
    ]
    cur.executemany(
        "INSERT INTO audit_members (audit_id, position, name, role, department) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def _validated_team(
    lead: TeamMember, members: list[TeamMember] | tuple[TeamMember, ...]
) -> tuple[TeamMember, tuple[TeamMember, ...]]:
    def clean(member: TeamMember, role: str) -> TeamMember:
        name = clean_text(member.name)
        department = clean_text(member.department)
        if len(name) > MAX_TEXT or len(department) > MAX_TEXT:
            raise InvalidInputError(
                f"Team {role} '{name[:40]}' has a name or department longer than "
                f"{MAX_TEXT} characters. Shorten it."
            )
        return TeamMember(name, department)

    lead = clean(lead, "lead")
    if not lead.name:
        raise InvalidInputError(
            "The audit lead is empty. Enter the name of the person who leads the "
            "working group."
        )
    cleaned = tuple(clean(m, "member") for m in members)
    return lead, tuple(m for m in cleaned if m.name)


def _audit_from(row: tuple, team: list[tuple[str, str, str]]) -> Audit:
    lead = next(
        (TeamMember(n, d) for n, d, role in team if role == "lead"), TeamMember("")
    )
    members = tuple(TeamMember(n, d) for n, d, role in team if role == "member")
    return Audit(*row, lead=lead, members=members)
