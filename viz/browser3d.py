"""The 3-D view of a scene as plain JSON data for the browser painter (``ui.surface3d``,
``assets/surface3d/surface3d.js``): a canvas that draws the shaded surface back to front with
every path lying on it, and turns it under the user's mouse, finger or arrow keys.

Everything is read from the one description (:func:`viz.picture.describe`), as the Plotly
3-D figure (:func:`viz.plotly.surface3d.surface_3d_figure`, kept for the HTML export) reads
it: the view, the heights (``picture.height_scale``), the relief colours, each run's name,
colour and path (simplified more finely than on the map, so a straight chord does not cut
through a curved valley), the axes' names and the height's title. The browser only
projects these to pixels; it computes nothing of the surface or the optimizers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from optimizers import Trajectory
from scene import Scene
from scene.i18n import t
from surfaces import Surface

from .browser import linear_ticks
from .landscape import plotly_colorscale
from .mpl.surface3d import AZIMUTH, ELEVATION
from .picture import LIFT, camera_key, describe, path_on_surface
from .style import MINIMUM_COLOR, RELIEF_COLORS

SURFACE_POINTS = 60  # per side: the picture's sample, thinned (as the Plotly figure does)
Z_ASPECT = 0.6  # the box's height against its (square) floor, as the Plotly figure's aspectratio
DIGITS = 5  # significant digits of a coordinate or a height: far below a pixel


def _rounded(values, digits: int = DIGITS) -> list[float]:
    """``values`` to ``digits`` significant digits, as JSON numbers (finite by construction)."""
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float).ravel()]


def surface3d_data(scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], lang: str = "en") -> dict:
    """Everything the browser's 3-D view shows of ``scene``, as JSON-ready data.

    The surface as a grid: ``xs`` (columns), ``ys`` (rows) and ``z`` row by row
    (``z[i * len(xs) + j]`` is the height over ``(xs[j], ys[i])``), coloured by ``colorscale``
    over ``color_range``; the box's height range ``z_range``; each run's path with its heights,
    colour and name, and whether it diverged (its end is then a cross); the minima inside the
    view; the axes' names and ticks; the words in ``lang``; ``camera_key``, which the camera
    is kept under across reruns, and ``camera``, where it starts (the exported GIF's angle)."""
    picture = describe(scene, surface, trajectories, lang)
    heights = picture.height_scale
    every = max(1, len(picture.grid_x) // SURFACE_POINTS)
    xs, ys = picture.grid_x[::every], picture.grid_y[::every]
    lift = LIFT * (heights.high - heights.low)
    (x0, x1), (y0, y1) = picture.bounds
    runs = []
    for run in picture.runs:
        points, z = path_on_surface(picture, surface, run)
        runs.append({
            "label": run.label, "color": run.color,
            "x": _rounded(points[:, 0]), "y": _rounded(points[:, 1]), "z": _rounded(z),
            "diverged": run.diverged_at >= 0, "diverged_text": run.diverged_text,
        })
    inside = [
        (point, name) for point, name in zip(picture.minima, picture.minima_names, strict=True)
        if x0 <= point[0] <= x1 and y0 <= point[1] <= y1
    ]
    minima = [
        {"x": float(point[0]), "y": float(point[1]), "z": float(heights(surface.f(point)) + lift), "name": name}
        for point, name in inside
    ]
    z_ticks = linear_ticks(heights.low, heights.high, 4)
    return {
        "lang": lang,
        "camera_key": camera_key(scene),
        "camera": {"azimuth": AZIMUTH, "elevation": ELEVATION},  # where it starts: the GIF's 3-D view
        "bounds": [[x0, x1], [y0, y1]],
        "xs": _rounded(xs), "ys": _rounded(ys),
        "z": _rounded(heights(picture.values[::every, ::every])),
        "z_range": [heights.low, heights.high + 2 * lift],
        "z_aspect": Z_ASPECT,
        "colorscale": plotly_colorscale(RELIEF_COLORS), "color_range": [heights.low, heights.high],
        "runs": runs,
        "minima": minima,
        "colors": {"minimum": MINIMUM_COLOR},
        "axes": [*picture.axes, picture.height_title],
        "x_ticks": linear_ticks(x0, x1), "y_ticks": linear_ticks(y0, y1), "z_ticks": z_ticks,
        "z_tick_labels": [f"{v:g}" for v in z_ticks],
        "words": words(lang),
    }


def words(lang: str) -> dict[str, str]:
    """The 3-D view's words in ``lang`` (assets/i18n/surface3d.json)."""
    keys = ("label", "reset", "reset_help", "hint", "minimum")
    return {key: t(f"surface3d.{key}", lang) for key in keys}
