"""Storage on real DuckDB files: schema, organisations, audits, answers,
stored frameworks and the example data."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import sqlite3
import subprocess
import sys

import duckdb
import pytest
import yaml

from staymobil_core.answers import read_answers, save_answer, save_notes
from staymobil_core.audits import (
    Audit,
    TeamMember,
    complete_audit,
    delete_audit,
    get_audit,
    list_audits,
    previous_audit,
    reopen_audit,
    start_audit,
    update_team,
)
from staymobil_core.database import (
    DEFAULT_DATABASE,
    connect,
    database_path,
    migrate,
    now,
    schema_version,
    transaction,
)
from staymobil_core.errors import (
    AuditLockedError,
    ConcurrentChangeError,
    DatabaseError,
    DatabaseLockedError,
    DuplicateOrganisationError,
    FrameworkError,
    InvalidInputError,
    NotFoundError,
    SchemaTooNewError,
)
from staymobil_core.example import OPEN_IN_LATEST, load_example, remove_example
from staymobil_core.framework import load_framework, parse_framework
from staymobil_core.framework_store import register_framework, stored_framework
from staymobil_core.organisations import (
    Organisation,
    OrganisationDetails,
    create_organisation,
    delete_organisation,
    get_organisation,
    insert_organisation,
    list_organisations,
    update_organisation,
)
from staymobil_core.results import audit_results

TABLES = [
    "answers",
    "audit_members",
    "audits",
    "frameworks",
    "indicator_iso_subjects",
    "indicators",
    "organisations",
    "schema_version",
]

# Opens the database file given as argv[1] and keeps it open (and locked)
# until the test kills the process.
HOLD_FILE_OPEN = (
    "import duckdb,time,sys; c=duckdb.connect(sys.argv[1]); "
    'print("ready", flush=True); time.sleep(60)'
)


def lakeside(**changes) -> OrganisationDetails:
    details = OrganisationDetails(
        name="Lakeside Training Centre",
        country="Finland",
        organisation_type="receiving",
        size="medium (50-249 staff)",
        contact_person="Aino Virtanen",
        contact_email="aino@example.org",
    )
    return dataclasses.replace(details, **changes)


def count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def table_counts(con) -> dict[str, int]:
    return {table: count(con, table) for table in TABLES}


def table_names(con) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return [row[0] for row in rows]


def read_only_snapshot(path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as raw:
        return {
            "schema_version": raw.execute(
                "SELECT * FROM schema_version ORDER BY version"
            ).fetchall(),
            "organisations": raw.execute(
                "SELECT * FROM organisations ORDER BY organisation_id"
            ).fetchall(),
        }


def write_junk(path) -> None:
    path.write_bytes(b"\x00\xffthis is not a DuckDB file\n" * 300)


# --- Opening the file and migrations ------------------------------------


def test_connect_creates_file_with_schema(db_path):
    assert not db_path.exists()

    con = connect(db_path)
    try:
        rows = con.execute("SELECT version, description FROM schema_version").fetchall()
        version = schema_version(con)
        tables = table_names(con)
    finally:
        con.close()

    assert db_path.exists()
    assert rows == [(1, "initial schema")]
    assert version == 1
    assert tables == TABLES


def test_reconnect_applies_no_migration(db_path):
    first = connect(db_path)
    before = first.execute("SELECT * FROM schema_version ORDER BY version").fetchall()
    first.close()

    second = connect(db_path)
    try:
        after = second.execute(
            "SELECT * FROM schema_version ORDER BY version"
        ).fetchall()
    finally:
        second.close()

    assert after == before


def test_migrate_twice_applies_nothing(db_path):
    with duckdb.connect(str(db_path)) as raw:
        first = migrate(raw, db_path)
        second = migrate(raw, db_path)

    assert first == [1]
    assert second == []


def test_answers_survive_reopen(con, db_path, audit_id):
    save_answer(con, audit_id, "P1", "yes")
    save_answer(con, audit_id, "P2", "partly")
    save_answer(con, audit_id, "P3", "na")
    save_notes(con, audit_id, "L1", "Template agreed.", "https://example.org/plan")
    before = read_answers(con, audit_id)
    con.close()

    reopened = connect(db_path)
    try:
        after = read_answers(reopened, audit_id)
    finally:
        reopened.close()

    assert after == before
    assert sorted(after) == ["L1", "P1", "P2", "P3"]


def test_newer_schema_rejected_unchanged(db_path):
    con = connect(db_path)
    create_organisation(con, lakeside())
    con.execute(
        "INSERT INTO schema_version (version, description, applied_at) "
        "VALUES (999, 'from a newer app', ?)",
        [now()],
    )
    con.close()
    before = read_only_snapshot(db_path)

    with pytest.raises(SchemaTooNewError) as excinfo:
        connect(db_path)

    assert "999" in str(excinfo.value)
    assert str(db_path) in str(excinfo.value)
    assert read_only_snapshot(db_path) == before


def test_file_held_elsewhere_raises_locked(db_path):
    command = [sys.executable, "-c", HOLD_FILE_OPEN, str(db_path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout.readline().strip() == "ready"
            with pytest.raises(DatabaseLockedError) as excinfo:
                connect(db_path)
        finally:
            holder.kill()

    assert str(db_path) in str(excinfo.value)
    assert "STAYMOBIL_DB" in str(excinfo.value)


def test_junk_file_raises_database_error(tmp_path):
    path = tmp_path / "junk.duckdb"
    write_junk(path)

    with pytest.raises(DatabaseError) as excinfo:
        connect(path)

    assert excinfo.type is DatabaseError
    assert str(path) in str(excinfo.value)


def test_junk_file_named_padlock_not_locked(tmp_path):
    # connect() reports a lock when DuckDB's message contains "lock". That
    # message quotes the path, so a damaged file whose path contains "lock"
    # (padlock, block, clock) must still not be reported as in use.
    path = tmp_path / "padlock.duckdb"
    write_junk(path)

    with pytest.raises(DatabaseError) as excinfo:
        connect(path)

    assert excinfo.type is DatabaseError


def test_path_below_file_raises_database_error(tmp_path):
    # The pages show only StayMobilError messages, so creating the parent
    # folder must not leak FileExistsError or NotADirectoryError.
    (tmp_path / "plain.txt").write_text("a file, not a folder", encoding="utf-8")

    with pytest.raises(DatabaseError):
        connect(tmp_path / "plain.txt" / "audit.duckdb")


def test_database_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("STAYMOBIL_DB", str(tmp_path / "elsewhere.duckdb"))

    assert database_path() == tmp_path / "elsewhere.duckdb"


@pytest.mark.parametrize("value", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_database_path_default_without_env(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("STAYMOBIL_DB", raising=False)
    else:
        monkeypatch.setenv("STAYMOBIL_DB", value)

    assert database_path() == DEFAULT_DATABASE


def test_connect_without_path_uses_env(monkeypatch, tmp_path):
    target = tmp_path / "from-env.duckdb"
    monkeypatch.setenv("STAYMOBIL_DB", str(target))

    connect().close()

    assert target.exists()


# --- Transactions ----------------------------------------------------------


class AbortTransaction(Exception):
    pass


def test_failed_transaction_stores_nothing(con):
    with pytest.raises(AbortTransaction):
        with transaction(con) as cur:
            insert_organisation(cur, lakeside(), is_example=False)
            inside = count(cur, "organisations")
            raise AbortTransaction

    assert inside == 1
    assert count(con, "organisations") == 0


# --- Organisations -------------------------------------------------------


def test_create_and_get_organisation(con):
    new_id = create_organisation(con, lakeside(name="  Lakeside   Training Centre "))

    assert get_organisation(con, new_id) == Organisation(
        organisation_id=new_id,
        name="Lakeside Training Centre",
        country="Finland",
        organisation_type="receiving",
        size="medium (50-249 staff)",
        contact_person="Aino Virtanen",
        contact_email="aino@example.org",
        is_example=False,
    )


def test_list_organisations_by_name(con, organisation_id):
    create_organisation(con, lakeside(name="beta College"))
    create_organisation(con, lakeside(name="Alpha School"))

    names = [o.name for o in list_organisations(con)]

    assert names == ["Alpha School", "beta College", "Harbour VET School"]


def test_update_organisation_stores_details(con, organisation_id):
    changed = lakeside(
        name="Harbour Vocational School",
        country="Spain",
        organisation_type="intermediary",
        contact_email="",
    )

    update_organisation(con, organisation_id, changed)

    assert get_organisation(con, organisation_id) == Organisation(
        organisation_id=organisation_id,
        name="Harbour Vocational School",
        country="Spain",
        organisation_type="intermediary",
        size="medium (50-249 staff)",
        contact_person="Aino Virtanen",
        contact_email="",
        is_example=False,
    )


def test_update_own_name_case_allowed(con, organisation_id):
    details = lakeside(name="HARBOUR VET SCHOOL", organisation_type="sending")

    update_organisation(con, organisation_id, details)

    assert get_organisation(con, organisation_id).name == "HARBOUR VET SCHOOL"


def test_unknown_organisation_not_found(con):
    with pytest.raises(NotFoundError) as excinfo:
        get_organisation(con, 4242)

    assert "4242" in str(excinfo.value)


@pytest.mark.parametrize("name", ["", "  \t "], ids=["empty", "whitespace"])
def test_blank_organisation_name_rejected(con, name):
    with pytest.raises(InvalidInputError) as excinfo:
        create_organisation(con, lakeside(name=name))

    assert "name is empty" in str(excinfo.value)
    assert count(con, "organisations") == 0


def test_duplicate_organisation_name_rejected(con, organisation_id):
    with pytest.raises(DuplicateOrganisationError) as excinfo:
        create_organisation(con, lakeside(name="  harbour   VET school "))

    assert "'Harbour VET School'" in str(excinfo.value)
    assert count(con, "organisations") == 1


def test_update_to_taken_name_rejected(con, organisation_id):
    other_id = create_organisation(con, lakeside())
    before = get_organisation(con, other_id)

    with pytest.raises(DuplicateOrganisationError) as excinfo:
        update_organisation(con, other_id, lakeside(name="harbour vet school"))

    assert "'Harbour VET School'" in str(excinfo.value)
    assert get_organisation(con, other_id) == before


def test_unknown_organisation_type_rejected(con):
    with pytest.raises(InvalidInputError) as excinfo:
        create_organisation(con, lakeside(organisation_type="sponsor"))

    assert "'sponsor'" in str(excinfo.value)
    assert "sending, receiving, intermediary" in str(excinfo.value)
    assert count(con, "organisations") == 0


@pytest.mark.parametrize(
    "email",
    ["aino.example.org", "aino@example", "aino@@example.org", "aino @example.org"],
    ids=["no-at", "no-dot-in-domain", "two-ats", "space"],
)
def test_invalid_email_rejected(con, email):
    with pytest.raises(InvalidInputError) as excinfo:
        create_organisation(con, lakeside(contact_email=email))

    assert f"'{email}'" in str(excinfo.value)
    assert count(con, "organisations") == 0


def test_delete_organisation_removes_its_rows(
    con, organisation_id, audit_id, small_framework
):
    save_answer(con, audit_id, "P1", "yes")
    save_answer(con, audit_id, "P2", "no")
    other_id = create_organisation(con, lakeside())
    other_audit = start_audit(
        con, other_id, small_framework, dt.date(2026, 4, 1), TeamMember("Aino")
    )
    save_answer(con, other_audit, "I2", "partly")

    delete_organisation(con, organisation_id)

    # Only the other organisation's audit, its lead and its answer remain.
    # The registered framework (6 indicators, 7 ISO subject tags) stays.
    assert table_counts(con) == {
        "answers": 1,
        "audit_members": 1,
        "audits": 1,
        "frameworks": 1,
        "indicator_iso_subjects": 7,
        "indicators": 6,
        "organisations": 1,
        "schema_version": 1,
    }
    assert [o.organisation_id for o in list_organisations(con)] == [other_id]


# --- Audits ----------------------------------------------------------------


def test_start_audit_records_team_and_framework(con, organisation_id, small_framework):
    register_framework(con, small_framework)
    members = [
        TeamMember("João Lima", "International office"),
        TeamMember("   ", ""),
        TeamMember("", "Finance"),
    ]

    new_id = start_audit(
        con,
        organisation_id,
        small_framework,
        dt.date(2026, 5, 4),
        TeamMember("  Rita   Sousa ", "Quality"),
        members,
    )

    assert get_audit(con, new_id) == Audit(
        audit_id=new_id,
        organisation_id=organisation_id,
        framework_id="small",
        framework_version="1",
        actor_type="sending",
        audit_date=dt.date(2026, 5, 4),
        status="draft",
        completed_at=None,
        lead=TeamMember("Rita Sousa", "Quality"),
        members=(TeamMember("João Lima", "International office"),),
    )


def test_audit_keeps_actor_type_at_start(con, organisation_id, audit_id):
    details = lakeside(name="Harbour VET School", organisation_type="receiving")

    update_organisation(con, organisation_id, details)

    assert get_audit(con, audit_id).actor_type == "sending"


@pytest.mark.parametrize("lead", ["", "   "], ids=["empty", "whitespace"])
def test_empty_audit_lead_rejected(con, organisation_id, small_framework, lead):
    register_framework(con, small_framework)

    with pytest.raises(InvalidInputError) as excinfo:
        start_audit(
            con,
            organisation_id,
            small_framework,
            dt.date(2026, 5, 4),
            TeamMember(lead, "Quality"),
            [TeamMember("João Lima")],
        )

    assert "lead is empty" in str(excinfo.value)
    assert count(con, "audits") == 0
    assert count(con, "audit_members") == 0


def test_complete_audit_rejects_answers(con, audit_id):
    save_answer(con, audit_id, "P1", "yes")
    complete_audit(con, audit_id)
    before = read_answers(con, audit_id)

    with pytest.raises(AuditLockedError) as excinfo:
        save_answer(con, audit_id, "P1", "no")

    assert "Reopen" in str(excinfo.value)
    assert read_answers(con, audit_id) == before


def test_complete_audit_records_completion(con, audit_id):
    complete_audit(con, audit_id)

    audit = get_audit(con, audit_id)
    assert audit.status == "complete"
    assert audit.completed_at is not None


@pytest.mark.parametrize(
    "write",
    [
        lambda con, audit_id: save_notes(con, audit_id, "P1", "Late note.", ""),
        lambda con, audit_id: update_team(con, audit_id, TeamMember("New lead"), []),
        lambda con, audit_id: delete_audit(con, audit_id),
    ],
    ids=["save_notes", "update_team", "delete_audit"],
)
def test_complete_audit_rejects_changes(con, audit_id, write):
    complete_audit(con, audit_id)
    before = (get_audit(con, audit_id), read_answers(con, audit_id))

    with pytest.raises(AuditLockedError):
        write(con, audit_id)

    assert (get_audit(con, audit_id), read_answers(con, audit_id)) == before


def test_reopened_audit_accepts_answers(con, audit_id):
    save_answer(con, audit_id, "P1", "yes")
    complete_audit(con, audit_id)

    reopen_audit(con, audit_id)
    save_answer(con, audit_id, "P1", "no")

    audit = get_audit(con, audit_id)
    assert read_answers(con, audit_id)["P1"].code == "no"
    assert audit.status == "draft"
    assert audit.completed_at is None


def test_previous_audit_by_date(con, organisation_id, small_framework):
    register_framework(con, small_framework)
    lead = TeamMember("Rita Sousa")
    # Started out of date order, to show that the date decides.
    ids = {
        year: start_audit(
            con, organisation_id, small_framework, dt.date(year, 3, 1), lead
        )
        for year in (2026, 2024, 2025)
    }
    other_id = create_organisation(con, lakeside())
    start_audit(con, other_id, small_framework, dt.date(2025, 12, 1), lead)

    previous = {
        year: previous_audit(con, get_audit(con, audit_id))
        for year, audit_id in ids.items()
    }

    assert {
        year: audit.audit_id if audit else None for year, audit in previous.items()
    } == {2024: None, 2025: ids[2024], 2026: ids[2025]}


def test_delete_draft_audit_removes_rows(con, audit_id):
    save_answer(con, audit_id, "P1", "yes")

    delete_audit(con, audit_id)

    assert count(con, "audits") == 0
    assert count(con, "audit_members") == 0
    assert count(con, "answers") == 0


# --- Answers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value"),
    [("yes", 1.0), ("partly", 0.5), ("no", 0.0)],
    ids=["yes", "partly", "no"],
)
def test_save_answer_stores_code_and_value(con, audit_id, code, value):
    save_answer(con, audit_id, "P1", code)

    stored = read_answers(con, audit_id)["P1"]
    assert (stored.code, stored.value, stored.comment, stored.evidence) == (
        code,
        value,
        "",
        "",
    )


@pytest.mark.parametrize(
    "code",
    ["maybe", "1", "", "YES"],
    ids=["maybe", "digit-1", "empty", "upper-case-yes"],
)
def test_answer_code_off_scale_rejected(con, audit_id, code):
    save_answer(con, audit_id, "P1", "partly")

    with pytest.raises(InvalidInputError) as excinfo:
        save_answer(con, audit_id, "P1", code)

    message = str(excinfo.value)
    assert f"Answer {code!r}" in message
    for allowed in ("'yes'", "'partly'", "'no'", "'na'"):
        assert allowed in message
    assert read_answers(con, audit_id)["P1"].code == "partly"


def test_na_without_allow_na_rejected(con, audit_id):
    with pytest.raises(InvalidInputError) as excinfo:
        save_answer(con, audit_id, "P1", "na")

    assert "P1" in str(excinfo.value)
    assert read_answers(con, audit_id) == {}


def test_na_with_allow_na_stored(con, audit_id):
    save_answer(con, audit_id, "P3", "na")

    stored = read_answers(con, audit_id)["P3"]
    assert (stored.code, stored.value) == ("na", None)


def test_unknown_indicator_rejected(con, audit_id):
    with pytest.raises(InvalidInputError) as excinfo:
        save_answer(con, audit_id, "Z9", "yes")

    assert "'Z9'" in str(excinfo.value)
    assert read_answers(con, audit_id) == {}


def test_indicator_for_other_actor_rejected(con, audit_id):
    # I2 applies only to receiving organisations, and the audit is of a sender.
    with pytest.raises(InvalidInputError) as excinfo:
        save_answer(con, audit_id, "I2", "yes")

    assert "'I2'" in str(excinfo.value)
    assert "sending" in str(excinfo.value)
    assert read_answers(con, audit_id) == {}


def test_notes_and_answer_saved_separately(con, audit_id):
    save_answer(con, audit_id, "P1", "partly")
    save_notes(con, audit_id, "P1", " Only some learners. ", "https://example.org/p")
    after_notes = read_answers(con, audit_id)["P1"]
    save_answer(con, audit_id, "P1", "yes")
    after_answer = read_answers(con, audit_id)["P1"]

    assert (after_notes.code, after_notes.comment, after_notes.evidence) == (
        "partly",
        "Only some learners.",
        "https://example.org/p",
    )
    assert (after_answer.code, after_answer.comment, after_answer.evidence) == (
        "yes",
        "Only some learners.",
        "https://example.org/p",
    )


def test_notes_on_open_indicator_stay_open(con, audit_id):
    save_notes(con, audit_id, "L1", "Draft plan only.", "")

    stored = read_answers(con, audit_id)["L1"]
    assert (stored.code, stored.value, stored.comment) == (
        None,
        None,
        "Draft plan only.",
    )


def test_none_answer_reopens_indicator(con, audit_id):
    save_answer(con, audit_id, "P1", "yes")

    save_answer(con, audit_id, "P1", None)

    stored = read_answers(con, audit_id)["P1"]
    assert (stored.code, stored.value) == (None, None)


@pytest.mark.parametrize("field", ["comment", "evidence"])
def test_note_over_5000_chars_rejected(con, audit_id, field):
    notes = {"comment": "", "evidence": ""}
    notes[field] = "x" * 5001

    with pytest.raises(InvalidInputError) as excinfo:
        save_notes(con, audit_id, "P1", **notes)

    assert "5001" in str(excinfo.value)
    assert field in str(excinfo.value)
    assert read_answers(con, audit_id) == {}


def test_note_of_5000_chars_stored(con, audit_id):
    save_notes(con, audit_id, "P1", "x" * 5000, "")

    assert read_answers(con, audit_id)["P1"].comment == "x" * 5000


# --- Framework store -------------------------------------------------------


def test_register_framework_only_once(con, small_framework):
    first = register_framework(con, small_framework)
    second = register_framework(con, small_framework)

    assert first is True
    assert second is False
    assert count(con, "frameworks") == 1


def test_changed_framework_same_version_rejected(con, small_framework, small_document):
    register_framework(con, small_framework)
    before = con.execute("SELECT content_sha256, content FROM frameworks").fetchall()
    # A copy, because small_framework keeps a reference to small_document.
    reworded = copy.deepcopy(small_document)
    reworded["indicators"][0]["statement"] = "Reworded preparation."
    changed = parse_framework(reworded, source="small.yaml")

    with pytest.raises(FrameworkError) as excinfo:
        register_framework(con, changed)

    after = con.execute("SELECT content_sha256, content FROM frameworks").fetchall()
    assert "'small' version '1'" in str(excinfo.value)
    assert after == before
    assert stored_framework(con, "small", "1").indicator("P1").statement == (
        "Preparation one."
    )


def test_stored_framework_equals_registered(con, small_framework):
    register_framework(con, small_framework)

    stored = stored_framework(con, "small", "1")

    assert stored.indicators == small_framework.indicators
    assert stored == small_framework


def test_unknown_framework_version_not_found(con, small_framework):
    register_framework(con, small_framework)

    with pytest.raises(NotFoundError) as excinfo:
        stored_framework(con, "small", "9")

    assert "'small' version '9'" in str(excinfo.value)


def test_framework_with_yaml_date_registers(con, tmp_path, small_document):
    # An unquoted date in a framework file reaches the document as
    # datetime.date, which the content hash's json.dumps cannot encode.
    text = yaml.safe_dump(small_document) + "published: 2026-01-15\n"
    path = tmp_path / "dated.yaml"
    path.write_text(text, encoding="utf-8")
    framework = load_framework(path)

    assert register_framework(con, framework) is True


# --- Example data ----------------------------------------------------------


def example_answer_rows(con) -> list[tuple]:
    """Return the example's answers by audit date, without ids or timestamps."""
    return con.execute(
        "SELECT a.audit_date, x.indicator_id, x.answer_code, x.answer_value, "
        "x.comment, x.evidence FROM answers x JOIN audits a USING (audit_id) "
        "JOIN organisations o USING (organisation_id) WHERE o.is_example "
        "ORDER BY a.audit_date, x.indicator_id"
    ).fetchall()


def example_ids(con) -> list[int]:
    return [o.organisation_id for o in list_organisations(con) if o.is_example]


def test_load_example_creates_three_audits(con, bundled_framework):
    example_id = load_example(con, bundled_framework)

    audits = list_audits(con, example_id)
    open_counts = [
        audit_results(con, a.audit_id).scores.total.coverage.open for a in audits
    ]
    assert example_ids(con) == [example_id]
    assert [a.audit_date.year for a in audits] == [2024, 2025, 2026]
    assert [a.status for a in audits] == ["complete", "complete", "draft"]
    assert open_counts == [0, 0, OPEN_IN_LATEST]


def test_load_example_twice_same_answers(con, bundled_framework):
    load_example(con, bundled_framework)
    first = example_answer_rows(con)

    second_id = load_example(con, bundled_framework)
    second = example_answer_rows(con)

    assert len(first) > 0
    assert second == first
    assert example_ids(con) == [second_id]


def test_remove_example_keeps_other_organisation(
    con, organisation_id, audit_id, bundled_framework
):
    save_answer(con, audit_id, "P1", "yes")
    before = {
        "organisation": get_organisation(con, organisation_id),
        "audit": get_audit(con, audit_id),
        "answers": read_answers(con, audit_id),
    }
    load_example(con, bundled_framework)
    counts_with_example = table_counts(con)

    removed = remove_example(con)

    after = {
        "organisation": get_organisation(con, organisation_id),
        "audit": get_audit(con, audit_id),
        "answers": read_answers(con, audit_id),
    }
    # The bundled framework stays registered. Only the example's rows go.
    assert removed is True
    assert table_counts(con) == {
        **counts_with_example,
        "organisations": 1,
        "audits": 1,
        "audit_members": 2,
        "answers": 1,
    }
    assert after == before
    assert example_ids(con) == []


def test_remove_example_without_example(con):
    assert remove_example(con) is False


def test_example_total_rises_each_year(con, bundled_framework):
    example_id = load_example(con, bundled_framework)

    totals = [
        audit_results(con, a.audit_id).scores.total.score
        for a in list_audits(con, example_id)
    ]

    assert totals[0] < totals[1] < totals[2]


def test_concurrent_change_rolls_back_second(con, audit_id):
    save_answer(con, audit_id, "P1", "yes")
    upsert = (
        "INSERT INTO answers (audit_id, indicator_id, answer_code, answer_value, "
        "comment, evidence, updated_at) VALUES (?, 'P1', ?, ?, '', '', now()) "
        "ON CONFLICT (audit_id, indicator_id) DO UPDATE SET "
        "answer_code = excluded.answer_code, answer_value = excluded.answer_value"
    )

    with pytest.raises(ConcurrentChangeError, match="reload the page"):
        with transaction(con) as first:
            first.execute(upsert, [audit_id, "no", 0.0])
            with transaction(con) as second:
                second.execute(upsert, [audit_id, "partly", 0.5])

    assert read_answers(con, audit_id)["P1"].code == "yes"


def test_saving_evidence_keeps_comment(con, audit_id):
    save_notes(con, audit_id, "P1", comment="Seen the agreements.")
    save_notes(con, audit_id, "P1", evidence="https://intranet/agreements.pdf")

    stored = read_answers(con, audit_id)["P1"]
    assert stored.comment == "Seen the agreements."
    assert stored.evidence == "https://intranet/agreements.pdf"


@pytest.mark.parametrize(
    "name",
    ["\u200b\u200b", "\x00", "\u202e \t"],
    ids=["zero-width-spaces", "nul", "direction-override"],
)
def test_invisible_name_rejected(con, name):
    details = OrganisationDetails(name, "Malta", "sending", "small")

    with pytest.raises(InvalidInputError, match="name is empty"):
        create_organisation(con, details)

    assert list_organisations(con) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Acme VET", "Acme\u200b VET"),
        ("\u00c1cme VET", "A\u0301cme VET"),
        ("ACME VET", "acme vet"),
    ],
    ids=["zero-width-space", "combining-accent", "case"],
)
def test_lookalike_name_is_duplicate(con, first, second):
    create_organisation(con, OrganisationDetails(first, "Malta", "sending", "small"))

    with pytest.raises(DuplicateOrganisationError):
        create_organisation(
            con, OrganisationDetails(second, "Malta", "sending", "small")
        )

    assert len(list_organisations(con)) == 1


def test_email_with_empty_label_rejected(con):
    details = OrganisationDetails(
        "Acme VET", "Malta", "sending", "small", contact_email="a@b..c"
    )

    with pytest.raises(InvalidInputError, match="'a@b..c' is not an e-mail"):
        create_organisation(con, details)


def test_sqlite_file_is_not_a_database(tmp_path):
    path = tmp_path / "other.sqlite"
    sqlite = sqlite3.connect(path)
    sqlite.execute("CREATE TABLE t (a INTEGER)")
    sqlite.commit()
    sqlite.close()
    before = path.read_bytes()

    with pytest.raises(DatabaseError, match="not a DuckDB database"):
        connect(path)

    assert path.read_bytes() == before


def test_folder_is_not_a_database(tmp_path):
    with pytest.raises(DatabaseError, match="It is a folder"):
        connect(tmp_path)


def test_concurrent_first_insert_rolls_back(con, audit_id):
    insert = (
        "INSERT INTO answers (audit_id, indicator_id, answer_code, answer_value, "
        "comment, evidence, updated_at) VALUES (?, 'L1', ?, ?, '', '', now()) "
        "ON CONFLICT (audit_id, indicator_id) DO UPDATE SET "
        "answer_code = excluded.answer_code"
    )

    # The inner transaction commits first; the outer one then fails on commit.
    with pytest.raises(ConcurrentChangeError):
        with transaction(con) as later:
            later.execute(insert, [audit_id, "partly", 0.5])
            with transaction(con) as earlier:
                earlier.execute(insert, [audit_id, "no", 0.0])

    assert read_answers(con, audit_id)["L1"].code == "no"


@pytest.mark.parametrize(
    "audit_date",
    [dt.date(1990, 6, 1), dt.date(2101, 1, 1)],
    ids=["before-2000", "after-2100"],
)
def test_audit_date_out_of_range_rejected(
    con, small_framework, organisation_id, audit_date
):
    register_framework(con, small_framework)

    with pytest.raises(InvalidInputError, match=audit_date.isoformat()):
        start_audit(
            con, organisation_id, small_framework, audit_date, TeamMember("Lead")
        )

    assert list_audits(con, organisation_id) == []
