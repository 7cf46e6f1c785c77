"""Sourcebook: the European references behind the framework's indicators."""

from textwrap import shorten

import streamlit as st

import ui
from staymobil_core.framework_store import list_frameworks, stored_framework
from staymobil_core.sourcebook import indicator_references, sourcebook

st.title("Sourcebook")
ui.show_flash()

audit = ui.selected_audit()
if audit is not None:
    framework_id, version = audit.framework_id, audit.framework_version
else:
    framework_id, version, _ = list_frameworks(ui.cursor())[0]
framework = stored_framework(ui.cursor(), framework_id, version)

st.caption(f"{framework.title}, version {framework.version}. {framework.notice}")
st.markdown(
    "The European references an organisation consults when it plans, runs and "
    "reviews mobility, what each is for, and the indicators of the framework "
    "that refer to it."
)

for entry in sourcebook(framework):
    with st.container(border=True):
        st.markdown(f"**{entry.source.name}**")
        st.write(entry.source.purpose)
        with st.expander(f"{len(entry.indicators)} indicators refer to it"):
            for indicator in entry.indicators:
                st.markdown(f"- **{indicator.id}** {indicator.statement}")

st.subheader("References of one indicator")
by_id = {i.id: i for i in framework.indicators}
chosen = st.selectbox(
    "Indicator",
    list(by_id),
    format_func=lambda i: f"{i}: {shorten(by_id[i].statement, 90, placeholder=' ...')}",
)
indicator = by_id[chosen]
st.markdown(f"**{indicator.id}** {indicator.statement}")
if indicator.guidance:
    st.caption(f"Evidence for a Yes: {indicator.guidance}")
for reference in indicator_references(framework, indicator):
    st.markdown(f"- {reference}")
