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
from scene import FIT_MARGIN, Scene, entry_labels
from scene.i18n import t
from scene.labels import entry_title
from surfaces import Surface

from .geometry import simplify
from .landscape import height_scale, sample
from .levels import HeightScale
from .style import color_for

START_MARGIN = 0.05  # a start outside the surface's view widens it by this much of the view
PATH_TOLERANCE = 0.002  # of the view's extent: a drawn path drops points closer to its line
# Finer in 3-D: a long straight chord would cut through a curved valley.
SURFACE_PATH_TOLERANCE = PATH_TOLERANCE / 4
LIFT = 0.02  # of the height range: paths and marks in 3-D lie just above the surface, not inside it
FIT_LEAST = 0.1  # a fitted view spans at least this share of the surface's own view
FIT_SLIVER = 0.4  # ... and each side at least this share of the other
END_SEPARATION = 0.03  # of the view's sides: run ends (and a minimum star) closer than this are spread apart


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


Bounds = tuple[tuple[float, float], tuple[float, float]]


def fitted_bounds(paths: Sequence[np.ndarray], start: np.ndarray, minima: np.ndarray, around: Bounds) -> Bounds:
    """The box of the ``paths``, the start and the minima inside ``around`` (the surface's
    view), with a margin of ``FIT_MARGIN`` of its longer side on every side, never smaller
    than ``FIT_LEAST`` of ``around`` nor thinner than ``FIT_SLIVER`` of its longer side."""
    (ax0, ax1), (ay0, ay1) = around
    inside = [m for m in np.asarray(minima, dtype=float).reshape(-1, 2) if ax0 <= m[0] <= ax1 and ay0 <= m[1] <= ay1]
    points = np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in paths] + [start.reshape(1, 2), *(m.reshape(1, 2) for m in inside)])
    points = points[np.isfinite(points).all(axis=1)]
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    least = FIT_LEAST * np.array([ax1 - ax0, ay1 - ay0])
    size = np.maximum(high - low, least)
    size = np.maximum(size, FIT_SLIVER * size.max())
    size = size + 2 * FIT_MARGIN * size.max()
    return ((float(centre[0] - size[0] / 2), float(centre[0] + size[0] / 2)), (float(centre[1] - size[1] / 2), float(centre[1] + size[1] / 2)))


def shaped_bounds(bounds: Bounds, aspect: float | None, reserve_right: float = 0.0) -> Bounds:
    """``bounds`` widened about their centre to a map of width/height ``aspect`` whose
    rightmost ``reserve_right`` share is left free (for a legend), so the picture keeps
    x and y at the same scale and the action clear of the legend."""
    if aspect is None:
        return bounds
    (x0, x1), (y0, y1) = bounds
    width, height = x1 - x0, y1 - y0
    usable = aspect * (1 - reserve_right)  # width/height of the part the action may use
    if width / height < usable:
        extra = (height * usable - width) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = (width / usable - height) / 2
        y0, y1 = y0 - extra, y1 + extra
    x1 = x0 + (x1 - x0) / (1 - reserve_right)
    return ((x0, x1), (y0, y1))


def _run_paths(trajectories: Sequence[Trajectory], around: Bounds) -> list[np.ndarray]:
    """What of each run a fitted view frames: all of it, or up to its last point inside
    ``around`` if it diverged (its far-flung points are not the action)."""
    paths = []
    for trajectory in trajectories:
        points = np.asarray(trajectory.points[:, 0, :], dtype=float)
        diverged_at = int(trajectory.diverged_at[0])
        if diverged_at >= 0:
            mark = _mark_point(points, diverged_at, around)
            stop = int(np.nonzero((points == mark).all(axis=1))[0][0])
            points = points[: stop + 1]
        paths.append(points)
    return paths


def picture_bounds(scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], aspect: float | None = None, reserve_right: float = 0.0) -> Bounds:
    """The view of a scene's picture, by its ``bounds``: the surface's view (``auto``),
    the action framed (``fit``), or the scene's own; the first two shaped to ``aspect``."""
    start = scene.start_point(surface)
    if not isinstance(scene.bounds, str):
        return scene.bounds
    auto = view_bounds(surface, start)
    if scene.bounds == "fit":
        auto = fitted_bounds(_run_paths(trajectories, auto), start, surface.minima, auto)
    return shaped_bounds(auto, aspect, reserve_right)


def end_offsets(ends: np.ndarray, minima: np.ndarray, bounds: Bounds) -> np.ndarray:
    """(runs, 2) shifts, in data units, that keep run ends from hiding each other or a
    minimum star: ends closer than ``END_SEPARATION`` of the view (in either direction,
    as a share of that side) are set on a circle of that radius around their group's
    centre, or around a star within twice that; a lone end clear of stars stays put."""
    (x0, x1), (y0, y1) = bounds
    scale = np.array([x1 - x0, y1 - y0])
    unit = np.asarray(ends, dtype=float) / scale
    stars = np.asarray(minima, dtype=float).reshape(-1, 2) / scale
    offsets = np.zeros_like(unit)
    left = [i for i in range(len(unit)) if np.isfinite(unit[i]).all()]
    while left:
        group = [left.pop(0)]
        grown = True
        while grown:
            near = [j for j in left if min(np.linalg.norm(unit[j] - unit[k]) for k in group) < END_SEPARATION]
            grown = bool(near)
            group += near
            left = [j for j in left if j not in near]
        centre = unit[group].mean(axis=0)
        # A star the group's circle would reach becomes the circle's centre.
        crowded = [star for star in stars if np.linalg.norm(star - centre) < 2 * END_SEPARATION]
        if len(group) == 1 and not crowded:
            continue
        if crowded:
            centre = crowded[0]
        for rank, k in enumerate(sorted(group)):
            angle = np.pi / 2 + 2 * np.pi * rank / len(group)
            offsets[k] = (centre + END_SEPARATION * np.array([np.cos(angle), np.sin(angle)]) - unit[k]) * scale
    return offsets


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
    end_offset: np.ndarray  # (2,): where its head is drawn near its end, off other ends and stars
    view_scale: np.ndarray  # (2,): the view's width and height

    def head_point(self, index: int, spread: bool = True) -> np.ndarray:
        """Where the head is drawn at recorded point ``index``: the point itself, shifted by
        ``end_offset`` as it nears its end (fully there at the end) when runs share a map."""
        point = self.points[index]
        if not spread or not self.end_offset.any():
            return point
        distance = float(np.linalg.norm((point - self.points[-1]) / self.view_scale))
        weight = max(0.0, 1.0 - distance / (3 * END_SEPARATION))
        return point + weight * self.end_offset

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
            "end_offset": self.end_offset.tolist(),
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
    fixed_bounds: bool = False  # the scene gave its own bounds: a painter cannot reshape the view
    axes: tuple[str, str] = ("x", "y")  # the coordinates' names, under and beside the map

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
        """f of the surface's coordinates: f(x, y), or a data surface's loss f(w, b)."""
        return figure_text("height", self.lang, axes=", ".join(self.axes))

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


def _run_picture(
    label: str, title: str, color: str, trajectory: Trajectory, bounds, lang: str, end_offset: np.ndarray, extent: float
) -> RunPicture:
    points = np.asarray(trajectory.points[:, 0, :], dtype=float)
    diverged_at = int(trajectory.diverged_at[0])
    mark = _mark_point(points, diverged_at, bounds)
    return RunPicture(
        label=label, title=title, color=color, points=points, losses=np.asarray(trajectory.losses[:, 0], dtype=float),
        steps=np.asarray(trajectory.step_index), diverged_at=diverged_at, mark_point=mark,
        diverged_text=figure_text("diverged", lang, step=diverged_at) if diverged_at >= 0 else "",
        diverged_place=label_place(float(mark[0]), float(mark[1]), bounds),
        kept=simplify(points / extent, PATH_TOLERANCE),
        end_offset=end_offset, view_scale=np.array([bounds[0][1] - bounds[0][0], bounds[1][1] - bounds[1][0]]),
    )


def _extent(bounds) -> float:
    (x0, x1), (y0, y1) = bounds
    return max(x1 - x0, y1 - y0)


def describe(
    scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], lang: str = "en",
    aspect: float | None = None, reserve_right: float = 0.0,
) -> Picture:
    """Everything a view of ``scene`` shows, computed once (one trajectory per optimizer).
    ``aspect``: the width/height of the map it will fill, ``reserve_right`` the share of
    that map to keep free on the right (see :func:`picture_bounds`)."""
    if len(trajectories) != len(scene.optimizers) or not trajectories:
        raise ValueError("Need one trajectory per optimizer of the scene")
    start = scene.start_point(surface)
    view = picture_bounds(scene, surface, trajectories, aspect, reserve_right)
    # Paths are simplified at the scale of the unshaped view, so every painter, whatever the
    # shape of its maps, draws the same points.
    extent = _extent(picture_bounds(scene, surface, trajectories) if aspect is not None else view)
    bounds = tuple((float(low), float(high)) for low, high in view)  # a cache key
    grid_x, grid_y, values = sample(surface, bounds)
    labels = entry_labels(scene.optimizers, lang)
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    ends = np.array([
        tr.points[-1, 0, :] if tr.diverged_at[0] < 0 else np.full(2, np.nan) for tr in trajectories
    ], dtype=float)
    offsets = end_offsets(ends, minima, bounds)
    return Picture(
        lang=lang, bounds=bounds, grid_x=grid_x, grid_y=grid_y, values=values,
        scale=height_scale(surface, bounds), start=start, minima=minima,
        minima_names=tuple(figure_text("global_minimum" if k == 0 else "local_minimum", lang) for k in range(len(minima))),
        runs=tuple(
            _run_picture(label, entry_title(entry, lang), color_for(i), trajectory, bounds, lang, offsets[i], extent)
            for i, (entry, label, trajectory) in enumerate(zip(scene.optimizers, labels, trajectories, strict=True))
        ),
        total_steps=int(trajectories[0].step_index[-1]),
        fixed_bounds=not isinstance(scene.bounds, str),
        axes=tuple(getattr(surface, "axes", ("x", "y"))),
    )


def path_on_surface(picture: Picture, surface: Surface, run: RunPicture) -> tuple[np.ndarray, np.ndarray]:
    """``run``'s drawn path in 3-D, for every 3-D painter: its points inside the view (its
    first point if none is), simplified at :data:`SURFACE_PATH_TOLERANCE`, and their heights
    on the picture's scale lifted by :data:`LIFT` of the height range. Returns
    (points (n, 2), heights (n,))."""
    heights = picture.height_scale
    lift = LIFT * (heights.high - heights.low)
    (x0, x1), (y0, y1) = picture.bounds
    points = run.points
    inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    points = points[inside] if inside.any() else points[:1]
    kept = simplify(points / max(x1 - x0, y1 - y0), SURFACE_PATH_TOLERANCE)
    return points[kept], heights(surface.f(points[kept])) + lift


def camera_key(scene: Scene) -> str:
    """What a 3-D view's camera belongs to: kept while only the optimizers or the start
    change, reset on another surface or formula (Plotly's ``uirevision``, the browser view's
    kept camera)."""
    return f"3d-{scene.surface}-{scene.formula}"
