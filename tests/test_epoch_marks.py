"""Epoch boundaries on the curves beside the map (issue 14): a run with mini-batches on a
data surface marks the steps where a pass over the examples ends, when an epoch is shorter
than the run and the marks are few; the full batch, an analytic surface or a fence of marks
get none. Reference: ceil(N / b) steps per epoch, counted here from the dataset's size."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import pytest

from scene import OptimizerEntry, Scene, run_scene, scene_to_text
from tests.conftest import READY
from viz.browser import MAX_EPOCH_MARKS, map_data

SGD = OptimizerEntry.of("sgd", lr=0.05)


def _epochs_per_run(scene: Scene) -> list[list[int]]:
    surface, trajectories = run_scene(scene)
    panels = map_data(scene, surface, trajectories)["curves"]
    found = [[curve["epochs"] for curve in panel["curves"]] for panel in panels]
    assert all(marks == found[0] for marks in found), found  # every panel marks the same steps
    return found[0]


def _with_batches(surface: str, steps: int, *batches: int | None, **params: float) -> Scene:
    return Scene(surface, tuple(params.items()), steps=steps, optimizers=tuple(
        OptimizerEntry("sgd", SGD.hparams, batch_size=b) for b in batches))


def test_each_run_marks_where_its_epochs_end():
    # iris, all 150 flowers: batch 1 ends an epoch every 150 steps, batch 40 every 4, batch 75 every 2
    scene = _with_batches("data_linreg", 40, None, 1, 40, 75, standardize=1.0)
    full, sgd, forty, seventy_five = _epochs_per_run(scene)
    n = 150
    assert full == []  # the full batch: every step is an epoch, nothing to mark
    assert sgd == []  # one epoch is longer than the 40-step run
    assert forty == list(range(math.ceil(n / 40), 40, math.ceil(n / 40)))  # 4, 8, ..., 36
    assert len(seventy_five) == 19 <= MAX_EPOCH_MARKS and seventy_five[:2] == [2, 4]


def test_too_many_epochs_are_not_marked():
    (marks,) = _epochs_per_run(_with_batches("data_logreg", 300, 10))  # 100 flowers: 29 boundaries
    assert 300 // math.ceil(100 / 10) - 1 > MAX_EPOCH_MARKS and marks == []


def test_an_analytic_surface_has_no_epochs():
    marks = _epochs_per_run(Scene("three_minima", steps=50, optimizers=(OptimizerEntry("sgd", SGD.hparams, noise=2.0, batch_size=4),)))
    assert marks == [[]]


@pytest.mark.browser
def test_the_browser_draws_the_epoch_marks_in_the_runs_colours(page, app_url):
    scene = _with_batches("data_linreg", 60, None, 50, standardize=1.0)  # batch 50: an epoch every 3 steps, 19 marks
    surface, trajectories = run_scene(scene)
    data = map_data(scene, surface, trajectories)
    page.set_viewport_size({"width": 1500, "height": 1100})
    page.goto(f"{app_url}/?{urlencode({'s': scene_to_text(scene)})}")
    page.wait_for_selector(".st-key-trajectory_map .otv-curve", timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    marks = page.locator(".st-key-trajectory_map .otv-epoch")
    assert marks.count() == 19 * len(data["curves"])
    assert {marks.nth(k).get_attribute("stroke") for k in range(marks.count())} == {data["runs"][1]["color"]}
    xs = sorted({float(marks.nth(k).get_attribute("x1")) for k in range(19)})
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert max(gaps) - min(gaps) < 0.01 * max(gaps)  # evenly spaced: one every 3 steps
