"""The axes of the panels beside the map in the Plotly figure (what the curves show is
``viz.series``)."""

from __future__ import annotations

from ..axes import log_ticks
from ..picture import figure_text as text
from ..series import Series
from .layout import _axis_style, _Panel


def _series_axes(layout: dict, panel: _Panel, series: Series, lang: str, n_steps: int, font_size: int) -> None:
    layout[panel.x_layout] = {
        **_axis_style(font_size), "domain": list(panel.x_domain), "range": [0, max(n_steps, 1)],
        "anchor": panel.yaxis, "title": {"text": text("step", lang), "standoff": 2},
        "showgrid": True, "gridcolor": "#eeeeee",
    }
    layout[panel.y_layout] = {
        **_axis_style(font_size), "domain": list(panel.y_domain), "range": list(series.y_range),
        "anchor": panel.xaxis, "type": "log" if series.log else "linear",
        # The name sits on the axis, not above the panel, where the legend needs the room.
        "title": {"text": text(series.key, lang), "standoff": 4, "font": {"size": font_size - 1}},
        "showgrid": True, "gridcolor": "#eeeeee", "exponentformat": "power" if series.log else "B",
        "nticks": 6,
        **(log_ticks(*series.y_range) if series.log else {}),
    }
