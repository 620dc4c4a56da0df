"""The interactive figures (viz.figures) and the app's Streamlit-free helpers: figure specs
that plotly accepts, frames that animate, simplification that keeps zig-zags, URL state that
round-trips."""

from __future__ import annotations

import copy
import json
import math
import pickle

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene import PRESETS, OptimizerEntry, Scene, run_scene
from ui.widgets import linear_step, log_choices
from viz.figures import (
    AnimatedFigure,
    internals_figure,
    simplify,
    surface_3d_figure,
    trajectory_figure,
)
from viz.style import color_for


@pytest.fixture(scope="module")
def default_run():
    scene = Scene()
    surface, trajectories = run_scene(scene, record_internals=True)
    return scene, surface, trajectories


@pytest.mark.parametrize("layout", ["overlay", "side_by_side"])
def test_the_animated_figure_is_valid_plotly_and_small(default_run, layout):
    scene, surface, trajectories = default_run
    fig = trajectory_figure(scene, surface, trajectories, layout=layout, max_frames=60)
    spec = fig.to_dict()
    go.Figure(spec)  # full validation, frames included (the app skips it for speed)
    assert 2 <= len(spec["frames"]) <= 60
    moving = spec["layout"]["meta"]["moving_traces"]
    assert all(frame["traces"] == moving and len(frame["data"]) == len(moving) for frame in spec["frames"])
    text = fig.to_json()

    def refuse(constant):
        raise AssertionError(f"{constant} in the figure")

    json.loads(text, parse_constant=refuse)  # no NaN or Infinity anywhere
    assert len(text) < 500_000
    # The landscape is one picture per map, under the traces; no contour trace to redraw.
    images = spec["layout"]["images"]
    assert len(images) == len(spec["layout"]["meta"]["contour_axes"])
    assert all(image["source"].startswith("data:image/png;base64,") and image["layer"] == "below" for image in images)
    assert not any(trace["type"] == "contour" for trace in spec["data"])


def test_play_and_the_slider_redraw_every_frame(default_run):
    layout = trajectory_figure(*default_run, max_frames=30).to_dict()["layout"]
    play = layout["updatemenus"][0]["buttons"][0]
    assert play["method"] == "animate" and play["args"][1]["frame"]["redraw"] is True
    steps = layout["sliders"][0]["steps"]
    assert all(step["args"][1]["frame"]["redraw"] for step in steps)
    assert layout["sliders"][0]["active"] == len(steps) - 1  # opens on the finished picture
    assert "plot_bgcolor" not in layout


def test_colours_and_names_follow_the_scene(default_run):
    scene, surface, trajectories = default_run
    spec = trajectory_figure(scene, surface, trajectories, max_frames=20).to_dict()
    moving = spec["layout"]["meta"]["moving_traces"]
    paths = [spec["data"][index] for index in moving[: 2 * len(scene.optimizers) : 2]]
    assert [p["line"]["color"] for p in paths] == [color_for(i) for i in range(len(paths))]
    assert [p["name"] for p in paths] == ["SGD (lr=0.05)", "Momentum (lr=0.05)", "RMSProp (lr=0.02)", "Adam (lr=0.05)"]


def test_the_last_frame_shows_the_whole_path(default_run):
    scene, surface, trajectories = default_run
    spec = trajectory_figure(scene, surface, trajectories, max_frames=40).to_dict()
    first_path = spec["frames"][-1]["data"][0]
    end = trajectories[0].points[-1, 0]
    assert math.isclose(first_path["x"][-1], end[0], abs_tol=1e-3)
    assert math.isclose(first_path["y"][-1], end[1], abs_tol=1e-3)
    assert spec["frames"][0]["data"][0]["x"] == [round(float(scene.start_point(surface)[0]), 4)]


def test_a_diverged_run_is_marked_and_labelled():
    scene = Scene("elongated_bowl", steps=60, optimizers=(OptimizerEntry.of("sgd", lr=5.0), OptimizerEntry.of("sgd", lr=0.05)))
    surface, trajectories = run_scene(scene)
    diverged_at = int(trajectories[0].diverged_at[0])
    assert diverged_at > 0
    spec = trajectory_figure(scene, surface, trajectories, max_frames=30).to_dict()
    head = spec["data"][spec["layout"]["meta"]["moving_traces"][1]]
    assert head["marker"]["symbol"] == "x"
    assert head["text"] == [f"diverged at step {diverged_at}"]
    healthy_head = spec["data"][spec["layout"]["meta"]["moving_traces"][3]]
    assert healthy_head["marker"]["symbol"] == "circle"
    zh = trajectory_figure(scene, surface, trajectories, max_frames=30, lang="zh").to_dict()
    assert zh["data"][zh["layout"]["meta"]["moving_traces"][1]]["text"] == [f"第 {diverged_at} 步发散"]


def test_side_by_side_has_one_map_per_optimizer_and_log_axes_where_asked():
    scene = PRESETS["long_valley"].scene
    surface, trajectories = run_scene(scene)
    spec = trajectory_figure(scene, surface, trajectories, layout="side_by_side", max_frames=20).to_dict()
    assert len(spec["layout"]["meta"]["contour_axes"]) == len(scene.optimizers)
    assert [a["text"] for a in spec["layout"]["annotations"]][0].startswith("<b>SGD")
    log_axes = [k for k, v in spec["layout"].items() if k.startswith("yaxis") and v.get("type") == "log"]
    assert log_axes, "Rosenbrock's loss spans decades: a log axis"


def test_click_targets_only_when_asked(default_run):
    plain = trajectory_figure(*default_run, max_frames=10)
    clickable = trajectory_figure(*default_run, max_frames=10, click_targets=True)
    assert plain.layout.meta["click_traces"] == []
    (index,) = clickable.layout.meta["click_traces"]
    assert clickable.data[index].marker.opacity == 0
    assert len(clickable.data[index].x) > 1000


def test_frames_read_back_as_plotly_objects(default_run, tmp_path):
    fig = trajectory_figure(*default_run, max_frames=12)
    assert isinstance(fig, AnimatedFigure) and isinstance(fig, go.Figure)
    assert len(fig.frames) == len(fig.to_dict()["frames"])
    assert isinstance(fig.frames[0], go.Frame)
    out = tmp_path / "figure.html"
    fig.write_html(out, include_plotlyjs=False, auto_play=False)
    assert "addFrames" in out.read_text(encoding="utf-8")


def test_unknown_layout_and_mismatched_runs_are_rejected(default_run):
    scene, surface, trajectories = default_run
    with pytest.raises(ValueError, match="layout"):
        trajectory_figure(scene, surface, trajectories, layout="grid")
    with pytest.raises(ValueError, match="one trajectory per optimizer"):
        trajectory_figure(scene, surface, trajectories[:2])


def test_the_3d_view_keeps_its_camera(default_run):
    fig = surface_3d_figure(*default_run)
    assert fig.layout.uirevision
    assert fig.data[0].type == "surface" and len(fig.data) == 1 + 2 * len(default_run[2])


def test_inside_the_optimizer(default_run):
    scene, surface, trajectories = default_run
    adam = internals_figure(scene, surface, trajectories[3], 3, 5)
    assert [trace.type for trace in adam.data].count("bar") == 1  # per-coordinate step sizes
    assert len(adam.layout.annotations) >= 3  # gradient step, momentum, update arrows
    sgd = internals_figure(scene, surface, trajectories[0], 0, 5)
    assert "bar" not in [trace.type for trace in sgd.data]
    plain_surface, plain = run_scene(scene)
    with pytest.raises(ValueError, match="record_internals"):
        internals_figure(scene, plain_surface, plain[0], 0, 5)


# ----------------------------------------------------------------------------- simplify


def _distance_to_polyline(point, line):
    a, b = line[:-1], line[1:]
    ab = b - a
    length2 = (ab * ab).sum(1)
    u = np.clip(((point - a) * ab).sum(1) / np.where(length2 == 0, 1, length2), 0, 1)
    nearest = a + u[:, None] * ab
    return np.sqrt(((point - nearest) ** 2).sum(1)).min()


def test_simplify_keeps_the_turning_points_of_a_run_that_bounces_on_one_line():
    bounce = np.array([[0.0, 0.0], [0.0, 1.0], [0.0, -0.8], [0.0, 0.6], [0.0, 0.0]])
    assert len(simplify(bounce, 0.01)) == 5


def test_simplify_keeps_every_corner_of_a_zig_zag_and_drops_straight_runs():
    zig_zag = np.column_stack([np.arange(50) * 0.1, np.where(np.arange(50) % 2, 0.3, -0.3)])
    assert len(simplify(zig_zag, 0.002)) == 50
    line = np.column_stack([np.linspace(0, 1, 200), np.linspace(0, 2, 200)])
    assert simplify(line, 0.002).tolist() == [0, 199]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-5, 5, allow_nan=False), st.floats(-5, 5, allow_nan=False)), min_size=1, max_size=60
    ),
    st.floats(1e-4, 0.5),
)
def test_simplify_stays_within_its_tolerance(points, tolerance):
    points = np.array(points)
    kept = simplify(points, tolerance)
    assert kept[0] == 0 and kept[-1] == len(points) - 1 and np.all(np.diff(kept) > 0)
    if len(kept) > 1:
        for point in points:
            assert _distance_to_polyline(point, points[kept]) <= tolerance * (1 + 1e-9) + 1e-12


# ----------------------------------------------------------------------------- widgets and URL


def test_log_choices_read_like_lecture_numbers_and_keep_extra_values():
    choices = log_choices(1e-4, 10.0, extra=(0.025,))
    assert choices[0] == 1e-4 and choices[-1] == 10.0
    assert {0.01, 0.015, 0.02, 0.03, 0.05, 0.07, 0.025} <= set(choices)
    assert choices == sorted(choices)


def test_linear_steps_hit_the_ends_and_the_defaults():
    assert linear_step(0.0, 0.9999, 0.9, 0.999) == pytest.approx(1e-4)
    assert linear_step(0.0, 0.999, 0.9) == pytest.approx(1e-3)
    assert linear_step(-90, 90, 0) == pytest.approx(1.0)


def test_the_plain_dicts_are_what_the_built_figure_writes(default_run):
    lazy = trajectory_figure(*default_run, max_frames=12)
    built = trajectory_figure(*default_run, max_frames=12)
    assert built.layout.meta["moving_traces"]  # any plotly use builds the figure
    assert json.loads(lazy.to_json()) == json.loads(built.to_json())
    assert lazy.__dict__["_raw"] is not None  # to_json did not build it
    built.update_layout(height=500)
    assert built.to_dict()["layout"]["height"] == 500


def test_copies_and_pickles_of_the_figure_are_the_same_figure(default_run):
    fig = trajectory_figure(*default_run, max_frames=12)
    expected = json.loads(fig.to_json())
    for twin in (copy.copy(fig), copy.deepcopy(fig), pickle.loads(pickle.dumps(fig))):
        assert json.loads(twin.to_json()) == expected
    validated = json.loads(go.Figure(fig).to_json())  # plotly normalises the layout it validates
    assert validated["data"] == expected["data"] and len(validated["frames"]) == len(expected["frames"])


def test_changing_what_to_dict_returned_leaves_the_figure_alone(default_run):
    fig = trajectory_figure(*default_run, max_frames=12)
    spec = fig.to_dict()
    spec["layout"]["height"] = 1
    spec["data"].clear()
    assert fig.to_dict()["layout"]["height"] != 1 and len(fig.data) == len(trajectory_figure(*default_run, max_frames=12).data)


def test_to_dict_of_a_built_figure_does_not_build_its_frames(default_run):
    fig = trajectory_figure(*default_run, max_frames=12)
    fig.update_layout(title_text="three minima")
    spec = fig.to_dict()
    assert spec["layout"]["title"]["text"] == "three minima" and len(spec["frames"]) == 12
    assert fig.__dict__["_raw_frames"] is not None  # still plain dicts


def test_simplify_keeps_everything_below_a_negative_tolerance():
    points = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 1.0]])
    assert simplify(points, -5.0).tolist() == [0, 1, 2, 3]
