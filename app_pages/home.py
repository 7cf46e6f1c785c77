"""Home: what the self-audit is, who takes part, what to do first."""

import streamlit as st

import ui
from staymobil_core.database import database_path
from staymobil_core.example import example_organisation_id, load_example, remove_example
from staymobil_core.framework import load_bundled_framework
from staymobil_core.standing import IMPLEMENTATION_STEPS, organisation_standing

st.title("StayMobil Self-Audit")
ui.show_flash()

st.markdown(
    """
A self-audit of **socially responsible transnational VET mobility** for
organisations that send learners abroad, host them, or arrange placements in
between under Erasmus+. Your team checks its own practice against the
StayMobil reference framework: four mobility phases (planning, implementation,
evaluation, review), eight core activities, and the domains of social
responsibility (the seven ISO 26000 core subjects and the StayMobil dimensions
of social cohesion, financial sustainability and environmental
responsibility). The result is a heatmap of strong and weak areas that you
turn into improvement actions, and the audit is repeated every year to track
progress.

**Who should take part:** a small working group led by a person experienced
in quality assurance and mobility, with staff from several departments, for
example the international office, teaching staff, student services and
finance. Management backs the audit and reads the results.
"""
)

st.subheader("What to do first")
st.markdown(
    """
1. **Register your organisation** on the *Organisation* page: name, country,
   type (sending, receiving or intermediary) and size.
2. **Start an audit** on the same page: the date, the lead and the team.
3. **Answer the audit** on the *Audit* page, phase by phase. Every answer is
   saved the moment you give it, so you can stop and come back at any time.
4. **Read the results** on the *Results* page: total, phases, core activities,
   the heatmap, strengths and weaknesses.

The *Sourcebook* lists the European references behind every indicator.
"""
)

organisation = ui.selected_organisation()
if organisation is not None:
    st.subheader(f"Where {ui.plain(organisation.name)} stands")
    standing = organisation_standing(ui.cursor(), organisation.organisation_id)
    columns = st.columns(4)
    columns[0].metric("Audits", standing.audits)
    columns[1].metric("Complete audits", standing.complete_audits)
    if standing.latest is not None:
        coverage = standing.latest_total.coverage
        columns[2].metric(
            "Latest audit answered",
            f"{coverage.answered + coverage.not_applicable} of {coverage.indicators}",
            help="Indicators answered (including not applicable) in the latest audit.",
        )
        total = standing.latest_total.score
        columns[3].metric(
            "Latest total",
            "no data" if total is None else f"{total:.0f} points",
            help="0-100 over the answered, applicable indicators.",
        )
    else:
        st.info("No audit yet. Start one on the Organisation page.")

    st.markdown("**The ten implementation steps**")
    for number, step in enumerate(IMPLEMENTATION_STEPS, start=1):
        done = standing.steps_done.get(number)
        if done is None:
            mark = "*(outside the app)*"
        elif done:
            mark = "**done**"
        else:
            mark = "*not yet*"
        st.markdown(f"{number}. {step} {mark}")

st.divider()
st.subheader("Try it with example data")
st.caption(
    "Loads a clearly labelled example organisation with three yearly audits "
    "(two complete, the latest a draft), so every page can be tried at once. "
    "The answers are the same every time."
)
left, right = st.columns(2)
if left.button("Load example organisation"):

    def load() -> None:
        organisation_id = load_example(ui.cursor(), load_bundled_framework())
        ui.select(organisation_id)

    if ui.run_action(load, "Example organisation loaded and selected."):
        st.rerun()

st.caption(f"Data file: {database_path()}")

has_example = example_organisation_id(ui.cursor()) is not None
if right.button("Remove example organisation", disabled=not has_example):
    if ui.run_action(
        lambda: remove_example(ui.cursor()), "Example organisation removed."
    ):
        ui.select(None)
        st.rerun()
