"""The browser's 3-D view data (``viz.browser3d.surface3d_data``) is the one picture
(``viz.picture``) and shows what the Plotly 3-D figure of the HTML export shows: the same
view and heights, the relief colours, each run's name, colour and path on the surface, the
axes' names and the height's title; words in the chosen language; small, finite JSON; a
camera that belongs to the surface."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from scene import OptimizerEntry, Scene, run_scene
from viz.browser3d import camera_key, surface3d_data
from viz.figures import surface_3d_figure
from viz.landscape import plotly_colorscale
from viz.mpl.surface3d import AZIMUTH, ELEVATION
from viz.picture import describe
from viz.style import RELIEF_COLORS

SCENE = Scene(
    "three_minima", start=(2.6, 1.4), steps=300,
    optimizers=(OptimizerEntry.of("sgd", lr=0.05), OptimizerEntry.of("momentum", lr=0.05), OptimizerEntry.of("adam", lr=0.05)),
)
DIVERGING = Scene(
    "elongated_bowl", start=(3.9, 2.5), steps=200,
    optimizers=(OptimizerEntry.of("sgd", lr=1.0), OptimizerEntry.of("adam", lr=0.05)),
)


@pytest.fixture(scope="module")
def runs():
    return run_scene(SCENE)


def test_the_view_heights_and_colours_are_the_pictures(runs):
    surface, trajectories = runs
    picture = describe(SCENE, surface, trajectories, "en")
    data = surface3d_data(SCENE, surface, trajectories)
    assert data["bounds"] == [list(pair) for pair in picture.bounds]
    xs, ys = np.array(data["xs"]), np.array(data["ys"])
    assert xs[0] == pytest.approx(picture.grid_x[0]) and xs[-1] == pytest.approx(picture.grid_x[-1])
    assert 40 <= len(xs) <= 80 and len(ys) == len(xs)
    heights = picture.height_scale
    # Every sent height is the picture's height scale at that grid point.
    z = np.array(data["z"]).reshape(len(ys), len(xs))
    columns = [int(np.argmin(abs(picture.grid_x - x))) for x in xs]
    rows = [int(np.argmin(abs(picture.grid_y - y))) for y in ys]
    assert np.allclose(z, heights(picture.values[np.ix_(rows, columns)]), rtol=1e-4, atol=1e-6 * (heights.high - heights.low))
    assert data["color_range"] == [heights.low, heights.high]
    assert data["z_range"][0] == heights.low and data["z_range"][1] > heights.high
    assert data["colorscale"] == plotly_colorscale(RELIEF_COLORS)
    assert data["axes"] == [*picture.axes, picture.height_title]
    assert [r["label"] for r in data["runs"]] == [r.label for r in picture.runs]
    assert [r["color"] for r in data["runs"]] == [r.color for r in picture.runs]


def test_the_paths_and_heights_are_the_html_exports(runs):
    """The path each run draws on the surface is the Plotly figure's (the HTML export): the
    same points and heights, to the digits sent."""
    surface, trajectories = runs
    data = surface3d_data(SCENE, surface, trajectories)
    figure = surface_3d_figure(SCENE, surface, trajectories)
    lines = [trace for trace in figure.data if trace.type == "scatter3d" and trace.mode == "lines"]
    assert len(lines) == len(data["runs"])
    for run, line in zip(data["runs"], lines, strict=True):
        assert run["label"] == line.name and run["color"] == line.line.color
        for axis in ("x", "y", "z"):
            assert np.allclose(run[axis], np.asarray(getattr(line, axis), dtype=float), rtol=2e-3, atol=1e-9), (run["label"], axis)
    # The surface's heights too (the figure keeps 4 digits, the data 5).
    plotly_z = np.asarray(figure.data[0].z, dtype=float)
    assert np.allclose(np.reshape(data["z"], plotly_z.shape), plotly_z, rtol=2e-3, atol=1e-9)


def test_a_path_lies_just_above_the_surface_and_ends_where_the_run_ends(runs):
    surface, trajectories = runs
    picture = describe(SCENE, surface, trajectories, "en")
    heights = picture.height_scale
    data = surface3d_data(SCENE, surface, trajectories)
    lift = data["z_range"][1] - heights.high  # twice the lift: the box's room above the surface
    for run, trajectory in zip(data["runs"], trajectories, strict=True):
        points = np.column_stack([run["x"], run["y"]])
        on_surface = heights(surface.f(points))
        assert np.all(np.array(run["z"]) > on_surface) and np.all(np.array(run["z"]) < on_surface + lift)
        assert np.allclose(points[0], trajectory.points[0, 0], rtol=1e-4)
        assert np.allclose(points[-1], trajectory.points[-1, 0], rtol=1e-4)
        assert not run["diverged"]


def test_a_diverged_run_is_marked_and_its_path_stays_in_view():
    surface, trajectories = run_scene(DIVERGING)
    data = surface3d_data(DIVERGING, surface, trajectories)
    (x0, x1), (y0, y1) = data["bounds"]
    sgd, adam = data["runs"]
    assert sgd["diverged"] and sgd["diverged_text"].startswith("diverged at step")
    assert not adam["diverged"]
    assert all(x0 <= x <= x1 for x in sgd["x"]) and all(y0 <= y <= y1 for y in sgd["y"])


def test_the_minima_in_view_sit_on_the_surface_with_their_names(runs):
    surface, trajectories = runs
    picture = describe(SCENE, surface, trajectories, "zh")
    data = surface3d_data(SCENE, surface, trajectories, "zh")
    assert [m["name"] for m in data["minima"]] == list(picture.minima_names)
    assert data["minima"][0]["name"] == "全局极小值"
    for m in data["minima"]:
        height = picture.height_scale(surface.f(np.array([m["x"], m["y"]])))
        assert height < m["z"] < data["z_range"][1]


def test_words_in_the_chosen_language(runs):
    surface, trajectories = runs
    en = surface3d_data(SCENE, surface, trajectories, "en")["words"]
    zh = surface3d_data(SCENE, surface, trajectories, "zh")["words"]
    assert en["reset"] == "Reset view" and zh["reset"] == "重置视角"
    assert en.keys() == zh.keys() and all(zh[key] and zh[key] != en[key] for key in en)


@pytest.mark.parametrize(("surface", "axes"), [("data_linreg", ["w", "b"]), ("saddle", ["x", "y"])])
def test_the_axes_are_named_by_the_surfaces_coordinates(surface, axes):
    scene = Scene(surface, steps=20, optimizers=(OptimizerEntry.of("sgd", lr=0.05),))
    built, trajectories = run_scene(scene)
    assert surface3d_data(scene, built, trajectories)["axes"] == [*axes, f"f({', '.join(axes)})"]


def test_the_camera_belongs_to_the_surface_and_starts_at_the_gifs_angle(runs):
    surface, trajectories = runs
    data = surface3d_data(SCENE, surface, trajectories)
    assert data["camera"] == {"azimuth": AZIMUTH, "elevation": ELEVATION}
    faster = replace(SCENE, optimizers=(OptimizerEntry.of("sgd", lr=0.1),), start=(1.0, 1.0))
    assert camera_key(faster) == camera_key(SCENE) == data["camera_key"]
    assert camera_key(replace(SCENE, surface="saddle")) != camera_key(SCENE)


def test_the_data_is_finite_json_of_modest_size(runs):
    surface, trajectories = runs
    data = surface3d_data(SCENE, surface, trajectories)
    text = json.dumps(data, allow_nan=False)
    assert len(text) < 90_000, len(text)

    def numbers(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from numbers(item)
        elif isinstance(value, list):
            for item in value:
                yield from numbers(item)
        elif isinstance(value, float):
            yield value

    assert all(math.isfinite(v) for v in numbers(data))
