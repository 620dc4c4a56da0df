"""The batch size of a scene's optimizer entry (issue 14): ``None`` (written ``full`` on a
command line) is the full batch and the default, a number b mini-batches of b examples.

References: plain gradient descent written out here with the surface's full gradient, and
the core's ``run`` called directly with the batch size the scene should pass on.
"""

from __future__ import annotations

import numpy as np
import pytest

from optimizers import get_optimizer, run
from scene import (
    OptimizerEntry,
    Scene,
    entry_label,
    entry_labels,
    run_scene,
    scene_from_text,
    scene_to_text,
)
from surfaces import get_surface
from tests.test_scene import verdicts

SGD = {"name": "sgd", "hparams": {"lr": 0.05}}


def test_a_data_surface_runs_full_batch_gradient_descent_by_default():
    scene = Scene("data_linreg", surface_params=(("standardize", 1.0),), steps=40, optimizers=(OptimizerEntry.of("sgd", lr=0.1),))
    assert scene.optimizers[0].batch_size is None
    surface, (trajectory,) = run_scene(scene)
    point = np.array(surface.default_start, dtype=float)
    expected = [point]
    for _ in range(40):
        point = point - 0.1 * surface.grad(point)
        expected.append(point)
    np.testing.assert_allclose(trajectory.points[:, 0], np.array(expected), rtol=0, atol=1e-12)
    assert trajectory.steps_per_epoch == 1  # every step is an epoch


def test_a_number_below_n_draws_mini_batches_and_the_scene_passes_it_on():
    entry = OptimizerEntry.of("sgd", lr=0.05)
    scene = Scene("data_logreg", steps=30, seed=3, optimizers=(OptimizerEntry("sgd", entry.hparams, batch_size=10),))
    surface, (trajectory,) = run_scene(scene)
    direct = run(get_optimizer("sgd", lr=0.05), surface, surface.default_start, steps=30, seed=3, batch_size=10)
    np.testing.assert_array_equal(trajectory.points, direct.points)
    assert trajectory.steps_per_epoch == 10  # 100 flowers in batches of 10
    full = run_scene(Scene("data_logreg", steps=30, seed=3, optimizers=(entry,)))[1][0]
    assert np.abs(trajectory.points - full.points).max() > 1e-3  # the batches change the path


@pytest.mark.parametrize("written", ["full", None, 150, 400])
def test_every_way_of_writing_the_full_batch_is_one_scene(written):
    data = {"surface": "data_linreg", "optimizers": [{**SGD, "batch_size": written}]}
    found = verdicts(data)
    assert found["json"] == found["url"] == found["cli"], found
    scene = found["json"]
    assert isinstance(scene, Scene) and scene.optimizers[0].batch_size is None  # 150 flowers: 150 is the full batch
    assert "batch_size" not in scene_to_text(scene)  # the default stays out of the URL
    assert scene == Scene("data_linreg", optimizers=(OptimizerEntry.of("sgd", lr=0.05),))


def test_a_mini_batch_round_trips_through_every_door():
    found = verdicts({"surface": "data_tanh", "optimizers": [{**SGD, "batch_size": 8}]})
    assert found["json"] == found["url"] == found["cli"], found
    assert found["json"].optimizers[0].batch_size == 8
    assert scene_from_text(scene_to_text(found["json"])) == found["json"]


@pytest.mark.parametrize("written", ["half", 0, 2.5, -3])
def test_a_bad_batch_size_names_the_full_batch_word_at_every_door(written):
    found = verdicts({"surface": "data_linreg", "optimizers": [{**SGD, "batch_size": written}]})
    for door, verdict in found.items():
        assert isinstance(verdict, str), (door, verdict)
        assert f"Invalid batch_size: {written}" in verdict and "or 'full' for the full batch" in verdict, (door, verdict)


def test_the_noise_model_on_an_analytic_surface_still_works():
    """No mini-batches: the noise model's sigma is the noise of each step (as batch 1 was);
    a batch of b shrinks it to sigma / sqrt(b), as before."""
    surface = get_surface("three_minima")
    for batch in (None, 1, 16):
        scene = Scene("three_minima", steps=50, seed=5, optimizers=(OptimizerEntry("sgd", (("lr", 0.02),), noise=3.0, batch_size=batch),))
        (trajectory,) = run_scene(scene)[1]
        direct = run(get_optimizer("sgd", lr=0.02), surface, surface.default_start, steps=50, seed=5, noise=3.0, batch_size=batch or 1)
        np.testing.assert_array_equal(trajectory.points, direct.points)


def test_with_the_noise_model_on_a_batch_of_n_is_kept():
    """On a data surface with noise on, the number divides the noise too, so it stays."""
    scene = Scene("data_linreg", optimizers=(OptimizerEntry("sgd", (("lr", 0.05),), noise=1.0, batch_size=150),))
    assert scene.optimizers[0].batch_size == 150


def test_the_legend_names_a_mini_batch_and_not_the_full_batch():
    assert "batch" not in entry_label(OptimizerEntry.of("sgd", lr=0.1), "en")
    assert entry_label(OptimizerEntry("sgd", (("lr", 0.1),), batch_size=8), "en").endswith("[batch 8]")
    assert entry_label(OptimizerEntry("sgd", (("lr", 0.1),), batch_size=8), "zh").endswith("[批量 8]")
    assert entry_label(OptimizerEntry("sgd", (("lr", 0.1),), noise=2.0), "en").endswith("[noise 2]")
    assert entry_label(OptimizerEntry("sgd", (("lr", 0.1),), noise=2.0, batch_size=4), "en").endswith("[noise 2, batch 4]")


def test_the_full_batch_is_named_beside_runs_on_mini_batches():
    full, one = OptimizerEntry.of("sgd", lr=0.1), OptimizerEntry("sgd", (("lr", 0.1),), batch_size=1)
    assert entry_labels((full, one), "en") == ["SGD (lr=0.1) [full batch]", "SGD (lr=0.1) [batch 1]"]
    assert entry_labels((full, one), "zh")[0].endswith("[全批量]")
    assert entry_labels((full, OptimizerEntry.of("adam", lr=0.1)), "en") == ["SGD (lr=0.1)", "Adam (lr=0.1)"]  # no batches: not said
