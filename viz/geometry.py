"""Plane geometry on point arrays, for drawing: a polyline thinned to what a screen shows."""

from __future__ import annotations

import numpy as np


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


def significant(values: np.ndarray, digits: int = 4) -> list:
    """``values`` rounded to ``digits`` significant digits, as a list (losses span many
    decades, so a fixed number of decimals would not do)."""
    values = np.asarray(values, dtype=float)
    magnitude = np.floor(np.log10(np.where(values == 0, 1.0, np.abs(values))))
    scale = 10.0 ** (digits - 1 - magnitude)
    return (np.round(values * scale) / scale).tolist()
