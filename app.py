"""StayMobil Self-Audit: the router and frame around every page.

Start it with `streamlit run app.py`. The database file is
data/staymobil.duckdb unless STAYMOBIL_DB names another one.
"""

from __future__ import annotations

import logging

import streamlit as st

import ui
from staymobil_core.errors import StayMobilError

logging.basicConfig(
    level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
)
logger = logging.getLogger("staymobil.app")

st.set_page_config(page_title="StayMobil Self-Audit", layout="wide")

try:
    ui.connection()
except StayMobilError as exc:
    logger.error("Cannot start: %s", exc)
    st.title("StayMobil Self-Audit cannot start")
    st.error(str(exc))
    st.stop()

pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/organisation.py", title="Organisation", icon=":material/domain:"),
    st.Page("pages/audit.py", title="Audit", icon=":material/checklist:"),
    st.Page("pages/results.py", title="Results", icon=":material/grid_on:"),
    st.Page("pages/sourcebook.py", title="Sourcebook", icon=":material/menu_book:"),
]
page = st.navigation(pages)
ui.sidebar_selectors()
page.run()
