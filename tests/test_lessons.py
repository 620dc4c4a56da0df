"""Every lesson's caption is a claim, checked on the numbers of the lesson's own run.

A lecturer reads the caption aloud while the picture plays, so each lesson has one test
here that computes, from its run, what its caption says (which valley each optimizer ends
in, the distance to the saddle, the zig-zags across the valley, ...). Each claim also names
the words of the caption it checks, in English and in Chinese: reword a caption and its test
asks for a look at the numbers again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from scene import PRESETS, run_scene
from scene.i18n import LANGUAGES

ZIGZAG_VISIBLE = 0.03  # a swing across the valley this large (in y) is a few pixels on a slide


def _runs(key: str):
    surface, trajectories = run_scene(PRESETS[key].scene)
    return surface, [tr.points[:, 0, :] for tr in trajectories], [tr.losses[:, 0] for tr in trajectories]


def _nearest_minimum(surface, point) -> tuple[int, float]:
    distances = np.linalg.norm(np.asarray(surface.minima) - point, axis=1)
    return int(distances.argmin()), float(distances.min())


def _saddle(surface) -> np.ndarray:
    """The surface's saddle point: the stationary point at the origin with an indefinite Hessian."""
    point = np.zeros(2)
    assert np.linalg.norm(surface.grad(point)) < 1e-12
    eigenvalues = np.linalg.eigvalsh(surface.hessian(point))
    assert eigenvalues.min() < 0 < eigenvalues.max()
    return point


def _step_lengths(points: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.diff(points, axis=0), axis=1)


def _visible_zigzags(points: np.ndarray, bend: float) -> int:
    """Crossings of the valley floor: sign changes of the cross-valley coordinate
    y - bend sin x where both sides are visible (a swing that stays on one side of the
    floor, as momentum's first steps down the wall, is not a zig-zag across it)."""
    across = points[:, 1] - bend * np.sin(points[:, 0])
    visible = np.minimum(np.abs(across[1:]), np.abs(across[:-1])) > ZIGZAG_VISIBLE
    return int(np.count_nonzero((across[1:] * across[:-1] < 0) & visible))


def three_minima() -> None:
    surface, paths, _ = _runs("three_minima")
    ends = [_nearest_minimum(surface, path[-1]) for path in paths]
    assert all(distance < 0.01 for _, distance in ends), ends  # every run ends in a low
    assert len({index for index, _ in ends}) == 3, ends  # SGD, Momentum, and RMSProp/Adam: three lows


def saddle() -> None:
    surface, paths, _ = _runs("saddle")
    sgd, *others = paths
    assert np.linalg.norm(sgd[-1] - _saddle(surface)) < 0.1  # SGD: 0.058 from the saddle at step 200
    for path in others:  # Momentum, RMSProp, Adam: in a minimum
        assert _nearest_minimum(surface, path[-1])[1] < 0.01


def ravine() -> None:
    surface, paths, _ = _runs("ravine")
    bend = dict(surface.params)["bend"]
    sgd, momentum, rmsprop, adam = (_visible_zigzags(path, bend) for path in paths)
    assert sgd >= 15, sgd  # 20 visible zig-zags across the floor
    assert max(momentum, rmsprop, adam) <= 1, (momentum, rmsprop, adam)  # one crossing at most
    for path in paths[1:]:  # after the first 60 steps they keep to the floor
        across = path[60:, 1] - bend * np.sin(path[60:, 0])
        assert np.abs(across).max() < 0.05


def long_valley() -> None:
    surface, paths, _ = _runs("long_valley")
    minimum = np.asarray(surface.minima[0])
    steps = len(paths[0]) - 1
    for path in paths:
        off_floor = np.abs(path[:, 1] - path[:, 0] ** 2)  # the valley floor is y = x^2
        on_floor = int(np.argmax(off_floor < 0.1 * off_floor[0]))
        assert 0 < on_floor <= 0.15 * steps, on_floor  # fast down the wall: 2 to 64 of 500 steps
        assert np.linalg.norm(path[on_floor] - minimum) > 1.9  # ... landing far from the minimum
        assert np.linalg.norm(path[-1] - minimum) > 0.05  # slow along the floor: nobody is there at 500


def beale() -> None:
    surface, paths, losses = _runs("beale")
    final = {name: float(loss[-1]) for name, loss in zip(("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop"), losses, strict=True)}
    assert max(final, key=final.get) == "sgd", final  # SGD crawls: the highest loss (0.29)
    for name in ("momentum", "nesterov", "adagrad"):  # these reach the minimum (f ~ 0.0013)
        assert final[name] < 0.002 and final["sgd"] > 100 * final[name], final
    assert all(_nearest_minimum(surface, paths[k][-1])[1] < 0.1 for k in (1, 2, 3))


def adam_bias_correction() -> None:
    _, (corrected, uncorrected), _ = _runs("adam_bias_correction")
    first_corrected, first_uncorrected = _step_lengths(corrected)[0], _step_lengths(uncorrected)[0]
    assert first_corrected == pytest.approx(0.1 * np.sqrt(2))  # lr per coordinate, as designed
    # Uncorrected: (1 - beta1) / sqrt(1 - beta2) = 3.16 times too large a first step.
    assert first_uncorrected / first_corrected == pytest.approx(0.1 / np.sqrt(0.001), rel=1e-3)


def adagrad_stalls() -> None:
    _, (adagrad, rmsprop), (adagrad_loss, rmsprop_loss) = _runs("adagrad_stalls")
    adagrad_steps, rmsprop_steps = _step_lengths(adagrad), _step_lengths(rmsprop)
    assert adagrad_steps[0] == pytest.approx(rmsprop_steps[0], rel=1e-6)  # same first step
    half = len(adagrad_steps) // 2
    assert adagrad_steps[-1] < 0.01 * adagrad_steps[0]  # AdaGrad's steps die out
    assert adagrad_steps[half:].sum() < rmsprop_steps[half:].sum() / 3  # 0.77 against 2.62
    assert adagrad_loss[-1] > 5 * rmsprop_loss[-1]  # 0.26 against 0.043


def newton_saddle() -> None:
    surface, (newton, saddle_free, _sgd), _ = _runs("newton_saddle")
    assert np.linalg.norm(newton[-1] - _saddle(surface)) < 1e-6  # Newton sits on the saddle
    assert _nearest_minimum(surface, saddle_free[-1])[1] < 1e-3  # saddle-free Newton escapes


def bigger_batch() -> None:
    _, _, (batch_1, batch_16, batch_64) = _runs("bigger_batch")
    tail = slice(-50, None)  # the last 50 steps: the noise floor each run settles to
    assert batch_1[tail].mean() > 4 * batch_16[tail].mean()  # same rate, 16 times the batch: 0.19 against 0.007
    assert batch_64[tail].mean() < batch_1[tail].mean() / 4  # four times the rate, still lower: 0.011


def _path_ratio(path: np.ndarray, minimum: np.ndarray) -> float:
    """The length of a path over the straight line from its start to the minimum."""
    return float(_step_lengths(path).sum() / np.linalg.norm(path[0] - minimum))


def batch_sgd_minibatch() -> None:
    surface, paths, losses = _runs("batch_sgd_minibatch")
    minimum, floor = np.asarray(surface.minima[0]), float(surface.f(surface.minima[0]))
    assert surface.n_examples == 150  # all 150 flowers: the batch run takes every one each step
    full, sgd, mini = (_path_ratio(path, minimum) for path in paths)
    assert full < 1.001  # batch GD: a straight path (1.000)
    assert np.diff(losses[0]).max() <= 1e-12  # ... its loss falling at every step (to rounding)
    assert round(sgd) == 4, sgd  # SGD's path: 4.28 times the straight line
    tail = slice(-50, None)
    sgd_jitter, mini_jitter = (float(loss[tail].mean()) - floor for loss in losses[1:])
    assert sgd_jitter > 1e-3 and _step_lengths(paths[1][tail]).mean() > 0.05  # never settles: 0.0083 above the floor
    assert full < mini < sgd and 0 < mini_jitter < sgd_jitter / 5, (mini, mini_jitter, sgd_jitter)  # in between: 1.91, 0.00067


def _within(path: np.ndarray, minimum: np.ndarray, distance: float) -> int:
    """The first step at which ``path`` is within ``distance`` of ``minimum``."""
    close = np.linalg.norm(path - minimum, axis=1) < distance
    assert close.any()
    return int(np.argmax(close))


def linear_scaling() -> None:
    surface, (small_slow, big_fast, small_fast), _ = _runs("linear_scaling")
    minimum = np.asarray(surface.minima[0])
    rates_and_batches = [(dict(e.hparams)["lr"], e.batch_size) for e in PRESETS["linear_scaling"].scene.optimizers]
    assert rates_and_batches == [(0.01, 1), (0.16, 16), (0.16, 1)]  # 16 times the batch, 16 times the rate
    steps_big, steps_small = _within(big_fast, minimum, 0.1), _within(small_slow, minimum, 0.1)
    assert steps_big == 10, steps_big  # within 0.1 of the minimum in 10 steps
    assert 12 <= steps_small / steps_big <= 22, steps_small  # 175 steps: about 16 times as many
    assert _within(small_fast, minimum, 0.1) <= 2 * steps_big  # batch 1 at 0.16: as fast (14 steps) ...
    tail = slice(-50, None)
    off_small, off_big = (np.linalg.norm(path[tail] - minimum, axis=1).mean() for path in (small_fast, big_fast))
    assert 3.5 <= off_small / off_big < 6, off_small / off_big  # ... but 4.6 times as far off (0.111 against 0.024)


def feature_scaling() -> None:
    scene = PRESETS["feature_scaling"].scene
    raw, (raw_run,) = run_scene(scene)
    scaled, (scaled_run,) = run_scene(replace(scene, surface_params=(("standardize", 1.0),)))
    curvatures = np.linalg.eigvalsh(raw.hessian(raw.minima[0]))
    assert round(curvatures[1] / curvatures[0]) == 105  # the stretched bowl
    assert np.allclose(np.linalg.eigvalsh(scaled.hessian(scaled.minima[0])), 2.0)  # standardized: round
    assert scene.steps == 60
    raw_off = np.linalg.norm(raw_run.points[-1, 0] - raw.minima[0])
    assert round(raw_off, 2) == 0.31, raw_off  # still 0.31 from the minimum after 60 steps
    assert np.linalg.norm(scaled_run.points[-1, 0] - scaled.minima[0]) < 0.01  # the same rate: within 0.01 (0.0057)


# lesson -> (check, words of its caption the check is about, per language)
CLAIMS: dict[str, tuple[Callable[[], None], dict[str, tuple[str, ...]]]] = {
    "three_minima": (three_minima, {"en": ("valley", "depends on the optimizer"), "zh": ("低地", "取决于优化器")}),
    "saddle": (saddle, {"en": ("SGD stalls at the saddle", "momentum", "adaptive", "escape"), "zh": ("SGD 停在鞍点", "动量", "自适应", "逃离")}),
    "ravine": (ravine, {"en": ("SGD zig-zags", "momentum", "adaptive", "follow"), "zh": ("SGD", "来回振荡", "动量", "自适应", "沿谷底")}),
    "long_valley": (long_valley, {"en": ("fast down the wall", "slow along the floor"), "zh": ("下坡快", "沿谷底慢")}),
    "beale": (beale, {"en": ("SGD crawls", "momentum, Nesterov and AdaGrad reach the minimum"), "zh": ("SGD", "缓慢爬行", "动量法、Nesterov 与 AdaGrad 能到达最小值")}),
    "adam_bias_correction": (adam_bias_correction, {"en": ("first steps are the wrong size",), "zh": ("前几步的步长是错的",)}),
    "adagrad_stalls": (adagrad_stalls, {"en": ("Same first step", "steps die out", "RMSProp forgets"), "zh": ("第一步相同", "步长逐渐消失", "RMSProp 会遗忘")}),
    "newton_saddle": (newton_saddle, {"en": ("even a saddle", "saddle-free Newton escapes"), "zh": ("哪怕是鞍点", "无鞍点牛顿法能逃离")}),
    "bigger_batch": (bigger_batch, {"en": ("noise shrinks", "larger batch tolerates a larger step"), "zh": ("缩小", "更大的批量可以用更大的步长")}),
    "batch_sgd_minibatch": (batch_sgd_minibatch, {
        "en": ("all 150 flowers", "straight path", "the loss falling at every step", "4 times as long", "never settles", "in between"),
        "zh": ("全部 150 朵花", "路径笔直", "损失每一步都下降", "长 4 倍", "停不下来", "介于两者之间"),
    }),
    "linear_scaling": (linear_scaling, {
        "en": ("16 times the batch, 16 times the rate", "within 0.1 of the minimum in 10 steps", "16 times as many", "as fast", "4 times as far off"),
        "zh": ("批量增大 16 倍，学习率也增大 16 倍", "10 步", "0.1 以内", "16 倍的步数", "一样快", "4 倍远"),
    }),
    "feature_scaling": (feature_scaling, {
        "en": ("stretch the bowl", "105:1", "60 steps", "0.31 from the minimum", "Standardize", "within 0.01"),
        "zh": ("拉长", "105:1", "60 步", "0.31", "标准化", "0.01 以内"),
    }),
}


def test_every_lesson_has_a_checked_claim():
    assert set(CLAIMS) == set(PRESETS)


@pytest.mark.parametrize("key", list(CLAIMS))
def test_lesson_claim_holds_on_its_run(key):
    CLAIMS[key][0]()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", list(CLAIMS))
def test_caption_says_what_its_test_checks(key, lang):
    caption = PRESETS[key].description[lang]
    for words in CLAIMS[key][1][lang]:
        assert words in caption, f"{key} ({lang}): the caption no longer says {words!r}; check its claim again"


def test_lessons_frame_their_action():
    assert all(preset.scene.bounds == "fit" for preset in PRESETS.values())
