"""The GIF/MP4 painter's names by their old address; the code lives in :mod:`viz.mpl`."""

from __future__ import annotations

from .landscape import GRID_POINTS
from .mpl.animation import SceneAnimation
from .mpl.data import Run, make_runs, view_bounds
from .mpl.layout import Margins, Rect, fit_panels
from .mpl.rules import update_rule_lines
from .mpl.style import DESIGN_COLORS

__all__ = [
    "DESIGN_COLORS",
    "GRID_POINTS",
    "Margins",
    "Rect",
    "Run",
    "SceneAnimation",
    "fit_panels",
    "make_runs",
    "update_rule_lines",
    "view_bounds",
]
