"""The picture of a scene as plain JSON data for the browser-side map (``ui.map``): the
Trajectories view paints this in the browser, sized from the viewport, and plays it there.

Everything is read from the one description (:func:`viz.picture.describe`): the view, the
landscape (the same PNG the Plotly maps and the exports lie on), the minima and their names,
each run's name, colour, drawn path, end and "diverged" mark, the step counter's words, and
the curves beside the map. The browser only scales these to pixels; it computes nothing of
the optimizers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.ticker import MaxNLocator

from optimizers import Trajectory
from scene import Scene
from scene.i18n import t
from surfaces import Surface

from .axes import log_tick_values, tick_text
from .frames import frame_indices
from .landscape import landscape_image
from .picture import Picture, describe, figure_text
from .series import curve_series, simplified_curve
from .style import MINIMUM_COLOR, START_COLOR

LAYOUTS = ("overlay", "side_by_side")
LANDSCAPE_PIXELS = 900  # the longer side of the map's picture: sharp up to a 900 px map
MAX_FRAMES = 150
CURVE_DIGITS = 4  # a curve's values: a tenth of a pixel on a 1000 px panel
CURVE_POINTS = 600  # a curve with more points is simplified (its corners kept) before it is sent
SIGNIFICANT = 6  # digits kept of a coordinate: far below a pixel, a third of the JSON


EXACT_POWERS_OF_TEN = 22  # 10^k is a double exactly up to k = 22


def _rounded(values, digits: int = SIGNIFICANT) -> list[float]:
    """``values`` to ``digits`` significant digits, as JSON numbers (finite by construction).

    Vectorized (formatting each number was a third of building a map's data): the value
    scaled by a power of ten, rounded to an integer and scaled back. With an exact power of
    ten (10^0..10^22) that is the double nearest the rounded decimal, as ``float(f"{v:.6g}")``
    gives; values of other magnitudes take that slow way."""
    array = np.asarray(values, dtype=float).ravel()
    with np.errstate(all="ignore"):
        exponent = digits - 1 - np.floor(np.log10(np.abs(array)))
        exponent = np.where(np.isfinite(exponent), exponent, 0.0)  # zero stays zero
        power = 10.0 ** np.abs(exponent)
        scaled = np.where(exponent >= 0, array * power, array / power)
        rounded = np.where(exponent >= 0, np.round(scaled) / power, np.round(scaled) * power)
        # Near a tie the scaling's own rounding could tip the digit: those are formatted
        # exactly (inf and NaN, which compare False here, go that way below too).
        near_tie = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6
    slow = ~np.isfinite(rounded) | (np.abs(exponent) > EXACT_POWERS_OF_TEN) | near_tie
    for index in np.flatnonzero(slow):
        rounded[index] = float(f"{array[index]:.{digits}g}")
    return rounded.tolist()


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def plain_tick_text(value: float) -> str:
    """:func:`viz.axes.tick_text` as plain text: ``2·10⁻⁶`` (SVG text has no <sup>)."""
    text = tick_text(value)
    if "<sup>" not in text:
        return text
    head, power = text.split("<sup>", 1)
    return head + power.removesuffix("</sup>").translate(_SUPERSCRIPTS)


def linear_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values inside [low, high]."""
    ticks = MaxNLocator(count).tick_values(low, high)
    return [float(f"{v:.10g}") for v in ticks if low - 1e-12 * abs(high - low) <= v <= high + 1e-12 * abs(high - low)]


def _run_data(run, frames_at: np.ndarray) -> dict:
    """A run's points where a frame or its drawn path needs them: ``x``, ``y`` at the
    recorded indices ``at``, with ``kept`` flags (a corner of the drawn path; the others are
    frame ends only) and, per frame, the position of its point in ``at``."""
    at = np.union1d(run.kept, frames_at)
    kept = np.isin(at, run.kept)
    return {
        "label": run.label, "title": run.title, "color": run.color,
        "x": _rounded(run.points[at, 0]), "y": _rounded(run.points[at, 1]),
        "kept": kept.astype(int).tolist(), "frame_at": np.searchsorted(at, frames_at).tolist(),
        "diverged_at": run.diverged_at, "diverged_text": run.diverged_text,
        "mark": _rounded(run.mark_point),
    }


MAX_EPOCH_MARKS = 20  # more epoch boundaries than this on a curve would be a grey fence


def epoch_marks(trajectory: Trajectory, total_steps: int) -> list[int]:
    """The steps inside the run where one of its epochs ends (a pass over a data surface's
    examples): marked on its curves when an epoch is shorter than the run and there are at
    most :data:`MAX_EPOCH_MARKS`; none otherwise (an analytic surface, the full batch, whose
    every step is an epoch, or a mark every few pixels)."""
    inside = [int(step) for step in trajectory.epoch_boundaries if step < total_steps]
    return inside if len(inside) <= MAX_EPOCH_MARKS else []


def _curves(scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], picture: Picture) -> list[dict]:
    """The panels beside the map (loss, distance to the nearest minimum, the learning rate
    when it changes): each with its title, axis range, ticks and every run's simplified curve,
    with its epoch boundaries (:func:`epoch_marks`) where it has them."""
    n_steps = picture.total_steps
    epochs = [epoch_marks(trajectory, n_steps) for trajectory in trajectories]
    found = []
    for series in curve_series(scene, surface, trajectories):
        low, high = series.y_range
        if series.log:
            values = log_tick_values(low, high)
            ticks, tick_labels = [math.log10(v) for v in values], [plain_tick_text(v) for v in values]
        else:
            ticks = linear_ticks(low, high, 4)
            tick_labels = [f"{v:g}" for v in ticks]
        curves = []
        for steps, values, marks in zip(series.steps, series.values, epochs, strict=True):
            steps, values = np.asarray(steps), np.asarray(values, dtype=float)
            # A few hundred points are drawn as they are; longer curves keep their corners.
            kept_steps, kept_values = (
                (steps.tolist(), values) if len(steps) <= CURVE_POINTS else simplified_curve(steps, values, series, n_steps)
            )
            shown = np.log10(np.maximum(kept_values, 1e-300)) if series.log else np.asarray(kept_values, dtype=float)
            every_step = len(kept_steps) and kept_steps == list(range(len(kept_steps)))
            curves.append({"steps": None if every_step else kept_steps, "values": _rounded(np.clip(shown, low, high), CURVE_DIGITS), "epochs": marks})
        found.append({
            "title": figure_text(series.key, picture.lang), "range": [low, high], "ticks": ticks,
            "tick_labels": tick_labels, "curves": curves,
        })
    return found


def map_data(
    scene: Scene,
    surface: Surface,
    trajectories: Sequence[Trajectory],
    *,
    layout: str = "overlay",
    lang: str = "en",
    max_frames: int = MAX_FRAMES,
    frame_ms: int = 40,
    curves: bool = True,
) -> dict:
    """Everything the browser map shows of ``scene``, as JSON-ready data.

    ``layout``: one map with every path ("overlay") or one map per optimizer
    ("side_by_side"). Playback shows at most ``max_frames`` frames, ``frame_ms`` apart.
    ``curves=False`` leaves out the panels beside the map (None): a live update while the
    user drags sends the paths only."""
    if layout not in LAYOUTS:
        raise ValueError(f"Unknown layout {layout!r}; valid: {', '.join(LAYOUTS)}")
    picture = describe(scene, surface, trajectories, lang)
    (x0, x1), (y0, y1) = picture.bounds
    aspect = (y1 - y0) / (x1 - x0)
    image = landscape_image(
        surface, picture.bounds, round(LANDSCAPE_PIXELS / max(aspect, 1.0)), round(LANDSCAPE_PIXELS * min(aspect, 1.0))
    )
    n_points = len(picture.runs[0].steps)
    frames_at = frame_indices(n_points, max_frames)
    runs = [_run_data(run, frames_at) for run in picture.runs]
    panels = (
        [{"title": "", "runs": list(range(len(runs)))}]
        if layout == "overlay"
        else [{"title": title, "runs": [i]} for i, title in enumerate(picture.panel_titles())]
    )
    return {
        "lang": lang,
        "bounds": [[x0, x1], [y0, y1]],
        "x_ticks": linear_ticks(x0, x1), "y_ticks": linear_ticks(y0, y1), "axes": list(picture.axes),
        "image": image,
        "start": _rounded(picture.start),
        "minima": [
            {"x": float(p[0]), "y": float(p[1]), "name": name}
            for p, name in zip(picture.minima, picture.minima_names, strict=True)
        ],
        "runs": runs,
        "panels": panels,
        "frames": picture.runs[0].steps[frames_at].astype(int).tolist(),
        "frame_ms": int(frame_ms),
        "total_steps": picture.total_steps,
        "curves": _curves(scene, surface, trajectories, picture) if curves else None,
        "colors": {"minimum": MINIMUM_COLOR, "start": START_COLOR},
        "words": words(lang, picture.total_steps),
    }


def words(lang: str, total_steps: int) -> dict[str, str]:
    """The map's words in ``lang``: its buttons' names and their keys, the start handle's
    name, the counter (``{step}`` is filled in by the browser) and the legend's symbols."""
    keys = ("play", "pause", "step_back", "step_forward", "reset", "frame", "start_handle", "map_label", "minimum", "shortcuts")
    found = {key: t(f"map.{key}", lang) for key in keys}
    found["counter"] = figure_text("step_counter", lang, step="{step}", total=total_steps)
    found["start"] = figure_text("start", lang)
    found["step"] = figure_text("step", lang)
    return found


FAN_SIZE = 17  # starts per side of the grid a dragged start handle snaps to
FAN_POINTS = 30  # points kept of each fan path (the released start gets the full path)
FAN_DIGITS = 4


def fan_exact(scene: Scene, surface: Surface) -> bool:
    """Whether a batch of starts runs each start exactly as a run of its own: not when an
    optimizer draws samples (gradient noise, mini-batches: drawn per start)."""
    return not any(entry.draws_samples(surface) for entry in scene.optimizers)


def start_fan(scene: Scene, surface: Surface, bounds, size: int = FAN_SIZE, points: int = FAN_POINTS) -> dict:
    """Every optimizer's path from each start of a ``size`` x ``size`` grid over ``bounds``,
    in one batched run per optimizer (a batch costs about what one start does): the paths a
    dragged start handle shows at once, snapping to the grid. Each path keeps ``points``
    evenly spaced recorded points, the last one included, as flat [x0, y0, x1, y1, ...]."""
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.linspace(x0, x1, size), np.linspace(y0, y1, size)
    starts = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)  # row j * size + i: (xs[i], ys[j])
    runs = []
    for entry in scene.optimizers:
        trajectory = entry.run(surface, starts, scene.steps, scene.seed)
        kept = frame_indices(len(trajectory.points), points)
        paths = np.asarray(trajectory.points[kept], dtype=float).transpose(1, 0, 2).reshape(len(starts), -1)
        runs.append([_rounded(path, FAN_DIGITS) for path in paths])
    return {"xs": xs.tolist(), "ys": ys.tolist(), "runs": runs}


def knob_fan(scene: Scene, surface: Surface, run: int, name: str, part: int | None, values: Sequence[float]) -> dict:
    """Optimizer ``run``'s path for each of ``values`` of its hyperparameter ``name`` (the
    ``part`` of a pair such as ``betas``): what a dragged slider shows at once. A value the
    optimizer refuses is left out. Paths as in :func:`start_fan`."""
    entry = scene.optimizers[run]
    start = scene.start_point(surface)
    kept_values, paths = [], []
    for value in values:
        try:
            changed = entry.with_hparam(name, float(value), part)
        except ValueError:
            continue
        trajectory = changed.run(surface, start, scene.steps, scene.seed)
        kept = frame_indices(len(trajectory.points), 3 * FAN_POINTS)
        points = np.asarray(trajectory.points[kept, 0], dtype=float).reshape(-1)
        kept_values.append(float(value))
        paths.append(_rounded(points, FAN_DIGITS))
    return {"values": kept_values, "paths": paths}
