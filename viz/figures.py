"""The interactive Plotly figures' public names, where the app, the export and notebooks
import them from; the code lives in :mod:`viz.plotly`, one idea per module."""

from __future__ import annotations

from .axes import log_ticks
from .geometry import simplify
from .plotly.contour import GRID_SIZE, ContourGrid, contour_grid
from .plotly.figure_type import TOLERANCE, AnimatedFigure
from .plotly.internals import internals_figure
from .plotly.surface3d import surface_3d_figure
from .plotly.trajectories import FRAME_MS, LAYOUTS, trajectory_figure

__all__ = [
    "FRAME_MS",
    "GRID_SIZE",
    "LAYOUTS",
    "TOLERANCE",
    "AnimatedFigure",
    "ContourGrid",
    "contour_grid",
    "internals_figure",
    "log_ticks",
    "simplify",
    "surface_3d_figure",
    "trajectory_figure",
]
