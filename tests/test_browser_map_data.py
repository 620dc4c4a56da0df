"""The browser map's data (``viz.browser.map_data``) is the one picture (``viz.picture``): the
same view, names, colours and diverged labels; every frame's path is the picture's drawn path
up to that frame; the words are in the chosen language; the JSON is small and finite."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hst

from scene import OptimizerEntry, Scene, run_scene
from viz.browser import _rounded, map_data, plain_tick_text
from viz.picture import describe

SCENE = Scene(
    "elongated_bowl", start=(3.9, 2.5), steps=400,
    optimizers=(OptimizerEntry.of("sgd", lr=1.0), OptimizerEntry.of("momentum", lr=0.01), OptimizerEntry.of("adam", lr=0.05)),
)


@pytest.fixture(scope="module")
def runs():
    return run_scene(SCENE)


def test_the_map_shows_the_pictures_view_names_and_marks(runs):
    surface, trajectories = runs
    picture = describe(SCENE, surface, trajectories, "en")
    data = map_data(SCENE, surface, trajectories)
    assert data["bounds"] == [list(pair) for pair in picture.bounds]
    assert [r["label"] for r in data["runs"]] == [r.label for r in picture.runs]
    assert [r["color"] for r in data["runs"]] == [r.color for r in picture.runs]
    assert [r["diverged_text"] for r in data["runs"]] == [r.diverged_text for r in picture.runs]
    assert data["runs"][0]["diverged_at"] >= 0 and data["runs"][0]["diverged_text"].startswith("diverged at step")
    assert data["start"] == pytest.approx(list(picture.start))
    assert [(m["x"], m["y"]) for m in data["minima"]] == [tuple(p) for p in picture.minima.tolist()]


def test_every_frame_draws_the_pictures_path_up_to_that_frame(runs):
    surface, trajectories = runs
    picture = describe(SCENE, surface, trajectories, "en")
    data = map_data(SCENE, surface, trajectories, max_frames=50)
    assert len(data["frames"]) == 50 and data["frames"][0] == 0 and data["frames"][-1] == SCENE.steps
    steps = picture.runs[0].steps.tolist()
    for run, drawn in zip(picture.runs, data["runs"], strict=True):
        for k, step in enumerate(data["frames"]):
            at = drawn["frame_at"][k]
            browser_path = [(drawn["x"][j], drawn["y"][j]) for j in range(at) if drawn["kept"][j]] + [(drawn["x"][at], drawn["y"][at])]
            expected = run.path_until(steps.index(step))
            assert np.allclose(browser_path, expected, rtol=1e-5, atol=1e-9), (run.label, step)


def test_side_by_side_has_a_panel_per_optimizer_with_its_title(runs):
    surface, trajectories = runs
    data = map_data(SCENE, surface, trajectories, layout="side_by_side", lang="zh")
    assert [p["runs"] for p in data["panels"]] == [[0], [1], [2]]
    assert [p["title"] for p in data["panels"]] == describe(SCENE, surface, trajectories, "zh").panel_titles()
    with pytest.raises(ValueError, match="Unknown layout"):
        map_data(SCENE, surface, trajectories, layout="grid")


def test_words_and_curves_in_the_chosen_language(runs):
    surface, trajectories = runs
    data = map_data(SCENE, surface, trajectories, lang="zh")
    assert data["words"]["play"] == "播放" and "起点" in data["words"]["start_handle"]
    assert data["words"]["counter"].replace("{step}", "7") == f"第 7 / {SCENE.steps} 步"
    assert data["curves"][0]["title"] == "损失 f"
    english = map_data(SCENE, surface, trajectories, lang="en")
    assert set(english["words"]) == set(data["words"]) and english["words"]["play"] == "Play"


def test_the_data_is_finite_json_of_modest_size(runs):
    surface, trajectories = runs
    text = json.dumps(map_data(SCENE, surface, trajectories), allow_nan=False)
    numbers = [r for r in json.loads(text)["runs"]]
    assert all(math.isfinite(v) for r in numbers for v in r["x"] + r["y"])
    landscape = len(map_data(SCENE, surface, trajectories)["image"])
    assert len(text) - landscape < 60_000  # paths and curves; the landscape PNG comes once per view


def test_log_tick_labels_are_plain_text():
    assert plain_tick_text(1e-4) == "10⁻⁴"
    assert plain_tick_text(2e-6) == "2·10⁻⁶"
    assert plain_tick_text(0.5) == "0.5"


def test_a_start_fan_path_is_the_run_from_that_start():
    from dataclasses import replace

    from viz.browser import FAN_DIGITS, fan_exact, start_fan

    scene = Scene("three_minima", steps=120, optimizers=(OptimizerEntry.of("sgd", lr=0.05), OptimizerEntry.of("adam", lr=0.05)))
    surface = scene.build_surface()
    assert fan_exact(scene, surface)
    fan = start_fan(scene, surface, ((-3.0, 3.0), (-3.0, 3.0)), size=5, points=10)
    assert fan["xs"] == [-3.0, -1.5, 0.0, 1.5, 3.0] and len(fan["runs"][0]) == 25
    i, j = 3, 1
    _, trajectories = run_scene(replace(scene, start=(fan["xs"][i], fan["ys"][j])))
    for run, trajectory in zip(fan["runs"], trajectories, strict=True):
        path = np.reshape(run[j * 5 + i], (-1, 2))
        assert np.allclose(path[0], trajectory.points[0, 0]) and np.allclose(path[-1], trajectory.points[-1, 0], rtol=10.0**-(FAN_DIGITS - 1))
    noisy = replace(scene, optimizers=(OptimizerEntry("sgd", (("lr", 0.05),), noise=1.0),))
    assert not fan_exact(noisy, surface)  # each row of a batch draws its own noise
    data = Scene("data_linreg", optimizers=(OptimizerEntry.of("sgd", lr=0.05),))
    assert fan_exact(data, data.build_surface())  # the full batch: deterministic
    sampled = replace(data, optimizers=(OptimizerEntry("sgd", (("lr", 0.05),), batch_size=8),))
    assert not fan_exact(sampled, sampled.build_surface())  # mini-batches drawn per start


def test_a_slider_fan_snaps_to_round_values_and_each_path_is_that_run():
    from dataclasses import replace

    from ui.widgets import snap_values as knob_values
    from viz.browser import knob_fan

    assert knob_values(0.001, 0.1, True, 0.05)[:7] == [0.001, 0.0015, 0.002, 0.003, 0.005, 0.007, 0.01]
    assert knob_values(0.0, 0.999, False, 0.9) == [round(0.05 * k, 2) for k in range(20)] + [0.999]
    assert 0.042 in knob_values(0.001, 0.1, True, 0.042)  # the current value stays reachable
    scene = Scene("elongated_bowl", steps=80, optimizers=(OptimizerEntry.of("sgd", lr=0.05), OptimizerEntry.of("adam", lr=0.05)))
    surface = scene.build_surface()
    fan = knob_fan(scene, surface, 1, "betas", 0, [0.0, 0.5, 0.9])
    assert fan["values"] == [0.0, 0.5, 0.9]
    _, trajectories = run_scene(replace(scene, optimizers=(scene.optimizers[0], OptimizerEntry.of("adam", lr=0.05, betas=(0.5, 0.999)))))
    assert np.allclose(np.reshape(fan["paths"][1], (-1, 2))[-1], trajectories[1].points[-1, 0], rtol=1e-3, atol=1e-6)


@pytest.mark.parametrize(("surface", "axes"), [("data_linreg", ["w", "b"]), ("data_logreg", ["w₁", "w₂"]), ("data_tanh", ["w", "v"]), ("saddle", ["x", "y"])])
def test_the_axes_are_named_by_the_surfaces_coordinates(surface, axes):
    scene = Scene(surface, steps=20, optimizers=(OptimizerEntry.of("sgd", lr=0.05),))
    built, trajectories = run_scene(scene)
    assert map_data(scene, built, trajectories)["axes"] == axes
    assert list(describe(scene, built, trajectories).axes) == axes  # the GIF's and Plotly's labels too


@given(hst.lists(hst.floats(allow_nan=False, allow_infinity=False) | hst.decimals(places=7, allow_nan=False, allow_infinity=False).map(float), min_size=1, max_size=50))
def test_rounding_is_the_shortest_decimal_of_six_digits(values):
    # The vectorized rounding equals formatting each number to 6 significant digits.
    assert _rounded(values) == [float(f"{v:.6g}") for v in values]
