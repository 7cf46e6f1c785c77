"""Shared fixtures: a fresh database file per test and a small framework."""

from __future__ import annotations

import copy
import datetime as dt
import logging

import pytest

from staymobil_core.audits import TeamMember, start_audit
from staymobil_core.database import connect
from staymobil_core.framework import load_bundled_framework, parse_framework
from staymobil_core.framework_store import register_framework
from staymobil_core.organisations import OrganisationDetails, create_organisation

# Two phases, three core activities, six indicators: enough to exercise every
# scoring rule while a reader can still check the expected numbers by hand.
SMALL_FRAMEWORK = {
    "id": "small",
    "version": "1",
    "title": "Small test framework",
    "answer_scale": [
        {"code": "yes", "label": "Yes", "value": 1.0},
        {"code": "partly", "label": "Partly", "value": 0.5},
        {"code": "no", "label": "No", "value": 0.0},
        {"code": "na", "label": "Not applicable", "value": None},
    ],
    "bands": [
        {"code": "initial", "label": "Initial", "min_score": 0},
        {"code": "developing", "label": "Developing", "min_score": 50},
        {"code": "established", "label": "Established", "min_score": 75},
        {"code": "advanced", "label": "Advanced", "min_score": 90},
    ],
    "actor_types": [
        {"id": "sending", "name": "Sending"},
        {"id": "receiving", "name": "Receiving"},
        {"id": "intermediary", "name": "Intermediary"},
    ],
    "phases": [
        {
            "id": "plan",
            "name": "Planning",
            "when": "before",
            "core_activities": [
                {"id": "prep", "name": "Preparation"},
                {"id": "plan-doc", "name": "Learning plan"},
            ],
        },
        {
            "id": "review",
            "name": "Review",
            "core_activities": [{"id": "impact", "name": "Impact"}],
        },
    ],
    "iso_subjects": [
        {"id": "governance", "clause": "6.2", "name": "Organisational governance"},
        {"id": "environment", "clause": "6.5", "name": "The environment"},
    ],
    "dimensions": [
        {"id": "social", "name": "Social cohesion"},
        {"id": "green", "name": "Environmental responsibility"},
    ],
    "eqavet_indicators": [
        {"id": 1, "name": "Relevance"},
        {"id": 3, "name": "Participation"},
    ],
    "charter_principles": [{"id": 2, "name": "Learning plan"}],
    "sources": [
        {"id": "charter", "name": "Quality Charter", "purpose": "Principles."},
        {"id": "eqavet", "name": "EQAVET", "purpose": "Quality cycle."},
        {"id": "iso26000", "name": "ISO 26000", "purpose": "Social responsibility."},
        {"id": "ecvet", "name": "ECVET", "purpose": "Credits."},
    ],
    "indicators": [
        {
            "id": "P1",
            "core_activity": "prep",
            "statement": "Preparation one.",
            "iso_subjects": ["governance"],
            "dimension": "social",
            "eqavet": [1],
            "charter": [],
            "sources": [],
            "actors": ["sending", "receiving", "intermediary"],
        },
        {
            "id": "P2",
            "core_activity": "prep",
            "statement": "Preparation two, weighted double.",
            "iso_subjects": ["governance", "environment"],
            "dimension": "green",
            "actors": ["sending", "intermediary"],
            "weight": 2,
        },
        {
            "id": "P3",
            "core_activity": "prep",
            "statement": "Preparation three, may not apply.",
            "iso_subjects": ["governance"],
            "dimension": "social",
            "actors": ["sending", "receiving", "intermediary"],
            "allow_na": True,
        },
        {
            "id": "L1",
            "core_activity": "plan-doc",
            "statement": "Learning plan one.",
            "iso_subjects": ["governance"],
            "dimension": "social",
            "charter": [2],
            "sources": ["ecvet"],
            "actors": ["sending", "receiving", "intermediary"],
        },
        {
            "id": "I1",
            "core_activity": "impact",
            "statement": "Impact one.",
            "iso_subjects": ["environment"],
            "dimension": "green",
            "eqavet": [3],
            "actors": ["sending", "receiving", "intermediary"],
        },
        {
            "id": "I2",
            "core_activity": "impact",
            "statement": "Impact two, receiving only.",
            "iso_subjects": ["governance"],
            "dimension": "social",
            "actors": ["receiving"],
        },
    ],
}


@pytest.fixture(autouse=True)
def _quiet_logs(caplog):
    caplog.set_level(logging.INFO)


@pytest.fixture
def small_document() -> dict:
    return copy.deepcopy(SMALL_FRAMEWORK)


@pytest.fixture
def small_framework(small_document):
    return parse_framework(small_document, source="small.yaml")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "audit.duckdb"


@pytest.fixture
def con(db_path):
    connection = connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def organisation_id(con) -> int:
    details = OrganisationDetails(
        name="Harbour VET School",
        country="Portugal",
        organisation_type="sending",
        size="small (10-49 staff)",
        contact_person="Rita Sousa",
    )
    return create_organisation(con, details)


@pytest.fixture
def audit_id(con, small_framework, organisation_id) -> int:
    register_framework(con, small_framework)
    return start_audit(
        con,
        organisation_id,
        small_framework,
        dt.date(2026, 3, 1),
        TeamMember("Rita Sousa", "Quality"),
        [TeamMember("João Lima", "International office")],
    )


@pytest.fixture(scope="session")
def bundled_framework():
    """The framework shipped in data/frameworks, parsed once per test run."""
    return load_bundled_framework()
