"""Store framework versions in the database and read them back.

A stored version is immutable: audits refer to it by id and version, and
their scores must not change because a file on disk was edited.
"""

from __future__ import annotations

import json
import logging

import duckdb

from staymobil_core.database import now, transaction
from staymobil_core.errors import FrameworkError, NotFoundError
from staymobil_core.framework import Framework, parse_framework

logger = logging.getLogger(__name__)

# Parsed frameworks by (id, version, content hash). Stored versions never
# change, so a parsed copy stays valid for the life of the process.
_parsed: dict[tuple[str, str, str], Framework] = {}


def register_framework(con: duckdb.DuckDBPyConnection, framework: Framework) -> bool:
    """Store a framework version unless it is already stored; return True if new.

    Raises `FrameworkError` when the same id and version are stored with
    different content, because audits already answered against that version
    would silently change meaning.
    """
    with transaction(con) as cur:
        row = cur.execute(
            "SELECT content_sha256 FROM frameworks "
            "WHERE framework_id = ? AND version = ?",
            [framework.id, framework.version],
        ).fetchone()
        if row is not None:
            if row[0] != framework.content_sha256:
                raise FrameworkError(
                    f"Framework '{framework.id}' version '{framework.version}' is "
                    "already stored with different content. Give the changed file a "
                    "new 'version' so that existing audits keep the wording they "
                    "were answered against."
                )
            return False
        _insert_framework(cur, framework)

    logger.info(
        "Registered framework %s %s (%d indicators)",
        framework.id,
        framework.version,
        len(framework.indicators),
    )
    return True


def _insert_framework(cur: duckdb.DuckDBPyConnection, framework: Framework) -> None:
    cur.execute(
        "INSERT INTO frameworks (framework_id, version, title, content_sha256, "
        "content, registered_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            framework.id,
            framework.version,
            framework.title,
            framework.content_sha256,
            json.dumps(framework.document, ensure_ascii=False),
            now(),
        ],
    )
    cur.executemany(
        "INSERT INTO indicators (framework_id, version, indicator_id, position, "
        "phase_id, core_activity_id, dimension_id, weight, allow_na) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                framework.id,
                framework.version,
                i.id,
                position,
                i.phase_id,
                i.core_activity_id,
                i.dimension,
                i.weight,
                i.allow_na,
            ]
            for position, i in enumerate(framework.indicators)
        ],
    )
    cur.executemany(
        "INSERT INTO indicator_iso_subjects (framework_id, version, indicator_id, "
        "iso_subject_id) VALUES (?, ?, ?, ?)",
        [
            [framework.id, framework.version, i.id, subject]
            for i in framework.indicators
            for subject in i.iso_subjects
        ],
    )


def stored_framework(
    con: duckdb.DuckDBPyConnection,
    framework_id: str,
    version: str,
    content_sha256: str | None = None,
) -> Framework:
    """Return a stored framework version, parsed once per process.

    A caller that already read the version's content hash (for example with
    the audit) passes it, which saves the query when the version is parsed.
    """
    if content_sha256 is not None:
        cached = _parsed.get((framework_id, version, content_sha256))
        if cached is not None:
            return cached
    row = con.execute(
        "SELECT content_sha256, content FROM frameworks "
        "WHERE framework_id = ? AND version = ?",
        [framework_id, version],
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"Framework '{framework_id}' version '{version}' is not stored in this "
            "database. Load that framework file first."
        )

    key = (framework_id, version, row[0])
    if key not in _parsed:
        _parsed[key] = parse_framework(
            json.loads(row[1]), source=f"{framework_id} {version}"
        )
    return _parsed[key]


def list_frameworks(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Return (id, version, title) of every stored framework, newest first."""
    return con.execute(
        "SELECT framework_id, version, title FROM frameworks "
        "ORDER BY registered_at DESC, framework_id, version DESC"
    ).fetchall()
