"""Frames of a scene drawn with matplotlib (Agg, no pyplot): the static picture once, then
per frame only the moving artists, blitted over a saved background.

:class:`SceneAnimation` lays the page out (title, plots, legend) and draws the frames; the
maps, the 3-D view and the legend are painted by :mod:`.maps`, :mod:`.surface3d` and
:mod:`.legend`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from surfaces import Surface

from .._mpl_fonts import font_families, needs_cjk
from ..export_options import ExportOptions
from ..picture import Picture
from . import legend
from .data import Run, make_view
from .layout import Margins, Page, Rect
from .maps import add_map_axes
from .moving import MovingArtists
from .style import (
    COUNTER_PT,
    LABEL_PT,
    MUTED_TEXT_COLOR,
    PANEL_TITLE_PT,
    STATUS_PT,
    SUBTITLE_PT,
    TEXT_COLOR,
    TITLE_PT,
)
from .surface3d import draw_surface3d, turn

Build = Callable[[float | None, float], tuple[Picture, list[Run]]]


class SceneAnimation:
    """The figure of one export. ``frame(step)`` draws the picture at that step and returns
    an (H, W, 4) RGBA uint8 view of the canvas, valid until the next call."""

    def __init__(self, build: Build, surface: Surface, options: ExportOptions, title: str):
        """``build(aspect, reserve_right)`` describes the scene (``viz.picture.describe``) for
        a map of that shape; the painter lays the page out first, then asks for the picture
        that fills its maps, and adds only what a frame of a slide needs: layout, fonts,
        legend, blitting."""
        self.options = options
        self._build = build
        self.picture, self.runs = build(None, 0.0)
        self.total_steps = self.picture.total_steps
        self.surface = surface
        self.lang = self.picture.lang
        self.bounds = self.picture.bounds
        texts = [title, options.subtitle or ""] + [run.label for run in self.runs]
        self.page = Page(options.pixel_size, font_families(cjk=options.lang == "zh" or needs_cjk(*texts)))
        self.figure, self.canvas, self.size, self.dpi = self.page.figure, self.page.canvas, self.page.size, self.page.dpi
        self.moving = MovingArtists()
        self.run_axes: list = []  # the axes each run is drawn in, in the order of the runs
        self._full_redraw = options.view == "surface3d" and options.orbit_degrees != 0

        title_bottom = self._draw_title(title)
        self._lay_out(title_bottom)
        if self._full_redraw:  # every frame is drawn whole, so nothing may be left out of it
            for artist in self.moving_artists:
                artist.set_animated(False)
        self.canvas.draw()
        self._background = None if self._full_redraw else self.canvas.copy_from_bbox(self.figure.bbox)

    def _describe(self, aspect: float | None, reserve_right: float = 0.0) -> None:
        """The picture and runs for maps of width/height ``aspect``, keeping the update-rule
        captions only if they fitted the first layout."""
        keep_rules = any(run.rule_lines for run in self.runs)
        self.picture, runs = self._build(aspect, reserve_right)
        self.runs = runs if keep_rules else [replace(run, rule_lines=()) for run in runs]
        self.bounds = self.picture.bounds

    # ------------------------------------------------------------------ title and layout

    def _draw_title(self, title: str) -> float:
        """Title, subtitle and step counter; returns the pixel height where they end."""
        page = self.page
        width, height = self.size
        y = height - page.px(7)
        left, right = page.px(18), width - page.px(18)
        title_right = right
        if self.options.step_counter:
            total = self.total_steps
            counter = page.text(right, height - page.px(9), "", COUNTER_PT,
                                animated=True, ha="right", va="top", color=TEXT_COLOR)
            self.moving.texts.append(counter)
            self.moving.updates.append(lambda step: counter.set_text(self.picture.counter(step)))
            widest = self.picture.counter(total)
            title_right -= page.text_width(widest, COUNTER_PT) + page.px(16)
        title_pt = TITLE_PT
        while title_pt > 0.6 * TITLE_PT and page.text_width(title, title_pt, weight="bold") > title_right - left:
            title_pt *= 0.92
        page.text(left, y, title, title_pt, va="top", weight="bold", color=TEXT_COLOR)
        y -= page.px(max(title_pt, COUNTER_PT) * 1.25)
        if self.options.subtitle:
            for line in page.wrapped(self.options.subtitle, SUBTITLE_PT, right - left)[:2]:
                page.text(left, y, line, SUBTITLE_PT, va="top", color=MUTED_TEXT_COLOR)
                y -= page.px(SUBTITLE_PT * 1.3)
        return y - page.px(2)

    def _lay_out(self, title_bottom: float) -> None:
        page = self.page
        pad = page.px(8)
        region: Rect = (pad, pad, self.size[0] - 2 * pad, title_bottom - pad)
        if self.options.view == "surface3d":
            self._lay_out_3d(region)
        elif self.options.view == "side_by_side":
            self._lay_out_panels(region)
        else:
            self._lay_out_map(region)

    def _lay_out_map(self, region: Rect) -> None:
        """One map over the whole region; the legend inside it, on a strip of the map the
        view keeps free for it (``reserve_right``), or, when the scene fixes its bounds, in
        the corner the paths cross least."""
        page = self.page
        margins = Margins(page.px(44), page.px(10), page.px(34), page.px(4))
        rect = (region[0] + margins.left, region[1] + margins.bottom,
                region[2] - margins.left - margins.right, region[3] - margins.bottom - margins.top)
        inset = page.px(10)
        legend_width, reserve = 0.0, 0.0
        if self.options.legend:
            self.runs = legend.without_rules_unless_they_fit(page, self.runs, rect[3] - 2 * inset, columns=1)
            column = legend.legend_column_width(page, self.runs, self.lang, self.total_steps)
            legend_width = float(np.clip(column, 0.18 * rect[2], 0.4 * rect[2]))
            reserve = (legend_width + 2 * inset) / rect[2]
        self._describe(rect[2] / rect[3], reserve)
        self.view = make_view(self.picture, three_d=False)
        ax = add_map_axes(page, self.view, self.runs, self.moving, rect, list(range(len(self.runs))), trail=self.options.trail)
        self.run_axes += [ax] * len(self.runs)
        ax.set_xlabel(self.picture.axes[0], fontsize=LABEL_PT, family=page.families, labelpad=2)
        ax.set_ylabel(self.picture.axes[1], fontsize=LABEL_PT, family=page.families, rotation=0, labelpad=10)
        if not self.options.legend:
            return
        height = min(legend.legend_height(page, self.runs, 1), rect[3] - 2 * inset)
        left = self._legend_corner(ax, rect, legend_width, height, inset)
        box = (left[0], left[1], legend_width, height)
        legend.draw_backdrop(page, box, page.px(6))
        legend.draw_legend(page, self.runs, self.moving, self.lang, box, columns=1)

    def _legend_corner(self, ax, rect: Rect, width: float, height: float, inset: float) -> tuple[float, float]:
        """Bottom-left pixel of the legend box: top right (the strip the view keeps free), or,
        for a scene's own bounds, the corner with the fewest path points and minima under it."""
        x0, y0, w, h = rect
        corners = [
            (x0 + w - inset - width, y0 + h - inset - height), (x0 + inset, y0 + h - inset - height),
            (x0 + w - inset - width, y0 + inset), (x0 + inset, y0 + inset),
        ]
        if not self.picture.fixed_bounds:
            return corners[0]
        points = np.concatenate([run.points for run in self.runs] + [self.picture.minima.reshape(-1, 2)])
        pixels = ax.transData.transform(points)

        def covered(corner) -> int:
            inside = (pixels[:, 0] >= corner[0]) & (pixels[:, 0] <= corner[0] + width)
            return int(np.count_nonzero(inside & (pixels[:, 1] >= corner[1]) & (pixels[:, 1] <= corner[1] + height)))
        return min(corners, key=covered)

    def _lay_out_panels(self, region: Rect) -> None:
        """One map per run in the grid that makes them largest. Each panel is named above
        its map, with its status (loss, or where it diverged) on the same line, so the maps
        need no legend beside them; tick labels only on the outer edges."""
        page = self.page
        count = len(self.runs)
        left_margin, bottom_margin = page.px(30), page.px(20)  # the outer tick labels
        title_height, column_gap, row_gap = page.px(PANEL_TITLE_PT * 1.45), page.px(8), page.px(2)
        (x0, x1), (y0, y1) = self.picture.bounds  # the view before it is shaped to the panels
        action = (x1 - x0) / (y1 - y0)
        best = None
        for rows in range(1, count + 1):
            columns = math.ceil(count / rows)
            width = (region[2] - left_margin - (columns - 1) * column_gap) / columns
            height = (region[3] - bottom_margin - rows * title_height - (rows - 1) * row_gap) / rows
            if width <= 0 or height <= 0:
                continue
            # The grid that draws the action largest: a panel's area times the share of it
            # the view's own box fills once widened to the panel's shape at one scale.
            score = width * height * min(width / height / action, action / (width / height))
            if best is None or score > best[0]:
                best = (score, rows, columns, width, height)
        _, rows, columns, width, height = best
        self._describe(width / height)
        self.view = make_view(self.picture, three_d=False)
        top = region[1] + region[3]
        for index, title in enumerate(self.picture.panel_titles()):
            row, column = divmod(index, columns)
            x = region[0] + left_margin + column * (width + column_gap)
            y = top - (row + 1) * (title_height + height) - row * row_gap
            outer = (row == rows - 1 or index + columns >= count, column == 0)
            ax = add_map_axes(page, self.view, self.runs, self.moving, (x, y, width, height), [index],
                              compact=True, trail=self.options.trail, tick_labels=outer)
            self.run_axes.append(ax)
            run = self.runs[index]
            baseline = y + height + page.px(4)
            name = page.text(x, baseline, title, PANEL_TITLE_PT, va="bottom", color=run.color, weight="bold")
            if self.options.legend:
                status = page.text(x + width, baseline, "", STATUS_PT, animated=True, ha="right", va="bottom", color=MUTED_TEXT_COLOR)
                self.moving.texts.append(status)
                self.moving.updates.append(legend.status_update(run, status, self.lang))
                room = x + width - page.text_width(legend.widest_status(self.lang, self.total_steps), STATUS_PT, weight="bold") - page.px(8)
            else:
                room = x + width
            page.shrink_to_width([name], [room])

    def _lay_out_3d(self, region: Rect) -> None:
        """The 3-D surface, with the legend beside it on a wide page and below it otherwise."""
        page = self.page
        width = self.size[0]
        gap = page.px(14)
        show_legend = self.options.legend
        wide = self.size[0] / self.size[1] >= 1.25
        self.view = make_view(self.picture, three_d=True)
        column = legend.legend_column_width(page, self.runs, self.lang, self.total_steps) if show_legend else 0.0
        columns, legend_height = 1, 0.0
        if show_legend and wide:
            self.runs = legend.without_rules_unless_they_fit(page, self.runs, region[3], columns=1)
            column = float(np.clip(legend.legend_column_width(page, self.runs, self.lang, self.total_steps), 0.2 * width, 0.42 * width))
            plot_region: Rect = (region[0], region[1], region[2] - column - gap, region[3])
        elif show_legend:
            columns = 2 if len(self.runs) > 2 and 2 * column <= region[2] else 1
            self.runs = legend.without_rules_unless_they_fit(page, self.runs, 0.4 * region[3], columns)
            legend_height = min(legend.legend_height(page, self.runs, columns), 0.4 * region[3])
            plot_region = (region[0], region[1] + legend_height + gap, region[2], region[3] - legend_height - gap)
        else:
            plot_region = region
        side = min(plot_region[2], plot_region[3] * 1.3)
        rect = (plot_region[0], plot_region[1], side, plot_region[3])
        self._axes3d = draw_surface3d(page, self.view, self.surface, self.runs, self.moving, rect, animated=not self._full_redraw)
        self.run_axes += [self._axes3d] * len(self.runs)
        if not show_legend:
            return
        if wide:
            left = rect[0] + rect[2] + gap
            box = (left, region[1], width - page.px(12) - left, rect[1] + rect[3] - region[1])
            legend.draw_legend(page, self.runs, self.moving, self.lang, box, columns=1)
        else:
            box = (region[0] + page.px(12), region[1], region[2] - page.px(12), legend_height)
            legend.draw_legend(page, self.runs, self.moving, self.lang, box, columns=columns)

    # ------------------------------------------------------------------ frames

    @property
    def moving_artists(self) -> list:
        """Everything that changes between frames, in drawing order (by zorder)."""
        return self.moving.in_drawing_order()

    def set_step(self, step: int, orbit_fraction: float = 0.0) -> None:
        """Put every moving artist where it is at ``step``, without drawing."""
        for update in self.moving.updates:
            update(int(step))
        if self._full_redraw:
            turn(self._axes3d, self.options.orbit_degrees * orbit_fraction)

    def frame(self, step: int, orbit_fraction: float = 0.0) -> np.ndarray:
        self.set_step(step, orbit_fraction)
        if self._full_redraw:
            self.canvas.draw()
        else:
            self.canvas.restore_region(self._background)
            for artist in self.moving_artists:
                if artist.get_visible():
                    self.figure.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())

    def close(self) -> None:
        self.figure.clear()
