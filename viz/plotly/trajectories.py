"""The animated trajectory figure, built in steps: what is decided once (:func:`_view`), the
traces (:func:`_traces`), the moving traces' values at every frame (:class:`_Frames`) and
the layout (:func:`_layout`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from optimizers import Trajectory
from scene import Scene
from surfaces import Surface

from ..frames import frame_indices
from ..geometry import significant
from ..landscape import plotly_image
from ..picture import LabelPlace, Picture, describe
from ..picture import figure_text as text
from ..series import Series, curve_series, simplified_curve, values_at
from ..style import MINIMUM_COLOR, START_COLOR
from .figure_type import AnimatedFigure, _decimals_for, _rounded
from .layout import _base_layout, _buttons, _contour_axes, _Panel, _panel_title, _plan, _slider
from .series import _series_axes

LAYOUTS = ("overlay", "side_by_side")
CLICK_GRID_SIZE = 41
LANDSCAPE_PIXELS = 720  # the longer side of the map's picture (a map is ~420 px wide in the app)
FRAME_MS = 40  # one frame at speed 1x: 150 frames play in 6 s
# Frame k carries every path up to step k, so the data grows with frames x path points; noisy
# paths keep all their points, so their frame count is lowered to stay within this many points.
FRAME_POINT_BUDGET = 40_000
MIN_FRAMES = 40


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
    view = _view(describe(scene, surface, trajectories, lang), scene, surface, trajectories, layout, max_frames, font_size)
    data, moving = _traces(view)
    frames = _Frames(view)
    last = len(view.frames_at) - 1
    for trace_index, values in zip(moving, frames.moving_data(last, complete=True), strict=True):
        data[trace_index] = _merged(data[trace_index], values)
    layout_dict = _layout(view, frame_ms)
    click_traces = []
    if click_targets:
        for panel in view.contour_panels:
            click_traces.append(len(data))
            data.append(_click_grid(view.picture.bounds, panel, lang))
    layout_dict["meta"] = {
        "click_traces": click_traces,
        "contour_axes": [[p.xaxis, p.yaxis] for p in view.contour_panels],
        "moving_traces": moving,
        "frame_steps": [int(s) for s in view.step_numbers],
    }
    return AnimatedFigure(data=data, layout=layout_dict, frames=frames.all(moving))


@dataclass(frozen=True)
class _View:
    """What every step of the figure shares: the picture (``viz.picture``: view, landscape,
    runs with their names, colours and diverged marks, counter), and what is decided once for
    this figure: the panels and its size, the curves beside the map, the points each path
    keeps and the recorded points that become frames."""

    picture: Picture
    scene: Scene
    surface: Surface
    trajectories: Sequence[Trajectory]
    layout: str
    lang: str
    font_size: int
    series: list[Series]
    contour_panels: list[_Panel]
    series_panels: list[_Panel]
    height: int
    top: int
    bottom: int
    decimals: int
    n_steps: int
    paths: list[np.ndarray]  # per optimizer: indices of the points its drawn path keeps
    frames_at: np.ndarray  # indices of the recorded points shown as frames
    step_numbers: np.ndarray  # their step numbers

    @property
    def labels(self) -> list[str]:
        return [run.label for run in self.picture.runs]

    @property
    def colors(self) -> list[str]:
        return [run.color for run in self.picture.runs]


def _view(
    picture: Picture, scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], layout: str, max_frames: int, font_size: int
) -> _View:
    n = len(trajectories)
    n_contours = 1 if layout == "overlay" else n
    series = curve_series(scene, surface, trajectories)
    (x0, x1), (y0, y1) = picture.bounds
    contour_panels, series_panels, height, top, bottom = _plan(
        layout, n_contours, len(series), font_size, (y1 - y0) / (x1 - x0)
    )
    extent = max(x1 - x0, y1 - y0)
    n_points = len(trajectories[0].step_index)
    paths = [run.kept for run in picture.runs]
    average_path = sum(len(kept) for kept in paths) / 2
    affordable = max(MIN_FRAMES, int(FRAME_POINT_BUDGET / max(average_path, 1.0)))
    frames_at = frame_indices(n_points, min(max_frames, affordable))
    return _View(
        picture=picture, scene=scene, surface=surface, trajectories=trajectories, layout=layout, lang=picture.lang,
        font_size=font_size,
        series=series,
        contour_panels=contour_panels, series_panels=series_panels, height=height, top=top,
        bottom=bottom, decimals=_decimals_for(extent), n_steps=int(trajectories[0].step_index[-1]),
        paths=paths, frames_at=frames_at, step_numbers=trajectories[0].step_index[frames_at],
    )


# ----------------------------------------------------------------------------- traces


def _traces(view: _View) -> tuple[list[dict], list[int]]:
    """Every trace in drawing order, and the indices of the moving ones, whose values the
    frames fill in: a path and a head per optimizer, the step counter, then a cursor line
    and cursor markers per series panel."""
    data: list[dict] = []
    for panel in view.contour_panels:
        data.append(_start_trace(view.picture, panel, view.decimals))
    moving: list[int] = []

    def add_moving(trace: dict) -> None:
        moving.append(len(data))
        data.append(trace)

    for i in range(len(view.trajectories)):
        panel = view.contour_panels[0 if view.layout == "overlay" else i]
        for trace in _run_traces(view, i, panel):
            add_moving(trace)
    # The minima above the paths and heads: a run that ends in a minimum never hides its star.
    for panel in view.contour_panels:
        data.extend(_minima_traces(view.picture, panel, view.decimals))
    add_moving(_counter_trace(view))
    for s, panel in zip(view.series, view.series_panels, strict=True):
        data.extend(_series_curves(view, s, panel))
        for trace in _cursor_traces(view.colors, panel):
            add_moving(trace)
    return data, moving


def _run_traces(view: _View, i: int, panel: _Panel) -> list[dict]:
    """Optimizer ``i``'s path and head, without their points (the frames bring those)."""
    label, color, font_size = view.labels[i], view.colors[i], view.font_size
    return [
        {
            "type": "scatter", "mode": "lines", "name": label, "legendgroup": str(i),
            "xaxis": panel.xaxis, "yaxis": panel.yaxis,
            "line": {"color": color, "width": 3}, "hoverinfo": "skip",
            "showlegend": view.layout == "overlay",
        },
        {
            "type": "scatter", "mode": "markers+text", "name": label, "legendgroup": str(i),
            "xaxis": panel.xaxis, "yaxis": panel.yaxis, "showlegend": False,
            "marker": {"color": color, "size": 14, "line": {"color": "#ffffff", "width": 2}},
            "textposition": "top center",
            "textfont": {"color": color, "size": font_size},
            "hovertemplate": f"<b>{label}</b><br>{text('step', view.lang)} %{{customdata[0]}}"
            "<br>x = %{x}, y = %{y}<br>f = %{customdata[1]}<extra></extra>",
        },
    ]


def _counter_trace(view: _View) -> dict:
    """The step counter, top left on the (first) map, where a lecturer's eye is."""
    counter_panel = view.contour_panels[0]
    (x0, x1), (y0, y1) = view.picture.bounds
    return {
        "type": "scatter", "mode": "text", "xaxis": counter_panel.xaxis, "yaxis": counter_panel.yaxis,
        "x": [x0 + 0.03 * (x1 - x0)], "y": [y1 - 0.03 * (y1 - y0)], "textposition": "bottom right",
        "textfont": {"size": view.font_size + 3, "color": "#111111"}, "showlegend": False, "hoverinfo": "skip",
    }


def _series_curves(view: _View, s: Series, panel: _Panel) -> list[dict]:
    """Every optimizer's whole curve of series ``s`` (they do not move)."""
    curves = []
    for i in range(len(view.trajectories)):
        steps_shown, values_shown = simplified_curve(s.steps[i], s.values[i], s, view.n_steps)
        curves.append(
            {
                "type": "scatter", "mode": "lines", "name": view.labels[i], "legendgroup": str(i),
                "xaxis": panel.xaxis, "yaxis": panel.yaxis, "showlegend": False,
                "x": steps_shown, "y": values_shown,
                "line": {"color": view.colors[i], "width": 2},
                "hovertemplate": f"{view.labels[i]}<br>{text('step', view.lang)} %{{x}}: %{{y:.4g}}<extra></extra>",
            }
        )
    return curves


def _cursor_traces(colors: list[str], panel: _Panel) -> list[dict]:
    """A series panel's cursor: a dotted line at the frame's step, a marker on each curve."""
    return [
        {
            "type": "scatter", "mode": "lines", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
            "showlegend": False, "hoverinfo": "skip",
            "line": {"color": "rgba(0,0,0,0.45)", "width": 1.5, "dash": "dot"},
        },
        {
            "type": "scatter", "mode": "markers", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
            "showlegend": False, "hoverinfo": "skip",
            "marker": {"color": list(colors), "size": 10, "line": {"color": "#ffffff", "width": 1.5}},
        },
    ]


# ----------------------------------------------------------------------------- frames


class _Frames:
    """The moving traces' values at every frame. Rounded once; each frame then only slices
    lists (the per-frame cost is in Python)."""

    def __init__(self, view: _View):
        self.view = view
        trajectories, decimals = view.trajectories, view.decimals
        self.xs = [_rounded(tr.points[:, 0, 0], decimals) for tr in trajectories]
        self.ys = [_rounded(tr.points[:, 0, 1], decimals) for tr in trajectories]
        self.kept_xs = [[self.xs[i][k] for k in kept] for i, kept in enumerate(view.paths)]
        self.kept_ys = [[self.ys[i][k] for k in kept] for i, kept in enumerate(view.paths)]
        # Frame j shows the kept points before its step, then the point at its step.
        self.kept_before = [np.searchsorted(kept, view.frames_at).tolist() for kept in view.paths]
        # Heads near their ends are drawn apart (``RunPicture.head_point``) where runs share a map.
        spread = view.layout == "overlay"
        self.heads = [
            [[_rounded(run.head_point(int(k), spread)[axis : axis + 1], decimals)[0] for k in view.frames_at] for axis in (0, 1)]
            for run in view.picture.runs
        ]
        self.losses = [significant(tr.losses[:, 0]) for tr in trajectories]
        # A diverged run's head stops at its mark (its last point in view), labelled there.
        self.marks = [_rounded(run.mark_point, decimals) for run in view.picture.runs]
        self.cursor_values = [
            [significant(values_at(s, i, view.step_numbers)) for i in range(len(trajectories))] for s in view.series
        ]

    def all(self, moving: list[int]) -> list[dict]:
        """Every frame, named by its step, carrying the values of the ``moving`` traces."""
        step_numbers = self.view.step_numbers
        return [
            {"name": str(int(step_numbers[j])), "traces": moving, "data": self.moving_data(j)}
            for j in range(len(self.view.frames_at))
        ]

    def moving_data(self, frame: int, complete: bool = False) -> list[dict]:
        """What changes at ``frame``; ``complete``: every attribute, for the figure's own
        traces. A frame leaves out what never changes (plotly keeps a trace's other values):
        a run that never diverges keeps its empty label and round marker, a cursor line its
        height. About a fifth less JSON for the browser to parse on every slider move."""
        view, xs, ys = self.view, self.xs, self.ys
        n = len(view.trajectories)
        index = int(view.frames_at[frame])
        step = int(view.step_numbers[frame])
        out = []
        for i, run in enumerate(view.picture.runs):
            cut = self.kept_before[i][frame]
            out.append({"x": self.kept_xs[i][:cut] + [xs[i][index]], "y": self.kept_ys[i][:cut] + [ys[i][index]]})
            head = {"x": [self.heads[i][0][frame]], "y": [self.heads[i][1][frame]], "customdata": [[step, self.losses[i][index]]]}
            if complete or run.diverged_at >= 0:
                diverged = 0 <= run.diverged_at <= step
                if diverged:
                    head["x"], head["y"] = [self.marks[i][0]], [self.marks[i][1]]
                head["text"] = [run.diverged_text if diverged else ""]
                head["textposition"] = plotly_position(run.diverged_place)
                head["marker"] = {"symbol": "x" if diverged else "circle"}
            out.append(head)
        out.append({"text": [view.picture.counter(step)]})
        for k, s in enumerate(view.series):
            cursor_step = min(step, int(s.steps[0][-1])) if s.key == "lr" else step
            line = {"x": [cursor_step, cursor_step]}
            if complete:
                low, high = s.y_range
                line["y"] = [10.0**low, 10.0**high] if s.log else [low, high]
            out.append(line)
            out.append({"x": [cursor_step] * n, "y": [self.cursor_values[k][i][frame] for i in range(n)]})
        return out


def _merged(trace: dict, values: dict) -> dict:
    """``trace`` updated with ``values``, nested dicts merged one level deep (marker)."""
    out = dict(trace)
    for key, value in values.items():
        out[key] = {**out[key], **value} if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def plotly_position(place: LabelPlace) -> str:
    """A picture's label place as plotly's ``textposition`` (where the text sits)."""
    return f"{'top' if place.above else 'bottom'} {place.horizontal}"


# ----------------------------------------------------------------------------- layout


def _layout(view: _View, frame_ms: int) -> dict:
    """The figure's layout: maps over the landscape picture, series axes, panel titles side by
    side, and the Play/Pause buttons and slider below."""
    surface, font_size, height, top, bottom = view.surface, view.font_size, view.height, view.top, view.bottom
    bounds = view.picture.bounds
    layout_dict = _base_layout(height, top, bottom, font_size, view.layout == "overlay" and len(view.trajectories) > 0)
    # Lifted off the plot by half a line, so the top tick label is not under it.
    layout_dict["legend"]["y"] = 1.0 + 0.6 * font_size / (height - top - bottom)
    # The landscape is a picture under the traces (see viz.landscape), sharper on one map.
    side = LANDSCAPE_PIXELS if view.layout == "overlay" else LANDSCAPE_PIXELS * 2 // 3
    layout_dict["images"] = []
    for panel in view.contour_panels:
        # Side-by-side panels skip the x/y titles: they would collide with the next row's titles.
        _contour_axes(layout_dict, panel, bounds, font_size, show_titles=view.layout == "overlay", axes=view.picture.axes)
        layout_dict["images"].append(plotly_image(surface, bounds, panel.xaxis, panel.yaxis, side))
    for s, panel in zip(view.series, view.series_panels, strict=True):
        _series_axes(layout_dict, panel, s, view.lang, view.n_steps, font_size)
    if view.layout == "side_by_side":
        layout_dict["annotations"] = [
            _panel_title(title, panel, view.colors[i], font_size)
            for i, (title, panel) in enumerate(zip(view.picture.panel_titles(), view.contour_panels, strict=True))
        ]
    layout_dict["sliders"] = [_slider(view.step_numbers, view.lang, font_size, bottom, height - top - bottom)]
    layout_dict["updatemenus"] = [_buttons(view.lang, font_size, bottom, height - top - bottom, frame_ms)]
    return layout_dict


# ----------------------------------------------------------------------------- landmarks and click target


def _minima_traces(picture: Picture, panel: _Panel, decimals: int) -> list[dict]:
    """The minima: stars, named in the picture's language."""
    traces = []
    minima = picture.minima
    if len(minima):
        traces.append(
            {
                "type": "scatter", "mode": "markers", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
                "x": _rounded(minima[:, 0], decimals), "y": _rounded(minima[:, 1], decimals),
                "text": list(picture.minima_names), "hovertemplate": "%{text}<br>(%{x}, %{y})<extra></extra>",
                "marker": {"symbol": "star", "size": 16, "color": MINIMUM_COLOR, "line": {"color": "#ffffff", "width": 1}},
                "showlegend": False, "name": picture.minima_names[0],
            }
        )
    return traces


def _start_trace(picture: Picture, panel: _Panel, decimals: int) -> dict:
    """The start, under the paths that leave it."""
    start, lang = picture.start, picture.lang
    return {
        "type": "scatter", "mode": "markers", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
        "x": _rounded(start[:1], decimals), "y": _rounded(start[1:], decimals),
        "marker": {"symbol": "circle", "size": 13, "color": START_COLOR, "line": {"color": "#000000", "width": 2}},
        "hovertemplate": f"{text('start', lang)} (%{{x}}, %{{y}})<extra></extra>",
        "showlegend": False, "name": text("start", lang),
    }


def _click_grid(bounds, panel: _Panel, lang: str, size: int = CLICK_GRID_SIZE) -> dict:
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, size), np.linspace(y0, y1, size))
    return {
        "type": "scatter", "mode": "markers", "xaxis": panel.xaxis, "yaxis": panel.yaxis,
        "x": xs.ravel().astype(np.float32), "y": ys.ravel().astype(np.float32),
        "marker": {"size": 10, "opacity": 0, "color": "#000000"}, "showlegend": False,
        "hovertemplate": f"(%{{x:.3g}}, %{{y:.3g}})<extra>{text('click', lang)}</extra>",
    }

