"""What the frames show, computed before anything is drawn: each run as the frames need it,
the view (its bounds, the surface sampled over them on one height scale), and the words."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from optimizers import Trajectory
from scene import OptimizerEntry, entry_labels
from scene.i18n import t
from surfaces import Surface

from ..landscape import sample
from ..levels import HeightScale
from ..style import color_for
from .rules import update_rule_lines


def _text(key: str, lang: str, **values) -> str:
    return t(f"figure.{key}", lang, **values)


@dataclass(frozen=True)
class Run:
    """One optimizer's run as the frames need it: (T, 2) points, (T,) losses."""

    points: np.ndarray
    losses: np.ndarray
    diverged_at: int
    label: str
    name: str
    color: str
    rule_lines: tuple[str, ...]

    def marker_point(self, bounds) -> np.ndarray:
        """Where to mark a diverged run: its frozen point, or its last point still in view."""
        (xmin, xmax), (ymin, ymax) = bounds
        inside = (
            (self.points[:, 0] >= xmin) & (self.points[:, 0] <= xmax)
            & (self.points[:, 1] >= ymin) & (self.points[:, 1] <= ymax)
        )
        stop = self.diverged_at if self.diverged_at >= 0 else len(self.points) - 1
        candidates = np.nonzero(inside[: stop + 1])[0]
        return self.points[candidates[-1] if candidates.size else 0]


def make_runs(entries: Sequence[OptimizerEntry], trajectories: Sequence[Trajectory], with_rules: bool, lang: str = "en") -> list[Run]:
    runs = []
    labels = entry_labels(entries, lang)
    for i, (entry, trajectory, label) in enumerate(zip(entries, trajectories, labels, strict=True)):
        optimizer = entry.build()
        runs.append(
            Run(
                points=np.asarray(trajectory.points[:, 0, :], dtype=float),
                losses=np.asarray(trajectory.losses[:, 0], dtype=float),
                diverged_at=int(trajectory.diverged_at[0]),
                label=label,
                name=optimizer.name,
                color=color_for(i),
                rule_lines=tuple(update_rule_lines(optimizer.update_rule)) if with_rules else (),
            )
        )
    return runs


def _format_loss(value: float) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.2e}"


def view_bounds(surface: Surface, start: np.ndarray):
    """The surface's default view, widened to include the start if it lies outside."""
    (xmin, xmax), (ymin, ymax) = surface.bounds
    x, y = float(start[0]), float(start[1])
    pad_x, pad_y = 0.05 * (xmax - xmin), 0.05 * (ymax - ymin)
    return (
        (min(xmin, x - pad_x), max(xmax, x + pad_x)),
        (min(ymin, y - pad_y), max(ymax, y + pad_y)),
    )



@dataclass(frozen=True)
class View:
    """What every plot of an export shares: the surface over the view's ``bounds``, sampled on
    a ``grid`` of (x, y) points (``values``: f there) with its height ``scale``, the start,
    and the language of the words on the plots."""

    surface: Surface
    start: np.ndarray
    bounds: tuple[tuple[float, float], tuple[float, float]]
    grid: np.ndarray  # (rows, columns, 2)
    values: np.ndarray  # (rows, columns)
    scale: HeightScale
    lang: str


def make_view(surface: Surface, start: np.ndarray, log: bool, lang: str) -> View:
    """The view of ``surface`` around ``start``; ``log``: heights on a log scale."""
    bounds = view_bounds(surface, start)
    grid_x, grid_y, values = sample(surface, bounds)
    grid = np.stack(np.meshgrid(grid_x, grid_y), axis=-1)
    return View(surface, start, bounds, grid, values, HeightScale(values, log=log), lang)
