"""Organisation: register or edit an organisation and start its audits."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from staymobil_core.audits import TeamMember, start_audit
from staymobil_core.framework_store import list_frameworks, stored_framework
from staymobil_core.organisations import (
    COUNTRIES,
    ORGANISATION_SIZES,
    ORGANISATION_TYPES,
    OrganisationDetails,
    create_organisation,
    delete_organisation,
    update_organisation,
)

st.title("Organisation")
ui.show_flash()


def details_form(key: str, current=None) -> OrganisationDetails | None:
    """Draw the organisation form; return the details when it is submitted."""
    with st.form(key, clear_on_submit=False):
        name = st.text_input("Name", value=current.name if current else "")
        country_index = (
            COUNTRIES.index(current.country)
            if current and current.country in COUNTRIES
            else None
        )
        country = st.selectbox(
            "Country", COUNTRIES, index=country_index, placeholder="Choose a country"
        )
        type_index = (
            ORGANISATION_TYPES.index(current.organisation_type) if current else 0
        )
        organisation_type = st.radio(
            "Type",
            ORGANISATION_TYPES,
            index=type_index,
            horizontal=True,
            help="Sending organisations send learners abroad, receiving ones host "
            "them, intermediary ones arrange placements. It decides which "
            "indicators apply.",
        )
        size_index = (
            ORGANISATION_SIZES.index(current.size)
            if current and current.size in ORGANISATION_SIZES
            else None
        )
        size = st.selectbox(
            "Size", ORGANISATION_SIZES, index=size_index, placeholder="Choose a size"
        )
        contact = st.text_input(
            "Contact person", value=current.contact_person if current else ""
        )
        email = st.text_input(
            "Contact e-mail", value=current.contact_email if current else ""
        )
        label = "Save changes" if current else "Register organisation"
        if not st.form_submit_button(label, type="primary"):
            return None
    return OrganisationDetails(
        name=name,
        country=country or "",
        organisation_type=organisation_type,
        size=size or "",
        contact_person=contact,
        contact_email=email,
    )


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


def register_section() -> None:
    details = details_form("register")
    if details is None:
        return

    def register() -> None:
        ui.select(create_organisation(ui.cursor(), details))

    if ui.run_action(register, f"Organisation '{details.name.strip()}' registered."):
        st.rerun()
    ui.show_flash()


def edit_section(organisation) -> None:
    if organisation.is_example:
        st.caption("This is the example organisation, loaded from the Home page.")
    details = details_form("edit", organisation)
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
            f"Deletes {organisation.name} with all its audits and answers. "
            "This cannot be undone."
        )
        confirmed = st.checkbox("I understand", key="confirm_delete")
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
        f"New audit of **{organisation.name}** ({organisation.organisation_type})"
    )
    frameworks = list_frameworks(ui.cursor())
    choice = st.selectbox(
        "Framework version",
        frameworks,
        format_func=lambda f: f"{f[2]}, version {f[1]}",
    )
    audit_date = st.date_input("Audit date", value=dt.date.today(), format="YYYY-MM-DD")
    lead = st.text_input("Audit lead", placeholder="Who leads the working group")
    lead_department = st.text_input("Lead's department")
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
    ["Register a new organisation", "Edit the selected organisation", "Start an audit"],
    key="organisation_tab",
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
