"""Where things go on an export's page: the figure of a fixed design area with its pixel
units (:class:`Page`), text placed, measured, wrapped and shrunk to fit, and the room a
map leaves around it (:class:`Margins`)."""

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
                text.set_fontsize(max(MIN_LEGEND_PT, text.get_fontsize() * 0.92))
