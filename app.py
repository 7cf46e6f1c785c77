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

# The page scripts live in app_pages/, not pages/. Streamlit treats a folder
# named pages/ as an old-style multipage app until some session calls
# st.navigation. A first request to a page URL after a server start would then
# run that page alone, without this frame.
pages = [
    st.Page("app_pages/home.py", title="Home", default=True),
    st.Page("app_pages/organisation.py", title="Organisation"),
    st.Page("app_pages/audit.py", title="Audit"),
    st.Page("app_pages/results.py", title="Results"),
    st.Page("app_pages/sourcebook.py", title="Sourcebook"),
]
page = st.navigation(pages)
ui.sidebar_selectors()
page.run()
