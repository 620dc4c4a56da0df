"""Where things go in the interactive figures: the panels' domains and the figure's height
(``_plan``), the shared layout and axis styles, log-axis ticks, panel titles, and the
Play/Pause buttons and step slider under the plot."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..picture import figure_text as text

ASSUMED_WIDTH = 1000  # pixels: Streamlit's wide main column next to the sidebar
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif'
)


@dataclass(frozen=True)
class _Panel:
    xaxis: str  # "x", "x2", ...
    yaxis: str
    x_domain: tuple[float, float]
    y_domain: tuple[float, float]

    @property
    def x_layout(self) -> str:
        return "xaxis" + self.xaxis[1:]

    @property
    def y_layout(self) -> str:
        return "yaxis" + self.yaxis[1:]


def _axis_pair(number: int) -> tuple[str, str]:
    return ("x", "y") if number == 1 else (f"x{number}", f"y{number}")


def _plan(layout: str, n_contours: int, n_series: int, font_size: int, aspect: float):
    """Axis domains, figure height and the top/bottom margins (pixels) for the layout.

    Contour panels keep x and y at the same scale (the gradient is drawn perpendicular to
    the level lines only then), so their height follows from their width: the figure is
    sized for a typical wide page (``ASSUMED_WIDTH``); on other widths the panel shrinks
    inside its slot instead of stretching."""
    # Room for the legend rows above the plot and the top tick label poking out of it.
    top = 40 + (font_size + 18) * (math.ceil(n_contours / 3) if layout == "overlay" else 1)
    bottom = 80 + 2 * font_size
    gap = 50 + 2 * font_size
    usable = ASSUMED_WIDTH - 80 - 2 * font_size
    if layout == "overlay":
        plot = int(np.clip(0.56 * usable * aspect, 360 + 8 * font_size, 760))
        contour = [_Panel(*_axis_pair(1), (0.0, 0.56), (0.0, 1.0))]
        # Each series panel has its own "step" axis title below it, hence the gap.
        gap_fraction = gap / plot
        slot = (1.0 + gap_fraction) / max(n_series, 1)
        series = [
            _Panel(*_axis_pair(2 + k), (0.67, 1.0), (max(1.0 - (k + 1) * slot + gap_fraction, 0.0), 1.0 - k * slot))
            for k in range(n_series)
        ]
        return contour, series, plot + top + bottom, top, bottom
    columns = min(n_contours, 4)
    rows = math.ceil(n_contours / columns)
    row_gap = 30 + font_size
    row_px = int(np.clip((usable / columns - 30) * aspect, 200, 520))
    series_px = 200 + 4 * font_size
    plot = rows * row_px + (rows - 1) * row_gap + gap + series_px
    contour = []
    for index in range(n_contours):
        row, column = divmod(index, columns)
        width = 1.0 / columns
        top_px = row * (row_px + row_gap)
        contour.append(
            _Panel(
                *_axis_pair(1 + index),
                (column * width + 0.02, (column + 1) * width - 0.02),
                (1.0 - (top_px + row_px) / plot, 1.0 - top_px / plot),
            )
        )
    width = 1.0 / max(n_series, 1)
    series = [
        _Panel(
            *_axis_pair(1 + n_contours + k),
            (k * width + (0.0 if k == 0 else 0.06), (k + 1) * width - 0.04),
            (0.0, series_px / plot),
        )
        for k in range(n_series)
    ]
    return contour, series, plot + top + bottom, top, bottom


def _base_layout(height: int, top: int, bottom: int, font_size: int, legend: bool) -> dict:
    return {
        "template": {"layout": {}},  # no theme: the app and the exported HTML look the same
        "height": height,
        "margin": {"l": 60 + 2 * font_size, "r": 20, "t": top, "b": bottom},
        "font": {"family": FONT_FAMILY, "size": font_size, "color": "#222222"},
        "paper_bgcolor": "#ffffff",
        # No plot_bgcolor: white is the default, and the landscape picture covers each map.
        "showlegend": legend,
        "legend": {"orientation": "h", "x": 0.0, "xanchor": "left", "y": 1.0, "yanchor": "bottom", "font": {"size": font_size}},
        "hovermode": "closest",
        "dragmode": "pan",
        "uirevision": "trajectories",
    }


def _axis_style(font_size: int) -> dict:
    return {
        "showline": True, "linecolor": "#555555", "mirror": True, "ticks": "outside",
        "tickfont": {"size": font_size - 2}, "zeroline": False, "showgrid": False,
    }


def _contour_axes(layout: dict, panel: _Panel, bounds, font_size: int, show_titles: bool, axes=("x", "y")) -> None:
    (x0, x1), (y0, y1) = bounds
    layout[panel.x_layout] = {
        **_axis_style(font_size), "domain": list(panel.x_domain), "range": [x0, x1],
        "anchor": panel.yaxis, "constrain": "domain",
        "title": {"text": axes[0] if show_titles else "", "standoff": 4},
    }
    layout[panel.y_layout] = {
        **_axis_style(font_size), "domain": list(panel.y_domain), "range": [y0, y1],
        "anchor": panel.xaxis, "scaleanchor": panel.xaxis, "scaleratio": 1, "constrain": "domain",
        "title": {"text": axes[1] if show_titles else "", "standoff": 4},
    }


def _panel_title(label: str, panel: _Panel, color: str, font_size: int) -> dict:
    return {
        "text": f"<b>{label}</b>", "xref": "paper", "yref": "paper",
        "x": (panel.x_domain[0] + panel.x_domain[1]) / 2, "y": panel.y_domain[1],
        "xanchor": "center", "yanchor": "bottom", "showarrow": False,
        "font": {"color": color, "size": font_size},
    }


def _paper_y(pixels_below: float, plot_height: float) -> float:
    """Paper y-coordinate ``pixels_below`` the plot area (controls live in the bottom margin)."""
    return -pixels_below / plot_height


def _animate_args(duration: int, from_current: bool) -> dict:
    # redraw=True: without it contour figures throw in plotly.js after Play (plotly.js#1221).
    return {
        "frame": {"duration": duration, "redraw": True},
        "transition": {"duration": 0},
        "mode": "immediate",
        "fromcurrent": from_current,
    }


def _buttons(lang: str, font_size: int, bottom: int, plot_height: float, frame_ms: int) -> dict:
    return {
        "type": "buttons", "direction": "left", "showactive": False,
        "x": 0.0, "xanchor": "left", "y": _paper_y(bottom - 12, plot_height), "yanchor": "bottom",
        "pad": {"r": 6, "t": 0}, "font": {"size": font_size},
        "buttons": [
            {"label": text("play", lang), "method": "animate", "args": [None, _animate_args(frame_ms, False)]},
            {"label": text("pause", lang), "method": "animate",
             "args": [[None], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate", "transition": {"duration": 0}}]},
            {"label": text("resume", lang), "method": "animate", "args": [None, _animate_args(frame_ms, True)]},
        ],
    }


def _slider(step_numbers: np.ndarray, lang: str, font_size: int, bottom: int, plot_height: float) -> dict:
    return {
        "active": len(step_numbers) - 1,
        "x": 0.36, "len": 0.64, "xanchor": "left",
        "y": _paper_y(bottom - 2.6 * font_size - 10, plot_height), "yanchor": "top",
        "pad": {"t": 0, "b": 0},
        # No labels: plotly measures every label's text on each draw (~35 ms for 100 steps,
        # a third of the figure's drawing time); the step counter on the map says the step.
        "ticklen": 0, "minorticklen": 0,
        "currentvalue": {"visible": False},
        "transition": {"duration": 0},
        "steps": [
            {"label": "", "method": "animate",
             "args": [[str(int(s))], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate", "transition": {"duration": 0}}]}
            for s in step_numbers
        ],
    }
