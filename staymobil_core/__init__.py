"""Domain logic of StayMobil Self-Audit: framework, storage, scoring.

This package never imports Streamlit, so every function here can be used
and tested without the app.
"""
