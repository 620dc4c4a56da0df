"""Where things go on an export's page: the figure of a fixed design area with its pixel
units (:class:`Page`), text placed, measured, wrapped and shrunk to fit, and the grid of
maps that fills a region (:func:`fit_panels`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from .._mpl_fonts import needs_cjk
from .style import BACKGROUND_COLOR, DESIGN_SIDE_INCHES, MIN_LEGEND_PT

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


class Page:
    """The figure of one export (Agg, no pyplot), ``size`` pixels of the design area: pixel
    units, and text in the export's font ``families``."""

    def __init__(self, size: tuple[int, int], families: list[str]):
        width, height = size
        self.size = (width, height)
        self.families = families
        self.dpi = math.sqrt(width * height) / DESIGN_SIDE_INCHES
        self.figure = Figure(figsize=(width / self.dpi, height / self.dpi), dpi=self.dpi, facecolor=BACKGROUND_COLOR)
        self.canvas = FigureCanvasAgg(self.figure)

    def px(self, points: float) -> float:
        return points / 72 * self.dpi

    def fraction(self, rect: Rect) -> tuple[float, float, float, float]:
        width, height = self.size
        return (rect[0] / width, rect[1] / height, rect[2] / width, rect[3] / height)

    def pixel_rect(self, ax) -> Rect:
        x0, y0, w, h = ax.get_position().bounds
        return (x0 * self.size[0], y0 * self.size[1], w * self.size[0], h * self.size[1])

    def text(self, x_px, y_px, text, size, animated=False, **kwargs):
        return self.figure.text(
            x_px / self.size[0], y_px / self.size[1], text, fontsize=size, family=self.families,
            animated=animated, **kwargs,
        )

    def text_width(self, text: str, points: float, math: bool = False, weight: str = "normal") -> float:
        prop = FontProperties(family=self.families, size=points, weight=weight)
        return self.canvas.get_renderer().get_text_width_height_descent(text, prop, ismath=math)[0]

    def wrapped(self, text: str, points: float, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` pixels: at spaces, or anywhere
        in Chinese, which has no spaces."""
        cjk = needs_cjk(text)
        pieces = list(text) if cjk else text.split(" ")
        joiner = "" if cjk else " "
        lines, current = [], ""
        for piece in pieces:
            candidate = current + joiner + piece if current else piece
            if current and self.text_width(candidate, points) > width:
                lines.append(current)
                current = piece.lstrip()
            else:
                current = candidate
        return lines + [current] if current else lines

    def shrink_to_width(self, texts, right_edges) -> None:
        """Make texts smaller until each ends before its right edge (pixels)."""
        renderer = self.canvas.get_renderer()
        for text, right in zip(texts, right_edges, strict=True):
            while text.get_fontsize() > MIN_LEGEND_PT and text.get_window_extent(renderer).x1 > right:
                text.set_fontsize(text.get_fontsize() * 0.92)
