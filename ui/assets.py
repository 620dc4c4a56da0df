"""The app's browser-painted elements: Streamlit components (v2: inline, no iframe) whose
style and script live in ``assets/<folder>/<folder>.css`` and ``.js``."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def browser_component(name: str, folder: str):
    """Register the component ``name`` painted by ``assets/<folder>/<folder>.js`` with its
    ``.css`` (read once, when the module that registers it is imported)."""
    files = ASSETS / folder
    return st.components.v2.component(
        name,
        html="",
        css=(files / f"{folder}.css").read_text(encoding="utf-8"),
        js=(files / f"{folder}.js").read_text(encoding="utf-8"),
    )
