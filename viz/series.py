"""The curves beside the map (loss, distance to the nearest minimum, learning rate against the
step): what each shows and its range, for every painter (the browser map, the Plotly figure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.metrics import distance_to_nearest_minimum
from optimizers import Trajectory
from scene import Scene
from surfaces import Surface

from .geometry import significant, simplify
from .landscape import sample
from .picture import PATH_TOLERANCE

DISTANCE_FLOOR = 1e-6


@dataclass(frozen=True)
class Series:
    key: str  # "loss", "distance", "lr"
    steps: list[np.ndarray]  # per optimizer: step numbers of the curve
    values: list[np.ndarray]  # per optimizer: values at those steps
    log: bool
    y_range: tuple[float, float]  # in axis units (log10 for a log axis)


def curve_series(scene: Scene, surface: Surface, trajectories: Sequence[Trajectory]) -> list[Series]:
    """The curves beside the map, for every painter: the loss, the distance to the nearest
    minimum (if the surface has minima) and the learning rate (with a schedule or warm-up)."""
    found = []
    losses = [tr.losses[:, 0] for tr in trajectories]
    steps = [tr.step_index for tr in trajectories]
    everything = np.concatenate(losses)
    # Diverged runs reach losses far above the view; the view's maximum caps the axis.
    top = min(float(everything.max()), float(sample(surface, surface.bounds)[2].max()))
    bottom = float(everything.min())
    if surface.log_levels and bottom > 0:
        low, high = math.log10(bottom), math.log10(max(top, bottom * 10))
        found.append(Series("loss", steps, losses, True, (low - 0.05 * (high - low), high + 0.05 * (high - low))))
    else:
        pad = 0.05 * ((top - bottom) or 1.0)
        found.append(Series("loss", steps, losses, False, (bottom - pad, top + pad)))
    if len(surface.minima):
        distances = [
            np.maximum(distance_to_nearest_minimum(tr.points[:, 0], surface.minima), DISTANCE_FLOOR)
            for tr in trajectories
        ]
        high = math.log10(max(float(np.concatenate(distances).max()), 10 * DISTANCE_FLOOR))
        low = max(math.log10(float(np.concatenate(distances).min())), math.log10(DISTANCE_FLOOR))
        pad = 0.05 * ((high - low) or 1.0)
        found.append(Series("distance", steps, distances, True, (low - pad, high + pad)))
    if any(entry.schedule != "constant" or entry.warmup_iters for entry in scene.optimizers):
        rates = [tr.lrs for tr in trajectories]
        lr_steps = [np.arange(len(r)) for r in rates]
        every = np.concatenate(rates)
        high = float(every.max()) if every.size else 1.0
        low = float(every.min()) if every.size else 0.0
        if low > 0 and high / low > 20:  # rates decades apart: a linear axis flattens the small ones
            pad = 0.05 * math.log10(high / low)
            found.append(Series("lr", lr_steps, rates, True, (math.log10(low) - pad, math.log10(high) + pad)))
        else:
            found.append(Series("lr", lr_steps, rates, False, (0.0, 1.08 * (high or 1.0))))
    return found


def simplified_curve(steps: np.ndarray, values: np.ndarray, series: Series, n_steps: int) -> tuple[list, list]:
    """One optimizer's curve thinned as a path on the map is (on the panel's axes)."""
    shown = np.log10(values) if series.log else values
    low, high = series.y_range
    normalised = np.column_stack(
        (steps / max(n_steps, 1), (np.clip(shown, low, high) - low) / ((high - low) or 1.0))
    )
    keep = simplify(normalised, PATH_TOLERANCE)
    return steps[keep].tolist(), significant(values[keep])


def values_at(series: Series, index: int, at_steps: np.ndarray) -> np.ndarray:
    """The series' values of optimizer ``index`` at the first recorded step >= each of
    ``at_steps`` (the last value past the end)."""
    steps, values = series.steps[index], series.values[index]
    return np.asarray(values)[np.minimum(np.searchsorted(steps, at_steps), len(values) - 1)]
