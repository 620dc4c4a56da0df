"""Figures, Streamlit-free: Plotly (interactive) and matplotlib + imageio (GIF, MP4)."""
