"""Per-run summaries: distance to the nearest known minimum, which minimum was reached,
and how many steps it took to get within a tolerance. Vectorized over (..., B, 2)."""

from __future__ import annotations

import numpy as np

NOT_REACHED = -1


def distance_to_nearest_minimum(points: np.ndarray, minima: np.ndarray) -> np.ndarray:
    """(..., 2) points, (k, 2) minima -> (...) distance to the closest minimum (inf if k = 0)."""
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    if len(minima) == 0:
        return np.full(np.shape(points)[:-1], np.inf)
    gaps = np.asarray(points, dtype=float)[..., None, :] - minima
    return np.sqrt((gaps * gaps).sum(-1)).min(-1)


def reached_minimum(points: np.ndarray, minima: np.ndarray, radius: float = 0.05) -> np.ndarray:
    """Index of the minimum each point lies within ``radius`` of (global is 0), else -1."""
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    if len(minima) == 0:
        return np.full(np.shape(points)[:-1], NOT_REACHED)
    gaps = np.asarray(points, dtype=float)[..., None, :] - minima
    distances = np.sqrt((gaps * gaps).sum(-1))
    nearest = distances.argmin(-1)
    close = np.take_along_axis(distances, nearest[..., None], -1)[..., 0] <= radius
    return np.where(close, nearest, NOT_REACHED)


def steps_to_tolerance(distances: np.ndarray, step_index: np.ndarray, tol: float) -> np.ndarray:
    """First recorded step from which the run stays within ``tol`` (distances (T, B)),
    -1 where it never settles."""
    inside = np.asarray(distances) <= tol
    # stays inside from t on == no outside point at or after t
    outside_after = np.flip(np.logical_or.accumulate(np.flip(~inside, 0), 0), 0)
    settled = ~outside_after
    first = settled.argmax(0)
    return np.where(settled.any(0), np.asarray(step_index)[first], -1)
