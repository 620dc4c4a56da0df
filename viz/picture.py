"""The picture of a scene, described once and renderer-neutral: what every painter draws.

``describe(scene, surface, trajectories, lang)`` computes the view, the height scale and its
levels, the sampled landscape, the start and the minima with their names, and for every run
its display name, colour, points and where and how its "diverged" mark and label go. The
Plotly figures (``viz.plotly``) and the GIF/MP4 writer (``viz.mpl``) only paint
this description, so the app and a slide show the same bounds, legend, counter and labels in
the same language; a browser-side painter would read the same fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from optimizers import Trajectory
from scene import Scene, entry_labels
from scene.i18n import t
from scene.labels import entry_title
from surfaces import Surface

from .geometry import simplify
from .landscape import height_scale, sample
from .levels import HeightScale
from .style import color_for

START_MARGIN = 0.05  # a start outside the surface's view widens it by this much of the view
PATH_TOLERANCE = 0.002  # of the view's extent: a drawn path drops points closer to its line


def figure_text(key: str, lang: str, **values) -> str:
    """A word of the figures from the one catalogue (assets/i18n/figure.json)."""
    return t(f"figure.{key}", lang, **values)


@dataclass(frozen=True)
class LabelPlace:
    """Where a label sits relative to its point so that it stays inside the map: ``above``
    or below it, and to its ``left``, ``right`` or ``center``ed on it."""

    above: bool
    horizontal: str  # "left", "center", "right"


def label_place(x: float, y: float, bounds) -> LabelPlace:
    """Away from the nearer edges: near the right third the label goes left of the point,
    near the left third right of it; near the top sixth it goes below."""
    (x0, x1), (y0, y1) = bounds
    horizontal = "right" if x < x0 + (x1 - x0) / 3 else "left" if x > x1 - (x1 - x0) / 3 else "center"
    return LabelPlace(above=not y > y1 - (y1 - y0) / 6, horizontal=horizontal)


def view_bounds(surface: Surface, start: np.ndarray):
    """The surface's default view, widened to include the start if it lies outside."""
    (xmin, xmax), (ymin, ymax) = surface.bounds
    x, y = float(start[0]), float(start[1])
    pad_x, pad_y = START_MARGIN * (xmax - xmin), START_MARGIN * (ymax - ymin)
    return (
        (min(xmin, x - pad_x), max(xmax, x + pad_x)),
        (min(ymin, y - pad_y), max(ymax, y + pad_y)),
    )


@dataclass(frozen=True)
class RunPicture:
    """One optimizer's run as every painter shows it. ``points`` (T, 2) and ``losses`` (T,)
    at the recorded ``steps`` (T,); a run that diverged at ``diverged_at`` (-1: never) ends
    in a mark at ``mark_point`` (its last point inside the view) labelled ``diverged_text``,
    placed at ``diverged_place``."""

    label: str
    title: str  # the optimizer's short display name ("Adam"), for a panel of its own
    color: str
    points: np.ndarray
    losses: np.ndarray
    steps: np.ndarray
    diverged_at: int
    mark_point: np.ndarray
    diverged_text: str
    diverged_place: LabelPlace
    kept: np.ndarray  # indices of the points a drawn path keeps (the others lie on its line)

    def path_until(self, index: int) -> np.ndarray:
        """The drawn path up to recorded point ``index``: the kept points before it, then the
        point itself (the path a frame shows, whoever paints it)."""
        before = self.kept[: int(np.searchsorted(self.kept, index))]
        return np.concatenate([self.points[before], self.points[index : index + 1]])

    def to_dict(self) -> dict:
        return {
            "label": self.label, "title": self.title, "color": self.color,
            "steps": self.steps.tolist(), "kept": self.kept.tolist(),
            "x": self.points[:, 0].tolist(), "y": self.points[:, 1].tolist(), "loss": self.losses.tolist(),
            "diverged_at": self.diverged_at, "mark": self.mark_point.tolist(), "diverged_text": self.diverged_text,
            "diverged_place": {"above": self.diverged_place.above, "horizontal": self.diverged_place.horizontal},
        }


@dataclass(frozen=True)
class Picture:
    lang: str
    bounds: tuple[tuple[float, float], tuple[float, float]]
    grid_x: np.ndarray  # the sampled landscape: values[i, j] = f(grid_x[j], grid_y[i])
    grid_y: np.ndarray
    values: np.ndarray
    scale: HeightScale  # contour levels and colours of the map
    start: np.ndarray
    minima: np.ndarray
    minima_names: tuple[str, ...]
    runs: tuple[RunPicture, ...]
    total_steps: int

    def counter(self, step: int) -> str:
        """The step counter's text: "step 120 / 300"."""
        return figure_text("step_counter", self.lang, step=step, total=self.total_steps)

    def panel_titles(self) -> list[str]:
        """Side by side, each panel is named by its optimizer's short name, or by its full
        label where two panels would share a name (Adam with and without bias correction)."""
        titles = [run.title for run in self.runs]
        return [run.title if titles.count(run.title) == 1 else run.label for run in self.runs]

    @property
    def height_scale(self) -> HeightScale:
        """The 3-D view's heights: f itself (on a log scale a minimum becomes a deep spike)."""
        return HeightScale(self.values, log=False)

    @property
    def height_title(self) -> str:
        return figure_text("height", self.lang)

    def to_dict(self) -> dict:
        """The description as plain JSON data, for a painter outside Python (a browser-side
        map): the landscape as its sample and contour levels, and every run."""
        return {
            "lang": self.lang, "bounds": [list(pair) for pair in self.bounds],
            "grid_x": self.grid_x.tolist(), "grid_y": self.grid_y.tolist(),
            "levels": self.scale.levels().tolist(), "log_heights": self.scale.log,
            "start": self.start.tolist(), "minima": self.minima.tolist(), "minima_names": list(self.minima_names),
            "total_steps": self.total_steps, "counter": self.counter(self.total_steps),
            "panel_titles": self.panel_titles(), "runs": [run.to_dict() for run in self.runs],
        }


def _mark_point(points: np.ndarray, diverged_at: int, bounds) -> np.ndarray:
    """Where to mark a diverged run: its frozen point, or its last point still in view."""
    (xmin, xmax), (ymin, ymax) = bounds
    inside = (points[:, 0] >= xmin) & (points[:, 0] <= xmax) & (points[:, 1] >= ymin) & (points[:, 1] <= ymax)
    stop = diverged_at if diverged_at >= 0 else len(points) - 1
    candidates = np.nonzero(inside[: stop + 1])[0]
    return points[candidates[-1] if candidates.size else 0]


def _run_picture(label: str, title: str, color: str, trajectory: Trajectory, bounds, lang: str) -> RunPicture:
    points = np.asarray(trajectory.points[:, 0, :], dtype=float)
    diverged_at = int(trajectory.diverged_at[0])
    mark = _mark_point(points, diverged_at, bounds)
    return RunPicture(
        label=label, title=title, color=color, points=points, losses=np.asarray(trajectory.losses[:, 0], dtype=float),
        steps=np.asarray(trajectory.step_index), diverged_at=diverged_at, mark_point=mark,
        diverged_text=figure_text("diverged", lang, step=diverged_at) if diverged_at >= 0 else "",
        diverged_place=label_place(float(mark[0]), float(mark[1]), bounds),
        kept=simplify(points / _extent(bounds), PATH_TOLERANCE),
    )


def _extent(bounds) -> float:
    (x0, x1), (y0, y1) = bounds
    return max(x1 - x0, y1 - y0)


def describe(scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], lang: str = "en") -> Picture:
    """Everything a view of ``scene`` shows, computed once (one trajectory per optimizer)."""
    if len(trajectories) != len(scene.optimizers) or not trajectories:
        raise ValueError("Need one trajectory per optimizer of the scene")
    start = scene.start_point(surface)
    bounds = tuple((float(low), float(high)) for low, high in view_bounds(surface, start))  # a cache key
    grid_x, grid_y, values = sample(surface, bounds)
    labels = entry_labels(scene.optimizers, lang)
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    return Picture(
        lang=lang, bounds=bounds, grid_x=grid_x, grid_y=grid_y, values=values,
        scale=height_scale(surface, bounds), start=start, minima=minima,
        minima_names=tuple(figure_text("global_minimum" if k == 0 else "local_minimum", lang) for k in range(len(minima))),
        runs=tuple(
            _run_picture(label, entry_title(entry, lang), color_for(i), trajectory, bounds, lang)
            for i, (entry, label, trajectory) in enumerate(zip(scene.optimizers, labels, trajectories, strict=True))
        ),
        total_steps=int(trajectories[0].step_index[-1]),
    )
