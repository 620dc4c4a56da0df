"""Interactive Plotly figures of a scene: the animated trajectories, the 3-D surface and the
"inside the optimizer" close-up. Streamlit-free, so the export writes the same figure to HTML.

Size and speed matter more than usual here: the app redraws the animated figure on every
slider move (target: well under 300 ms for 4 optimizers x 300 steps). So frames carry only
the moving traces, coordinates are rounded to what a screen can show, paths are simplified
with a tolerance below a pixel (never by striding, which hides SGD's step-to-step zig-zag),
and the frames stay plain dicts (see :class:`AnimatedFigure`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64, to_typed_array_spec

from analysis.metrics import distance_to_nearest_minimum
from optimizers import Trajectory
from scene import Scene
from scene.i18n import t
from scene.labels import entry_labels as labels_of
from surfaces import Surface

from .frames import frame_indices
from .landscape import landscape_image, plotly_colorscale, sample
from .levels import CONTOUR_LEVELS, HeightScale
from .style import (
    CONTOUR_LINE_COLOR,
    LANDSCAPE_COLORS,
    MINIMUM_COLOR,
    RELIEF_COLORS,
    START_COLOR,
    color_for,
)

LAYOUTS = ("overlay", "side_by_side")
ASSUMED_WIDTH = 1000  # pixels: Streamlit's wide main column next to the sidebar
GRID_SIZE = 80
CLICK_GRID_SIZE = 41
# Paths and curves are simplified to this fraction of the view: about a pixel on a projector.
TOLERANCE = 0.002
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif'
)
LANDSCAPE_PIXELS = 720  # the longer side of the map's picture (a map is ~420 px wide in the app)
DISTANCE_FLOOR = 1e-6
FRAME_MS = 40  # one frame at speed 1x: 150 frames play in 6 s
# Frame k carries every path up to step k, so the data grows with frames x path points; noisy
# paths keep all their points, so their frame count is lowered to stay within this many points.
FRAME_POINT_BUDGET = 40_000
MIN_FRAMES = 40

def text(key: str, lang: str, **values: Any) -> str:
    """A figure string from the one catalogue (assets/i18n/figure.json)."""
    return t(f"figure.{key}", lang, **values)


# ----------------------------------------------------------------------------- the figure type


class AnimatedFigure(go.Figure):
    """A ``go.Figure`` kept as the plain dicts it was built from until someone reads it.

    Plotly turns every trace of every frame into a validated object: about 0.25 s for 150
    frames, and ~8 ms more to build and deep-copy the 24 traces and the layout, all of it on
    every slider move of the app. ``to_dict`` (used by ``to_json``, ``st.plotly_chart``)
    copies the dicts (arrays already in plotly's typed-array form). Any other
    use (``fig.data``, ``fig.layout``, ``update_layout``, ``write_html`` ...) builds the
    figure once, and reading ``fig.frames`` builds the frames, so it behaves as any other.
    """

    def __init__(self, data=None, layout=None, frames: list[dict] | None = None):
        if isinstance(data, go.Figure):  # as go.Figure(fig) does; copy and pickle pass one
            data = data.to_dict()
        if isinstance(data, dict):  # {"data": ..., "layout": ..., "frames": ...}
            data, layout, frames = data.get("data"), data.get("layout", layout), data.get("frames", frames)
        attributes = object.__getattribute__(self, "__dict__")
        attributes["_raw"] = attributes["_raw_frames"] = None
        super().__init__()
        attributes["_raw"] = {"data": list(data or []), "layout": dict(layout or {})}
        attributes["_raw_frames"] = list(frames) if frames else None

    def __getattribute__(self, name: str):
        if name not in _PLAIN_ATTRIBUTES:
            build = object.__getattribute__(self, "_build")
            build(frames=name in ("frames", "_frame_objs"))
        return object.__getattribute__(self, name)

    def _build(self, frames: bool = False) -> None:
        attributes = object.__getattribute__(self, "__dict__")
        if attributes["_raw"] is not None:
            raw, attributes["_raw"] = attributes["_raw"], None
            # Not validated (plotly's private flag); tests validate the whole dict, frames
            # included, with go.Figure(fig.to_dict()).
            go.Figure.__init__(self, data=raw["data"], layout=raw["layout"], _validate=False)
        if frames and attributes["_raw_frames"] is not None:
            raw_frames, attributes["_raw_frames"] = attributes["_raw_frames"], None
            go.Figure.frames.fset(self, raw_frames)

    def __getitem__(self, prop):
        object.__getattribute__(self, "_build")(frames=prop == "frames")
        return super().__getitem__(prop)

    def to_dict(self) -> dict:
        """Data and layout copied (a caller may change them, ~1 ms); the frame dicts shared,
        as plotly objects only once someone reads ``fig.frames``."""
        attributes = object.__getattribute__(self, "__dict__")
        raw, frames = attributes["_raw"], attributes["_raw_frames"]
        if raw is None:  # built: plotly's own dicts, without building the frames for it
            raw = {"data": self._data, "layout": self._layout}
        result = copy.deepcopy(raw)
        convert_to_base64(result)  # arrays a caller added to the built figure
        if frames is not None:
            result["frames"] = list(frames)
        elif self._frame_objs:
            result["frames"] = [copy.deepcopy(frame._props) for frame in self._frame_objs]
        return result

    def to_plotly_json(self) -> dict:
        return self.to_dict()


# What answers without building the figure: its own fields and the ways out as dicts.
_PLAIN_ATTRIBUTES = frozenset({"__dict__", "__class__", "_build", "to_dict", "to_plotly_json", "to_json"})


def _typed(values: np.ndarray) -> dict:
    """An array in plotly's typed-array form (base64), as ``go.Figure.to_dict`` writes it."""
    return to_typed_array_spec(np.ascontiguousarray(values))


# ----------------------------------------------------------------------------- number helpers


def _decimals_for(extent: float) -> int:
    """Decimals that resolve 1/10000 of ``extent``: finer than any screen shows."""
    return max(0, 4 - math.floor(math.log10(max(extent, 1e-12))))


def _rounded(values: np.ndarray, decimals: int) -> list:
    return np.round(np.asarray(values, dtype=float), decimals).tolist()


def _significant(values: np.ndarray, digits: int = 4) -> list:
    """Round to ``digits`` significant digits (losses span many decades)."""
    values = np.asarray(values, dtype=float)
    magnitude = np.floor(np.log10(np.where(values == 0, 1.0, np.abs(values))))
    scale = 10.0 ** (digits - 1 - magnitude)
    return (np.round(values * scale) / scale).tolist()


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Indices of the points of a polyline (N, 2) that keep it within ``tolerance``
    (Ramer-Douglas-Peucker): corners and zig-zags stay, straight runs shrink to two points.

    Every segment of one recursion depth is split in the same pass (the splits of different
    segments do not depend on each other, so the result is the recursive one): a noisy
    300-point path costs a few array passes instead of ~300 small ones.
    """
    n = len(points)
    if n <= 2:
        return np.arange(n)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    x, y = points[:, 0], points[:, 1]
    everywhere = np.arange(n)
    while True:
        kept = np.flatnonzero(keep)
        segment = np.minimum(np.searchsorted(kept, everywhere, side="right") - 1, len(kept) - 2)
        first, last = kept[segment], kept[segment + 1]
        ax, ay = x[first], y[first]
        cx, cy = x[last] - ax, y[last] - ay
        length2 = cx * cx + cy * cy
        # Distance to the segment, not to its line: a run that bounces back along the same
        # line (SGD across an axis-aligned valley) must keep its turning points.
        along = np.clip(((x - ax) * cx + (y - ay) * cy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
        gaps = np.hypot(x - (ax + along * cx), y - (ay + along * cy))
        gaps[keep] = -1.0
        worst = np.maximum.reduceat(gaps, kept[:-1])[segment]
        splits = np.flatnonzero((worst > tolerance) & (gaps == worst) & ~keep)
        if not len(splits):
            return kept
        # The first farthest point of each segment, as np.argmax would pick it.
        keep[splits[np.r_[True, segment[splits][1:] != segment[splits][:-1]]]] = True


# ----------------------------------------------------------------------------- surface grid


@dataclass(frozen=True)
class ContourGrid:
    """The surface sampled for drawing; ``z`` is f on the shared height scale
    (``viz.levels.HeightScale``: log-compressed when the surface asks for it), so the app,
    the exports and the analysis views draw the same contour rings."""

    xs: np.ndarray
    ys: np.ndarray
    f: np.ndarray  # (len(ys), len(xs))
    z: np.ndarray
    scale: HeightScale

    def transform(self, values: np.ndarray) -> np.ndarray:
        return self.scale(values)


def contour_grid(surface: Surface, size: int = GRID_SIZE, bounds=None) -> ContourGrid:
    (x0, x1), (y0, y1) = bounds or surface.bounds
    xs, ys = np.linspace(x0, x1, size), np.linspace(y0, y1, size)
    with np.errstate(all="ignore"):
        f = surface.f(np.stack(np.meshgrid(xs, ys), axis=-1))
    scale = HeightScale(f, surface.log_levels)
    return ContourGrid(xs, ys, f, scale(f), scale)


def _contour_trace(grid: ContourGrid, axes: tuple[str, str], lines: int = CONTOUR_LEVELS) -> dict:
    z_min, z_max = grid.scale.low, grid.scale.high
    size = (z_max - z_min) / (lines - 1)
    return {
        "type": "contour",
        # float32 arrays travel as base64 (no smaller than rounded text, but plotly copies
        # and validates a list of 6400 numbers item by item: ~10 ms per figure).
        "x": _typed(grid.xs.astype(np.float32)),
        "y": _typed(grid.ys.astype(np.float32)),
        "z": _typed(grid.z.astype(np.float32)),
        "xaxis": axes[0],
        "yaxis": axes[1],
        "colorscale": plotly_colorscale(LANDSCAPE_COLORS),
        "showscale": False,
        "contours": {"start": z_min, "end": z_max, "size": size, "coloring": "fill"},
        "line": {"width": 0.6, "color": CONTOUR_LINE_COLOR},
        "hoverinfo": "skip",
        "showlegend": False,
    }


# ----------------------------------------------------------------------------- labels


def entry_labels(scene: Scene, lang: str = "en") -> list[str]:
    """Legend text per optimizer (``scene.labels``: the same in every view and export)."""
    return labels_of(scene.optimizers, lang)


# ----------------------------------------------------------------------------- layout


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


# ----------------------------------------------------------------------------- series


@dataclass(frozen=True)
class _Series:
    key: str  # "loss", "distance", "lr"
    steps: list[np.ndarray]  # per optimizer: step numbers of the curve
    values: list[np.ndarray]  # per optimizer: values at those steps
    log: bool
    y_range: tuple[float, float]  # in axis units (log10 for a log axis)


def _series(scene: Scene, surface: Surface, trajectories: Sequence[Trajectory]) -> list[_Series]:
    found = []
    losses = [tr.losses[:, 0] for tr in trajectories]
    steps = [tr.step_index for tr in trajectories]
    everything = np.concatenate(losses)
    # Diverged runs reach losses far above the view; the view's maximum caps the axis.
    top = min(float(everything.max()), float(sample(surface, surface.bounds)[2].max()))
    bottom = float(everything.min())
    if surface.log_levels and bottom > 0:
        low, high = math.log10(bottom), math.log10(max(top, bottom * 10))
        found.append(_Series("loss", steps, losses, True, (low - 0.05 * (high - low), high + 0.05 * (high - low))))
    else:
        pad = 0.05 * ((top - bottom) or 1.0)
        found.append(_Series("loss", steps, losses, False, (bottom - pad, top + pad)))
    if len(surface.minima):
        distances = [
            np.maximum(distance_to_nearest_minimum(tr.points[:, 0], surface.minima), DISTANCE_FLOOR)
            for tr in trajectories
        ]
        high = math.log10(max(float(np.concatenate(distances).max()), 10 * DISTANCE_FLOOR))
        low = max(math.log10(float(np.concatenate(distances).min())), math.log10(DISTANCE_FLOOR))
        pad = 0.05 * ((high - low) or 1.0)
        found.append(_Series("distance", steps, distances, True, (low - pad, high + pad)))
    if any(entry.schedule != "constant" or entry.warmup_iters for entry in scene.optimizers):
        rates = [tr.lrs for tr in trajectories]
        lr_steps = [np.arange(len(r)) for r in rates]
        every = np.concatenate(rates)
        high = float(every.max()) if every.size else 1.0
        low = float(every.min()) if every.size else 0.0
        if low > 0 and high / low > 20:  # rates decades apart: a linear axis flattens the small ones
            pad = 0.05 * math.log10(high / low)
            found.append(_Series("lr", lr_steps, rates, True, (math.log10(low) - pad, math.log10(high) + pad)))
        else:
            found.append(_Series("lr", lr_steps, rates, False, (0.0, 1.08 * (high or 1.0))))
    return found


def _simplified_curve(steps: np.ndarray, values: np.ndarray, series: _Series, n_steps: int) -> tuple[list, list]:
    shown = np.log10(values) if series.log else values
    low, high = series.y_range
    normalised = np.column_stack(
        (steps / max(n_steps, 1), (np.clip(shown, low, high) - low) / ((high - low) or 1.0))
    )
    keep = simplify(normalised, TOLERANCE)
    return steps[keep].tolist(), _significant(values[keep])


def _values_at(series: _Series, index: int, at_steps: np.ndarray) -> np.ndarray:
    """The series' values of optimizer ``index`` at the first recorded step >= each of
    ``at_steps`` (the last value past the end)."""
    steps, values = series.steps[index], series.values[index]
    return np.asarray(values)[np.minimum(np.searchsorted(steps, at_steps), len(values) - 1)]


# ----------------------------------------------------------------------------- main figure


def trajectory_figure(
    scene: Scene,
    surface: Surface,
    trajectories: Sequence[Trajectory],
    *,
    layout: str = "overlay",
    lang: str = "en",
    max_frames: int = 150,
    font_size: int = 15,
    frame_ms: int = FRAME_MS,
    click_targets: bool = False,
) -> go.Figure:
    """The animated figure: contour with every optimizer's path (one shared panel, or one
    panel each side by side, same frame index), loss and distance-to-minimum vs step (and
    the learning rate when a schedule is on) with a cursor at the current frame.

    It opens on the last frame (the whole result is visible); Play animates from the start.
    Diverged runs end in an X labelled "diverged at step k". Works offline in
    ``fig.write_html(include_plotlyjs=True)``.

    ``click_targets`` covers each contour panel with an invisible grid of points, so that a
    click selects a point an app can read back (contours themselves are not selectable); the
    indices of those traces are in ``fig.layout.meta["click_traces"]``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"Unknown layout {layout!r}; valid: {', '.join(LAYOUTS)}")
    if len(trajectories) != len(scene.optimizers) or not trajectories:
        raise ValueError("Need one trajectory per optimizer of the scene")
    n = len(trajectories)
    n_contours = 1 if layout == "overlay" else n
    series = _series(scene, surface, trajectories)
    (x0, x1), (y0, y1) = surface.bounds
    contour_panels, series_panels, height, top, bottom = _plan(
        layout, n_contours, len(series), font_size, (y1 - y0) / (x1 - x0)
    )
    labels = entry_labels(scene, lang)
    extent = max(x1 - x0, y1 - y0)
    decimals = _decimals_for(extent)

    n_points = len(trajectories[0].step_index)
    n_steps = int(trajectories[0].step_index[-1])
    paths = [simplify(tr.points[:, 0] / extent, TOLERANCE) for tr in trajectories]
    average_path = sum(len(kept) for kept in paths) / 2
    affordable = max(MIN_FRAMES, int(FRAME_POINT_BUDGET / max(average_path, 1.0)))
    frames_at = frame_indices(n_points, min(max_frames, affordable))
    step_numbers = trajectories[0].step_index[frames_at]

    data: list[dict] = []
    for panel in contour_panels:
        data.extend(_landmarks(surface, scene, panel, lang, decimals, show_legend=False))

    # The moving traces: a path and a head per optimizer, then a cursor per series panel.
    moving: list[int] = []
    for i in range(n):
        panel = contour_panels[0 if layout == "overlay" else i]
        color = color_for(i)
        moving.append(len(data))
        data.append(
            {
                "type": "scatter", "mode": "lines", "name": labels[i], "legendgroup": str(i),
                "xaxis": panel.xaxis, "yaxis": panel.yaxis,
                "line": {"color": color, "width": 3}, "hoverinfo": "skip",
                "showlegend": layout == "overlay",
            }
        )
        moving.append(len(data))
        data.append(
            {
                "type": "scatter", "mode": "markers+text", "name": labels[i], "legendgroup": str(i),
                "xaxis": panel.xaxis, "yaxis": panel.yaxis, "showlegend": False,
                "marker": {"color": color, "size": 14, "line": {"color": "#ffffff", "width": 2}},
                "textposition": "top center",
                "textfont": {"color": color, "size": font_size},
                "hovertemplate": f"<b>{labels[i]}</b><br>{text('step', lang)} %{{customdata[0]}}"
                "<br>x = %{x}, y = %{y}<br>f = %{customdata[1]}<extra></extra>",
            }
        )
    # The step counter, top left on the (first) map, where a lecturer's eye is.
    counter_panel = contour_panels[0]
    moving.append(len(data))
    data.append(
        {
            "type": "scatter", "mode": "text", "xaxis": counter_panel.xaxis, "yaxis": counter_panel.yaxis,
            "x": [x0 + 0.03 * (x1 - x0)], "y": [y1 - 0.03 * (y1 - y0)], "textposition": "bottom right",
            "textfont": {"size": font_size + 3, "color": "#111111"}, "showlegend": False, "hoverinfo": "skip",
        }
    )
    for s, panel in zip(series, series_panels, strict=True):
        for i in range(n):
            steps_shown, values_shown = _simplified_curve(s.steps[i], s.values[i], s, n_steps)
            data.append(
                {
                    "type": "scatter", "mode": "lines", "name": labels[i], "legendgroup": str(i),
                    "xaxis": panel.xaxis, "yaxis": panel.yaxis, "showlegend": False,
                    "x": steps_shown, "y": values_shown,
                    "line": {"color": color_for(i), "width": 2},
                    "hovertemplate": f"{labels[i]}<br>{text('step', lang)} %{{x}}: %{{y:.4g}}<extra></extra>",
                }
            )
        moving.append(len(data))
        data.append(
            {
                "type": "scatter", "mode": "lines", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
                "showlegend": False, "hoverinfo": "skip",
                "line": {"color": "rgba(0,0,0,0.45)", "width": 1.5, "dash": "dot"},
            }
        )
        moving.append(len(data))
        data.append(
            {
                "type": "scatter", "mode": "markers", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
                "showlegend": False, "hoverinfo": "skip",
                "marker": {"color": [color_for(i) for i in range(n)], "size": 10, "line": {"color": "#ffffff", "width": 1.5}},
            }
        )

    # Rounded once; each frame then only slices lists (the per-frame cost is in Python).
    xs = [_rounded(tr.points[:, 0, 0], decimals) for tr in trajectories]
    ys = [_rounded(tr.points[:, 0, 1], decimals) for tr in trajectories]
    kept_xs = [[xs[i][k] for k in kept] for i, kept in enumerate(paths)]
    kept_ys = [[ys[i][k] for k in kept] for i, kept in enumerate(paths)]
    # Frame j shows the kept points before its step, then the point at its step.
    kept_before = [np.searchsorted(kept, frames_at).tolist() for kept in paths]
    losses = [_significant(tr.losses[:, 0]) for tr in trajectories]
    diverged_text = [text("diverged", lang, step=int(tr.diverged_at[0])) for tr in trajectories]
    cursor_values = [[_significant(_values_at(s, i, step_numbers)) for i in range(n)] for s in series]

    def moving_data(frame: int, complete: bool = False) -> list[dict]:
        """What changes at ``frame``; ``complete``: every attribute, for the figure's own
        traces. A frame leaves out what never changes (plotly keeps a trace's other values):
        a run that never diverges keeps its empty label and round marker, a cursor line its
        height. About a fifth less JSON for the browser to parse on every slider move."""
        index = int(frames_at[frame])
        step = int(step_numbers[frame])
        out = []
        for i, tr in enumerate(trajectories):
            cut = kept_before[i][frame]
            out.append({"x": kept_xs[i][:cut] + [xs[i][index]], "y": kept_ys[i][:cut] + [ys[i][index]]})
            head = {"x": [xs[i][index]], "y": [ys[i][index]], "customdata": [[step, losses[i][index]]]}
            if complete or tr.diverged_at[0] >= 0:
                diverged = 0 <= tr.diverged_at[0] <= step
                head["text"] = [diverged_text[i] if diverged else ""]
                head["textposition"] = _label_side(xs[i][index], ys[i][index], surface.bounds)
                head["marker"] = {"symbol": "x" if diverged else "circle"}
            out.append(head)
        out.append({"text": [text("step_counter", lang, step=step, total=n_steps)]})
        for k, s in enumerate(series):
            cursor_step = min(step, int(s.steps[0][-1])) if s.key == "lr" else step
            line = {"x": [cursor_step, cursor_step]}
            if complete:
                low, high = s.y_range
                line["y"] = [10.0**low, 10.0**high] if s.log else [low, high]
            out.append(line)
            out.append({"x": [cursor_step] * n, "y": [cursor_values[k][i][frame] for i in range(n)]})
        return out

    last = len(frames_at) - 1
    for trace_index, values in zip(moving, moving_data(last, complete=True), strict=True):
        data[trace_index] = _merged(data[trace_index], values)
    frames = [
        {"name": str(int(step_numbers[j])), "traces": moving, "data": moving_data(j)}
        for j in range(len(frames_at))
    ]

    layout_dict = _base_layout(height, top, bottom, font_size, layout == "overlay" and n > 0)
    # Lifted off the plot by half a line, so the top tick label is not under it.
    layout_dict["legend"]["y"] = 1.0 + 0.6 * font_size / (height - top - bottom)
    # The landscape is a picture under the traces (see viz.landscape), sharper on one map.
    side = LANDSCAPE_PIXELS if layout == "overlay" else LANDSCAPE_PIXELS * 2 // 3
    aspect = (y1 - y0) / (x1 - x0)
    picture = landscape_image(
        surface, surface.bounds, round(side / max(aspect, 1.0)), round(side * min(aspect, 1.0))
    )
    layout_dict["images"] = []
    for panel in contour_panels:
        # Side-by-side panels skip the x/y titles: they would collide with the next row's titles.
        _contour_axes(layout_dict, panel, surface, font_size, show_titles=layout == "overlay")
        layout_dict["images"].append(
            {
                "source": picture, "xref": panel.xaxis, "yref": panel.yaxis, "x": x0, "y": y1,
                "sizex": x1 - x0, "sizey": y1 - y0, "sizing": "stretch", "xanchor": "left",
                "yanchor": "top", "layer": "below",
            }
        )
    for s, panel in zip(series, series_panels, strict=True):
        _series_axes(layout_dict, panel, s, lang, n_steps, font_size)
    if layout == "side_by_side":
        layout_dict["annotations"] = [
            _panel_title(labels[i], panel, color_for(i), font_size) for i, panel in enumerate(contour_panels)
        ]
    layout_dict["sliders"] = [_slider(step_numbers, lang, font_size, bottom, height - top - bottom)]
    layout_dict["updatemenus"] = [_buttons(lang, font_size, bottom, height - top - bottom, frame_ms)]
    click_traces = []
    if click_targets:
        for panel in contour_panels:
            click_traces.append(len(data))
            data.append(_click_grid(surface, panel, lang))
    layout_dict["meta"] = {
        "click_traces": click_traces,
        "contour_axes": [[p.xaxis, p.yaxis] for p in contour_panels],
        "moving_traces": moving,
        "frame_steps": [int(s) for s in step_numbers],
    }
    return AnimatedFigure(data=data, layout=layout_dict, frames=frames)


def _merged(trace: dict, values: dict) -> dict:
    """``trace`` updated with ``values``, nested dicts merged one level deep (marker)."""
    out = dict(trace)
    for key, value in values.items():
        out[key] = {**out[key], **value} if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _landmarks(surface: Surface, scene: Scene, panel: _Panel, lang: str, decimals: int, show_legend: bool) -> list[dict]:
    traces = []
    if len(surface.minima):
        kinds = [text("global_minimum" if k == 0 else "local_minimum", lang) for k in range(len(surface.minima))]
        traces.append(
            {
                "type": "scatter", "mode": "markers", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
                "x": _rounded(surface.minima[:, 0], decimals), "y": _rounded(surface.minima[:, 1], decimals),
                "text": kinds, "hovertemplate": "%{text}<br>(%{x}, %{y})<extra></extra>",
                "marker": {"symbol": "star", "size": 16, "color": MINIMUM_COLOR, "line": {"color": "#ffffff", "width": 1}},
                "showlegend": show_legend, "name": text("global_minimum", lang),
            }
        )
    start = scene.start_point(surface)
    traces.append(
        {
            "type": "scatter", "mode": "markers", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
            "x": _rounded(start[:1], decimals), "y": _rounded(start[1:], decimals),
            "marker": {"symbol": "circle", "size": 13, "color": START_COLOR, "line": {"color": "#000000", "width": 2}},
            "hovertemplate": f"{text('start', lang)} (%{{x}}, %{{y}})<extra></extra>",
            "showlegend": show_legend, "name": text("start", lang),
        }
    )
    return traces


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


def _contour_axes(layout: dict, panel: _Panel, surface: Surface, font_size: int, show_titles: bool) -> None:
    (x0, x1), (y0, y1) = surface.bounds
    layout[panel.x_layout] = {
        **_axis_style(font_size), "domain": list(panel.x_domain), "range": [x0, x1],
        "anchor": panel.yaxis, "constrain": "domain",
        "title": {"text": "x" if show_titles else "", "standoff": 4},
    }
    layout[panel.y_layout] = {
        **_axis_style(font_size), "domain": list(panel.y_domain), "range": [y0, y1],
        "anchor": panel.xaxis, "scaleanchor": panel.xaxis, "scaleratio": 1, "constrain": "domain",
        "title": {"text": "y" if show_titles else "", "standoff": 4},
    }


def _label_side(x: float, y: float, bounds) -> str:
    """Where a point's label goes so it stays inside the map: away from the nearer edges."""
    (x0, x1), (y0, y1) = bounds
    horizontal = "right" if x < x0 + (x1 - x0) / 3 else "left" if x > x1 - (x1 - x0) / 3 else "center"
    vertical = "bottom" if y > y1 - (y1 - y0) / 6 else "top"
    return f"{vertical} {horizontal}"


def log_ticks(low_exponent: float, high_exponent: float) -> dict:
    """Tick settings for a log axis spanning 10**low .. 10**high.

    Over a short range, labels at 1, 2 and 5 of each decade, written out in full (Plotly's
    own "D2" prints a bare "5" for 0.5 and 5 alike); over a long one, every decade or every
    few, so that the labels never crowd.
    """
    span = high_exponent - low_exponent
    if span >= 2.5:
        return {"dtick": max(1, math.ceil(span / 7))}  # at most about seven labels
    values = [
        mantissa * 10.0**exponent
        for exponent in range(math.floor(low_exponent), math.ceil(high_exponent) + 1)
        for mantissa in (1, 2, 5)
        if low_exponent <= math.log10(mantissa) + exponent <= high_exponent
    ]
    return {"tickvals": values, "ticktext": [_tick_text(value) for value in values]}


def _tick_text(value: float) -> str:
    if 1e-3 <= value < 1e4:
        return f"{value:g}"
    exponent = math.floor(math.log10(value) + 1e-9)
    mantissa = round(value / 10.0**exponent)
    power = f"10<sup>{exponent}</sup>"
    return power if mantissa == 1 else f"{mantissa}·{power}"


def _series_axes(layout: dict, panel: _Panel, series: _Series, lang: str, n_steps: int, font_size: int) -> None:
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


# ----------------------------------------------------------------------------- click target


def _click_grid(surface: Surface, panel: _Panel, lang: str, size: int = CLICK_GRID_SIZE) -> dict:
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, size), np.linspace(y0, y1, size))
    return {
        "type": "scatter", "mode": "markers", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
        "x": xs.ravel().astype(np.float32), "y": ys.ravel().astype(np.float32),
        "marker": {"size": 10, "opacity": 0, "color": "#000000"}, "showlegend": False,
        "hovertemplate": f"(%{{x:.3g}}, %{{y:.3g}})<extra>{text('click', lang)}</extra>",
    }


# ----------------------------------------------------------------------------- 3-D view


def surface_3d_figure(
    scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], *, lang: str = "en", font_size: int = 15
) -> go.Figure:
    """The surface in 3-D with every path lying on it. ``uirevision`` keeps the camera where
    the user turned it while sliders change the paths."""
    grid = contour_grid(surface, size=60)
    labels = entry_labels(scene, lang)
    data: list[dict] = [
        {
            "type": "surface", "x": _rounded(grid.xs, 4), "y": _rounded(grid.ys, 4), "z": _significant(grid.z),
            # The map's blue-greys, so the coloured paths stand out as they do on the map.
            "colorscale": plotly_colorscale(RELIEF_COLORS), "opacity": 0.92, "showscale": False, "hoverinfo": "skip",
            "contours": {"z": {"show": True, "usecolormap": True, "project": {"z": True}, "width": 1}},
        }
    ]
    lift = 0.02 * float(grid.z.max() - grid.z.min())  # above the surface, not inside it
    (x0, x1), (y0, y1) = surface.bounds
    for i, tr in enumerate(trajectories):
        points = tr.points[:, 0]
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
        points = points[inside] if inside.any() else points[:1]
        # Finer than on the map: a long straight chord would cut through a curved valley.
        kept = simplify(points / max(x1 - x0, y1 - y0), TOLERANCE / 4)
        z = grid.transform(surface.f(points[kept])) + lift
        data.append(
            {
                "type": "scatter3d", "mode": "lines", "name": labels[i],
                "x": _significant(points[kept, 0]), "y": _significant(points[kept, 1]), "z": _significant(z),
                "line": {"color": color_for(i), "width": 7},
            }
        )
        data.append(
            {
                "type": "scatter3d", "mode": "markers", "showlegend": False, "name": labels[i],
                "x": _significant(points[-1:, 0]), "y": _significant(points[-1:, 1]), "z": _significant(z[-1:]),
                "marker": {"color": color_for(i), "size": 6, "line": {"color": "#ffffff", "width": 1}},
            }
        )
    layout = {
        "template": {"layout": {}},  # no theme: the app and the exported HTML look the same
        "height": 480 + 10 * font_size,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "font": {"family": FONT_FAMILY, "size": font_size},
        "legend": {"orientation": "h", "x": 0.0, "y": 1.0, "yanchor": "top"},
        # The camera belongs to the surface: kept across hyperparameter changes, reset on a new surface.
        "uirevision": f"3d-{scene.surface}-{scene.formula}",
        "scene": {
            "xaxis": {"title": {"text": "x"}},
            "yaxis": {"title": {"text": "y"}},
            "zaxis": {"title": {"text": text("log_z", lang) if grid.scale.log else "f"}},
            "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6},
            "camera": {"eye": {"x": 1.25, "y": -1.35, "z": 0.85}, "center": {"x": 0, "y": 0, "z": -0.1}},
        },
    }
    return go.Figure(data=data, layout=layout)


# ----------------------------------------------------------------------------- internals


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
    data.append(
        {
            "type": "scatter", "mode": "markers", "x": [float(theta[0])], "y": [float(theta[1])], "showlegend": False,
            "marker": {"size": 12, "color": color, "line": {"color": "#ffffff", "width": 2}},
            "hovertemplate": "θ_t = (%{x}, %{y})<extra></extra>",
        }
    )
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
    if adaptive:
        _step_size_panels(data, layout, trajectory, step, rate, color, lang, font_size)
    layout["annotations"] = annotations
    layout["dragmode"] = "zoom"
    return go.Figure(data=data, layout=layout)


def _step_size_panels(data, layout, trajectory: Trajectory, step: int, rate: float, color: str, lang: str, font_size: int) -> None:
    """Bars of the per-coordinate effective step size at ``step`` against eta, and both
    coordinates' step sizes over the run (log scale) with a cursor at ``step``."""
    sizes = trajectory.internals["step_size"][:, 0]
    now = sizes[step]
    data.append(
        {
            "type": "bar", "x": ["x", "y"], "y": _significant(now), "xaxis": "x2", "yaxis": "y2",
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
                "type": "scatter", "mode": "lines", "x": steps[keep].tolist(), "y": _significant(np.maximum(sizes[keep, coordinate], low)),
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
