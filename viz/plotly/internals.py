"""Inside one optimizer at one step: the close-up of the steps it weighs, and for adaptive
methods its per-coordinate step sizes."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from optimizers import Trajectory
from scene import Scene
from surfaces import Surface

from ..axes import log_ticks
from ..geometry import significant, simplify
from ..picture import figure_text as text
from ..style import color_for
from .contour import _contour_trace, contour_grid
from .figure_type import TOLERANCE, _decimals_for, _rounded
from .layout import _axis_style, _base_layout


def internals_figure(
    scene: Scene,
    surface: Surface,
    trajectory: Trajectory,
    index: int,
    step: int,
    *,
    lang: str = "en",
    font_size: int = 15,
) -> go.Figure:
    """Inside one optimizer at one step (needs ``run(..., record_internals=True)``).

    Left, a close-up of the contour around theta_t at true scale (equal axes, so the
    gradient is perpendicular to the level lines) with the plain gradient step -eta g, the
    momentum step -eta m (if the method keeps one) and the update it actually took. Right,
    for adaptive methods, the per-coordinate effective step size at this step against the
    plain eta, and its history over the run with a cursor at this step."""
    if trajectory.grads is None:
        raise ValueError("The trajectory was run without record_internals=True")
    steps_run = len(trajectory.lrs)
    step = int(np.clip(step, 0, max(steps_run - 1, 0)))
    color = color_for(index)
    theta = trajectory.points[step, 0]
    rate = float(trajectory.lrs[step]) if steps_run else 0.0
    arrows = {"gradient_step": -rate * trajectory.grads[step, 0]}
    if "momentum" in trajectory.internals:
        arrows["momentum_step"] = -rate * trajectory.internals["momentum"][step, 0]
    arrows["update"] = trajectory.updates[step, 0]
    colors = {"gradient_step": "#555555", "momentum_step": "#8c564b", "update": color}
    reach = max([float(np.hypot(*a)) for a in arrows.values()] + [1e-9])
    (bx0, bx1), (by0, by1) = surface.bounds
    # Tight around the longest arrow, so the shortest one (often the actual update) stays visible.
    half = max(1.15 * reach, 1e-4 * max(bx1 - bx0, by1 - by0))
    window = ((theta[0] - half, theta[0] + half), (theta[1] - half, theta[1] + half))
    grid = contour_grid(surface, size=50, bounds=window)
    decimals = _decimals_for(2 * half)
    adaptive = "step_size" in trajectory.internals
    close_x = (0.0, 0.46) if adaptive else (0.2, 0.8)
    data: list[dict] = [_contour_trace(grid, ("x", "y"), lines=14)]
    points = trajectory.points[:, 0]
    kept = simplify(points / (2 * half), TOLERANCE)
    data.append(
        {
            "type": "scatter", "mode": "lines", "x": _rounded(points[kept, 0], decimals),
            "y": _rounded(points[kept, 1], decimals), "line": {"color": color, "width": 2},
            "opacity": 0.45, "hoverinfo": "skip", "showlegend": False,
        }
    )
    annotations = _arrow_annotations(data, arrows, colors, theta, lang)
    data.append(
        {
            "type": "scatter", "mode": "markers", "x": [float(theta[0])], "y": [float(theta[1])], "showlegend": False,
            "marker": {"size": 12, "color": color, "line": {"color": "#ffffff", "width": 2}},
            "hovertemplate": "θ_t = (%{x}, %{y})<extra></extra>",
        }
    )
    layout = _close_up_layout(window, close_x, font_size)
    if adaptive:
        _step_size_panels(data, layout, trajectory, step, rate, color, lang, font_size)
    layout["annotations"] = annotations
    layout["dragmode"] = "zoom"
    return go.Figure(data=data, layout=layout)


def _arrow_annotations(data: list[dict], arrows: dict, colors: dict, theta: np.ndarray, lang: str) -> list[dict]:
    """An arrow from theta_t for each of ``arrows``, and its legend entry added to ``data``."""
    annotations = []
    for key, vector in arrows.items():
        tip = theta + vector
        data.append(  # an empty trace per arrow carries its legend entry
            {
                "type": "scatter", "mode": "lines", "x": [None], "y": [None], "name": text(key, lang),
                "line": {"color": colors[key], "width": 4, "dash": "dot" if key == "momentum_step" else "solid"},
            }
        )
        # Plotly draws an annotation's arrow from (ax, ay) to its head at (x, y).
        annotations.append(
            {
                "x": float(tip[0]), "y": float(tip[1]), "ax": float(theta[0]), "ay": float(theta[1]),
                "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "text": "", "showarrow": True,
                "arrowhead": 2, "arrowsize": 0.8, "arrowwidth": 4 if key == "update" else 3,
                "arrowcolor": colors[key], "opacity": 0.9,
            }
        )
    return annotations


def _close_up_layout(window, close_x: tuple[float, float], font_size: int) -> dict:
    """The layout with the close-up's equal axes over ``window``."""
    height = 420 + 8 * font_size
    layout: dict = _base_layout(height, 50 + 2 * font_size, 50 + 2 * font_size, font_size, True)
    layout["legend"] = {"orientation": "h", "x": 0.0, "y": 1.02, "yanchor": "bottom", "font": {"size": font_size - 1}}
    layout["xaxis"] = {
        **_axis_style(font_size), "domain": list(close_x), "range": list(window[0]), "constrain": "domain",
        "title": {"text": "x"},
    }
    layout["yaxis"] = {
        **_axis_style(font_size), "domain": [0.0, 1.0], "range": list(window[1]), "scaleanchor": "x",
        "scaleratio": 1, "constrain": "domain", "title": {"text": "y"},
    }
    return layout


def _step_size_panels(data, layout, trajectory: Trajectory, step: int, rate: float, color: str, lang: str, font_size: int) -> None:
    """Bars of the per-coordinate effective step size at ``step`` against eta, and both
    coordinates' step sizes over the run (log scale) with a cursor at ``step``."""
    sizes = trajectory.internals["step_size"][:, 0]
    now = sizes[step]
    data.append(
        {
            "type": "bar", "x": ["x", "y"], "y": significant(now), "xaxis": "x2", "yaxis": "y2",
            "marker": {"color": color}, "showlegend": False, "text": [f"{v:.3g}" for v in now],
            "textposition": "outside", "hovertemplate": "%{x}: %{y:.4g}<extra></extra>", "cliponaxis": False,
        }
    )
    data.append(
        {
            "type": "scatter", "mode": "lines", "x": ["x", "y"], "y": [rate, rate], "xaxis": "x2", "yaxis": "y2",
            "name": text("plain_lr", lang), "line": {"color": "#555555", "dash": "dash", "width": 2},
        }
    )
    top = max(float(np.max(now)), rate) * 1.3 or 1.0
    layout["xaxis2"] = {**_axis_style(font_size), "domain": [0.58, 1.0], "anchor": "y2"}
    layout["yaxis2"] = {
        **_axis_style(font_size), "domain": [0.6, 1.0], "anchor": "x2", "range": [0, top], "showgrid": True,
        "gridcolor": "#eeeeee", "title": {"text": text("step_size_now", lang), "font": {"size": font_size - 2}},
    }
    steps = np.arange(len(sizes))
    positive = sizes[sizes > 0]
    low = float(positive.min()) if positive.size else 1e-6
    high = float(max(sizes.max(), rate, low * 10))
    for coordinate, dash in ((0, "solid"), (1, "dot")):
        keep = simplify(np.column_stack((steps / max(len(steps), 1), np.log10(np.maximum(sizes[:, coordinate], low)) / 10)), TOLERANCE)
        data.append(
            {
                "type": "scatter", "mode": "lines", "x": steps[keep].tolist(), "y": significant(np.maximum(sizes[keep, coordinate], low)),
                "xaxis": "x3", "yaxis": "y3", "showlegend": False, "line": {"color": color, "width": 2, "dash": dash},
                "hovertemplate": f"{'xy'[coordinate]}: %{{y:.3g}}<extra></extra>",
            }
        )
        data.append(
            {
                "type": "scatter", "mode": "text", "x": [len(steps) - 1], "y": [float(max(sizes[-1, coordinate], low))],
                "text": ["x" if coordinate == 0 else "y"], "textposition": "middle right", "xaxis": "x3", "yaxis": "y3",
                "showlegend": False, "cliponaxis": False, "hoverinfo": "skip", "textfont": {"color": color, "size": font_size - 1},
            }
        )
    data.append(
        {
            "type": "scatter", "mode": "lines", "x": [step, step], "y": [low, high * 1.5], "xaxis": "x3", "yaxis": "y3",
            "showlegend": False, "hoverinfo": "skip", "line": {"color": "rgba(0,0,0,0.5)", "dash": "dot", "width": 1.5},
        }
    )
    layout["xaxis3"] = {
        **_axis_style(font_size), "domain": [0.58, 0.97], "anchor": "y3", "range": [0, max(len(steps) - 1, 1)],
        "title": {"text": text("step", lang), "standoff": 2},
    }
    layout["yaxis3"] = {
        **_axis_style(font_size), "domain": [0.0, 0.42], "anchor": "x3", "type": "log",
        "range": [math.log10(low) - 0.1, math.log10(high * 1.5)], "exponentformat": "power",
        **log_ticks(math.log10(low) - 0.1, math.log10(high * 1.5)),
        "title": {"text": text("step_size_history", lang), "font": {"size": font_size - 2}},
    }
