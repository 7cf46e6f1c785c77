"""Open the DuckDB file, bring its schema up to date, and run transactions.

The app opens one connection per process, and each unit of work takes its own
cursor from it. Every write runs inside `transaction`, which commits on
success and rolls back on any exception.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from staymobil_core.errors import (
    ConcurrentChangeError,
    DatabaseError,
    DatabaseLockedError,
    SchemaTooNewError,
)
from staymobil_core.migrations import MIGRATIONS

logger = logging.getLogger(__name__)

DATABASE_ENV = "STAYMOBIL_DB"
DEFAULT_DATABASE = Path(__file__).resolve().parent.parent / "data" / "staymobil.duckdb"
# DuckDB would otherwise download extensions on demand, for example the SQLite
# scanner when pointed at a SQLite file; this app never sends anything out.
_OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def database_path() -> Path:
    """Return the database file: $STAYMOBIL_DB if set, else data/staymobil.duckdb."""
    configured = os.environ.get(DATABASE_ENV, "").strip()
    return Path(configured) if configured else DEFAULT_DATABASE


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file and apply pending migrations."""
    path = Path(path) if path is not None else database_path()
    logger.info("Opening database %s", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), config=_OFFLINE)
    except OSError as exc:
        raise DatabaseError(
            f"Folder for database file '{path}' cannot be created ({exc}). Set "
            f"{DATABASE_ENV} to a file in a writable folder."
        ) from None
    except duckdb.IOException as exc:
        # Match DuckDB's wording, not the bare word: the path may contain it.
        if "Could not set lock on file" in str(exc):
            raise DatabaseLockedError(
                f"Database file '{path}' is in use by another process ({exc}). "
                "Stop the other StayMobil app or program using it, or set "
                f"{DATABASE_ENV} to a different file, then start again."
            ) from None
        raise DatabaseError(
            f"Database file '{path}' cannot be opened ({exc}). {_likely_cause(path)} "
            f"Set {DATABASE_ENV} to a new or existing StayMobil database file."
        ) from None
    except duckdb.Error as exc:
        raise DatabaseError(
            f"File '{path}' is not a StayMobil database ({exc}). Set "
            f"{DATABASE_ENV} to a new or existing StayMobil database file."
        ) from None

    try:
        migrate(con, path)
    except BaseException:
        con.close()
        raise
    return con


def _likely_cause(path: Path) -> str:
    if path.is_dir():
        return "It is a folder, not a file."
    if path.exists():
        return "It is not a DuckDB database, or it is damaged or not readable."
    return "The file cannot be created there."


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a fresh cursor inside BEGIN; commit at the end, roll back on error."""
    cursor = con.cursor()
    cursor.begin()
    try:
        yield cursor
        cursor.commit()
    except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
        # Both mean another session wrote the same row first: a conflicting
        # update, or an insert of the same key that our checks had not seen.
        logger.warning("Write rolled back after a concurrent change: %s", exc)
        _rollback(cursor)
        raise ConcurrentChangeError(
            "Someone else changed the same item at the same moment. Nothing of "
            "this change was stored; reload the page and try again."
        ) from None
    except BaseException:
        _rollback(cursor)
        raise
    finally:
        cursor.close()


def _rollback(cursor: duckdb.DuckDBPyConnection) -> None:
    # After a failed COMMIT DuckDB has already ended the transaction.
    try:
        cursor.rollback()
    except duckdb.TransactionException:
        pass


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the highest applied migration number, 0 for an empty file."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'schema_version' AND table_schema = 'main'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute(
        "SELECT coalesce(max(version), 0) FROM schema_version"
    ).fetchone()[0]


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return (
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchone()[0]
        > 0
    )


def migrate(con: duckdb.DuckDBPyConnection, path: str | Path = "") -> list[int]:
    """Apply each migration not yet recorded, each in its own transaction.

    Returns the numbers applied. Raises `SchemaTooNewError` when the file
    records a migration this version of the app does not know.
    """
    current = schema_version(con)
    if current == 0 and _has_tables(con):
        raise DatabaseError(
            f"Database file '{path}' belongs to another program: it has tables but "
            "no StayMobil schema version. Set "
            f"{DATABASE_ENV} to a new or existing StayMobil database file. The file "
            "was not changed."
        )
    known = MIGRATIONS[-1].version
    if current > known:
        raise SchemaTooNewError(
            f"Database file '{path}' has schema version {current}, but this version "
            f"of StayMobil Self-Audit knows versions up to {known}. Update the app "
            "to the latest release, or open a different file. The file was not "
            "changed."
        )

    applied = []
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        with transaction(con) as cur:
            cur.execute(migration.sql)
            cur.execute(
                "INSERT INTO schema_version (version, description, applied_at) "
                "VALUES (?, ?, ?)",
                [migration.version, migration.description, now()],
            )
        logger.info(
            "Applied migration %s (%s)", migration.version, migration.description
        )
        applied.append(migration.version)
    return applied


def now() -> datetime:
    """Return the current UTC time without tzinfo, as TIMESTAMP columns store it."""
    return datetime.now(UTC).replace(tzinfo=None)
