"""The 2-D maps of an export: the landscape with its minima and the start, drawn once, and
each run's path, head and "diverged" mark, which move."""

from __future__ import annotations

from collections.abc import Sequence

from ..landscape import draw_landscape
from ..picture import LabelPlace
from ..style import MINIMUM_COLOR, START_COLOR
from .data import Run, View
from .layout import Page, Rect
from .moving import MovingArtists, layer
from .style import LINE_WIDTH_PT, MUTED_TEXT_COLOR, SPINE_COLOR, STATUS_PT, TICK_PT


def add_map_axes(
    page: Page, view: View, runs: Sequence[Run], moving: MovingArtists, rect: Rect, run_indices: Sequence[int], compact: bool = False
):
    """A map at ``rect`` (pixels) with the moving runs ``run_indices`` on it; returns its axes."""
    ax = page.figure.add_axes(page.fraction(rect))
    (xmin, xmax), (ymin, ymax) = view.bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    draw_landscape(ax, view.grid[0, :, 0], view.grid[:, 0, 1], view.values, view.scale)
    if len(view.picture.minima):
        ax.plot(*view.picture.minima.T, linestyle="none", marker="*", markersize=11 if compact else 15,
                color=MINIMUM_COLOR, markeredgecolor="white", markeredgewidth=0.8, zorder=4)
    ax.plot([view.picture.start[0]], [view.picture.start[1]], linestyle="none", marker="o", markersize=8 if compact else 10,
            color=START_COLOR, markeredgecolor=MINIMUM_COLOR, markeredgewidth=1.5, zorder=4)
    ax.tick_params(labelsize=TICK_PT - (2 if compact else 0), colors=MUTED_TEXT_COLOR, labelfontfamily=page.families)
    for spine in ax.spines.values():
        spine.set_color(SPINE_COLOR)
    for index in run_indices:
        _add_moving_run(ax, page, view, runs, moving, index)
    return ax


LABEL_OFFSET_PT = 12


def mpl_place(place: LabelPlace) -> tuple[tuple[float, float], dict[str, str]]:
    """A picture's label place as an annotation's offset (points) and text alignment."""
    dx = {"left": -LABEL_OFFSET_PT, "center": 0, "right": LABEL_OFFSET_PT}[place.horizontal]
    ha = {"left": "right", "center": "center", "right": "left"}[place.horizontal]
    return (dx, LABEL_OFFSET_PT if place.above else -LABEL_OFFSET_PT), {"ha": ha, "va": "bottom" if place.above else "top"}


def _add_moving_run(ax, page: Page, view: View, runs: Sequence[Run], moving: MovingArtists, index: int) -> None:
    run = runs[index]
    (line,) = ax.plot([], [], color=run.color, linewidth=LINE_WIDTH_PT, solid_capstyle="round",
                      solid_joinstyle="round", animated=True, zorder=layer(index, len(runs), 5))
    (head,) = ax.plot([], [], linestyle="none", marker="o", markersize=9, color=run.color,
                      markeredgecolor="white", markeredgewidth=1.4, animated=True, zorder=layer(index, len(runs), 6))
    moving.lines.append(line)
    moving.heads.append(head)
    points = run.points
    if run.diverged_at < 0:
        def update(step: int) -> None:
            line.set_data(*run.path_until(step).T)
            head.set_data(points[step : step + 1, 0], points[step : step + 1, 1])
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

    def update_diverged(step: int) -> None:
        shown = min(step, run.diverged_at)
        line.set_data(*run.path_until(shown).T)
        head.set_data(points[shown : shown + 1, 0], points[shown : shown + 1, 1])
        gone = step >= run.diverged_at
        head.set_visible(not gone)
        cross.set_visible(gone)
        note.set_visible(gone)
    moving.updates.append(update_diverged)
