"""The surface in 3-D with every path lying on it."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from optimizers import Trajectory
from scene import Scene
from surfaces import Surface

from ..geometry import simplify
from ..landscape import plotly_colorscale
from ..picture import describe
from ..style import RELIEF_COLORS
from .figure_type import TOLERANCE, _rounded, _significant
from .layout import FONT_FAMILY

SURFACE_POINTS = 60  # per side: the picture's sample, thinned; WebGL draws every vertex


def surface_3d_figure(
    scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], *, lang: str = "en", font_size: int = 15
) -> go.Figure:
    """The surface in 3-D with every path lying on it, painted from the scene's picture
    (``viz.picture``): the same view, heights, names and colours as the GIF's 3-D view.
    ``uirevision`` keeps the camera where the user turned it while sliders change the paths."""
    picture = describe(scene, surface, trajectories, lang)
    heights = picture.height_scale
    every = max(1, len(picture.grid_x) // SURFACE_POINTS)
    xs, ys = picture.grid_x[::every], picture.grid_y[::every]
    data: list[dict] = [
        {
            "type": "surface", "x": _rounded(xs, 4), "y": _rounded(ys, 4),
            "z": _significant(heights(picture.values[::every, ::every])),
            # The map's blue-greys, so the coloured paths stand out as they do on the map.
            "colorscale": plotly_colorscale(RELIEF_COLORS), "opacity": 0.92, "showscale": False, "hoverinfo": "skip",
            "contours": {"z": {"show": True, "usecolormap": True, "project": {"z": True}, "width": 1}},
        }
    ]
    lift = 0.02 * (heights.high - heights.low)  # above the surface, not inside it
    (x0, x1), (y0, y1) = picture.bounds
    for run in picture.runs:
        points = run.points
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
        points = points[inside] if inside.any() else points[:1]
        # Finer than on the map: a long straight chord would cut through a curved valley.
        kept = simplify(points / max(x1 - x0, y1 - y0), TOLERANCE / 4)
        z = heights(surface.f(points[kept])) + lift
        data.append(
            {
                "type": "scatter3d", "mode": "lines", "name": run.label,
                "x": _significant(points[kept, 0]), "y": _significant(points[kept, 1]), "z": _significant(z),
                "line": {"color": run.color, "width": 7},
            }
        )
        data.append(
            {
                "type": "scatter3d", "mode": "markers", "showlegend": False, "name": run.label,
                "x": _significant(points[-1:, 0]), "y": _significant(points[-1:, 1]), "z": _significant(z[-1:]),
                "marker": {"color": run.color, "size": 6, "line": {"color": "#ffffff", "width": 1}},
            }
        )
    layout = {
        "template": {"layout": {}},  # no theme: the app and the exported HTML look the same
        "height": 480 + 10 * font_size,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "font": {"family": FONT_FAMILY, "size": font_size},
        "legend": {"orientation": "h", "x": 0.0, "y": 1.0, "yanchor": "top"},
        # The camera belongs to the surface: kept across hyperparameter changes, reset on a new surface.
        "uirevision": f"3d-{scene.surface}-{scene.formula}",
        "scene": {
            "xaxis": {"title": {"text": picture.axes[0]}},
            "yaxis": {"title": {"text": picture.axes[1]}},
            "zaxis": {"title": {"text": picture.height_title}, "range": [heights.low, heights.high + 2 * lift]},
            "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6},
            "camera": {"eye": {"x": 1.25, "y": -1.35, "z": 0.85}, "center": {"x": 0, "y": 0, "z": -0.1}},
        },
    }
    return go.Figure(data=data, layout=layout)
