"""One PNG with a contour map of every library surface: a visual check of the library.

    python -m viz.contact_sheet            # writes assets/surfaces_contact_sheet.png

Each panel shows the default view as the app's map and the GIF export draw it (the
landscape of ``viz.landscape``: the same colours, and the rings of ``viz.levels``, on a log
height scale where the surface asks for it), the listed minima (star: global, dots: the
others) and the default start (white circle). Built on ``matplotlib.figure.Figure`` +
``FigureCanvasAgg``, never pyplot.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from surfaces import Surface, get_surface, list_surfaces

from ._mpl_fonts import cjk_family, font_families
from .landscape import draw_landscape, height_scale, sample
from .style import MINIMUM_COLOR, START_COLOR

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "assets" / "surfaces_contact_sheet.png"


def draw_surface(ax, surface: Surface, chinese: bool = False) -> None:
    bounds = surface.bounds
    (xmin, xmax), (ymin, ymax) = bounds
    xs, ys, values = sample(surface, bounds)
    scale = height_scale(surface, bounds)
    draw_landscape(ax, xs, ys, values, scale)
    minima = surface.minima
    if len(minima):
        ax.plot(*minima[0], marker="*", ms=14, color=MINIMUM_COLOR, mec="w", mew=0.8, ls="none")
        ax.plot(minima[1:, 0], minima[1:, 1], "o", ms=6, color=MINIMUM_COLOR, mec="w", mew=0.8)
    ax.plot(*surface.default_start, "o", ms=8, color=START_COLOR, mec="k", mew=1.2)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal" if max(xmax - xmin, ymax - ymin) / min(xmax - xmin, ymax - ymin) < 2.5 else "auto")
    ax.tick_params(labelsize=7)
    heading = surface.title["en"] + (f"  {surface.title['zh']}" if chinese else "")
    detail = surface.name + ("  (log-spaced levels)" if surface.log_levels else "")
    ax.set_title(f"{heading}\n{detail}", fontsize=9.5, loc="left", family=font_families(chinese))


def draw_contact_sheet(names: list[str] | None = None, columns: int = 4) -> Figure:
    """A figure with one landscape panel per surface (default: every library surface)."""
    names = list_surfaces() if names is None else names
    rows = math.ceil(len(names) / columns)
    figure = Figure(figsize=(4.2 * columns, 3.9 * rows), layout="constrained")
    FigureCanvasAgg(figure)
    chinese = cjk_family() is not None
    for index, name in enumerate(names):
        draw_surface(figure.add_subplot(rows, columns, index + 1), get_surface(name), chinese)
    figure.suptitle(
        "Surface library: default view and parameters.  "
        "Star: global minimum, black dots: other listed minima, white circle: default start",
        fontsize=12,
    )
    return figure


def save_contact_sheet(path: Path | str = DEFAULT_PATH, dpi: int = 72) -> Path:
    """Render the sheet and write it as a 256-colour PNG (about 300 KiB instead of 1 MiB:
    filled contours are flat bands, so a palette loses nothing visible)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure = draw_contact_sheet()
    figure.set_dpi(dpi)
    figure.canvas.draw()
    image = Image.fromarray(np.asarray(figure.canvas.buffer_rgba())).convert("RGB")
    image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, format="PNG", optimize=True
    )
    return path


if __name__ == "__main__":
    written = save_contact_sheet()
    print(f"wrote {written.relative_to(Path.cwd()) if written.is_relative_to(Path.cwd()) else written}")
