"""Contour levels of a surface: one rule for every picture drawn from f on a grid.

The GIF/MP4 exports (``viz._mpl_animation``) and the analysis views
(``viz.analysis_figures``) both draw a surface through :class:`HeightScale`, so the same
surface over the same view gets the same contour rings in both.
"""

from __future__ import annotations

import numpy as np

# Log heights are log10(f - lowest + LOG_OFFSET * spread): rings reach four decades below
# the view's spread (its 99th percentile above the lowest value) into deep narrow valleys.
LOG_OFFSET = 1e-4
CONTOUR_LEVELS = 15


class HeightScale:
    """Maps f to what a map shows: with ``log`` (``Surface.log_levels``), log10 of the gap to
    the lowest value, for contours of surfaces whose values span decades (Rosenbrock,
    Beale); f itself otherwise, capped at a high quantile so one tall corner does not
    flatten the rest. ``levels()`` are the contour levels, evenly spaced on this scale."""

    def __init__(self, grid_values: np.ndarray, log: bool):
        grid_values = np.asarray(grid_values, dtype=float)
        finite = grid_values[np.isfinite(grid_values)]
        if finite.size == 0:
            finite = np.zeros(1)
        self.log = bool(log)
        self.floor = float(finite.min())
        spread = float(np.quantile(finite, 0.99) - self.floor) or 1.0
        self.offset = LOG_OFFSET * spread
        shown = self(finite, clip=False)
        self.low = float(shown.min())
        self.high = float(np.quantile(shown, 0.98 if self.log else 0.92))
        if not self.high > self.low:
            self.high = self.low + 1.0

    def __call__(self, values: np.ndarray, clip: bool = True) -> np.ndarray:
        """Heights on this scale; not finite -> the top (``clip``) or NaN (not ``clip``)."""
        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            shown = np.log10(np.maximum(values - self.floor, 0) + self.offset) if self.log else values
        shown = np.where(np.isfinite(shown), shown, self.high if clip else np.nan)
        return np.clip(shown, self.low, self.high) if clip else shown

    def levels(self, count: int = CONTOUR_LEVELS) -> np.ndarray:
        """``count`` contour levels from the lowest shown height to the cap."""
        return np.linspace(self.low, self.high, count)
