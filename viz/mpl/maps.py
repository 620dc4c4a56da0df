"""The 2-D maps of an export: the landscape with its minima and the start, drawn once, and
each run's path, head and "diverged" mark, which move."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex, to_rgb

from ..landscape import draw_landscape
from ..picture import LabelPlace
from ..style import MINIMUM_COLOR, START_COLOR
from .data import Run, View
from .layout import Page, Rect
from .moving import MovingArtists, layer
from .style import LINE_WIDTH_PT, MUTED_TEXT_COLOR, SPINE_COLOR, STATUS_PT, TICK_PT

STAR_ZORDER = 9  # the minima are drawn over every path, head and mark: a run never hides its goal
TRAIL_FLOOR = 0.12  # a fading trail's oldest part keeps this much of its colour
TRAIL_SHARE = 0.15  # ... and fades with a time constant of this share of the run's steps
TRAIL_TINTS = (0.2, 0.4, 0.7)  # opacities whose blends a GIF palette keeps, so a faded trail keeps its hue


def trail_tints(color: str, under: str) -> list[str]:
    """``color`` at the ``TRAIL_TINTS`` opacities over ``under`` (the landscape), as hex."""
    top, bottom = np.array(to_rgb(color)), np.array(to_rgb(under))
    return [to_hex(alpha * top + (1 - alpha) * bottom) for alpha in TRAIL_TINTS]


def add_map_axes(
    page: Page, view: View, runs: Sequence[Run], moving: MovingArtists, rect: Rect, run_indices: Sequence[int],
    compact: bool = False, trail: str = "full", tick_labels: tuple[bool, bool] = (True, True),
):
    """A map at ``rect`` (pixels) with the moving runs ``run_indices`` on it; returns its axes.
    Where several runs share the map their heads are spread apart near their ends
    (``RunPicture.head_point``); ``tick_labels`` says whether the x and y axes are labelled."""
    ax = page.figure.add_axes(page.fraction(rect))
    (xmin, xmax), (ymin, ymax) = view.bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    draw_landscape(ax, view.grid[0, :, 0], view.grid[:, 0, 1], view.values, view.scale)
    ax.plot([view.picture.start[0]], [view.picture.start[1]], linestyle="none", marker="o", markersize=8 if compact else 10,
            color=START_COLOR, markeredgecolor=MINIMUM_COLOR, markeredgewidth=1.5, zorder=4)
    if len(view.picture.minima):
        # Moving only in that it is drawn with every frame, above the heads blitted over the map.
        (stars,) = ax.plot(*view.picture.minima.T, linestyle="none", marker="*", markersize=13 if compact else 16,
                           color=MINIMUM_COLOR, markeredgecolor="white", markeredgewidth=1.2, zorder=STAR_ZORDER, animated=True)
        moving.marks.append(stars)
    ax.tick_params(labelsize=TICK_PT, colors=MUTED_TEXT_COLOR, labelfontfamily=page.families,
                   labelbottom=tick_labels[0], labelleft=tick_labels[1])
    for spine in ax.spines.values():
        spine.set_color(SPINE_COLOR)
    for index in run_indices:
        _add_moving_run(ax, page, view, runs, moving, index, spread=len(run_indices) > 1, trail=trail)
    return ax


LABEL_OFFSET_PT = 12


def mpl_place(place: LabelPlace) -> tuple[tuple[float, float], dict[str, str]]:
    """A picture's label place as an annotation's offset (points) and text alignment."""
    dx = {"left": -LABEL_OFFSET_PT, "center": 0, "right": LABEL_OFFSET_PT}[place.horizontal]
    ha = {"left": "right", "center": "center", "right": "left"}[place.horizontal]
    return (dx, LABEL_OFFSET_PT if place.above else -LABEL_OFFSET_PT), {"ha": ha, "va": "bottom" if place.above else "top"}


class _FadingTrail:
    """A path whose older parts fade (Radford's classic GIFs): one segment per kept point,
    each with the run's colour at an opacity that falls with its age in steps."""

    def __init__(self, ax, run: Run, zorder: float):
        self.run = run
        self.rgb = to_rgb(run.color)
        self.tau = max(TRAIL_SHARE * (len(run.points) - 1), 1.0)
        self.collection = LineCollection([], linewidths=LINE_WIDTH_PT, capstyle="round", joinstyle="round",
                                         animated=True, zorder=zorder)
        ax.add_collection(self.collection)

    def show(self, step: int) -> None:
        kept = self.run.kept
        indices = np.append(kept[: int(np.searchsorted(kept, step))], step)
        points = self.run.points[indices]
        ages = (step - indices[1:]).astype(float)
        alpha = TRAIL_FLOOR + (1 - TRAIL_FLOOR) * np.exp(-ages / self.tau)
        self.collection.set_segments(np.stack([points[:-1], points[1:]], axis=1))
        self.collection.set_color([(*self.rgb, a) for a in alpha])


def _add_moving_run(
    ax, page: Page, view: View, runs: Sequence[Run], moving: MovingArtists, index: int, spread: bool, trail: str
) -> None:
    run = runs[index]
    if trail == "fade":
        fading = _FadingTrail(ax, run, layer(index, len(runs), 5))
        line = fading.collection

        def draw_path(step: int) -> None:
            fading.show(step)
    else:
        (line,) = ax.plot([], [], color=run.color, linewidth=LINE_WIDTH_PT, solid_capstyle="round",
                          solid_joinstyle="round", animated=True, zorder=layer(index, len(runs), 5))

        def draw_path(step: int) -> None:
            line.set_data(*run.path_until(step).T)
    (head,) = ax.plot([], [], linestyle="none", marker="o", markersize=9, color=run.color,
                      markeredgecolor="white", markeredgewidth=1.4, animated=True, zorder=layer(index, len(runs), 6))
    moving.lines.append(line)
    moving.heads.append(head)
    if run.diverged_at < 0:
        def update(step: int) -> None:
            draw_path(step)
            head.set_data(*run.head_point(step, spread).reshape(2, 1))
        moving.updates.append(update)
        return

    mark_x, mark_y = run.mark_point
    (cross,) = ax.plot([mark_x], [mark_y], linestyle="none", marker="X", markersize=15, color=run.color,
                       markeredgecolor=MINIMUM_COLOR, markeredgewidth=1.2, animated=True, zorder=7, visible=False)
    offset, alignment = mpl_place(run.diverged_place)
    note = ax.annotate(
        run.diverged_text, (mark_x, mark_y), xytext=offset, textcoords="offset points", **alignment,
        fontsize=STATUS_PT, family=page.families, color=run.color,
        weight="bold", animated=True, visible=False, zorder=8,
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )
    moving.marks.append(cross)
    moving.texts.append(note)

    points = run.points

    def update_diverged(step: int) -> None:
        shown = min(step, run.diverged_at)
        draw_path(shown)
        head.set_data(points[shown : shown + 1, 0], points[shown : shown + 1, 1])
        gone = step >= run.diverged_at
        head.set_visible(not gone)
        cross.set_visible(gone)
        note.set_visible(gone)
    moving.updates.append(update_diverged)
