"""Basins of attraction: where does an optimizer end up, for every start in the view?

A dense grid of starts is one :func:`optimizers.run` call (rows are independent) with
``record_every=0``, so memory holds two frames however many steps are taken. Each start is
labelled by the minimum its final point lies near, or by how it failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimizers import Optimizer, run

from .metrics import NOT_REACHED, reached_minimum

MAX_RESOLUTION = 256
NOT_CONVERGED = NOT_REACHED  # ended inside the view, but near no known minimum
LEFT_VIEW = -2  # ended finite, but outside the view
DIVERGED = -3  # left the finite world (run's ``diverged_at`` >= 0)
OUTCOMES = (NOT_CONVERGED, LEFT_VIEW, DIVERGED)

Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class BasinMap:
    """Outcome of a run from every start of a ``(ny, nx)`` grid.

    ``labels[i, j]`` is the index of the minimum reached from ``(xs[j], ys[i])`` (0 is the
    global one), or one of ``NOT_CONVERGED``, ``LEFT_VIEW``, ``DIVERGED``; "reached" means
    the final point lies within ``radius`` of that minimum.
    """

    xs: np.ndarray
    ys: np.ndarray
    labels: np.ndarray
    final_points: np.ndarray
    minima: np.ndarray
    radius: float
    steps: int
    label: str = ""

    def shares(self) -> dict[int, float]:
        """Fraction of the starts with each outcome, minima first, then the failures."""
        total = self.labels.size
        keys = [*range(len(self.minima)), *OUTCOMES]
        return {key: float(np.count_nonzero(self.labels == key)) / total for key in keys}


def start_grid(bounds: Bounds, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``resolution`` x ``resolution`` cell centres covering ``bounds``: xs, ys and the
    starts as rows ``(resolution**2, 2)`` in row-major order (y outer, x inner)."""
    if isinstance(resolution, bool) or not isinstance(resolution, int | np.integer):
        raise ValueError(f"Invalid resolution: {resolution!r} (must be a whole number)")
    if not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"Invalid resolution: {resolution} (must be from 2 to {MAX_RESOLUTION})")
    (x0, x1), (y0, y1) = bounds
    # Cell centres, so a start never sits exactly on the view's edge.
    xs = x0 + (np.arange(resolution) + 0.5) * (x1 - x0) / resolution
    ys = y0 + (np.arange(resolution) + 0.5) * (y1 - y0) / resolution
    grid_x, grid_y = np.meshgrid(xs, ys)
    return xs, ys, np.stack([grid_x.ravel(), grid_y.ravel()], axis=-1)


def default_radius(bounds: Bounds, minima: np.ndarray, fraction: float = 0.02) -> float:
    """``fraction`` of the view's diagonal, but under half the gap between the two closest
    minima, so that no point is "near" two minima at once."""
    (x0, x1), (y0, y1) = bounds
    radius = fraction * float(np.hypot(x1 - x0, y1 - y0))
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    if len(minima) > 1:
        gaps = np.linalg.norm(minima[:, None, :] - minima[None, :, :], axis=-1)
        closest = gaps[np.triu_indices(len(minima), 1)].min()
        radius = min(radius, 0.45 * float(closest))
    return radius


def classify_final_points(
    final_points: np.ndarray, diverged: np.ndarray, minima: np.ndarray, radius: float, bounds: Bounds
) -> np.ndarray:
    """Label final points (..., 2): minimum index, or NOT_CONVERGED / LEFT_VIEW / DIVERGED."""
    (x0, x1), (y0, y1) = bounds
    x, y = final_points[..., 0], final_points[..., 1]
    inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    labels = reached_minimum(final_points, minima, radius)
    labels = np.where((labels == NOT_REACHED) & ~inside, LEFT_VIEW, labels)
    return np.where(diverged, DIVERGED, labels)


def basin_map(
    optimizer: Optimizer,
    surface: Any,
    resolution: int = 128,
    steps: int = 200,
    *,
    bounds: Bounds | None = None,
    radius: float | None = None,
    seed: int = 0,
    **run_options: Any,
) -> BasinMap:
    """Run ``optimizer`` from every cell centre of a ``resolution``-square grid over
    ``bounds`` (the surface's view by default) in one ``run`` call and label each start.

    ``radius`` defaults to :func:`default_radius`. ``run_options`` go to
    :func:`optimizers.run` (``schedule``, ``clip_value``, ``clip_norm``, ``noise``,
    ``batch_size``); with noise every start gets its own draw.
    """
    bounds = bounds or surface.bounds
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    radius = default_radius(bounds, minima) if radius is None else float(radius)
    xs, ys, starts = start_grid(bounds, resolution)
    trajectory = run(optimizer, surface, starts, steps=steps, seed=seed, record_every=0, **run_options)
    final = trajectory.final_points.reshape(len(ys), len(xs), 2)
    diverged = trajectory.diverged.reshape(len(ys), len(xs))
    labels = classify_final_points(final, diverged, minima, radius, bounds)
    return BasinMap(xs, ys, labels, final, minima, radius, steps, trajectory.label)


def basin_maps(
    optimizers: list[tuple[Optimizer, dict[str, Any]]],
    surface: Any,
    resolution: int = 128,
    steps: int = 200,
    *,
    progress: Callable[[float], None] | None = None,
    **common: Any,
) -> list[BasinMap]:
    """One :func:`basin_map` per ``(optimizer, run_options)`` pair, side by side."""
    maps = []
    for done, (optimizer, options) in enumerate(optimizers):
        maps.append(basin_map(optimizer, surface, resolution, steps, **common, **options))
        if progress is not None:
            progress((done + 1) / len(optimizers))
    return maps
