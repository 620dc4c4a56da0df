"""The panels beside the map: loss, distance to the nearest minimum and (with a schedule) the
learning rate against the step; what each shows, its range, and its axes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.metrics import distance_to_nearest_minimum
from optimizers import Trajectory
from scene import Scene
from surfaces import Surface

from ..axes import log_ticks
from ..geometry import simplify
from ..landscape import sample
from ..picture import figure_text as text
from .figure_type import TOLERANCE, _significant
from .layout import _axis_style, _Panel

DISTANCE_FLOOR = 1e-6


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
