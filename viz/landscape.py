"""The landscape under every 2-D map: f's filled contour bands and its contour lines on the
shared height scale (``viz.levels``), drawn by matplotlib the same way for the GIF/MP4
exports and for the app's maps.

The app's animated map shows the landscape as a picture (a PNG under the plotly traces),
not as a plotly contour trace: plotly.js clears a contour on every animated frame and
redraws it (the map went blank while a lesson played), and recomputes it on every slider
move. The picture is drawn once per surface and view.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from PIL import Image

from surfaces import Surface

from .levels import HeightScale
from .style import CONTOUR_LINE_COLOR, LANDSCAPE_COLORS, RELIEF_COLORS

LANDSCAPE_CMAP = LinearSegmentedColormap.from_list("lowlands", LANDSCAPE_COLORS)
RELIEF_CMAP = LinearSegmentedColormap.from_list("relief", RELIEF_COLORS)
GRID_POINTS = 220
# Colours kept in the PNG: the bands, the lines and their anti-aliased edges.
IMAGE_COLORS = 48


def plotly_colorscale(colors: tuple[str, ...]) -> list[list]:
    """``colors`` evenly spread as a plotly colorscale (plotly's own contour and surface
    traces: the close-up of a step, the 3-D view)."""
    stops = np.linspace(0.0, 1.0, len(colors))
    return [[float(stop), color] for stop, color in zip(stops, colors, strict=True)]


@lru_cache(maxsize=32)
def sample(surface: Surface, bounds, points: int = GRID_POINTS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and f on a ``points`` x ``points`` grid over ``bounds`` (read-only: shared)."""
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.linspace(x0, x1, points), np.linspace(y0, y1, points)
    with np.errstate(all="ignore"):
        values = surface.f(np.stack(np.meshgrid(xs, ys), axis=-1))
    for array in (xs, ys, values):
        array.flags.writeable = False
    return xs, ys, values


@lru_cache(maxsize=32)
def height_scale(surface: Surface, bounds) -> HeightScale:
    """The height scale of the map of ``surface`` over ``bounds``, measured on the shared
    :func:`sample`: its levels are the rings of the app's map, the GIF/MP4 export and the
    analysis views of that view."""
    return HeightScale(sample(surface, bounds)[2], surface.log_levels)


def draw_landscape(ax, xs: np.ndarray, ys: np.ndarray, values: np.ndarray, scale: HeightScale, line_width: float = 0.7) -> None:
    """Filled bands between the scale's levels and the contour lines at them, on matplotlib
    ``ax``, for f's ``values`` on the grid ``xs`` x ``ys``."""
    heights, levels = scale.unit(values), scale.unit_levels()
    ax.contourf(xs, ys, heights, levels=levels, cmap=LANDSCAPE_CMAP, extend="max")
    ax.contour(xs, ys, heights, levels=levels, colors=CONTOUR_LINE_COLOR, linewidths=line_width, linestyles="solid")


@lru_cache(maxsize=32)
def landscape_image(surface: Surface, bounds: tuple[tuple[float, float], tuple[float, float]], width: int, height: int) -> str:
    """The landscape of ``surface`` over ``bounds`` as a PNG data URI of ``width`` x
    ``height`` pixels, edge to edge (no axes), to be stretched over a plotly map's axes."""
    xs, ys, values = sample(surface, bounds)
    scale = height_scale(surface, bounds)
    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    draw_landscape(ax, xs, ys, values, scale, line_width=0.6 * max(width, height) / 500)
    (x0, x1), (y0, y1) = bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    picture = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").quantize(IMAGE_COLORS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def plotly_image(surface: Surface, bounds, xref: str = "x", yref: str = "y", pixels: int = 720) -> dict:
    """A plotly layout image of the landscape (:func:`landscape_image`, ``pixels`` on its
    longer side) stretched over ``bounds`` on the axes ``xref``/``yref``, under the traces."""
    bounds = tuple((float(low), float(high)) for low, high in bounds)  # a plain cache key
    (x0, x1), (y0, y1) = bounds
    aspect = (y1 - y0) / (x1 - x0)
    source = landscape_image(surface, bounds, round(pixels / max(aspect, 1.0)), round(pixels * min(aspect, 1.0)))
    return {
        "source": source, "xref": xref, "yref": yref, "x": x0, "y": y1, "sizex": x1 - x0, "sizey": y1 - y0,
        "sizing": "stretch", "xanchor": "left", "yanchor": "top", "layer": "below",
    }
