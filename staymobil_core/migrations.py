"""Numbered schema migrations, applied once each in order.

Never edit a migration that has shipped: add a new one. Columns are declared
with their types; nothing is inferred from a DataFrame.

Foreign keys are checked in code rather than declared, because DuckDB rejects
deleting a child row and its parent row in the same transaction (its index on
the parent key still sees the child), which would make removing an
organisation with its audits impossible as one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str


_INITIAL_SCHEMA = """
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

-- The whole validated framework document, so that an audit can always be
-- scored against the exact version it was answered against, and the
-- database file carries everything it needs when moved.
CREATE TABLE frameworks (
    framework_id VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    content JSON NOT NULL,
    registered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (framework_id, version)
);

-- One row per indicator of each stored framework version, for SQL over many
-- audits (network views, benchmarks) without parsing the JSON document.
CREATE TABLE indicators (
    framework_id VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    phase_id VARCHAR NOT NULL,
    core_activity_id VARCHAR NOT NULL,
    dimension_id VARCHAR NOT NULL,
    weight DOUBLE NOT NULL,
    allow_na BOOLEAN NOT NULL,
    PRIMARY KEY (framework_id, version, indicator_id)
);

CREATE TABLE indicator_iso_subjects (
    framework_id VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    iso_subject_id VARCHAR NOT NULL,
    PRIMARY KEY (framework_id, version, indicator_id, iso_subject_id)
);

CREATE SEQUENCE organisation_ids START 1;

CREATE TABLE organisations (
    organisation_id INTEGER PRIMARY KEY DEFAULT nextval('organisation_ids'),
    name VARCHAR NOT NULL,
    -- Case- and space-folded name; two organisations may not share it.
    name_key VARCHAR NOT NULL UNIQUE,
    country VARCHAR NOT NULL,
    organisation_type VARCHAR NOT NULL,
    size VARCHAR NOT NULL,
    contact_person VARCHAR NOT NULL,
    contact_email VARCHAR NOT NULL,
    is_example BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE audit_ids START 1;

CREATE TABLE audits (
    audit_id INTEGER PRIMARY KEY DEFAULT nextval('audit_ids'),
    organisation_id INTEGER NOT NULL,
    framework_id VARCHAR NOT NULL,
    framework_version VARCHAR NOT NULL,
    -- The organisation type when the audit started; it decides which
    -- indicators apply even if the organisation's type changes later.
    actor_type VARCHAR NOT NULL,
    audit_date DATE NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('draft', 'complete')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);

CREATE INDEX audits_by_organisation ON audits (organisation_id);

CREATE SEQUENCE audit_member_ids START 1;

CREATE TABLE audit_members (
    member_id INTEGER PRIMARY KEY DEFAULT nextval('audit_member_ids'),
    audit_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('lead', 'member')),
    department VARCHAR NOT NULL
);

-- The answer the scores use. A row with a NULL answer_code keeps a comment
-- or evidence for an indicator that is still open.
CREATE TABLE answers (
    audit_id INTEGER NOT NULL,
    indicator_id VARCHAR NOT NULL,
    answer_code VARCHAR,
    answer_value DOUBLE CHECK (answer_value BETWEEN 0 AND 1),
    comment VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (audit_id, indicator_id)
);
"""

MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial schema", _INITIAL_SCHEMA),)
