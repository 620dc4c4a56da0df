"""Streamlit entry point: `streamlit run app.py`. The page itself lives in ``ui.page``."""

import streamlit as st

from scene.i18n import t
from ui.page import main
from ui.state import current_lang

st.set_page_config(page_title=t("app.page_title", current_lang()), page_icon=":material/insights:", layout="wide")
main()
