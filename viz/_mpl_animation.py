"""Frames of a scene drawn with matplotlib (Agg, no pyplot): the static picture once, then
per frame only the moving artists, blitted over a saved background.

Sizes are in points on a figure 7.2 inches high whatever the pixel size, so text keeps the
same share of the picture at 960x540 and 1920x1080 and stays readable on a projector.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.mathtext import MathTextParser

from optimizers import Trajectory
from surfaces import Surface

from ._mpl_fonts import font_families, needs_cjk
from .export_options import ExportOptions
from .scene import OptimizerEntry
from .style import MINIMUM_COLOR, START_COLOR, color_for

DESIGN_HEIGHT_INCHES = 7.2
TITLE_PT, SUBTITLE_PT, COUNTER_PT = 22, 14, 18
LABEL_PT, STATUS_PT, RULE_PT, TICK_PT, PANEL_TITLE_PT = 15, 13, 12, 12, 14
MIN_LEGEND_PT = 8
LINE_WIDTH_PT = 2.6
TEXT_COLOR = "#1a1a1a"
MUTED_TEXT_COLOR = "#555555"
CONTOUR_LINE_COLOR = "#8c8c8c"
BACKGROUND_COLOR = "#ffffff"
# Light and low in contrast so the optimizer colours stay the strongest thing on screen;
# lows a little darker, so basins read as basins.
LANDSCAPE_CMAP = LinearSegmentedColormap.from_list("lowlands", ["#b9c8d8", "#dfe6ee", "#f7f7f5"])
GRID_POINTS = 220
SURFACE_GRID_POINTS = 60

TEXT = {
    "step": {"en": "step {step} / {total}", "zh": "第 {step} / {total} 步"},
    "diverged": {"en": "diverged at step {step}", "zh": "第 {step} 步发散"},
    "diverged_short": {"en": "diverged", "zh": "发散"},
    "loss": {"en": "f = {value}", "zh": "f = {value}"},
    "height": {"en": "f(x, y)", "zh": "f(x, y)"},
    "log_height": {"en": "log10 f", "zh": "log10 f"},
}


def _text(key: str, lang: str, **values) -> str:
    return TEXT[key][lang].format(**values)


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


def make_runs(entries: Sequence[OptimizerEntry], trajectories: Sequence[Trajectory], with_rules: bool) -> list[Run]:
    runs = []
    for i, (entry, trajectory) in enumerate(zip(entries, trajectories, strict=True)):
        optimizer = entry.build()
        runs.append(
            Run(
                points=np.asarray(trajectory.points[:, 0, :], dtype=float),
                losses=np.asarray(trajectory.losses[:, 0], dtype=float),
                diverged_at=int(trajectory.diverged_at[0]),
                label=entry.label(),
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


class HeightScale:
    """Maps f to what the map shows: log10 of the gap to the lowest value for surfaces
    whose values span decades (Rosenbrock, Beale), f itself otherwise, capped at a high
    quantile so one tall corner does not flatten the rest."""

    def __init__(self, surface: Surface, grid_values: np.ndarray):
        finite = grid_values[np.isfinite(grid_values)]
        self.log = surface.log_levels
        self.floor = float(finite.min())
        spread = float(np.quantile(finite, 0.99) - self.floor) or 1.0
        self.offset = 1e-4 * spread
        shown = self(finite, clip=False)
        self.low = float(shown.min())
        self.high = float(np.quantile(shown, 0.98 if self.log else 0.92))
        if not self.high > self.low:
            self.high = self.low + 1.0

    def __call__(self, values: np.ndarray, clip: bool = True) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        shown = np.log10(np.maximum(values - self.floor, 0) + self.offset) if self.log else values
        shown = np.where(np.isfinite(shown), shown, self.high if clip else np.nan)
        return np.clip(shown, self.low, self.high) if clip else shown


# ----------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Box:
    """A rectangle in figure fractions."""

    left: float
    bottom: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.bottom + self.height

    @property
    def right(self) -> float:
        return self.left + self.width

    def rect(self) -> tuple[float, float, float, float]:
        return (self.left, self.bottom, self.width, self.height)


def _grid_shape(count: int, width: float, height: float) -> tuple[int, int]:
    """Rows and columns of ``count`` square-ish panels that make each panel largest."""
    best = (1, count)
    best_side = 0.0
    for rows in range(1, count + 1):
        cols = math.ceil(count / rows)
        side = min(width / cols, height / rows)
        if side > best_side:
            best, best_side = (rows, cols), side
    return best


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
        self.bounds = view_bounds(surface, start)
        self.lang = options.lang
        texts = [title, options.subtitle or ""] + [run.label for run in self.runs]
        self.families = font_families(cjk=options.lang == "zh" or needs_cjk(*texts))
        width, height = options.pixel_size
        self.size = (width, height)
        self.dpi = height / DESIGN_HEIGHT_INCHES
        self.figure = Figure(figsize=(width / self.dpi, DESIGN_HEIGHT_INCHES), dpi=self.dpi, facecolor=BACKGROUND_COLOR)
        self.canvas = FigureCanvasAgg(self.figure)
        self._moving: list = []
        self._frame_updates: list = []
        self._full_redraw = options.view == "surface3d" and options.orbit_degrees != 0

        grid_x = np.linspace(*self.bounds[0], GRID_POINTS)
        grid_y = np.linspace(*self.bounds[1], GRID_POINTS)
        self.grid = np.stack(np.meshgrid(grid_x, grid_y), axis=-1)
        with np.errstate(all="ignore"):
            self.grid_values = surface.f(self.grid)
        self.scale = HeightScale(surface, self.grid_values)

        top = self._draw_title(title)
        plot_box, legend_box = self._split(top)
        if options.view == "side_by_side":
            self._draw_panels(plot_box)
        elif options.view == "surface3d":
            self._draw_surface3d(plot_box, start)
        else:
            ax = self._add_map_axes(plot_box, list(range(len(self.runs))), start)
            ax.set_xlabel("x", fontsize=LABEL_PT, family=self.families)
            ax.set_ylabel("y", fontsize=LABEL_PT, family=self.families, rotation=0, labelpad=12)
        if legend_box is not None:
            self._draw_legend(legend_box)

        self.canvas.draw()
        self._background = None if self._full_redraw else self.canvas.copy_from_bbox(self.figure.bbox)

    # ------------------------------------------------------------------ helpers in points

    def _pt(self, points: float, axis: str) -> float:
        """A length in points as a figure fraction along ``axis`` ('x' or 'y')."""
        pixels = points / 72 * self.dpi
        return pixels / (self.size[0] if axis == "x" else self.size[1])

    def _fig_text(self, x, y, text, size, animated=False, **kwargs):
        artist = self.figure.text(x, y, text, fontsize=size, family=self.families, animated=animated, **kwargs)
        if animated:
            self._moving.append(artist)
        return artist

    # ------------------------------------------------------------------ title and regions

    def _draw_title(self, title: str) -> float:
        """Title, subtitle and step counter; returns the top of the space left below them."""
        y = 1 - self._pt(10, "y")
        left = self._pt(18, "x")
        self._fig_text(left, y, title, TITLE_PT, va="top", weight="bold", color=TEXT_COLOR)
        y -= self._pt(TITLE_PT * 1.35, "y")
        if self.options.subtitle:
            self._fig_text(left, y, self.options.subtitle, SUBTITLE_PT, va="top", color=MUTED_TEXT_COLOR)
            y -= self._pt(SUBTITLE_PT * 1.45, "y")
        if self.options.step_counter:
            counter = self._fig_text(
                1 - self._pt(18, "x"), 1 - self._pt(12, "y"), "", COUNTER_PT,
                animated=True, ha="right", va="top", color=TEXT_COLOR,
            )
            total = self.total_steps
            self._frame_updates.append(lambda step: counter.set_text(_text("step", self.lang, step=step, total=total)))
        return y - self._pt(6, "y")

    def _legend_entry_height(self) -> float:
        """Height of one legend entry in points."""
        rules = max((len(r.rule_lines) for r in self.runs), default=0)
        return LABEL_PT * 1.35 + STATUS_PT * 1.4 + rules * RULE_PT * 1.55 + 10

    def _split(self, top: float) -> tuple[Box, Box | None]:
        """The plot area and the legend area below ``top``: legend on the right for wide
        pictures, below the plot for square and tall ones."""
        width, height = self.size
        bottom_pad = self._pt(8, "y")
        if not self.options.legend:
            return Box(0, bottom_pad, 1, top - bottom_pad), None
        if width / height >= 1.25:
            plot_width = self._plot_width_fraction(top - bottom_pad)
            return (
                Box(0, bottom_pad, plot_width, top - bottom_pad),
                Box(plot_width + self._pt(10, "x"), bottom_pad, 1 - plot_width - self._pt(24, "x"), top - bottom_pad),
            )
        columns = 1 if len(self.runs) <= 2 else 2
        rows = math.ceil(len(self.runs) / columns)
        legend_height = min(self._pt(rows * self._legend_entry_height() + 6, "y"), 0.4 * top)
        return (
            Box(0, bottom_pad + legend_height, 1, top - bottom_pad - legend_height),
            Box(self._pt(24, "x"), bottom_pad, 1 - self._pt(48, "x"), legend_height),
        )

    def _plot_width_fraction(self, plot_height: float) -> float:
        """Width share of the plot on a wide picture: what the data aspect asks for, within limits."""
        (xmin, xmax), (ymin, ymax) = self.bounds
        aspect = (xmax - xmin) / (ymax - ymin)
        if not 0.5 <= aspect <= 2:
            aspect = 1.0
        if self.options.view == "side_by_side":
            wanted = 0.68
        elif self.options.view == "surface3d":
            wanted = 0.64
        else:
            side_px = plot_height * self.size[1] - (self._pt(48, "y") * self.size[1])
            wanted = (side_px * aspect) / self.size[0] + self._pt(70, "x")
        return float(np.clip(wanted, 0.45, 0.68))

    # ------------------------------------------------------------------ 2-D maps

    def _add_map_axes(self, box: Box, run_indices: Sequence[int], start: np.ndarray, compact: bool = False):
        margin_left = self._pt(40 if compact else 58, "x")
        margin_bottom = self._pt(26 if compact else 44, "y")
        margin_top = self._pt(PANEL_TITLE_PT * 1.8 if compact else 8, "y")
        ax = self.figure.add_axes(
            (box.left + margin_left, box.bottom + margin_bottom,
             box.width - margin_left - self._pt(8, "x"), box.height - margin_bottom - margin_top)
        )
        (xmin, xmax), (ymin, ymax) = self.bounds
        aspect = (xmax - xmin) / (ymax - ymin)
        if 0.5 <= aspect <= 2:
            ax.set_aspect("equal", adjustable="box")
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        levels = np.linspace(self.scale.low, self.scale.high, 15)
        shown = self.scale(self.grid_values)
        ax.contourf(self.grid[..., 0], self.grid[..., 1], shown, levels=levels, cmap=LANDSCAPE_CMAP, extend="max", antialiased=True)
        ax.contour(self.grid[..., 0], self.grid[..., 1], shown, levels=levels, colors=CONTOUR_LINE_COLOR, linewidths=0.7)
        if len(self.surface.minima):
            ax.plot(*self.surface.minima.T, linestyle="none", marker="*", markersize=15 if not compact else 11,
                    color=MINIMUM_COLOR, markeredgecolor="white", markeredgewidth=0.8, zorder=4)
        ax.plot([start[0]], [start[1]], linestyle="none", marker="o", markersize=10 if not compact else 8,
                color=START_COLOR, markeredgecolor=MINIMUM_COLOR, markeredgewidth=1.5, zorder=4)
        ax.tick_params(labelsize=TICK_PT - (2 if compact else 0), colors=MUTED_TEXT_COLOR, labelfontfamily=self.families)
        for spine in ax.spines.values():
            spine.set_color("#999999")
        for index in run_indices:
            self._add_moving_run(ax, self.runs[index])
        return ax

    def _add_moving_run(self, ax, run: Run) -> None:
        (line,) = ax.plot([], [], color=run.color, linewidth=LINE_WIDTH_PT, solid_capstyle="round", solid_joinstyle="round", animated=True, zorder=5)
        (head,) = ax.plot([], [], linestyle="none", marker="o", markersize=9, color=run.color,
                          markeredgecolor="white", markeredgewidth=1.4, animated=True, zorder=6)
        self._moving += [line, head]
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
        self._moving += [cross, note]

        def update_diverged(step: int) -> None:
            shown = min(step, run.diverged_at)
            line.set_data(points[: shown + 1, 0], points[: shown + 1, 1])
            head.set_data(points[shown : shown + 1, 0], points[shown : shown + 1, 1])
            gone = step >= run.diverged_at
            head.set_visible(not gone)
            cross.set_visible(gone)
            note.set_visible(gone)
        self._frame_updates.append(update_diverged)

    def _draw_panels(self, box: Box) -> None:
        rows, cols = _grid_shape(len(self.runs), box.width * self.size[0], box.height * self.size[1])
        cell_w, cell_h = box.width / cols, box.height / rows
        for index, run in enumerate(self.runs):
            row, col = divmod(index, cols)
            cell = Box(box.left + col * cell_w, box.top - (row + 1) * cell_h, cell_w, cell_h)
            ax = self._add_map_axes(cell, [index], self.runs[index].points[0], compact=True)
            ax.set_title(run.name, fontsize=PANEL_TITLE_PT, family=self.families, color=run.color, weight="bold", pad=4)

    # ------------------------------------------------------------------ 3-D

    def _draw_surface3d(self, box: Box, start: np.ndarray) -> None:
        ax = self.figure.add_axes(box.rect(), projection="3d", computed_zorder=False)
        step = max(1, GRID_POINTS // SURFACE_GRID_POINTS)
        grid = self.grid[::step, ::step]
        heights = self.scale(self.grid_values[::step, ::step])
        ax.plot_surface(grid[..., 0], grid[..., 1], heights, cmap=LANDSCAPE_CMAP, linewidth=0.2,
                        edgecolor="#9aa5b1", antialiased=True, alpha=0.9, zorder=1)
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
        ax.set_zlabel(_text("log_height" if self.scale.log else "height", self.lang), fontsize=LABEL_PT - 2, family=self.families)
        ax.tick_params(labelsize=TICK_PT - 2, colors=MUTED_TEXT_COLOR, labelfontfamily=self.families)
        self._elevation, self._azimuth = 32.0, -58.0
        ax.view_init(self._elevation, self._azimuth)
        self._axes3d = ax
        for run in self.runs:
            heights = self.scale(run.losses) + lift
            (line,) = ax.plot([], [], [], color=run.color, linewidth=LINE_WIDTH_PT, animated=not self._full_redraw,
                              zorder=5, axlim_clip=True)
            (head,) = ax.plot([], [], [], linestyle="none", marker="o", markersize=9, color=run.color,
                              markeredgecolor="white", markeredgewidth=1.4, animated=not self._full_redraw, zorder=6,
                              axlim_clip=True)
            self._moving += [line, head]

            def update(step: int, run=run, line=line, head=head, heights=heights) -> None:
                shown = step if run.diverged_at < 0 else min(step, run.diverged_at)
                line.set_data_3d(run.points[: shown + 1, 0], run.points[: shown + 1, 1], heights[: shown + 1])
                head.set_data_3d(run.points[shown : shown + 1, 0], run.points[shown : shown + 1, 1], heights[shown : shown + 1])
                head.set_marker("X" if 0 <= run.diverged_at <= step else "o")
            self._frame_updates.append(update)

    # ------------------------------------------------------------------ legend

    def _draw_legend(self, box: Box) -> None:
        columns = 1 if box.width < 0.6 or len(self.runs) <= 2 else 2
        column_width = box.width / columns
        entry_pt = self._legend_entry_height()
        rows = math.ceil(len(self.runs) / columns)
        # Shrink every legend font alike when the entries do not fit the box.
        fit = min(1.0, box.height / max(self._pt(rows * entry_pt, "y"), 1e-9))
        label_pt, status_pt, rule_pt = (max(MIN_LEGEND_PT, p * fit) for p in (LABEL_PT, STATUS_PT, RULE_PT))
        labels = []
        for index, run in enumerate(self.runs):
            row, col = divmod(index, columns)
            x = box.left + col * column_width
            y = box.top - self._pt(row * entry_pt * fit, "y")
            swatch_y = y - self._pt(label_pt * 0.6, "y")
            self.figure.add_artist(Line2D([x, x + self._pt(26, "x")], [swatch_y, swatch_y], color=run.color,
                                          linewidth=5, solid_capstyle="butt", transform=self.figure.transFigure))
            text_x = x + self._pt(34, "x")
            labels.append(self._fig_text(text_x, y, run.label, label_pt, va="top", color=TEXT_COLOR))
            y -= self._pt(label_pt * 1.35, "y")
            status = self._fig_text(text_x, y, "", status_pt, animated=True, va="top", color=MUTED_TEXT_COLOR)
            y -= self._pt(status_pt * 1.4, "y")
            for rule in run.rule_lines:
                self._fig_text(text_x, y, rule, rule_pt, va="top", color=MUTED_TEXT_COLOR)
                y -= self._pt(rule_pt * 1.55, "y")

            def update(step: int, run=run, status=status) -> None:
                if 0 <= run.diverged_at <= step:
                    status.set_text(_text("diverged", self.lang, step=run.diverged_at))
                    status.set_color(run.color)
                    status.set_weight("bold")
                else:
                    status.set_text(_text("loss", self.lang, value=_format_loss(run.losses[step])))
                    status.set_color(MUTED_TEXT_COLOR)
                    status.set_weight("normal")
            self._frame_updates.append(update)
        self._shrink_to_width(labels, box.left + box.width)

    def _shrink_to_width(self, texts, right_edge: float) -> None:
        """Make long labels smaller until they end inside ``right_edge`` (figure fraction)."""
        renderer = self.canvas.get_renderer()
        limit_px = right_edge * self.size[0]
        for text in texts:
            while text.get_fontsize() > MIN_LEGEND_PT and text.get_window_extent(renderer).x1 > limit_px:
                text.set_fontsize(text.get_fontsize() * 0.92)

    # ------------------------------------------------------------------ frames

    @property
    def moving_artists(self) -> list:
        return list(self._moving)

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
            for artist in self._moving:
                if artist.get_visible():
                    self.figure.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())

    def close(self) -> None:
        self.figure.clear()
