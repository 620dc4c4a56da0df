"""The 3-D view of an export: the shaded surface and each run's path lying on it, and the
camera that may orbit over the animation."""

from __future__ import annotations

from collections.abc import Sequence

from surfaces import Surface

from ..landscape import GRID_POINTS, RELIEF_CMAP
from ..style import MINIMUM_COLOR
from .data import Run, View
from .layout import Page, Rect
from .moving import MovingArtists, layer
from .style import LABEL_PT, LINE_WIDTH_PT, MUTED_TEXT_COLOR, TICK_PT

SURFACE_GRID_POINTS = 44
ELEVATION, AZIMUTH = 32.0, -58.0  # degrees: the camera at the first frame


def draw_surface3d(page: Page, view: View, surface: Surface, runs: Sequence[Run], moving: MovingArtists, rect: Rect, animated: bool):
    """The 3-D axes at ``rect`` (pixels) with every run on them; returns the axes.
    ``animated``: the runs are blitted over a saved background (no orbit)."""
    ax = page.figure.add_axes(page.fraction(rect), projection="3d", computed_zorder=False)
    step = max(1, GRID_POINTS // SURFACE_GRID_POINTS)
    grid = view.grid[::step, ::step]
    heights = view.scale(view.values[::step, ::step])
    # Shading without mesh lines: a fine mesh is detail every orbiting frame repeats,
    # and it makes a GIF several times larger.
    ax.plot_surface(grid[..., 0], grid[..., 1], heights, cmap=RELIEF_CMAP, linewidth=0,
                    antialiased=False, shade=True, alpha=0.95, zorder=1)
    ax.set_zlim(view.scale.low, view.scale.high)
    ax.set_xlim(*view.bounds[0])
    ax.set_ylim(*view.bounds[1])
    lift = 0.01 * (view.scale.high - view.scale.low)
    if len(view.picture.minima):
        minima = view.picture.minima
        ax.plot(minima[:, 0], minima[:, 1], view.scale(surface.f(minima)) + lift, linestyle="none",
                marker="*", markersize=14, color=MINIMUM_COLOR, markeredgecolor="white", zorder=3)
    ax.set_xlabel("x", fontsize=LABEL_PT - 2, family=page.families)
    ax.set_ylabel("y", fontsize=LABEL_PT - 2, family=page.families)
    ax.set_zlabel(view.picture.height_title, fontsize=LABEL_PT - 2,
                  family=page.families, labelpad=12)
    ax.tick_params(labelsize=TICK_PT - 2, colors=MUTED_TEXT_COLOR, labelfontfamily=page.families)
    turn(ax, 0.0)
    for index, run in enumerate(runs):
        heights = view.scale(run.losses) + lift
        (line,) = ax.plot([], [], [], color=run.color, linewidth=LINE_WIDTH_PT, animated=animated,
                          zorder=layer(index, len(runs), 5), axlim_clip=True)
        (head,) = ax.plot([], [], [], linestyle="none", marker="o", markersize=9, color=run.color,
                          markeredgecolor="white", markeredgewidth=1.4, animated=animated,
                          zorder=layer(index, len(runs), 6), axlim_clip=True)
        moving.lines.append(line)
        moving.heads.append(head)

        def update(step: int, run=run, line=line, head=head, heights=heights) -> None:
            shown = step if run.diverged_at < 0 else min(step, run.diverged_at)
            line.set_data_3d(run.points[: shown + 1, 0], run.points[: shown + 1, 1], heights[: shown + 1])
            head.set_data_3d(run.points[shown : shown + 1, 0], run.points[shown : shown + 1, 1], heights[shown : shown + 1])
            head.set_marker("X" if 0 <= run.diverged_at <= step else "o")
        moving.updates.append(update)
    return ax


def turn(ax, degrees: float) -> None:
    """The camera ``degrees`` round from where it starts."""
    ax.view_init(ELEVATION, AZIMUTH + degrees)
