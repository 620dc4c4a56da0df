"""What the frames show, taken from the scene's picture (``viz.picture``) before anything is
drawn: each run as the frames need it, and the view (bounds, landscape, height scale)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scene import OptimizerEntry

from ..levels import HeightScale
from ..picture import Picture, RunPicture
from .rules import update_rule_lines


@dataclass(frozen=True)
class Run:
    """One optimizer's run as the frames need it: the picture's run (``viz.picture``: name,
    colour, points, diverged mark and label) and the lines of its update rule, if shown."""

    picture: RunPicture
    rule_lines: tuple[str, ...] = ()

    def __getattr__(self, name: str):
        # points, losses, diverged_at, label, title, color, mark_point, diverged_text, ...
        if name == "picture":  # not set yet (a copy being made): no endless lookup
            raise AttributeError(name)
        return getattr(self.picture, name)


def make_runs(picture: Picture, entries: Sequence[OptimizerEntry], with_rules: bool) -> list[Run]:
    return [
        Run(run, tuple(update_rule_lines(entry.build().update_rule)) if with_rules else ())
        for run, entry in zip(picture.runs, entries, strict=True)
    ]


def _format_loss(value: float) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.2e}"


@dataclass(frozen=True)
class View:
    """What every plot of an export shares: the picture (its bounds, minima, start, words),
    its landscape sampled on a ``grid`` of (x, y) points (``values``: f there) and the height
    ``scale`` the plots use (the map's, or f itself in 3-D)."""

    picture: Picture
    grid: np.ndarray  # (rows, columns, 2)
    values: np.ndarray  # (rows, columns)
    scale: HeightScale

    @property
    def bounds(self):
        return self.picture.bounds

    @property
    def lang(self) -> str:
        return self.picture.lang


def make_view(picture: Picture, three_d: bool) -> View:
    grid = np.stack(np.meshgrid(picture.grid_x, picture.grid_y), axis=-1)
    return View(picture, grid, picture.values, picture.height_scale if three_d else picture.scale)
