"""Altair charts of the Results page, built from the frames in `results`."""

from __future__ import annotations

import altair as alt
import pandas as pd

# Viridis stays readable with the common colour-vision deficiencies and in
# greyscale; "no data" gets a neutral grey outside the scale.
SCORE_SCALE = alt.Scale(scheme="viridis", domain=[0, 100])
NO_DATA_FILL = "#d9d9d9"
# Viridis is dark below about 55 of 100, so labels there are white.
DARK_BELOW = 55
CELL_WIDTH = 64
CELL_HEIGHT = 34


def heatmap_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """Draw core activities (rows, grouped by phase) against domains (columns)."""
    # Vega-Lite drops rows whose colour field is null, which would leave a
    # "no data" cell undrawn; the fill below is only read where has_data holds.
    frame = frame.assign(fill=frame["score"].fillna(0))
    domains = frame.sort_values("column_order")["domain"].drop_duplicates().tolist()
    phases = frame.sort_values("phase_order")["phase"].drop_duplicates().tolist()
    has_data = alt.datum.has_data
    x = alt.X(
        "domain:N",
        sort=domains,
        title=None,
        axis=alt.Axis(labelAngle=-40, orient="top", labelLimit=260, labelOverlap=False),
    )
    y = alt.Y(
        "core_activity:N",
        sort=alt.EncodingSortField("row_order"),
        title=None,
        axis=alt.Axis(labelLimit=230),
    )
    tooltip = [
        alt.Tooltip("core_activity:N", title="Core activity"),
        alt.Tooltip("domain:N", title="Domain"),
        alt.Tooltip("label:N", title="Score"),
        alt.Tooltip("band:N", title="Band"),
        alt.Tooltip("coverage:N", title="Coverage"),
    ]

    cells = (
        alt.Chart()
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.when(has_data)
            .then(alt.Color("fill:Q", scale=SCORE_SCALE, title="Score"))
            .otherwise(alt.value(NO_DATA_FILL)),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart()
        .mark_text(fontSize=12)
        .encode(
            x=x,
            y=y,
            text="label:N",
            color=alt.when(has_data & (alt.datum.fill < DARK_BELOW))
            .then(alt.value("white"))
            .otherwise(alt.value("black")),
            tooltip=tooltip,
        )
    )
    rows_per_phase = frame.groupby("phase")["core_activity"].nunique().max()
    return (
        alt.layer(cells, labels, data=frame)
        .properties(
            width=CELL_WIDTH * len(domains), height=CELL_HEIGHT * rows_per_phase
        )
        .facet(
            row=alt.Row(
                "phase:N",
                sort=phases,
                title=None,
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelFontWeight="bold"
                ),
            ),
            spacing=6,
        )
        .resolve_scale(y="independent")
    )


def score_bars(frame: pd.DataFrame) -> alt.LayerChart:
    """Draw one horizontal 0-100 bar per area, labelled with score or 'no data'."""
    frame = frame.assign(
        label=frame["score"].map(lambda s: "no data" if pd.isna(s) else f"{s:.0f}"),
        bar=frame["score"].fillna(0),
    )
    y = alt.Y(
        "area:N",
        sort=alt.EncodingSortField("order"),
        title=None,
        axis=alt.Axis(labelLimit=230),
    )
    tooltip = [
        alt.Tooltip("area:N", title="Area"),
        alt.Tooltip("label:N", title="Score"),
        alt.Tooltip("band:N", title="Band"),
        alt.Tooltip("coverage:N", title="Coverage"),
    ]
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("bar:Q", scale=alt.Scale(domain=[0, 100]), title="Score"),
            y=y,
            color=alt.Color("bar:Q", scale=SCORE_SCALE, legend=None),
            tooltip=tooltip,
        )
    )
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=4)
        .encode(x="bar:Q", y=y, text="label:N", tooltip=tooltip)
    )
    return (bars + text).properties(height=alt.Step(28))
