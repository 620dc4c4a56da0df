"""Streamlit entry point: `streamlit run app.py`."""

import streamlit as st

st.set_page_config(page_title="Optimizer trajectories", layout="wide")
st.title("Optimizer trajectories")
st.write("The app is being built; the NumPy core is importable as `optimizers` and `surfaces`.")
