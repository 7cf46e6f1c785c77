"""Every page through Streamlit's AppTest, against a real temporary database."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui
from staymobil_core import framework as framework_module
from staymobil_core.answers import read_answers, save_answer, save_notes
from staymobil_core.audits import TeamMember, list_audits, start_audit
from staymobil_core.database import DATABASE_ENV, connect
from staymobil_core.example import example_organisation_id, load_example
from staymobil_core.framework import load_bundled_framework
from staymobil_core.organisations import (
    OrganisationDetails,
    create_organisation,
    list_organisations,
)
from staymobil_core.results import audit_results

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [
    "app_pages/home.py",
    "app_pages/organisation.py",
    "app_pages/audit.py",
    "app_pages/results.py",
    "app_pages/sourcebook.py",
]
TIMEOUT = 30
HOLD_LOCK = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n"
)


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """Point the app at a fresh database file; drop the cached connection."""
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv(DATABASE_ENV, str(path))
    ui.connection.clear()
    st.cache_data.clear()
    yield path
    ui.connection.clear()
    st.cache_data.clear()


@pytest.fixture
def core(app_db):
    """The app's own connection, so tests and pages share one DuckDB handle."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    return ui.connection()


def open_page(page: str, **state) -> AppTest:
    # The tests write through the core package, not through the pages, so
    # the pages' cached reads must be dropped as a page write would.
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page).run()
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error]
    parts += [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES, ids=[Path(p).stem for p in PAGES])
def test_page_runs_on_empty_database(app_db, page):
    at = open_page(page)
    assert not at.exception


@pytest.mark.parametrize("page", PAGES, ids=[Path(p).stem for p in PAGES])
def test_page_runs_with_example_data(core, page):
    organisation_id = load_example(core, load_bundled_framework())
    audit_id = list_audits(core, organisation_id)[-1].audit_id
    at = open_page(page, organisation_id=organisation_id, audit_id=audit_id)
    assert not at.exception


def test_home_loads_and_removes_example(core):
    at = open_page("app_pages/home.py")
    load = next(b for b in at.button if b.label == "Load example organisation")
    load.click().run()
    assert not at.exception
    assert example_organisation_id(core) is not None

    remove = next(b for b in at.button if b.label == "Remove example organisation")
    remove.click().run()
    assert example_organisation_id(core) is None


def fill_registration(at: AppTest, name: str) -> None:
    at.text_input[0].input(name)
    country = next(s for s in at.selectbox if s.label == "Country")
    country.select("Austria")
    size = next(s for s in at.selectbox if s.label == "Size")
    size.select("small (10-49 staff)")
    register = next(b for b in at.button if b.label == "Register organisation")
    register.click().run()


def test_registering_stores_organisation(core):
    at = open_page("app_pages/organisation.py")
    fill_registration(at, "Alpine Training Centre")
    assert not at.exception
    names = [o.name for o in list_organisations(core)]
    assert names == ["Alpine Training Centre"]


def test_empty_name_is_rejected(core):
    at = open_page("app_pages/organisation.py")
    fill_registration(at, "   ")
    assert "Organisation name is empty" in texts(at)
    assert list_organisations(core) == []


def test_duplicate_name_is_rejected(core):
    create_organisation(
        core, OrganisationDetails("Alpine Training Centre", "Austria", "sending", "x")
    )
    at = open_page("app_pages/organisation.py")
    fill_registration(at, "alpine  training centre")
    assert "already registered" in texts(at)
    assert len(list_organisations(core)) == 1


def test_answering_indicator_stores_it(core):
    framework = load_bundled_framework()
    organisation_id = create_organisation(
        core, OrganisationDetails("Coast VET", "Malta", "sending", "small")
    )
    audit_id = start_audit(
        core, organisation_id, framework, dt.date(2026, 5, 1), TeamMember("Lead")
    )
    first = framework.indicators_for("sending")[0]
    at = open_page(
        "app_pages/audit.py", organisation_id=organisation_id, audit_id=audit_id
    )

    at.radio(key=f"answer-{audit_id}-{first.id}").set_value("partly").run()
    assert not at.exception
    assert read_answers(core, audit_id)[first.id].code == "partly"

    comment = at.text_area(key=f"comment-{audit_id}-{first.id}")
    comment.input("Checked the learning agreements of 2025.").run()
    stored = read_answers(core, audit_id)[first.id]
    assert stored.comment == "Checked the learning agreements of 2025."
    assert stored.code == "partly"


def test_results_page_shows_total(core):
    organisation_id = load_example(core, load_bundled_framework())
    audit_id = list_audits(core, organisation_id)[-1].audit_id
    expected = audit_results(core, audit_id).scores.total.score
    at = open_page(
        "app_pages/results.py", organisation_id=organisation_id, audit_id=audit_id
    )
    total = next(m for m in at.metric if m.label == "Total")
    assert total.value == f"{expected:.0f} points"


def test_complete_audit_is_read_only(core):
    organisation_id = load_example(core, load_bundled_framework())
    audit = list_audits(core, organisation_id)[0]
    assert audit.is_complete
    at = open_page(
        "app_pages/audit.py", organisation_id=organisation_id, audit_id=audit.audit_id
    )
    answer_radios = [r for r in at.radio if str(r.key).startswith("answer-")]
    assert answer_radios
    assert all(r.disabled for r in answer_radios)


def test_newer_schema_shows_message(app_db):
    con = connect(app_db)
    con.execute(
        "INSERT INTO schema_version VALUES (999, 'from the future', current_timestamp)"
    )
    con.close()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "schema version 999" in at.error[0].value


def test_locked_database_shows_message(app_db):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(app_db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert not at.exception
    assert "in use by another process" in at.error[0].value


def test_broken_framework_shows_message(app_db, tmp_path, monkeypatch):
    broken = tmp_path / "broken.yaml"
    text = framework_module.BUNDLED_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace("value: 1.0", "value: 2", 1), encoding="utf-8")
    monkeypatch.setattr(framework_module, "BUNDLED_FILE", broken)

    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()

    assert not at.exception
    message = at.error[0].value
    assert "'broken.yaml'" in message
    assert "answer 'yes'" in message
    assert "outside 0..1" in message


def test_switching_organisations_keeps_sidebar(core):
    example_id = load_example(core, load_bundled_framework())
    other_id = create_organisation(
        core, OrganisationDetails("Beta College", "Malta", "receiving", "small")
    )
    at = open_page("app_pages/results.py", organisation_id=other_id)

    for chosen in (example_id, other_id, example_id):
        at.selectbox(key="sidebar_organisation").set_value(chosen).run()
        assert not at.exception
        assert at.selectbox(key="sidebar_organisation").value == chosen

    latest = list_audits(core, example_id)[-1].audit_id
    assert at.selectbox(key="sidebar_audit").value == latest


def draft_with_answer(core) -> tuple[int, int, str]:
    framework = load_bundled_framework()
    organisation_id = create_organisation(
        core, OrganisationDetails("Coast VET", "Malta", "sending", "small")
    )
    audit_id = start_audit(
        core, organisation_id, framework, dt.date(2026, 5, 1), TeamMember("Lead")
    )
    first = framework.indicators_for("sending")[0].id
    save_answer(core, audit_id, first, "no")
    return organisation_id, audit_id, first


def test_clear_answer_empties_radio(core):
    organisation_id, audit_id, first = draft_with_answer(core)
    at = open_page(
        "app_pages/audit.py", organisation_id=organisation_id, audit_id=audit_id
    )
    assert at.radio(key=f"answer-{audit_id}-{first}").value == "no"

    at.button(key=f"clear-{audit_id}-{first}").click().run()

    assert read_answers(core, audit_id)[first].code is None
    assert at.radio(key=f"answer-{audit_id}-{first}").value is None


def test_audit_page_shows_stored_answer(core):
    organisation_id, audit_id, first = draft_with_answer(core)
    at = open_page(
        "app_pages/audit.py", organisation_id=organisation_id, audit_id=audit_id
    )

    # Another tab or team member changes the answer in the meantime.
    save_answer(core, audit_id, first, "yes")
    save_notes(core, audit_id, first, comment="Checked by the lead.")
    at.run()

    assert at.radio(key=f"answer-{audit_id}-{first}").value == "yes"
    assert (
        at.text_area(key=f"comment-{audit_id}-{first}").value == "Checked by the lead."
    )


def test_markdown_in_name_shown_literally(core):
    organisation_id = create_organisation(
        core, OrganisationDetails("**Bold** :red[VET]", "Malta", "sending", "small")
    )
    at = open_page("app_pages/home.py", organisation_id=organisation_id)

    heading = next(s.value for s in at.subheader if "stands" in s.value)
    assert heading == r"Where \*\*Bold\*\* \:red\[VET\] stands"


def test_delta_shown_after_zero_score(core):
    framework = load_bundled_framework()
    organisation_id = create_organisation(
        core, OrganisationDetails("Zero College", "Malta", "sending", "small")
    )
    indicators = framework.indicators_for("sending")
    audit_ids = []
    for year, code in ((2025, "no"), (2026, "yes")):
        audit_id = start_audit(
            core, organisation_id, framework, dt.date(year, 1, 1), TeamMember("L")
        )
        for indicator in indicators:
            save_answer(core, audit_id, indicator.id, code)
        audit_ids.append(audit_id)

    at = open_page(
        "app_pages/results.py", organisation_id=organisation_id, audit_id=audit_ids[1]
    )
    total = next(m for m in at.metric if m.label == "Total")
    assert total.value == "100 points"
    assert total.delta == "+100.0 since the previous audit"
