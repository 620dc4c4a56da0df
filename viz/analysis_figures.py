"""Plotly figures of the analyses (basins, sweeps, noise ensembles, fair tuning).

Streamlit-free. Every visible word comes through ``text(key, **values)``, a translator of
the one catalogue (``scene.i18n.translator("analysis", lang)``); English by default. Maps
show the landscape of the app's map (``viz.landscape``): the same picture, colours and
rings.
"""

from __future__ import annotations

import base64
import io
import math
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import plotly.graph_objects as go
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from plotly.subplots import make_subplots

from analysis.basins import DIVERGED, LEFT_VIEW, NOT_CONVERGED, BasinMap
from scene.i18n import translator

from .axes import log_axis
from .landscape import height_scale, plotly_colorscale, plotly_image, sample
from .style import CONTOUR_LINE_COLOR, LANDSCAPE_COLORS, MINIMUM_COLOR, color_for

Text = Callable[..., str]

# Paul Tol's "light" scheme: pale enough for contour lines and minima to stay readable on
# top, and distinct from the optimizer palette (Okabe-Ito), which marks paths.
BASIN_COLORS = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00")
OUTCOME_COLORS = {NOT_CONVERGED: "#FFFFFF", LEFT_VIEW: "#BBBBBB", DIVERGED: "#444444"}
OUTCOME_KEYS = {NOT_CONVERGED: "outcome_not_converged", LEFT_VIEW: "outcome_left_view", DIVERGED: "outcome_diverged"}
CONTOUR_RESOLUTION = 120  # level lines as a plotly trace (contour_trace): a coarser grid than the picture's
PANEL_PIXELS = 480  # the longer side of a panel's landscape picture (a panel is ~300-450 px)
LEVEL_LINE_PIXELS = 1.2  # width of a level line in a basin panel's picture (~0.7-0.9 px on screen)
LEVEL_LINE_SHADES = 16  # opacities kept in that picture: one colour, anti-aliased edges
MAP_PIXELS = 720  # ... and of a single map's (the tuned paths), as on the app's map
BASIN_LINE_WIDTH = 0.7  # px: about the map picture's lines, and the basin colours stay in front
PANELS_PER_ROW = 4  # basin panels to a row by default (a notebook, a wide screen)
# ... and in the app, at every width: a figure cannot know the screen's, and two to a row
# read on a phone (four were ~80 px each, their titles over one another) as on a projector.
APP_BASIN_LAYOUT = {"per_row": 2, "panel_height": 340}
TITLE_WIDTH = 150  # px a panel title's line may take: a panel two to a row is ~160 px wide in a 360 px chart
TITLE_SIZE = 15  # px: a panel title's name ...
SHARES_SIZE = 13  # px: ... and its shares per outcome
TITLE_LINE_PIXELS = 21  # px per title line (plotly spaces lines ~1.35 em of TITLE_SIZE: 3 lines measured 61 px)
TITLE_PAD = 8  # px between a title and its panel
MODEBAR_ROOM = 24  # px above the top row's titles, where plotly's tool bar shows on a hover or a tap
TICK_LABEL_ROOM = 28  # px below a map for its x tick labels


# Default ``text``: the English strings of the analysis views.
english = translator("analysis", "en")


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


def _plain(bounds) -> tuple[tuple[float, float], tuple[float, float]]:
    """``bounds`` as plain floats: one cache key for the same view (viz.landscape caches)."""
    (x0, x1), (y0, y1) = bounds
    return (float(x0), float(x1)), (float(y0), float(y1))


def _contour_grid(surface: Any, bounds, resolution: int = CONTOUR_RESOLUTION):
    """Grid values of f for level lines over ``bounds``, on the height scale of the app's
    map of that view (:func:`viz.landscape.height_scale`), with that scale's levels: the
    same rings as on the map and in a GIF of the surface, on a coarser grid."""
    bounds = _plain(bounds)
    scale = height_scale(surface, bounds)
    xs, ys, values = sample(surface, bounds, resolution)
    return xs, ys, scale(values, clip=False), scale.levels()


def _map_axes(bounds, panel: int) -> dict[str, dict]:
    """Layout of the axes of map subplot ``panel`` (0, 1, ... in plotly's order, which is
    make_subplots' row by row): the view, one unit as long across as up, no grid or zero
    lines over the landscape (as on the app's map). For ``fig.update_layout``: one call for
    every panel (an update_xaxes(row=, col=) per panel was a third of a basin figure's build)."""
    suffix = str(panel + 1) if panel else ""
    (x0, x1), (y0, y1) = _plain(bounds)
    plain = dict(constrain="domain", showgrid=False, zeroline=False)
    return {
        f"xaxis{suffix}": dict(range=[x0, x1], **plain),
        f"yaxis{suffix}": dict(range=[y0, y1], scaleanchor=f"x{suffix}", scaleratio=1, **plain),
    }


def _explicit_levels(levels: np.ndarray) -> dict[str, Any]:
    return dict(start=float(levels[0]), end=float(levels[-1]), size=float(levels[1] - levels[0]))


def contour_trace(surface: Any, bounds=None, *, color: str = CONTOUR_LINE_COLOR) -> go.Contour:
    """The map's level lines, no fill, as a plotly contour trace. The basin maps draw them as a
    picture instead (:func:`level_lines_image`: four of these traces were 0.6 MB of the
    page's 0.9 MB and most of the browser's time to draw it); kept for tests/test_levels.py,
    which checks the levels through it."""
    xs, ys, values, levels = _contour_grid(surface, bounds or surface.bounds)
    return go.Contour(
        x=xs, y=ys, z=values, autocontour=False, showscale=False, hoverinfo="skip",
        contours=dict(coloring="none", **_explicit_levels(levels)), line=dict(color=color, width=BASIN_LINE_WIDTH), showlegend=False,
    )


def filled_contour_trace(surface: Any, bounds=None) -> go.Contour:
    """The landscape as a plotly contour trace, in its colours and rings. The views draw
    the picture instead (:func:`_add_landscape`: plotly.js recomputes a contour trace on
    every redraw); kept for tests/test_levels.py, which checks the levels through it."""
    xs, ys, values, levels = _contour_grid(surface, bounds or surface.bounds)
    return go.Contour(
        x=xs, y=ys, z=values, autocontour=False, contours=_explicit_levels(levels), showscale=False,
        hoverinfo="skip", colorscale=plotly_colorscale(LANDSCAPE_COLORS), line=dict(width=0.5, color=CONTOUR_LINE_COLOR),
        showlegend=False,
    )


def _add_landscape(fig: go.Figure, surface: Any, bounds=None, panel: int = 0, pixels: int = PANEL_PIXELS) -> None:
    """The app's landscape picture of ``surface`` over ``bounds`` under the traces of
    subplot ``panel`` (0, 1, ... in plotly's order) of ``fig``."""
    suffix = str(panel + 1) if panel else ""  # plotly's axis names: x, x2, x3, ...
    fig.add_layout_image(plotly_image(surface, _plain(bounds or surface.bounds), f"x{suffix}", f"y{suffix}", pixels))


@lru_cache(maxsize=32)
def level_lines_image(surface: Any, bounds, width: int, height: int, color: str = CONTOUR_LINE_COLOR) -> str:
    """The map's level lines of ``surface`` over ``bounds`` alone, on a transparent PNG
    data URI of ``width`` x ``height`` pixels, edge to edge: the same rings as the app's map
    (:func:`viz.landscape.height_scale` on the shared :func:`viz.landscape.sample`), drawn
    once per surface and view for every session. A palette picture of one colour at
    ``LEVEL_LINE_SHADES`` opacities: ~25 kB at 480 px, where plotly.js had to trace the
    rings of a 120 x 120 grid, for every panel, on every draw."""
    bounds = _plain(bounds)
    xs, ys, values = sample(surface, bounds)
    scale = height_scale(surface, bounds)
    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    FigureCanvasAgg(figure)
    figure.patch.set_alpha(0.0)
    ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.contour(
        xs, ys, scale.unit(values), levels=scale.unit_levels(), colors=color,
        linewidths=LEVEL_LINE_PIXELS * 72 / 100, linestyles="solid",  # points at 100 dpi
    )
    (x0, x1), (y0, y1) = bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, transparent=True)
    alpha = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGBA"))[..., 3]
    top = LEVEL_LINE_SHADES - 1
    picture = Image.fromarray(np.rint(alpha / 255 * top).astype(np.uint8), "P")
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    picture.putpalette([red, green, blue] * LEVEL_LINE_SHADES)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True, transparency=bytes(round(i * 255 / top) for i in range(LEVEL_LINE_SHADES)))
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _level_lines(surface: Any, bounds, panel: int, pixels: int = PANEL_PIXELS) -> dict:
    """A layout image of the level lines over ``bounds`` on the axes of subplot ``panel``,
    above its traces (a basin map's heatmap would hide anything below it)."""
    suffix = str(panel + 1) if panel else ""
    (x0, x1), (y0, y1) = bounds = _plain(bounds)
    aspect = (y1 - y0) / (x1 - x0)
    source = level_lines_image(surface, bounds, round(pixels / max(aspect, 1.0)), round(pixels * min(aspect, 1.0)))
    return {
        "source": source, "xref": f"x{suffix}", "yref": f"y{suffix}", "x": x0, "y": y1, "sizex": x1 - x0,
        "sizey": y1 - y0, "sizing": "stretch", "xanchor": "left", "yanchor": "top", "layer": "above",
    }


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


def _swatch(color: str, mark: str = "■", size: int | None = None) -> str:
    font = f";font-size:{size}px" if size else ""
    return f"<span style='color:{color}{font}'>{mark}</span>"


def _grid_shape(panels: int, per_row: int = PANELS_PER_ROW) -> tuple[int, int]:
    cols = max(1, min(panels, per_row))
    return math.ceil(panels / cols), cols


def _categorical_colorscale(colors: Sequence[str]) -> list[list[Any]]:
    """Step colorscale so integer z = i is drawn in colors[i] exactly."""
    n = len(colors)
    scale = []
    for i, color in enumerate(colors):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


# ----------------------------------------------------------------------------- basins


def _text_width(plain: str, size: float) -> float:
    """About how many px ``plain`` takes at font ``size``: a wide (CJK) character one em, a
    space 0.3, anything else 0.5 (Source Sans: a panel title measured 0.47-0.52 em a character)."""
    return size * sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.3 if c == " " else 0.5 for c in plain)


def _wrap(items: Sequence[tuple[str, str]], size: float, gap: str = " ", width: float = TITLE_WIDTH) -> list[str]:
    """Greedy lines of ``(plain, html)`` items, ``gap`` between two on a line, each line at
    most ``width`` px at font ``size`` (an item wider than that gets a line of its own)."""
    lines: list[list[tuple[str, str]]] = []
    for item in items:
        if lines and _text_width(gap.join(p for p, _ in [*lines[-1], item]), size) <= width:
            lines[-1].append(item)
        else:
            lines.append([item])
    return [gap.join(h for _, h in line) for line in lines]


def _shares_items(basin: BasinMap, text: Text) -> list[tuple[str, str]]:
    """A panel's share per outcome, as (plain, html) items: the minimum's number or the
    outcome's name, after its colour."""
    items = []
    for label, share in basin.shares().items():
        if share > 0:
            name = str(label + 1) if label >= 0 else outcome_name(label, text)
            swatch = _swatch(basin_color(label) if label != NOT_CONVERGED else "#999999")
            items.append((f"■{name} {share:.0%}", f"{swatch}{name} {share:.0%}"))
    return items


def _panel_title(basin: BasinMap, title: str, color: str, text: Text) -> list[str]:
    """A panel's title as lines no wider than ``TITLE_WIDTH``: its colour and name (broken
    between words), then its shares per outcome in smaller type."""
    words = [("■", _swatch(color)), *((word, word) for word in title.split())]
    name = _wrap(words, TITLE_SIZE)
    shares = _wrap(_shares_items(basin, text), SHARES_SIZE, " · ")
    return [*name, *(f"<span style='font-size:{SHARES_SIZE}px'>{line}</span>" for line in shares)]  # <sup> was ~8 px


def basin_figure(
    maps: Sequence[BasinMap],
    surface: Any,
    titles: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    text: Text = english,
    *,
    per_row: int = PANELS_PER_ROW,
    panel_height: int = 380,
) -> go.Figure:
    """Basin maps, ``per_row`` to a row, one per optimizer: each start coloured by the
    minimum it ends in, or by how it failed; minima starred and numbered; level lines on
    top; one shared key of outcomes below (text, not a plotly legend); each panel titled
    with its share per outcome, in lines that fit a panel two to a row on a phone; y tick
    labels on each row's first panel only. ``panel_height``: px per row, its titles included."""
    rows, cols = _grid_shape(len(maps), per_row)
    titles = list(titles or [m.label for m in maps])
    colors = list(colors or [color_for(i) for i in range(len(maps))])
    lines = [_panel_title(basin, title, c, text) for basin, title, c in zip(maps, titles, colors, strict=True)]
    # Each row's titles stand in the room above it, as tall as its tallest title.
    room = [
        TITLE_PAD + TITLE_LINE_PIXELS * max((len(t) for t in lines[r * cols : (r + 1) * cols]), default=1)
        for r in range(rows)
    ]
    minima = maps[0].minima if maps else np.zeros((0, 2))
    outcomes = [*range(len(minima)), NOT_CONVERGED, LEFT_VIEW, DIVERGED]
    present = set()
    for basin in maps:
        present.update(int(v) for v in np.unique(basin.labels))
    keys = [(_swatch(MINIMUM_COLOR, "★", KEY_SWATCH_PIXELS), text("legend_minima"))] if len(minima) else []
    keys += [(_outcome_swatch(label), outcome_name(label, text)) for label in outcomes if label in present or label >= 0]
    legend = _key_lines(keys)
    gap = TICK_LABEL_ROOM + max(room[1:], default=0)  # between rows: the x tick labels above, the titles below
    plot = rows * (panel_height - max(room)) + (rows - 1) * gap  # px of the panels' rows and the gaps between
    fig = make_subplots(rows=rows, cols=cols, horizontal_spacing=0.04, vertical_spacing=gap / plot if rows > 1 else 0.0)
    category = {label: i for i, label in enumerate(outcomes)}
    colorscale = _categorical_colorscale([basin_color(label) for label in outcomes])
    lookup = np.full(len(minima) + 4, 0)
    for label, index in category.items():
        lookup[label] = index  # negative labels index from the end: -1, -2, -3
    traces, axes, images, titles_shown = [], {}, [], []
    for i, basin in enumerate(maps):
        suffix = str(i + 1) if i else ""  # plotly's axis names: x, x2, x3, ... (make_subplots' order)
        place = dict(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        traces.append(
            go.Heatmap(
                x=basin.xs, y=basin.ys, z=lookup[basin.labels].astype(np.int8), zmin=-0.5, zmax=len(outcomes) - 0.5,
                colorscale=colorscale, showscale=False, hovertemplate=text("hover_start") + "<extra></extra>", **place,
            )
        )
        bounds = ((basin.xs[0], basin.xs[-1]), (basin.ys[0], basin.ys[-1]))
        images.append(_level_lines(surface, bounds, i))
        if len(basin.minima):
            traces.append(minima_trace(basin.minima, text).update(**place))
        axes.update(_map_axes(bounds, i))
        # A panel narrower than its row stays under its title; two to a row lean together
        # (on a wide screen they would stand half the figure apart).
        axes[f"yaxis{suffix}"]["constraintoward"] = "top"
        if cols == 2:
            axes[f"xaxis{suffix}"]["constraintoward"] = ("right", "left")[i % 2]
        titles_shown.append(_title_annotation("<br>".join(lines[i]), suffix))
        if i % cols:  # the same view in every panel: its y values once per row
            axes[f"yaxis{suffix}"]["showticklabels"] = False
    fig.add_traces(traces)
    bottom = KEY_ROOM + KEY_LINE_PIXELS * len(legend)
    fig.update_layout(
        axes, images=images, height=MODEBAR_ROOM + room[0] + plot + bottom,
        margin=dict(l=10, r=10, t=MODEBAR_ROOM + room[0], b=bottom), plot_bgcolor="white",
        showlegend=False, annotations=[*titles_shown, _key_annotation(legend)],
    )
    return fig


def _title_annotation(title: str, suffix: str) -> dict:
    """A panel's title, centred over the panel as drawn (its axes' domain after the square
    constraint), not over the room make_subplots gave it."""
    return dict(
        text=title, xref=f"x{suffix} domain", yref=f"y{suffix} domain", x=0.5, y=1, xanchor="center",
        yanchor="bottom", yshift=TITLE_PAD, showarrow=False, font=dict(size=TITLE_SIZE),
    )


KEYS_PER_LINE = 3
KEY_LINE_PIXELS = 22
KEY_SWATCH_PIXELS = 18
KEY_ROOM = 24  # px between the bottom row's tick labels and the key


def _outcome_swatch(label: int) -> str:
    """An outcome's square in the key; white cells (not converged) as an outlined square."""
    if basin_color(label) == OUTCOME_COLORS[NOT_CONVERGED]:
        return _swatch("#666666", "□", KEY_SWATCH_PIXELS)
    return _swatch(basin_color(label), size=KEY_SWATCH_PIXELS)


def _key_lines(keys: Sequence[tuple[str, str]]) -> list[str]:
    """A figure's key, ``KEYS_PER_LINE`` (swatch, name) pairs a line."""
    items = [f"{swatch} {name}" for swatch, name in keys]
    return ["&nbsp;&nbsp;&nbsp;&nbsp;".join(items[i : i + KEYS_PER_LINE]) for i in range(0, len(items), KEYS_PER_LINE)]


def _key_annotation(lines: Sequence[str]) -> dict:
    """The key below the panels as one text: a plotly legend needs a trace per entry, and
    plotly.js lays out, measures and draws every entry on each draw (with the per-trace
    defaults, about a fifth of the basin figure's drawing time in a browser profile). It
    starts under the first panel as drawn, where the panels of a wide figure lean together."""
    return dict(
        text="<br>".join(lines), xref="x domain", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
        yshift=-KEY_ROOM, align="left", showarrow=False, font=dict(size=13),
    )


# ----------------------------------------------------------------------------- sweeps


def _cell_edges(values: np.ndarray, log: bool) -> np.ndarray:
    """Borders of the cells centred on ``values``: midpoints, geometric on a log axis, so
    a heatmap on a log axis has its cells exactly where the values are."""
    values = np.asarray(values, dtype=float)
    if len(values) == 1:
        return values[0] * np.array([0.8, 1.25]) if log else values[0] + np.array([-0.5, 0.5])
    inner = np.sqrt(values[:-1] * values[1:]) if log else (values[:-1] + values[1:]) / 2
    first = values[0] ** 2 / inner[0] if log else 2 * values[0] - inner[0]
    last = values[-1] ** 2 / inner[-1] if log else 2 * values[-1] - inner[-1]
    return np.concatenate([[first], inner, [last]])


def _edge_staircase(result, x_edges: np.ndarray, y_edges: np.ndarray) -> tuple[list[float], list[float]]:
    """The measured border of the stable region (``SweepResult.stable_edge``): the right
    edge of each row's cell of that rate, the left edge of the row if no rate is stable."""
    xs: list[float] = []
    ys: list[float] = []
    for row, count in enumerate(result.stable_rate_count()):
        x = x_edges[count]
        xs += [x, x]
        ys += [y_edges[row], y_edges[row + 1]]
    return xs, ys


UNSTABLE_COLOR = "#555555"
UNSETTLED_COLOR = "#D9D9D9"
THEORY_COLOR = "#D55E00"


def _sweep_cells(result, metric: str, x_edges, y_edges, axis_name: str, text: Text, log_color: bool) -> list:
    """The heatmap of the metric, the unstable cells over it (and, for "steps", the cells
    that never settled), each with its legend square."""
    hover = f"lr %{{x:.3g}}<br>{axis_name} %{{y:.4g}}<br>"
    if metric == "steps":
        z = np.where(result.stable & (result.steps_to_tol >= 0), result.steps_to_tol, np.nan)
        colorbar_title = text("sweep_colorbar_steps")
    else:
        gap = result.loss_gap
        z = np.where(result.stable, np.log10(np.maximum(gap, 1e-16)) if log_color else gap, np.nan)
        colorbar_title = text("sweep_colorbar_log_loss" if log_color else "sweep_colorbar_loss")
    traces = [
        go.Heatmap(
            x=x_edges, y=y_edges, z=z, colorscale="Viridis", colorbar=dict(title=dict(text=colorbar_title), len=0.8),
            hovertemplate=hover + "%{z:.3g}<extra></extra>",
        )
    ]
    masks = [(~result.stable, "sweep_unstable", UNSTABLE_COLOR)]
    if metric == "steps":
        masks.append((result.stable & (result.steps_to_tol < 0), "sweep_unsettled", UNSETTLED_COLOR))
    for mask, key, color in masks:
        traces.append(
            go.Heatmap(
                x=x_edges, y=y_edges, z=np.where(mask, 1.0, np.nan), colorscale=[[0, color], [1, color]],
                showscale=False, hovertemplate=hover + f"{text(key)}<extra></extra>",
            )
        )
        traces.append(_square_legend(text(key), color, "cells"))
    return traces


def _sweep_theory(result, theory, text: Text) -> list:
    """The closed-form stability limit, and Polyak's optimum where the theory has one."""
    traces = [
        go.Scatter(
            x=theory.limits, y=result.axis_values, mode="lines",
            line=dict(color=THEORY_COLOR, width=3, dash="dash"), name=text("sweep_theory_limit"),
            hovertemplate="lr %{x:.3g}<extra>" + text("sweep_theory_limit") + "</extra>",
        )
    ]
    if theory.optimum is not None:
        lr, beta = theory.optimum
        traces.append(
            go.Scatter(
                x=[lr], y=[beta], mode="markers", name=text("sweep_optimum", lr=lr, beta=beta),
                marker=dict(symbol="star", size=18, color="white", line=dict(color=THEORY_COLOR, width=2.5)),
                hovertemplate="lr* %{x:.3g}<br>β* %{y:.3g}<extra></extra>",
            )
        )
    return traces


def sweep_figure(
    result,
    theory=None,
    *,
    metric: str = "final_loss",
    axis_log: bool = False,
    axis_title: str | None = None,
    text: Text = english,
    log_color: bool = True,
    height: int = 560,
) -> go.Figure:
    """Heatmap of a learning-rate x hyperparameter sweep (``analysis.SweepResult``).

    ``metric`` "final_loss" colours by log10 of the final loss gap (linear when
    ``log_color`` is False, e.g. a surface without minima), "steps" by steps to tolerance.
    Unstable cells are dark grey, cells that never settled (steps) light grey; the measured
    stable edge is a black staircase; ``theory`` (``analysis.SweepTheory``) adds the
    closed-form stability limit and Polyak's optimum.
    """
    x_edges = _cell_edges(result.lrs, True)
    y_edges = _cell_edges(result.axis_values, axis_log)
    axis_name = axis_title or result.axis
    fig = go.Figure()
    for trace in _sweep_cells(result, metric, x_edges, y_edges, axis_name, text, log_color):
        fig.add_trace(trace)
    xs, ys = _edge_staircase(result, x_edges, y_edges)
    fig.add_trace(
        go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="black", width=2.5), name=text("sweep_edge"), hoverinfo="skip")
    )
    if theory is not None and np.isfinite(theory.limits).any():
        for trace in _sweep_theory(result, theory, text):
            fig.add_trace(trace)
    fig.update_xaxes(**log_axis(x_edges, autorange=False), range=np.log10([x_edges[0], x_edges[-1]]).tolist(), title=text("axis_lr"))
    fig.update_yaxes(
        **(log_axis(y_edges, autorange=False) if axis_log else {}),
        range=(np.log10([y_edges[0], y_edges[-1]]) if axis_log else y_edges[[0, -1]]).tolist(),
        title=axis_name,
    )
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
    )
    return fig


# ----------------------------------------------------------------------------- ensembles


def _paths_with_gaps(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, N, 2) paths as one x and one y array with NaN between runs: one trace, and
    NaN (unlike None) keeps Plotly's compact binary encoding."""
    n_steps, n_runs, _ = points.shape
    padded = np.full((n_runs, n_steps + 1, 2), np.nan)
    padded[:, :n_steps] = points.transpose(1, 0, 2)
    flat = padded.reshape(-1, 2)
    return flat[:, 0], flat[:, 1]


def _with_alpha(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def noise_ball_bounds(ensembles: Sequence[Any], tail: float = 0.25, margin: float = 0.35):
    """A square view around where the runs spend their last ``tail`` of the steps (all
    panels alike, so their clouds compare at one scale), ``margin`` of its side added."""
    ends = np.concatenate([e.points[-max(1, int(round(tail * len(e.points)))) :].reshape(-1, 2) for e in ensembles])
    ends = ends[np.isfinite(ends).all(axis=1)]
    low, high = np.percentile(ends, 1, axis=0), np.percentile(ends, 99, axis=0)
    centre = (low + high) / 2
    half = max(float((high - low).max()) / 2 * (1 + 2 * margin), 1e-6)
    return tuple((float(c - half), float(c + half)) for c in centre)


def ensemble_figure(
    ensembles: Sequence[Any],
    surface: Any,
    color: str = "#0072B2",
    text: Text = english,
    *,
    bounds=None,
    panel_height: int = 400,
) -> go.Figure:
    """One panel per ensemble (typically per batch size): every run as a thin translucent
    path, the mean path bold, the start and minima marked, and the settled spread (the
    size of the noise ball) in the panel title."""
    rows, cols = _grid_shape(len(ensembles))
    titles = [
        text("ensemble_panel", batch=e.batch_size, spread=e.tail_spread(), runs=e.points.shape[1])
        for e in ensembles
    ]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.04, vertical_spacing=0.1)
    bounds = bounds or surface.bounds
    for i, ensemble in enumerate(ensembles):
        row, col = divmod(i, cols)
        place = dict(row=row + 1, col=col + 1)
        _add_landscape(fig, surface, bounds, panel=i)
        xs, ys = _paths_with_gaps(ensemble.points)
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", line=dict(color=_with_alpha(color, 0.4), width=1),
                name=text("ensemble_runs"), legendgroup="runs", showlegend=i == 0, hoverinfo="skip",
            ),
            **place,
        )
        final = ensemble.points[-1]
        fig.add_trace(
            go.Scatter(
                x=final[:, 0], y=final[:, 1], mode="markers", marker=dict(color=color, size=4),
                name=text("ensemble_final"), legendgroup="final", showlegend=i == 0,
                hovertemplate="%{x:.3g}, %{y:.3g}<extra></extra>",
            ),
            **place,
        )
        fig.add_trace(
            go.Scatter(
                x=ensemble.mean_path[:, 0], y=ensemble.mean_path[:, 1], mode="lines",
                line=dict(color="black", width=2), name=text("ensemble_mean"), legendgroup="mean",
                showlegend=i == 0, hoverinfo="skip",
            ),
            **place,
        )
        start = ensemble.points[0, 0]
        fig.add_trace(
            go.Scatter(
                x=[start[0]], y=[start[1]], mode="markers", name=text("legend_start"), legendgroup="start",
                showlegend=i == 0, marker=dict(symbol="circle", size=11, color="white", line=dict(color="black", width=2)),
            ),
            **place,
        )
        if len(surface.minima):
            fig.add_trace(minima_trace(surface.minima, text, showlegend=i == 0, numbered=False), **place)
        fig.update_layout(_map_axes(bounds, i))
    fig.update_layout(
        height=rows * panel_height + 60, margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white",
        # Below the bottom row's tick labels (at -0.04 it hid the first panel's).
        legend=dict(orientation="h", yanchor="top", y=-TICK_LABEL_ROOM / (rows * panel_height), x=0),
    )
    return fig


def spread_figure(ensembles: Sequence[Any], color: str = "#0072B2", text: Text = english, *, height: int = 330) -> go.Figure:
    """Left: spread around the mean path over the steps, one line per batch size. Right:
    settled spread against batch size (log-log) with the ``1/sqrt(b)`` law through the
    first point."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(text("spread_over_steps"), text("spread_vs_batch")), horizontal_spacing=0.1)
    shades = np.linspace(0.35, 1.0, len(ensembles)) if len(ensembles) > 1 else np.array([1.0])
    for ensemble, alpha in zip(ensembles, shades, strict=True):
        fig.add_trace(
            go.Scatter(
                x=ensemble.step_index, y=ensemble.spread, mode="lines",
                line=dict(color=_with_alpha(color, float(alpha)), width=2),
                name=text("batch_label", batch=ensemble.batch_size),
            ),
            row=1, col=1,
        )
    batches = np.array([e.batch_size for e in ensembles], dtype=float)
    tails = np.array([e.tail_spread() for e in ensembles])
    fig.add_trace(
        go.Scatter(x=batches, y=tails, mode="lines+markers", marker=dict(color=color, size=9), line=dict(color=color), name=text("spread_measured")),
        row=1, col=2,
    )
    if len(batches) and np.isfinite(tails[0]) and tails[0] > 0:
        law = tails[0] * np.sqrt(batches[0] / batches)
        fig.add_trace(
            go.Scatter(x=batches, y=law, mode="lines", line=dict(color="black", dash="dash"), name=text("spread_law")),
            row=1, col=2,
        )
    spreads = np.concatenate([e.spread[1:] for e in ensembles])
    fig.update_yaxes(**log_axis(spreads), title=text("spread_axis"), row=1, col=1)
    fig.update_xaxes(title=text("axis_step"), row=1, col=1)
    fig.update_xaxes(**log_axis(batches), title=text("axis_batch"), row=1, col=2)
    fig.update_yaxes(**log_axis(tails), row=1, col=2)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white", legend=dict(orientation="v"))
    return fig


# ----------------------------------------------------------------------------- tuning


def tuning_figure(
    results: Sequence[Any],
    titles: Sequence[str],
    colors: Sequence[str] | None = None,
    text: Text = english,
    *,
    height: int = 420,
) -> go.Figure:
    """Criterion against learning rate on the disclosed grid, one curve per optimizer; the
    grid's rates are the markers, failed rates an ``x`` on the top edge, the chosen rate a
    large ringed dot."""
    colors = list(colors or [color_for(i) for i in range(len(results))])
    fig = go.Figure()
    finite = np.concatenate([r.scores[np.isfinite(r.scores)] for r in results] + [np.zeros(0)])
    positive = finite[finite > 0]
    log_y = len(positive) == len(finite) and len(finite) > 0
    top = float(positive.max() * 3) if log_y else float(finite.max() + 0.1 * (np.ptp(finite) + 1e-12)) if len(finite) else 1.0
    for result, title, color in zip(results, titles, colors, strict=True):
        ok = np.isfinite(result.scores)
        fig.add_trace(
            go.Scatter(
                x=result.lrs[ok], y=result.scores[ok], mode="lines+markers", name=title, legendgroup=title,
                line=dict(color=color, width=2), marker=dict(color=color, size=6),
                hovertemplate="lr %{x:.3g}<br>%{y:.4g}<extra>" + title + "</extra>",
            )
        )
        if (~ok).any():
            fig.add_trace(
                go.Scatter(
                    x=result.lrs[~ok], y=np.full((~ok).sum(), top), mode="markers", legendgroup=title,
                    showlegend=False, marker=dict(symbol="x", color=color, size=9),
                    hovertemplate="lr %{x:.3g}<extra>" + text("tuning_failed") + "</extra>",
                )
            )
        if result.best_index >= 0:
            fig.add_trace(
                go.Scatter(
                    x=[result.best_lr], y=[result.best_score], mode="markers", legendgroup=title, showlegend=False,
                    marker=dict(color=color, size=17, line=dict(color="black", width=2)),
                    hovertemplate=text("tuning_chosen") + " lr %{x:.3g}<extra>" + title + "</extra>",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[None], y=[None], mode="markers", name=text("tuning_chosen"),
            marker=dict(color="white", size=15, line=dict(color="black", width=2)),
        )
    )
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=text("tuning_failed"), marker=dict(symbol="x", color="#444444", size=9)))
    fig.update_xaxes(**log_axis(np.concatenate([r.lrs for r in results])), title=text("axis_lr"))
    fig.update_yaxes(**(log_axis(positive) if log_y else {}), title=text(f"criterion_{results[0].criterion}") if results else "")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white")
    return fig


def tuned_paths_figure(
    results: Sequence[Any],
    titles: Sequence[str],
    surface: Any,
    colors: Sequence[str] | None = None,
    text: Text = english,
    *,
    height: int = 460,
) -> go.Figure:
    """Left: each optimizer's path at its own tuned rate (``analysis.TuningResult``'s
    scored run) on the surface. Right: the loss above the global minimum over the steps
    (log scale when the surface lists a minimum). Optimizers where every rate failed are
    left out."""
    colors = list(colors or [color_for(i) for i in range(len(results))])
    fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], subplot_titles=(text("tuned_paths"), text("tuned_losses")), horizontal_spacing=0.08)
    _add_landscape(fig, surface, pixels=MAP_PIXELS)
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    f_min = float(surface.f(minima[0])) if len(minima) else 0.0
    chosen = [(r, title, color) for r, title, color in zip(results, titles, colors, strict=True) if r.best_index >= 0]
    for result, title, color in chosen:
        path = result.best_points
        fig.add_trace(
            go.Scatter(
                x=path[:, 0], y=path[:, 1], mode="lines+markers", line=dict(color=color, width=2.5),
                marker=dict(size=3, color=color), name=title, legendgroup=title,
                hovertemplate="%{x:.3g}, %{y:.3g}<extra>" + title + "</extra>",
            ),
            row=1, col=1,
        )
        gap = result.best_losses - f_min
        fig.add_trace(
            go.Scatter(
                x=result.step_index, y=np.maximum(gap, 1e-16) if len(minima) else gap, mode="lines",
                line=dict(color=color, width=2.5), name=title, legendgroup=title, showlegend=False,
            ),
            row=1, col=2,
        )
    if chosen:
        start = chosen[0][0].best_points[0]
        fig.add_trace(
            go.Scatter(
                x=[start[0]], y=[start[1]], mode="markers", name=text("legend_start"),
                marker=dict(symbol="circle", size=11, color="white", line=dict(color="black", width=2)),
            ),
            row=1, col=1,
        )
    if len(minima):
        fig.add_trace(minima_trace(minima, text, showlegend=True, numbered=False), row=1, col=1)
    fig.update_layout(_map_axes(surface.bounds, 0))
    gaps = np.concatenate([r.best_losses - f_min for r, _, _ in chosen] + [np.zeros(0)])
    fig.update_yaxes(**(log_axis(np.maximum(gaps, 1e-16)) if len(minima) else {}), title=text("axis_loss_gap"), row=1, col=2)
    fig.update_xaxes(title=text("axis_step"), row=1, col=2)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), plot_bgcolor="white", legend=dict(orientation="h", y=-0.12))
    return fig
