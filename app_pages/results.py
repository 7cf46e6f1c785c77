"""Results: total, heatmap, phase and core activity scores, strengths and weaknesses."""

import streamlit as st

import ui
from charts import heatmap_chart, score_bars
from staymobil_core.results import (
    DIMENSION_LAYOUT,
    ISO_LAYOUT,
    audit_results,
    heatmap_frame,
    improvable_by_area,
    scores_frame,
)
from staymobil_core.scoring import CORE_ACTIVITY, DIMENSION, ISO_SUBJECT, Score

st.title("Results")
ui.show_flash()

organisation = ui.selected_organisation()
audit = ui.selected_audit()
if organisation is None or audit is None:
    st.info("Pick an organisation and an audit in the sidebar.")
    st.stop()

results = audit_results(ui.cursor(), audit.audit_id)
scores = results.scores
total = scores.total

st.markdown(
    f"**{ui.plain(organisation.name)}**, audit of {audit.audit_date.isoformat()} "
    f"({audit.status})"
)
coverage = total.coverage
columns = st.columns(4)
delta = None
previous = results.previous_total
if total.score is not None and previous is not None and previous.score is not None:
    delta = f"{total.score - previous.score:+.1f} since the previous audit"
columns[0].metric(
    "Total",
    "no data" if total.score is None else f"{total.score:.0f} points",
    delta=delta,
    help="100 x sum(weight x value) / sum(weight) over the answered, applicable "
    "indicators.",
)
columns[1].metric("Band", total.band.label if total.band else "no data")
columns[2].metric(
    "Coverage",
    f"{coverage.answered} of {coverage.applicable}",
    help="Answered of applicable indicators.",
)
columns[3].metric(
    "Open / not applicable", f"{coverage.open} / {coverage.not_applicable}"
)
if coverage.open:
    st.warning(
        f"{coverage.open} applicable indicators are still open. The scores use "
        "only the answered ones; complete the audit for a full picture."
    )

st.subheader("Heatmap")
layout = st.radio(
    "Columns",
    [ISO_LAYOUT, DIMENSION_LAYOUT],
    format_func={
        ISO_LAYOUT: "ISO 26000 core subjects",
        DIMENSION_LAYOUT: "StayMobil dimensions",
    }.get,
    horizontal=True,
    key="heatmap_layout",
)
st.altair_chart(heatmap_chart(heatmap_frame(results, layout)), width="stretch")
st.caption(
    "Core activities grouped by phase. Colour: score 0-100 (viridis, readable "
    "with colour-blindness). Grey cells marked 'no data' have no indicators or no "
    "answers yet. Hover a cell for score, band and coverage."
)

left, right = st.columns(2)
with left:
    st.subheader("Phases")
    st.altair_chart(score_bars(scores_frame(scores.phases)), width="stretch")
with right:
    st.subheader("Core activities")
    st.altair_chart(score_bars(scores_frame(scores.core_activities)), width="stretch")

AREA_KINDS = {
    CORE_ACTIVITY: "core activity",
    ISO_SUBJECT: "ISO 26000 core subject",
    DIMENSION: "dimension",
}


def show_area(area: Score) -> None:
    st.markdown(
        f"- **{area.label}** ({AREA_KINDS[area.kind]}): {area.score:.0f}, "
        f"{area.band.label}. {area.coverage.describe()}."
    )


def show_areas(title: str, caption: str, areas: tuple[Score, ...]) -> None:
    st.subheader(title)
    st.caption(caption)
    for area in areas:
        show_area(area)
    if not areas:
        st.write("None.")


left, right = st.columns(2)
threshold = results.framework.strength_threshold
with left:
    show_areas("Strengths", f"Areas scoring {threshold:.0f} or more.", scores.strengths)
with right:
    show_areas(
        "Weaknesses",
        f"Areas scoring under {threshold:.0f}, weakest first.",
        scores.weaknesses,
    )

st.subheader("Indicators answered No or Partly")
grouped = improvable_by_area(results)
if not grouped:
    st.write("None.")
for area, items in grouped:
    with st.expander(f"{area} ({len(items)})"):
        for indicator_id, statement, answer in items:
            st.markdown(f"- **{indicator_id}** ({answer}): {statement}")
