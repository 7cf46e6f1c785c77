"""Streamlit glue shared by the pages: connection, cached reads, selectors.

The only module beside the pages that imports Streamlit. Everything it calls
lives in `staymobil_core`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import duckdb
import streamlit as st

from staymobil_core.audits import Audit, list_audits
from staymobil_core.database import connect, database_path
from staymobil_core.errors import StayMobilError
from staymobil_core.framework import load_bundled_framework
from staymobil_core.framework_store import register_framework
from staymobil_core.organisations import Organisation, list_organisations

logger = logging.getLogger("staymobil.ui")

ORGANISATION_KEY = "organisation_id"
AUDIT_KEY = "audit_id"
FLASH_KEY = "flash"


@st.cache_resource(show_spinner=False)
def connection() -> duckdb.DuckDBPyConnection:
    """Open the database once per process and store the bundled framework."""
    con = connect(database_path())
    try:
        register_framework(con, load_bundled_framework())
    except BaseException:
        # Not cached, so the next rerun tries again from a closed file.
        con.close()
        raise
    return con


def cursor() -> duckdb.DuckDBPyConnection:
    """Return a fresh cursor for one unit of work."""
    return connection().cursor()


@st.cache_data(show_spinner=False)
def organisations() -> list[Organisation]:
    return list_organisations(cursor())


@st.cache_data(show_spinner=False)
def audits(organisation_id: int) -> list[Audit]:
    return list_audits(cursor(), organisation_id)


def data_changed() -> None:
    """Drop cached reads after a write so every session sees the change."""
    st.cache_data.clear()


def run_action(action: Callable[[], object], success: str | None = None) -> bool:
    """Run a write, show its StayMobilError as a message; return True on success.

    Any other exception is a bug and propagates.
    """
    try:
        action()
    except StayMobilError as exc:
        logger.info("Rejected input: %s", exc)
        st.session_state[FLASH_KEY] = ("error", str(exc))
        return False
    data_changed()
    if success:
        st.session_state[FLASH_KEY] = ("success", success)
    return True


def show_flash() -> None:
    """Show the message left by the last action, once."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is None:
        return
    kind, text = flash
    # Messages quote what the user typed, so Markdown in it must not render.
    (st.error if kind == "error" else st.success)(plain(text))


def plain(text: str) -> str:
    """Escape Markdown in user text, so a name like '**A**' shows as typed.

    Streamlit renders Markdown, colour directives such as ':red[...]' and
    icon codes in most elements; a backslash before each punctuation mark
    turns them into literal characters.
    """
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~:<>$&])", r"\\\1", text)


def selected_organisation() -> Organisation | None:
    chosen = st.session_state.get(ORGANISATION_KEY)
    return next((o for o in organisations() if o.organisation_id == chosen), None)


def selected_audit() -> Audit | None:
    organisation = selected_organisation()
    if organisation is None:
        return None
    chosen = st.session_state.get(AUDIT_KEY)
    found = audits(organisation.organisation_id)
    return next((a for a in found if a.audit_id == chosen), None)


def select(organisation_id: int | None, audit_id: int | None = None) -> None:
    """Make an organisation and an audit (default: its latest) the selection."""
    st.session_state[ORGANISATION_KEY] = organisation_id
    st.session_state[AUDIT_KEY] = audit_id


def sidebar_selectors() -> None:
    """Draw the organisation and audit pickers in the sidebar.

    The selection lives in ORGANISATION_KEY and AUDIT_KEY. Each run copies it
    into the pickers' own state before drawing them, so a selection made by a
    page (a new organisation, a new audit) shows in the sidebar at once.
    """
    known = organisations()
    ids = [o.organisation_id for o in known]
    names = {o.organisation_id: o.name for o in known}
    if st.session_state.get(ORGANISATION_KEY) not in ids:
        select(ids[0] if ids else None)

    with st.sidebar:
        if not known:
            st.info("No organisation yet. Register one on the Organisation page.")
            return
        st.session_state["sidebar_organisation"] = st.session_state[ORGANISATION_KEY]
        st.selectbox(
            "Organisation",
            ids,
            format_func=names.get,
            key="sidebar_organisation",
            on_change=_organisation_picked,
        )
        _audit_selector(st.session_state[ORGANISATION_KEY])


def _audit_selector(organisation_id: int) -> None:
    found = audits(organisation_id)
    ids = [a.audit_id for a in found]
    if not found:
        st.session_state[AUDIT_KEY] = None
        st.caption("No audit yet. Start one on the Organisation page.")
        return
    if st.session_state.get(AUDIT_KEY) not in ids:
        # The latest audit is the one people work on.
        st.session_state[AUDIT_KEY] = ids[-1]
    labels = {a.audit_id: a.label for a in found}
    st.session_state["sidebar_audit"] = st.session_state[AUDIT_KEY]
    st.selectbox(
        "Audit",
        ids,
        format_func=labels.get,
        key="sidebar_audit",
        on_change=_audit_picked,
    )


def _organisation_picked() -> None:
    select(st.session_state.get("sidebar_organisation"))


def _audit_picked() -> None:
    st.session_state[AUDIT_KEY] = st.session_state.get("sidebar_audit")
