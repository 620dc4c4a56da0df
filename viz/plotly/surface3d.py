"""The surface in 3-D with every path lying on it."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from optimizers import Trajectory
from scene import Scene
from surfaces import Surface

from ..geometry import significant
from ..landscape import plotly_colorscale
from ..picture import LIFT, camera_key, describe, path_on_surface
from ..style import RELIEF_COLORS
from .figure_type import _rounded
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
            "z": significant(heights(picture.values[::every, ::every])),
            # The map's blue-greys, so the coloured paths stand out as they do on the map.
            "colorscale": plotly_colorscale(RELIEF_COLORS), "opacity": 0.92, "showscale": False, "hoverinfo": "skip",
            "contours": {"z": {"show": True, "usecolormap": True, "project": {"z": True}, "width": 1}},
        }
    ]
    lift = LIFT * (heights.high - heights.low)  # the box's top leaves room for it
    for run in picture.runs:
        points, z = path_on_surface(picture, surface, run)
        data.append(
            {
                "type": "scatter3d", "mode": "lines", "name": run.label,
                "x": significant(points[:, 0]), "y": significant(points[:, 1]), "z": significant(z),
                "line": {"color": run.color, "width": 7},
            }
        )
        data.append(
            {
                "type": "scatter3d", "mode": "markers", "showlegend": False, "name": run.label,
                "x": significant(points[-1:, 0]), "y": significant(points[-1:, 1]), "z": significant(z[-1:]),
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
        "uirevision": camera_key(scene),
        "scene": {
            "xaxis": {"title": {"text": picture.axes[0]}},
            "yaxis": {"title": {"text": picture.axes[1]}},
            "zaxis": {"title": {"text": picture.height_title}, "range": [heights.low, heights.high + 2 * lift]},
            "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6},
            "camera": {"eye": {"x": 1.25, "y": -1.35, "z": 0.85}, "center": {"x": 0, "y": 0, "z": -0.1}},
        },
    }
    return go.Figure(data=data, layout=layout)
