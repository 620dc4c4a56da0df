"""The Trajectories view's map: a Streamlit component (components v2: inline, no iframe)
that paints ``viz.browser.map_data`` in the browser, sized from the viewport, with play,
pause, step, reset and keyboard shortcuts there. It sends back one value: a new start point
(dragged, tapped, or moved with the arrow keys), which becomes the scene's start."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.state import set_start

MAP_KEY = "trajectory_map"
_ASSETS = Path(__file__).resolve().parent.parent / "assets" / "map"
_COMPONENT = st.components.v2.component(
    "trajectory_map",
    html="",
    css=(_ASSETS / "map.css").read_text(encoding="utf-8"),
    js=(_ASSETS / "map.js").read_text(encoding="utf-8"),
)


def _start_moved() -> None:
    value = (st.session_state.get(MAP_KEY) or {}).get("start")
    if isinstance(value, (list, tuple)) and len(value) == 2:
        try:
            set_start((float(value[0]), float(value[1])))
        except (TypeError, ValueError):  # not numbers: the browser sent something else; keep the start
            pass


def trajectory_map(data: dict) -> None:
    """Mount the map with ``data`` (``viz.browser.map_data``)."""
    _COMPONENT(key=MAP_KEY, data=data, default={"start": None}, on_start_change=_start_moved, width="stretch", height="content")
