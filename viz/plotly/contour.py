"""The surface sampled on a grid (the 3-D view and the internals close-up draw it), and the
contour trace drawn from it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surfaces import Surface

from ..landscape import plotly_colorscale
from ..levels import CONTOUR_LEVELS, HeightScale
from ..style import CONTOUR_LINE_COLOR, LANDSCAPE_COLORS
from .figure_type import _typed

GRID_SIZE = 80


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
