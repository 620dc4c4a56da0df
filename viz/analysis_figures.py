"""Plotly figures of the analyses (basins, sweeps, noise ensembles, fair tuning).

Streamlit-free. Every visible word comes through ``text(key, **values)``, which the app
binds to its language; notebooks get English from ``assets/i18n/analysis.json``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.basins import DIVERGED, LEFT_VIEW, NOT_CONVERGED, BasinMap

from .style import MINIMUM_COLOR, color_for

Text = Callable[..., str]

_STRINGS = Path(__file__).resolve().parent.parent / "assets" / "i18n" / "analysis.json"

# Paul Tol's "light" scheme: pale enough for contour lines and minima to stay readable on
# top, and distinct from the optimizer palette (Okabe-Ito), which marks paths.
BASIN_COLORS = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00")
OUTCOME_COLORS = {NOT_CONVERGED: "#FFFFFF", LEFT_VIEW: "#BBBBBB", DIVERGED: "#444444"}
OUTCOME_KEYS = {NOT_CONVERGED: "outcome_not_converged", LEFT_VIEW: "outcome_left_view", DIVERGED: "outcome_diverged"}
CONTOUR_RESOLUTION = 120
PANELS_PER_ROW = 4


@cache
def _english() -> dict[str, str]:
    table = json.loads(_STRINGS.read_text(encoding="utf-8"))
    return {key: texts["en"] for key, texts in table.items()}


def english(key: str, **values: Any) -> str:
    """Default ``text``: the English string of ``key`` in assets/i18n/analysis.json."""
    template = _english()[key]
    return template.format(**values) if values else template


def basin_color(label: int) -> str:
    if label >= 0:
        return BASIN_COLORS[label % len(BASIN_COLORS)]
    return OUTCOME_COLORS[label]


def outcome_name(label: int, text: Text = english) -> str:
    if label == 0:
        return text("minimum_global", number=1)
    if label > 0:
        return text("minimum_local", number=label + 1)
    return text(OUTCOME_KEYS[label])


# ----------------------------------------------------------------------------- shared pieces


def _contour_levels(surface: Any, bounds, resolution: int = CONTOUR_RESOLUTION):
    """Grid values of f for a background contour; log-spaced above the lowest value when the
    surface asks for it (``log_levels``), so deep narrow valleys still show rings."""
    (x0, x1), (y0, y1) = bounds
    xs = np.linspace(x0, x1, resolution)
    ys = np.linspace(y0, y1, resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    with np.errstate(all="ignore"):
        values = surface.f(grid)
    values = np.where(np.isfinite(values), values, np.nan)
    if getattr(surface, "log_levels", False):
        values = np.log10(values - np.nanmin(values) + 1e-3)
    return xs, ys, values


def contour_trace(surface: Any, bounds=None, *, color: str = "rgba(40,40,40,0.35)", ncontours: int = 18) -> go.Contour:
    """Thin level lines of the surface, no fill: a map to draw analyses on."""
    xs, ys, values = _contour_levels(surface, bounds or surface.bounds)
    return go.Contour(
        x=xs, y=ys, z=values, ncontours=ncontours, showscale=False, hoverinfo="skip",
        contours=dict(coloring="none"), line=dict(color=color, width=1), showlegend=False,
    )


def filled_contour_trace(surface: Any, bounds=None) -> go.Contour:
    """Filled, greyish contour as a quiet background for paths."""
    xs, ys, values = _contour_levels(surface, bounds or surface.bounds)
    return go.Contour(
        x=xs, y=ys, z=values, ncontours=24, showscale=False, hoverinfo="skip",
        colorscale="Greys", reversescale=True, opacity=0.55, line=dict(width=0.5, color="white"),
        showlegend=False,
    )


def minima_trace(minima: np.ndarray, text: Text = english, *, showlegend: bool = False, numbered: bool = True) -> go.Scatter:
    """Known minima as black stars with a white rim, numbered as in the basin legend."""
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    return go.Scatter(
        x=minima[:, 0], y=minima[:, 1], mode="markers+text" if numbered else "markers",
        text=[str(i + 1) for i in range(len(minima))] if numbered else None,
        textposition="top right", textfont=dict(color=MINIMUM_COLOR, size=13),
        marker=dict(symbol="star", size=14, color=MINIMUM_COLOR, line=dict(color="white", width=1.5)),
        name=text("legend_minima"), showlegend=showlegend, legendgroup="minima",
        hovertemplate="%{x:.3g}, %{y:.3g}<extra>" + text("legend_minima") + "</extra>",
    )


def _square_legend(name: str, color: str, group: str) -> go.Scatter:
    # A legend entry only: a heatmap has no per-category legend of its own.
    return go.Scatter(
        x=[None], y=[None], mode="markers", name=name, legendgroup=group, showlegend=True,
        marker=dict(symbol="square", size=14, color=color, line=dict(color="#666666", width=1)),
    )


def _swatch(color: str) -> str:
    return f"<span style='color:{color}'>■</span>"


def _grid_shape(panels: int) -> tuple[int, int]:
    cols = min(panels, PANELS_PER_ROW)
    return math.ceil(panels / cols), cols


def _categorical_colorscale(colors: Sequence[str]) -> list[list[Any]]:
    """Step colorscale so integer z = i is drawn in colors[i] exactly."""
    n = len(colors)
    scale = []
    for i, color in enumerate(colors):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


# ----------------------------------------------------------------------------- basins


def _shares_line(basin: BasinMap, text: Text) -> str:
    parts = []
    for label, share in basin.shares().items():
        if share > 0:
            name = str(label + 1) if label >= 0 else outcome_name(label, text)
            parts.append(f"{_swatch(basin_color(label) if label != NOT_CONVERGED else '#999999')}{name} {share:.0%}")
    return " · ".join(parts)


def basin_figure(
    maps: Sequence[BasinMap],
    surface: Any,
    titles: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    text: Text = english,
    *,
    panel_height: int = 380,
) -> go.Figure:
    """Basin maps side by side (four per row), one per optimizer: each start coloured by
    the minimum it ends in, or by how it failed; minima starred and numbered; level lines
    on top; one shared legend of outcomes; each panel titled with its share per outcome."""
    rows, cols = _grid_shape(len(maps))
    titles = list(titles or [m.label for m in maps])
    colors = list(colors or [color_for(i) for i in range(len(maps))])
    subtitles = [
        f"{_swatch(c)} {title}<br><sup>{_shares_line(basin, text)}</sup>"
        for basin, title, c in zip(maps, titles, colors, strict=True)
    ]
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=subtitles, horizontal_spacing=0.04,
        vertical_spacing=0.12 if rows > 1 else 0.08,
    )
    minima = maps[0].minima if maps else np.zeros((0, 2))
    outcomes = [*range(len(minima)), NOT_CONVERGED, LEFT_VIEW, DIVERGED]
    category = {label: i for i, label in enumerate(outcomes)}
    colorscale = _categorical_colorscale([basin_color(label) for label in outcomes])
    lookup = np.full(len(minima) + 4, 0)
    for label, index in category.items():
        lookup[label] = index  # negative labels index from the end: -1, -2, -3
    for i, basin in enumerate(maps):
        row, col = divmod(i, cols)
        z = lookup[basin.labels].astype(np.int8)
        fig.add_trace(
            go.Heatmap(
                x=basin.xs, y=basin.ys, z=z, zmin=-0.5, zmax=len(outcomes) - 0.5,
                colorscale=colorscale, showscale=False,
                hovertemplate=text("hover_start") + "<extra></extra>",
            ),
            row=row + 1, col=col + 1,
        )
        bounds = ((basin.xs[0], basin.xs[-1]), (basin.ys[0], basin.ys[-1]))
        fig.add_trace(contour_trace(surface, bounds, ncontours=14), row=row + 1, col=col + 1)
        if len(basin.minima):
            fig.add_trace(minima_trace(basin.minima, text, showlegend=i == 0), row=row + 1, col=col + 1)
        fig.update_xaxes(range=bounds[0], constrain="domain", row=row + 1, col=col + 1)
        fig.update_yaxes(
            range=bounds[1], scaleanchor=f"x{i + 1 if i else ''}", scaleratio=1, constrain="domain",
            row=row + 1, col=col + 1,
        )
    present = set()
    for basin in maps:
        present.update(int(v) for v in np.unique(basin.labels))
    for label in outcomes:
        if label in present or label >= 0:
            fig.add_trace(_square_legend(outcome_name(label, text), basin_color(label), "basins"))
    fig.update_layout(
        height=rows * panel_height + 60, margin=dict(l=10, r=10, t=50, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.04, x=0),
        plot_bgcolor="white",
    )
    return fig
