"""Contour levels of a surface: one rule for every picture drawn from f on a grid.

The GIF/MP4 exports (``viz.mpl``) and the analysis views
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
        # A flat view (f = 1e15) still needs a span its levels can divide: many float steps.
        least_span = 1024 * float(np.spacing(max(abs(self.low), abs(self.high))))
        if not self.high - self.low > least_span:
            self.high = self.low + max(1.0, least_span)

    def __call__(self, values: np.ndarray, clip: bool = True) -> np.ndarray:
        """Heights on this scale; not finite -> the top (``clip``) or NaN (not ``clip``)."""
        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            shown = np.log10(np.maximum(values - self.floor, 0) + self.offset) if self.log else values
        shown = np.where(np.isfinite(shown), shown, self.high if clip else np.nan)
        return np.clip(shown, self.low, self.high) if clip else shown

    def unit(self, values: np.ndarray) -> np.ndarray:
        """Heights as fractions of the scale, 0 at its lowest and 1 at its cap: what a
        contour drawing is given, so f of any size (1e15, e^690) draws as well as f near 1
        (matplotlib cannot contour heights beyond 1e250, nor levels closer than a float's
        step)."""
        return (self(values) - self.low) / (self.high - self.low)

    @staticmethod
    def unit_levels(count: int = CONTOUR_LEVELS) -> np.ndarray:
        """The contour levels on :meth:`unit` heights (the same rings as :meth:`levels`)."""
        return np.linspace(0.0, 1.0, count)

    def levels(self, count: int = CONTOUR_LEVELS) -> np.ndarray:
        """``count`` contour levels from the lowest shown height to the cap."""
        return np.linspace(self.low, self.high, count)
