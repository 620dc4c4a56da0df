"""The surface in 3-D with every path lying on it."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from optimizers import Trajectory
from scene import Scene
from surfaces import Surface

from ..geometry import simplify
from ..landscape import plotly_colorscale
from ..style import RELIEF_COLORS, color_for
from .contour import contour_grid
from .figure_type import TOLERANCE, _rounded, _significant
from .labels import entry_labels, text
from .layout import FONT_FAMILY


def surface_3d_figure(
    scene: Scene, surface: Surface, trajectories: Sequence[Trajectory], *, lang: str = "en", font_size: int = 15
) -> go.Figure:
    """The surface in 3-D with every path lying on it. ``uirevision`` keeps the camera where
    the user turned it while sliders change the paths."""
    grid = contour_grid(surface, size=60)
    labels = entry_labels(scene, lang)
    data: list[dict] = [
        {
            "type": "surface", "x": _rounded(grid.xs, 4), "y": _rounded(grid.ys, 4), "z": _significant(grid.z),
            # The map's blue-greys, so the coloured paths stand out as they do on the map.
            "colorscale": plotly_colorscale(RELIEF_COLORS), "opacity": 0.92, "showscale": False, "hoverinfo": "skip",
            "contours": {"z": {"show": True, "usecolormap": True, "project": {"z": True}, "width": 1}},
        }
    ]
    lift = 0.02 * float(grid.z.max() - grid.z.min())  # above the surface, not inside it
    (x0, x1), (y0, y1) = surface.bounds
    for i, tr in enumerate(trajectories):
        points = tr.points[:, 0]
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
        points = points[inside] if inside.any() else points[:1]
        # Finer than on the map: a long straight chord would cut through a curved valley.
        kept = simplify(points / max(x1 - x0, y1 - y0), TOLERANCE / 4)
        z = grid.transform(surface.f(points[kept])) + lift
        data.append(
            {
                "type": "scatter3d", "mode": "lines", "name": labels[i],
                "x": _significant(points[kept, 0]), "y": _significant(points[kept, 1]), "z": _significant(z),
                "line": {"color": color_for(i), "width": 7},
            }
        )
        data.append(
            {
                "type": "scatter3d", "mode": "markers", "showlegend": False, "name": labels[i],
                "x": _significant(points[-1:, 0]), "y": _significant(points[-1:, 1]), "z": _significant(z[-1:]),
                "marker": {"color": color_for(i), "size": 6, "line": {"color": "#ffffff", "width": 1}},
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
            "xaxis": {"title": {"text": "x"}},
            "yaxis": {"title": {"text": "y"}},
            "zaxis": {"title": {"text": text("log_z", lang) if grid.scale.log else "f"}},
            "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6},
            "camera": {"eye": {"x": 1.25, "y": -1.35, "z": 0.85}, "center": {"x": 0, "y": 0, "z": -0.1}},
        },
    }
    return go.Figure(data=data, layout=layout)
