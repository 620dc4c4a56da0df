"""Streamlit widgets, session and URL state, i18n: the only Streamlit code of the project."""
