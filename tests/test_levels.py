"""One contour rule for every picture: the GIF/MP4 export and the analysis views draw the
same rings for the same surface over the same view (viz.levels.HeightScale)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.contour import ContourSet

from scene import OptimizerEntry, Scene, run_scene
from surfaces import get_surface
from viz.analysis_figures import _contour_grid, contour_trace, filled_contour_trace
from viz.export import ExportOptions, scene_animation
from viz.landscape import GRID_POINTS
from viz.levels import HeightScale


def _grid(bounds, points):
    (x0, x1), (y0, y1) = bounds
    xs, ys = np.linspace(x0, x1, points), np.linspace(y0, y1, points)
    return np.stack(np.meshgrid(xs, ys), axis=-1)


@pytest.mark.parametrize("name", ["rosenbrock", "three_minima"])  # log and linear levels
def test_export_and_analysis_views_draw_the_same_rings(name):
    surface = get_surface(name)
    scene = Scene(name, steps=5, optimizers=(OptimizerEntry.of("sgd", lr=1e-4),))
    _, trajectories = run_scene(scene)
    animation = scene_animation(scene, surface, trajectories, ExportOptions(size=(480, 270), frames=2))
    try:
        drawn = [c for c in animation.figure.axes[0].get_children() if isinstance(c, ContourSet)]
        export_levels, bounds = drawn[0].levels, animation.bounds
    finally:
        animation.close()
    # Given the export's view and grid, the analysis views compute the same levels...
    # (the export contours heights as fractions of the scale: the same rings, mapped to 0..1).
    _, _, _, levels = _contour_grid(surface, bounds, resolution=GRID_POINTS)
    np.testing.assert_allclose((levels - levels[0]) / (levels[-1] - levels[0]), export_levels, atol=1e-12)
    # ...and their traces draw exactly their grid's levels, not Plotly's own choice.
    _, _, z, levels = _contour_grid(surface, bounds)
    for trace in (contour_trace(surface, bounds), filled_contour_trace(surface, bounds)):
        assert trace.autocontour is False
        np.testing.assert_allclose(np.asarray(trace.z, dtype=float), z)
        contours = trace.contours
        np.testing.assert_allclose((contours.start, contours.end, contours.size), (levels[0], levels[-1], levels[1] - levels[0]))


def test_log_scale_is_relative_to_the_views_spread():
    # Scaling f must not change the rings (an absolute offset, as the analysis views had,
    # puts them elsewhere for f and 1000 f).
    values = get_surface("rosenbrock").f(_grid(((-2, 2), (-1, 3)), 60))
    small, large = HeightScale(values, log=True), HeightScale(1000 * values, log=True)
    np.testing.assert_allclose(large.levels() - 3, small.levels())


def test_non_finite_values_show_as_the_top_or_nan():
    values = np.array([[0.0, 1.0], [np.nan, np.inf]])
    scale = HeightScale(values, log=False)
    assert scale(values)[1].tolist() == [scale.high, scale.high]
    assert np.isnan(scale(values, clip=False)[1]).all()
    assert HeightScale(np.full((2, 2), np.nan), log=True).levels().shape == (15,)
