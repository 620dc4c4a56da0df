"""Frames of a scene drawn with matplotlib (Agg, no pyplot): the static picture once, then
per frame only the moving artists, blitted over a saved background.

:class:`SceneAnimation` lays the page out (title, plots, legend) and draws the frames; the
maps, the 3-D view and the legend are painted by :mod:`.maps`, :mod:`.surface3d` and
:mod:`.legend`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from surfaces import Surface

from .._mpl_fonts import font_families, needs_cjk
from ..export_options import ExportOptions
from ..picture import Picture
from . import legend
from .data import Run, make_view
from .layout import Margins, Page, Rect, _shifted, fit_panels
from .maps import add_map_axes
from .moving import MovingArtists
from .style import (
    COUNTER_PT,
    LABEL_PT,
    MUTED_TEXT_COLOR,
    PANEL_TITLE_PT,
    SUBTITLE_PT,
    TEXT_COLOR,
    TITLE_PT,
)
from .surface3d import draw_surface3d, turn


class SceneAnimation:
    """The figure of one export. ``frame(step)`` draws the picture at that step and returns
    an (H, W, 4) RGBA uint8 view of the canvas, valid until the next call."""

    def __init__(self, picture: Picture, surface: Surface, runs: Sequence[Run], options: ExportOptions, title: str):
        """``picture`` is the scene's description (``viz.picture.describe``); the painter
        adds only what a frame of a slide needs: layout, fonts, legend, blitting."""
        self.options = options
        self.picture = picture
        self.runs = list(runs)
        self.total_steps = picture.total_steps
        self.surface = surface
        self.lang = picture.lang
        # A 3-D surface keeps f itself: on a log scale a minimum becomes a deep spike.
        self.view = make_view(picture, three_d=options.view == "surface3d")
        self.bounds = picture.bounds
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

    @property
    def data_aspect(self) -> float:
        """Width/height of a map: the data's own aspect, unless that would be a sliver."""
        (xmin, xmax), (ymin, ymax) = self.bounds
        aspect = (xmax - xmin) / (ymax - ymin)
        return aspect if 0.5 <= aspect <= 2 else float(np.clip(aspect, 0.75, 1.5))

    # ------------------------------------------------------------------ title and layout

    def _draw_title(self, title: str) -> float:
        """Title, subtitle and step counter; returns the pixel height where they end."""
        page = self.page
        width, height = self.size
        y = height - page.px(10)
        left, right = page.px(18), width - page.px(18)
        title_right = right
        if self.options.step_counter:
            total = self.total_steps
            counter = page.text(right, height - page.px(12), "", COUNTER_PT,
                                animated=True, ha="right", va="top", color=TEXT_COLOR)
            self.moving.texts.append(counter)
            self.moving.updates.append(lambda step: counter.set_text(self.picture.counter(step)))
            widest = self.picture.counter(total)
            title_right -= page.text_width(widest, COUNTER_PT) + page.px(16)
        title_pt = TITLE_PT
        while title_pt > 0.6 * TITLE_PT and page.text_width(title, title_pt, weight="bold") > title_right - left:
            title_pt *= 0.92
        page.text(left, y, title, title_pt, va="top", weight="bold", color=TEXT_COLOR)
        y -= page.px(max(title_pt, COUNTER_PT) * 1.35)
        if self.options.subtitle:
            for line in page.wrapped(self.options.subtitle, SUBTITLE_PT, right - left)[:2]:
                page.text(left, y, line, SUBTITLE_PT, va="top", color=MUTED_TEXT_COLOR)
                y -= page.px(SUBTITLE_PT * 1.4)
        return y - page.px(4)

    def _lay_out(self, title_bottom: float) -> None:
        page = self.page
        width, height = self.size
        pad, gap = page.px(12), page.px(14)
        region: Rect = (pad, pad, width - 2 * pad, title_bottom - pad)
        show_legend = self.options.legend
        wide = width / height >= 1.25
        column = legend.legend_column_width(page, self.runs, self.lang, self.total_steps) if show_legend else 0.0
        if show_legend and wide:
            self.runs = legend.without_rules_unless_they_fit(page, self.runs, region[3], columns=1)
            column = float(np.clip(legend.legend_column_width(page, self.runs, self.lang, self.total_steps), 0.2 * width, 0.42 * width))
            plot_region: Rect = (region[0], region[1], region[2] - column - gap, region[3])
        elif show_legend:
            columns = 2 if len(self.runs) > 2 and 2 * column <= region[2] else 1
            self.runs = legend.without_rules_unless_they_fit(page, self.runs, 0.4 * region[3], columns)
            rows = math.ceil(len(self.runs) / columns)
            legend_height = min(rows * page.px(legend.entry_points(self.runs)), 0.4 * region[3])
            plot_region = (region[0], region[1] + legend_height + gap, region[2], region[3] - legend_height - gap)
        else:
            plot_region = region

        covered = self._draw_plots(plot_region)
        if not wide:  # centre the plots over the legend
            dx = plot_region[0] + (plot_region[2] - covered[2]) / 2 - covered[0]
            for ax in self.figure.axes:
                ax.set_position(page.fraction(_shifted(page.pixel_rect(ax), dx)))
        if not show_legend:
            return
        if wide:
            left = covered[0] + covered[2] + gap
            top = covered[1] + covered[3]
            box = (left, region[1], width - pad - left, top - region[1])
            legend.draw_legend(page, self.runs, self.moving, self.lang, box, columns=1)
        else:
            box = (region[0] + page.px(12), region[1], region[2] - page.px(12), legend_height)
            legend.draw_legend(page, self.runs, self.moving, self.lang, box, columns=columns)

    def _draw_plots(self, region: Rect) -> Rect:
        """Draw the view's axes inside ``region``; returns the rectangle they cover."""
        page, kind = self.page, self.options.view
        if kind == "surface3d":
            side = min(region[2], region[3] * 1.3)
            rect = (region[0], region[1], side, region[3])
            self._axes3d = draw_surface3d(page, self.view, self.surface, self.runs, self.moving, rect, animated=not self._full_redraw)
            self.run_axes += [self._axes3d] * len(self.runs)
            return rect
        compact = kind == "side_by_side"
        margins = (
            Margins(page.px(36), page.px(8), page.px(24), page.px(PANEL_TITLE_PT * 1.7)) if compact
            else Margins(page.px(52), page.px(10), page.px(40), page.px(6))
        )
        count = len(self.runs) if compact else 1
        rects, covered = fit_panels(region, count, self.data_aspect, margins)
        if compact:
            for index, (rect, title) in enumerate(zip(rects, self.picture.panel_titles(), strict=True)):
                run = self.runs[index]
                ax = add_map_axes(page, self.view, self.runs, self.moving, rect, [index], compact=True)
                self.run_axes.append(ax)
                text = ax.set_title(title, fontsize=PANEL_TITLE_PT, family=page.families, color=run.color, weight="bold", pad=4)
                page.shrink_to_width([text], [rect[0] + rect[2] + margins.right])
        else:
            ax = add_map_axes(page, self.view, self.runs, self.moving, rects[0], list(range(len(self.runs))))
            self.run_axes += [ax] * len(self.runs)
            ax.set_xlabel("x", fontsize=LABEL_PT, family=page.families, labelpad=2)
            ax.set_ylabel("y", fontsize=LABEL_PT, family=page.families, rotation=0, labelpad=10)
        return covered

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
