"""Organisation: register or edit an organisation and start its audits."""

import datetime as dt
from dataclasses import fields

import pandas as pd
import streamlit as st

import ui
from staymobil_core.audits import TeamMember, start_audit
from staymobil_core.framework_store import list_frameworks, stored_framework
from staymobil_core.organisations import (
    COUNTRIES,
    MAX_TEXT,
    ORGANISATION_SIZES,
    ORGANISATION_TYPES,
    OrganisationDetails,
    create_organisation,
    delete_organisation,
    update_organisation,
)

TAB_KEY = "organisation_tab"
AUDIT_TAB = "Start an audit"
FORM_FIELDS = tuple(f.name for f in fields(OrganisationDetails))
# Wider than the dates an audit accepts: outside its range Streamlit's picker
# shows the typed date but returns the last valid one, so the core package
# checks the range and says what is wrong instead.
PICKER_FIRST_DAY = dt.date(1900, 1, 1)
PICKER_LAST_DAY = dt.date(2999, 12, 31)

st.title("Organisation")
ui.show_flash()


def details_form(key: str, current=None, on_submit=None) -> OrganisationDetails | None:
    """Draw the organisation form; return the details when it is submitted.

    Widget keys start with `key`, so `form_details(key)` can read them in an
    `on_submit` callback, which runs before the page is drawn again.
    """
    with st.form(key, clear_on_submit=False):
        st.text_input(
            "Name",
            value=current.name if current else "",
            key=f"{key}-name",
            max_chars=MAX_TEXT,
        )
        country_index = (
            COUNTRIES.index(current.country)
            if current and current.country in COUNTRIES
            else None
        )
        st.selectbox(
            "Country",
            COUNTRIES,
            index=country_index,
            placeholder="Choose a country",
            key=f"{key}-country",
        )
        type_index = (
            ORGANISATION_TYPES.index(current.organisation_type) if current else 0
        )
        st.radio(
            "Type",
            ORGANISATION_TYPES,
            index=type_index,
            horizontal=True,
            key=f"{key}-organisation_type",
            help="Sending organisations send learners abroad, receiving ones host "
            "them, intermediary ones arrange placements. It decides which "
            "indicators apply.",
        )
        size_index = (
            ORGANISATION_SIZES.index(current.size)
            if current and current.size in ORGANISATION_SIZES
            else None
        )
        st.selectbox(
            "Size",
            ORGANISATION_SIZES,
            index=size_index,
            placeholder="Choose a size",
            key=f"{key}-size",
        )
        st.text_input(
            "Contact person",
            value=current.contact_person if current else "",
            key=f"{key}-contact_person",
            max_chars=MAX_TEXT,
        )
        st.text_input(
            "Contact e-mail",
            value=current.contact_email if current else "",
            key=f"{key}-contact_email",
            max_chars=MAX_TEXT,
        )
        label = "Save changes" if current else "Register organisation"
        submitted = st.form_submit_button(label, type="primary", on_click=on_submit)
    return form_details(key) if submitted else None


def form_details(key: str) -> OrganisationDetails:
    def value(field: str) -> str:
        return st.session_state.get(f"{key}-{field}") or ""

    return OrganisationDetails(*(value(f) for f in FORM_FIELDS))


def team_editor(key: str) -> list[TeamMember]:
    st.caption("Team members: one row each, with their department.")
    frame = st.data_editor(
        pd.DataFrame(
            {"name": pd.Series(dtype="str"), "department": pd.Series(dtype="str")}
        ),
        num_rows="dynamic",
        key=key,
        column_config={
            "name": st.column_config.TextColumn("Name"),
            "department": st.column_config.TextColumn("Department"),
        },
        width="stretch",
    )
    return [
        TeamMember(str(row.name or ""), str(row.department or ""))
        for row in frame.fillna("").itertuples()
    ]


def register_submitted() -> None:
    details = form_details("register")

    def register() -> None:
        ui.select(create_organisation(ui.cursor(), details))

    registered = ui.run_action(
        register,
        f"Organisation '{details.name.strip()}' registered. Start its first audit "
        f"on the '{AUDIT_TAB}' tab.",
    )
    # NOTE: switching the tab from here as well left the page blank now and
    # then (Streamlit 1.67), so the user opens the audit tab.
    if registered:
        for field in FORM_FIELDS:
            st.session_state.pop(f"register-{field}", None)


def register_section() -> None:
    details_form("register", on_submit=register_submitted)


def edit_section(organisation) -> None:
    if organisation.is_example:
        st.caption("This is the example organisation, loaded from the Home page.")
    details = details_form(f"edit-{organisation.organisation_id}", organisation)
    if details is not None:
        changed = ui.run_action(
            lambda: update_organisation(
                ui.cursor(), organisation.organisation_id, details
            ),
            "Changes saved.",
        )
        if changed:
            st.rerun()
        ui.show_flash()

    with st.expander("Delete this organisation"):
        st.warning(
            f"Deletes {ui.plain(organisation.name)} with all its audits and answers. "
            "This cannot be undone."
        )
        confirmed = st.checkbox(
            "I understand", key=f"confirm-delete-{organisation.organisation_id}"
        )
        if st.button("Delete organisation", disabled=not confirmed):
            deleted = ui.run_action(
                lambda: delete_organisation(ui.cursor(), organisation.organisation_id),
                f"Organisation '{organisation.name}' deleted.",
            )
            if deleted:
                ui.select(None)
                st.rerun()


def audit_section(organisation) -> None:
    st.markdown(
        f"New audit of **{ui.plain(organisation.name)}** "
        f"({organisation.organisation_type})"
    )
    frameworks = list_frameworks(ui.cursor())
    choice = st.selectbox(
        "Framework version",
        frameworks,
        format_func=lambda f: f"{f[2]}, version {f[1]}",
    )
    audit_date = st.date_input(
        "Audit date",
        value=dt.date.today(),
        min_value=PICKER_FIRST_DAY,
        max_value=PICKER_LAST_DAY,
        format="YYYY-MM-DD",
    )
    lead = st.text_input(
        "Audit lead", placeholder="Who leads the working group", max_chars=MAX_TEXT
    )
    lead_department = st.text_input("Lead's department", max_chars=MAX_TEXT)
    members = team_editor("team")
    if st.button("Start audit", type="primary"):

        def begin() -> None:
            framework = stored_framework(ui.cursor(), choice[0], choice[1])
            audit_id = start_audit(
                ui.cursor(),
                organisation.organisation_id,
                framework,
                audit_date,
                TeamMember(lead, lead_department),
                members,
            )
            ui.select(organisation.organisation_id, audit_id)

        if ui.run_action(begin, "Audit started. Answer it on the Audit page."):
            st.switch_page("app_pages/audit.py")
        ui.show_flash()

    found = ui.audits(organisation.organisation_id)
    if found:
        st.markdown("**Audits of this organisation**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "date": a.audit_date,
                        "status": a.status,
                        "framework": f"{a.framework_id} {a.framework_version}",
                        "lead": a.lead.name,
                        "team": ", ".join(m.name for m in a.members),
                    }
                    for a in found
                ]
            ),
            hide_index=True,
            width="stretch",
        )


organisation = ui.selected_organisation()
# Stateful tabs: the open tab survives reruns, and only its content runs.
register_tab, edit_tab, audit_tab = st.tabs(
    ["Register a new organisation", "Edit the selected organisation", AUDIT_TAB],
    key=TAB_KEY,
    on_change="rerun",
)
with register_tab:
    if register_tab.open:
        register_section()
with edit_tab:
    if edit_tab.open:
        if organisation is None:
            st.info("Register an organisation first.")
        else:
            edit_section(organisation)
with audit_tab:
    if audit_tab.open:
        if organisation is None:
            st.info("Register an organisation first.")
        else:
            audit_section(organisation)
