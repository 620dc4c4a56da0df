"""Frames of a scene drawn with matplotlib (Agg, no pyplot): the static picture once, then
per frame only the moving artists, blitted over a saved background.

Sizes are in points on a figure of a fixed area (that of 12.8 x 7.2 inches) whatever the
pixel size, so text keeps the same share of the picture at 960x540 and 1920x1080, square
or portrait, and stays readable on a projector.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.mathtext import MathTextParser

from optimizers import Trajectory
from scene import OptimizerEntry, entry_labels
from scene.i18n import t
from surfaces import Surface

from ._mpl_fonts import font_families, needs_cjk
from .export_options import ExportOptions
from .landscape import GRID_POINTS, RELIEF_CMAP, draw_landscape, sample
from .levels import HeightScale
from .style import CONTOUR_LINE_COLOR, LANDSCAPE_COLORS, MINIMUM_COLOR, START_COLOR, color_for

DESIGN_SIDE_INCHES = math.sqrt(12.8 * 7.2)  # 100 dpi at 1280x720
TITLE_PT, SUBTITLE_PT, COUNTER_PT = 22, 14, 18
LABEL_PT, STATUS_PT, RULE_PT, TICK_PT, PANEL_TITLE_PT = 15, 13, 12, 12, 14
MIN_LEGEND_PT = 8
LINE_WIDTH_PT = 2.6
TEXT_COLOR = "#1a1a1a"
MUTED_TEXT_COLOR = "#555555"
SPINE_COLOR = "#999999"
BACKGROUND_COLOR = "#ffffff"
# Thin greys are few pixels each, so a palette fitted to pixel counts would shift them
# (a grey frame came out mauve); a GIF palette keeps these exact.
DESIGN_COLORS = (TEXT_COLOR, MUTED_TEXT_COLOR, CONTOUR_LINE_COLOR, SPINE_COLOR, BACKGROUND_COLOR, *LANDSCAPE_COLORS)
SURFACE_GRID_POINTS = 44

def _text(key: str, lang: str, **values) -> str:
    return t(f"figure.{key}", lang, **values)


# ----------------------------------------------------------------------------- update rules

_MATHTEXT = MathTextParser("path")
_LATEX_FOR_MATHTEXT = (
    (r"\tfrac", r"\frac"),
    (r"\dfrac", r"\frac"),
    (r"\lVert", r"\Vert"),
    (r"\rVert", r"\Vert"),
    (r"\left", ""),
    (r"\right", ""),
    ("&", ""),
)


def update_rule_lines(latex: str) -> list[str]:
    """The rows of an optimizer's ``aligned`` update rule as single-line mathtext.

    mathtext has no ``aligned`` environment, so each row becomes its own line; the row
    ``g_t = \\nabla f(\\theta_t)`` is the same for all and is left out. A row mathtext cannot
    parse is dropped, so an odd rule costs a caption line, never the export.
    """
    body = re.sub(r"\\(begin|end)\{aligned\}", "", latex)
    lines = []
    for row in re.split(r"\\\\", body):
        row = row.strip()
        for old, new in _LATEX_FOR_MATHTEXT:
            row = row.replace(old, new)
        row = re.sub(r"\\(text|operatorname)\{([^}]*)\}", r"\\mathrm{\2}", row)
        if not row or re.fullmatch(r"g_t\s*=\s*\\nabla f\(\\theta_t\)", row):
            continue
        try:
            _MATHTEXT.parse(f"${row}$", 72)
        except (ValueError, RuntimeError):
            continue
        lines.append(f"${row}$")
    return lines


# ----------------------------------------------------------------------------- data


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


# ----------------------------------------------------------------------------- layout

Rect = tuple[float, float, float, float]  # left, bottom, width, height in pixels


@dataclass(frozen=True)
class Margins:
    """Room around a map for tick labels, axis labels and a panel title, in pixels."""

    left: float
    right: float
    bottom: float
    top: float


def fit_panels(region: Rect, count: int, aspect: float, margins: Margins) -> tuple[list[Rect], Rect]:
    """Axes rectangles of ``count`` maps of width/height ``aspect`` in a grid that makes them
    largest inside ``region``; the grid is left-aligned and centred vertically. Also returns
    the rectangle the grid covers."""
    x, y, width, height = region
    best = None
    for rows in range(1, count + 1):
        cols = math.ceil(count / rows)
        panel_height = min(height / rows - margins.bottom - margins.top, (width / cols - margins.left - margins.right) / aspect)
        if best is None or panel_height > best[0] + 1e-9:
            best = (panel_height, rows, cols)
    panel_height, rows, cols = best
    panel_height = max(panel_height, 10.0)
    panel_width = panel_height * aspect
    cell_width = panel_width + margins.left + margins.right
    cell_height = panel_height + margins.bottom + margins.top
    top = y + height - max(height - rows * cell_height, 0) / 2
    rects = []
    for index in range(count):
        row, col = divmod(index, cols)
        rects.append((x + col * cell_width + margins.left, top - (row + 1) * cell_height + margins.bottom, panel_width, panel_height))
    return rects, (x, top - rows * cell_height, cols * cell_width, rows * cell_height)


def _shifted(rect: Rect, dx: float) -> Rect:
    return (rect[0] + dx, rect[1], rect[2], rect[3])


class SceneAnimation:
    """The figure of one export. ``frame(step)`` draws the picture at that step and returns
    an (H, W, 4) RGBA uint8 view of the canvas, valid until the next call."""

    def __init__(
        self,
        surface: Surface,
        runs: Sequence[Run],
        start: np.ndarray,
        options: ExportOptions,
        title: str,
    ):
        self.options = options
        self.runs = list(runs)
        self.total_steps = len(self.runs[0].points) - 1
        self.surface = surface
        self.start = np.asarray(start, dtype=float)
        self.bounds = view_bounds(surface, self.start)
        self.lang = options.lang
        texts = [title, options.subtitle or ""] + [run.label for run in self.runs]
        self.families = font_families(cjk=options.lang == "zh" or needs_cjk(*texts))
        width, height = options.pixel_size
        self.size = (width, height)
        self.dpi = math.sqrt(width * height) / DESIGN_SIDE_INCHES
        self.figure = Figure(figsize=(width / self.dpi, height / self.dpi), dpi=self.dpi, facecolor=BACKGROUND_COLOR)
        self.canvas = FigureCanvasAgg(self.figure)
        self._lines: list = []
        self._heads: list = []
        self._marks: list = []
        self._texts: list = []
        self._frame_updates: list = []
        self.run_axes: list = []  # the axes each run is drawn in, in the order of the runs
        self._full_redraw = options.view == "surface3d" and options.orbit_degrees != 0

        grid_x, grid_y, self.grid_values = sample(surface, self.bounds)
        self.grid = np.stack(np.meshgrid(grid_x, grid_y), axis=-1)
        # A 3-D surface keeps f itself: on a log scale a minimum becomes a deep spike.
        self.scale = HeightScale(self.grid_values, log=surface.log_levels and options.view != "surface3d")

        title_bottom = self._draw_title(title)
        self._lay_out(title_bottom)
        if self._full_redraw:  # every frame is drawn whole, so nothing may be left out of it
            for artist in self.moving_artists:
                artist.set_animated(False)
        self.canvas.draw()
        self._background = None if self._full_redraw else self.canvas.copy_from_bbox(self.figure.bbox)

    # ------------------------------------------------------------------ units

    def _px(self, points: float) -> float:
        return points / 72 * self.dpi

    def _fraction(self, rect: Rect) -> tuple[float, float, float, float]:
        width, height = self.size
        return (rect[0] / width, rect[1] / height, rect[2] / width, rect[3] / height)

    def _fig_text(self, x_px, y_px, text, size, animated=False, **kwargs):
        artist = self.figure.text(
            x_px / self.size[0], y_px / self.size[1], text, fontsize=size, family=self.families,
            animated=animated, **kwargs,
        )
        if animated:
            self._texts.append(artist)
        return artist

    @property
    def data_aspect(self) -> float:
        """Width/height of a map: the data's own aspect, unless that would be a sliver."""
        (xmin, xmax), (ymin, ymax) = self.bounds
        aspect = (xmax - xmin) / (ymax - ymin)
        return aspect if 0.5 <= aspect <= 2 else float(np.clip(aspect, 0.75, 1.5))

    # ------------------------------------------------------------------ title and layout

    def _text_width(self, text: str, points: float, math: bool = False, weight: str = "normal") -> float:
        prop = FontProperties(family=self.families, size=points, weight=weight)
        return self.canvas.get_renderer().get_text_width_height_descent(text, prop, ismath=math)[0]

    def _wrapped(self, text: str, points: float, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` pixels: at spaces, or anywhere
        in Chinese, which has no spaces."""
        cjk = needs_cjk(text)
        pieces = list(text) if cjk else text.split(" ")
        joiner = "" if cjk else " "
        lines, current = [], ""
        for piece in pieces:
            candidate = current + joiner + piece if current else piece
            if current and self._text_width(candidate, points) > width:
                lines.append(current)
                current = piece.lstrip()
            else:
                current = candidate
        return lines + [current] if current else lines

    def _draw_title(self, title: str) -> float:
        """Title, subtitle and step counter; returns the pixel height where they end."""
        width, height = self.size
        y = height - self._px(10)
        left, right = self._px(18), width - self._px(18)
        title_right = right
        if self.options.step_counter:
            total = self.total_steps
            counter = self._fig_text(right, height - self._px(12), "", COUNTER_PT,
                                     animated=True, ha="right", va="top", color=TEXT_COLOR)
            self._frame_updates.append(lambda step: counter.set_text(_text("step_counter", self.lang, step=step, total=total)))
            widest = _text("step_counter", self.lang, step=total, total=total)
            title_right -= self._text_width(widest, COUNTER_PT) + self._px(16)
        title_pt = TITLE_PT
        while title_pt > 0.6 * TITLE_PT and self._text_width(title, title_pt, weight="bold") > title_right - left:
            title_pt *= 0.92
        self._fig_text(left, y, title, title_pt, va="top", weight="bold", color=TEXT_COLOR)
        y -= self._px(max(title_pt, COUNTER_PT) * 1.35)
        if self.options.subtitle:
            for line in self._wrapped(self.options.subtitle, SUBTITLE_PT, right - left)[:2]:
                self._fig_text(left, y, line, SUBTITLE_PT, va="top", color=MUTED_TEXT_COLOR)
                y -= self._px(SUBTITLE_PT * 1.4)
        return y - self._px(4)

    def _entry_points(self) -> float:
        """Height of one legend entry in points."""
        rules = max((len(r.rule_lines) for r in self.runs), default=0)
        return LABEL_PT * 1.35 + STATUS_PT * 1.4 + rules * RULE_PT * 1.55 + 10

    def _legend_column_width(self) -> float:
        """Pixels one legend column needs at full font size: swatch, then the widest text."""
        worst_status = max(
            _text("diverged", self.lang, step=self.total_steps),
            _text("final_loss", self.lang, value="-0.0001234"), key=len,
        )
        widths = [self._text_width(run.label, LABEL_PT) for run in self.runs]
        widths += [self._text_width(worst_status, STATUS_PT, weight="bold")]
        widths += [self._text_width(rule, RULE_PT, math=True) for run in self.runs for rule in run.rule_lines]
        return self._px(34) + max(widths) + self._px(10)

    def _drop_rules_unless_they_fit(self, available_height: float, columns: int) -> None:
        """Update-rule captions are a bonus: they go when they would squeeze the legend
        below 80 % of its font size."""
        rows = math.ceil(len(self.runs) / columns)
        if self._px(rows * self._entry_points()) * 0.8 > available_height:
            self.runs = [replace(run, rule_lines=()) for run in self.runs]

    def _lay_out(self, title_bottom: float) -> None:
        width, height = self.size
        pad, gap = self._px(12), self._px(14)
        region: Rect = (pad, pad, width - 2 * pad, title_bottom - pad)
        show_legend = self.options.legend
        wide = width / height >= 1.25
        column = self._legend_column_width() if show_legend else 0.0
        if show_legend and wide:
            self._drop_rules_unless_they_fit(region[3], columns=1)
            column = float(np.clip(self._legend_column_width(), 0.2 * width, 0.42 * width))
            plot_region: Rect = (region[0], region[1], region[2] - column - gap, region[3])
        elif show_legend:
            columns = 2 if len(self.runs) > 2 and 2 * column <= region[2] else 1
            self._drop_rules_unless_they_fit(0.4 * region[3], columns)
            rows = math.ceil(len(self.runs) / columns)
            legend_height = min(rows * self._px(self._entry_points()), 0.4 * region[3])
            plot_region = (region[0], region[1] + legend_height + gap, region[2], region[3] - legend_height - gap)
        else:
            plot_region = region

        covered = self._draw_plots(plot_region)
        if not wide:  # centre the plots over the legend
            dx = plot_region[0] + (plot_region[2] - covered[2]) / 2 - covered[0]
            for ax in self.figure.axes:
                ax.set_position(self._fraction(_shifted(self._pixel_rect(ax), dx)))
        if not show_legend:
            return
        if wide:
            left = covered[0] + covered[2] + gap
            top = covered[1] + covered[3]
            self._draw_legend((left, region[1], width - pad - left, top - region[1]), columns=1)
        else:
            self._draw_legend((region[0] + self._px(12), region[1], region[2] - self._px(12), legend_height), columns=columns)

    def _pixel_rect(self, ax) -> Rect:
        x0, y0, w, h = ax.get_position().bounds
        return (x0 * self.size[0], y0 * self.size[1], w * self.size[0], h * self.size[1])

    def _draw_plots(self, region: Rect) -> Rect:
        """Draw the view's axes inside ``region``; returns the rectangle they cover."""
        view = self.options.view
        if view == "surface3d":
            side = min(region[2], region[3] * 1.3)
            rect = (region[0], region[1], side, region[3])
            self._draw_surface3d(rect)
            return rect
        compact = view == "side_by_side"
        margins = (
            Margins(self._px(36), self._px(8), self._px(24), self._px(PANEL_TITLE_PT * 1.7)) if compact
            else Margins(self._px(52), self._px(10), self._px(40), self._px(6))
        )
        count = len(self.runs) if compact else 1
        rects, covered = fit_panels(region, count, self.data_aspect, margins)
        if compact:
            names = [run.name for run in self.runs]
            for index, rect in enumerate(rects):
                run = self.runs[index]
                ax = self._add_map_axes(rect, [index], compact=True)
                # The bare name, unless two panels would share it (Adam with and without ...).
                title = run.name if names.count(run.name) == 1 else run.label
                text = ax.set_title(title, fontsize=PANEL_TITLE_PT, family=self.families, color=run.color, weight="bold", pad=4)
                self._shrink_to_width([text], [rect[0] + rect[2] + margins.right])
        else:
            ax = self._add_map_axes(rects[0], list(range(len(self.runs))))
            ax.set_xlabel("x", fontsize=LABEL_PT, family=self.families, labelpad=2)
            ax.set_ylabel("y", fontsize=LABEL_PT, family=self.families, rotation=0, labelpad=10)
        return covered

    # ------------------------------------------------------------------ 2-D maps

    def _add_map_axes(self, rect: Rect, run_indices: Sequence[int], compact: bool = False):
        ax = self.figure.add_axes(self._fraction(rect))
        (xmin, xmax), (ymin, ymax) = self.bounds
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        draw_landscape(ax, self.grid[0, :, 0], self.grid[:, 0, 1], self.scale(self.grid_values), self.scale.levels())
        if len(self.surface.minima):
            ax.plot(*self.surface.minima.T, linestyle="none", marker="*", markersize=11 if compact else 15,
                    color=MINIMUM_COLOR, markeredgecolor="white", markeredgewidth=0.8, zorder=4)
        ax.plot([self.start[0]], [self.start[1]], linestyle="none", marker="o", markersize=8 if compact else 10,
                color=START_COLOR, markeredgecolor=MINIMUM_COLOR, markeredgewidth=1.5, zorder=4)
        ax.tick_params(labelsize=TICK_PT - (2 if compact else 0), colors=MUTED_TEXT_COLOR, labelfontfamily=self.families)
        for spine in ax.spines.values():
            spine.set_color(SPINE_COLOR)
        for index in run_indices:
            self._add_moving_run(ax, index)
            self.run_axes.append(ax)
        return ax

    def _layer(self, index: int, base: float) -> float:
        """zorder of a run's artist: lines below heads below marks, and among runs the first
        on top, as in a list of layers, so where runs share a path (SGD and momentum into a
        saddle) the legend's first entry is the one that shows."""
        return base + 0.01 * (len(self.runs) - index)

    def _add_moving_run(self, ax, index: int) -> None:
        run = self.runs[index]
        (line,) = ax.plot([], [], color=run.color, linewidth=LINE_WIDTH_PT, solid_capstyle="round",
                          solid_joinstyle="round", animated=True, zorder=self._layer(index, 5))
        (head,) = ax.plot([], [], linestyle="none", marker="o", markersize=9, color=run.color,
                          markeredgecolor="white", markeredgewidth=1.4, animated=True, zorder=self._layer(index, 6))
        self._lines.append(line)
        self._heads.append(head)
        points = run.points
        if run.diverged_at < 0:
            def update(step: int) -> None:
                line.set_data(points[: step + 1, 0], points[: step + 1, 1])
                head.set_data(points[step : step + 1, 0], points[step : step + 1, 1])
            self._frame_updates.append(update)
            return

        mark_x, mark_y = run.marker_point(self.bounds)
        (cross,) = ax.plot([mark_x], [mark_y], linestyle="none", marker="X", markersize=15, color=run.color,
                           markeredgecolor=MINIMUM_COLOR, markeredgewidth=1.2, animated=True, zorder=7, visible=False)
        (xmin, xmax), (ymin, ymax) = self.bounds
        on_right = mark_x > (xmin + xmax) / 2
        note = ax.annotate(
            _text("diverged", self.lang, step=run.diverged_at), (mark_x, mark_y),
            xytext=(-12 if on_right else 12, 12 if mark_y < (ymin + ymax) / 2 else -16), textcoords="offset points",
            ha="right" if on_right else "left", fontsize=STATUS_PT, family=self.families, color=run.color,
            weight="bold", animated=True, visible=False, zorder=8,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
        self._marks.append(cross)
        self._texts.append(note)

        def update_diverged(step: int) -> None:
            shown = min(step, run.diverged_at)
            line.set_data(points[: shown + 1, 0], points[: shown + 1, 1])
            head.set_data(points[shown : shown + 1, 0], points[shown : shown + 1, 1])
            gone = step >= run.diverged_at
            head.set_visible(not gone)
            cross.set_visible(gone)
            note.set_visible(gone)
        self._frame_updates.append(update_diverged)

    # ------------------------------------------------------------------ 3-D

    def _draw_surface3d(self, rect: Rect) -> None:
        ax = self.figure.add_axes(self._fraction(rect), projection="3d", computed_zorder=False)
        step = max(1, GRID_POINTS // SURFACE_GRID_POINTS)
        grid = self.grid[::step, ::step]
        heights = self.scale(self.grid_values[::step, ::step])
        # Shading without mesh lines: a fine mesh is detail every orbiting frame repeats,
        # and it makes a GIF several times larger.
        ax.plot_surface(grid[..., 0], grid[..., 1], heights, cmap=RELIEF_CMAP, linewidth=0,
                        antialiased=False, shade=True, alpha=0.95, zorder=1)
        ax.set_zlim(self.scale.low, self.scale.high)
        ax.set_xlim(*self.bounds[0])
        ax.set_ylim(*self.bounds[1])
        lift = 0.01 * (self.scale.high - self.scale.low)
        if len(self.surface.minima):
            minima = self.surface.minima
            ax.plot(minima[:, 0], minima[:, 1], self.scale(self.surface.f(minima)) + lift, linestyle="none",
                    marker="*", markersize=14, color=MINIMUM_COLOR, markeredgecolor="white", zorder=3)
        ax.set_xlabel("x", fontsize=LABEL_PT - 2, family=self.families)
        ax.set_ylabel("y", fontsize=LABEL_PT - 2, family=self.families)
        ax.set_zlabel(_text("log_height" if self.scale.log else "height", self.lang), fontsize=LABEL_PT - 2,
                      family=self.families, labelpad=12)
        ax.tick_params(labelsize=TICK_PT - 2, colors=MUTED_TEXT_COLOR, labelfontfamily=self.families)
        self._elevation, self._azimuth = 32.0, -58.0
        ax.view_init(self._elevation, self._azimuth)
        self._axes3d = ax
        animated = not self._full_redraw
        for index, run in enumerate(self.runs):
            self.run_axes.append(ax)
            heights = self.scale(run.losses) + lift
            (line,) = ax.plot([], [], [], color=run.color, linewidth=LINE_WIDTH_PT, animated=animated,
                              zorder=self._layer(index, 5), axlim_clip=True)
            (head,) = ax.plot([], [], [], linestyle="none", marker="o", markersize=9, color=run.color,
                              markeredgecolor="white", markeredgewidth=1.4, animated=animated,
                              zorder=self._layer(index, 6), axlim_clip=True)
            self._lines.append(line)
            self._heads.append(head)

            def update(step: int, run=run, line=line, head=head, heights=heights) -> None:
                shown = step if run.diverged_at < 0 else min(step, run.diverged_at)
                line.set_data_3d(run.points[: shown + 1, 0], run.points[: shown + 1, 1], heights[: shown + 1])
                head.set_data_3d(run.points[shown : shown + 1, 0], run.points[shown : shown + 1, 1], heights[shown : shown + 1])
                head.set_marker("X" if 0 <= run.diverged_at <= step else "o")
            self._frame_updates.append(update)

    # ------------------------------------------------------------------ legend

    def _draw_legend(self, box: Rect, columns: int) -> None:
        left, bottom, width, height = box
        column_width = width / columns
        rows = math.ceil(len(self.runs) / columns)
        # Shrink every legend font alike when the entries do not fit the box.
        fit = min(1.0, height / max(self._px(rows * self._entry_points()), 1e-9))
        label_pt, status_pt, rule_pt = (max(MIN_LEGEND_PT, p * fit) for p in (LABEL_PT, STATUS_PT, RULE_PT))
        top = bottom + height
        texts = []
        for index, run in enumerate(self.runs):
            row, col = divmod(index, columns)
            x = left + col * column_width
            y = top - self._px(row * self._entry_points() * fit)
            swatch_y = (y - self._px(label_pt * 0.6)) / self.size[1]
            self.figure.add_artist(Line2D([x / self.size[0], (x + self._px(26)) / self.size[0]], [swatch_y, swatch_y],
                                          color=run.color, linewidth=5, solid_capstyle="butt",
                                          transform=self.figure.transFigure))
            text_x = x + self._px(34)
            texts.append(self._fig_text(text_x, y, run.label, label_pt, va="top", color=TEXT_COLOR))
            y -= self._px(label_pt * 1.35)
            status = self._fig_text(text_x, y, "", status_pt, animated=True, va="top", color=MUTED_TEXT_COLOR)
            y -= self._px(status_pt * 1.4)
            for rule in run.rule_lines:
                texts.append(self._fig_text(text_x, y, rule, rule_pt, va="top", color=MUTED_TEXT_COLOR))
                y -= self._px(rule_pt * 1.55)

            def update(step: int, run=run, status=status) -> None:
                if 0 <= run.diverged_at <= step:
                    status.set_text(_text("diverged", self.lang, step=run.diverged_at))
                    status.set_color(run.color)
                    status.set_weight("bold")
                else:
                    status.set_text(_text("final_loss", self.lang, value=_format_loss(run.losses[step])))
                    status.set_color(MUTED_TEXT_COLOR)
                    status.set_weight("normal")
            self._frame_updates.append(update)
        self._shrink_to_width(texts, [left + (i % columns + 1) * column_width for i in range(len(texts))])

    def _shrink_to_width(self, texts, right_edges) -> None:
        """Make texts smaller until each ends before its right edge (pixels)."""
        renderer = self.canvas.get_renderer()
        for text, right in zip(texts, right_edges, strict=True):
            while text.get_fontsize() > MIN_LEGEND_PT and text.get_window_extent(renderer).x1 > right:
                text.set_fontsize(text.get_fontsize() * 0.92)

    # ------------------------------------------------------------------ frames

    @property
    def moving_artists(self) -> list:
        """Everything that changes between frames, in drawing order (by zorder)."""
        return sorted(self._lines + self._heads + self._marks + self._texts, key=lambda a: a.get_zorder())

    def set_step(self, step: int, orbit_fraction: float = 0.0) -> None:
        """Put every moving artist where it is at ``step``, without drawing."""
        for update in self._frame_updates:
            update(int(step))
        if self._full_redraw:
            self._axes3d.view_init(self._elevation, self._azimuth + self.options.orbit_degrees * orbit_fraction)

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
