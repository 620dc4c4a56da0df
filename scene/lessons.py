"""Lessons: named scenes a lecturer opens in the app or exports from the command line. Their
titles and captions are in the catalogue (assets/i18n/lessons.json)."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import LANGUAGES, t
from .model import OptimizerEntry, Scene

E = OptimizerEntry.of


@dataclass(frozen=True)
class Preset:
    key: str
    scene: Scene

    @property
    def title(self) -> dict[str, str]:
        return {lang: t(f"lessons.{self.key}_title", lang) for lang in LANGUAGES}

    @property
    def description(self) -> dict[str, str]:
        return {lang: t(f"lessons.{self.key}_description", lang) for lang in LANGUAGES}


def _lesson(surface: str, **settings) -> Scene:
    """A lesson's scene: its view framed on the paths and minima (``bounds="fit"``), so the
    action fills the picture."""
    return Scene(surface, bounds="fit", **settings)


def _four(sgd_lr: float, momentum_lr: float, rmsprop_lr: float, adam_lr: float) -> tuple[OptimizerEntry, ...]:
    """Seed 002's line-up: SGD, Momentum, RMSProp and Adam racing."""
    return (E("sgd", lr=sgd_lr), E("momentum", lr=momentum_lr), E("rmsprop", lr=rmsprop_lr), E("adam", lr=adam_lr))


def _batched(lr: float, batch_size: int) -> OptimizerEntry:
    """SGD on mini-batches of ``batch_size`` examples of a data surface."""
    return OptimizerEntry("sgd", (("lr", lr),), batch_size=batch_size)


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            "three_minima",
            # SGD settles in the top low by step 170, the others by 100: 200 steps keep the
            # animation busy to the end instead of showing a still picture for half of it.
            _lesson("three_minima", steps=200, optimizers=_four(0.05, 0.05, 0.01, 0.05)),
        ),
        Preset(
            "saddle",
            # The quartic wall turns the escape into two minima, so escaping runs stay in
            # view; from y = 1e-3 SGD's escape grows only by (1 + lr) per step and is still
            # at the saddle after 200 steps, while momentum overshoots it and escapes.
            _lesson("saddle_quartic", steps=200, optimizers=_four(0.02, 0.02, 0.02, 0.05)),
        ),
        Preset(
            "ravine",
            # Started 0.2 above the floor where the valley is steepest across (x = -3:
            # curvature 20 (1 + cos^2 x) ~ 40), with SGD's rate just under its stability
            # limit 2 / 40: every step overshoots the floor and the next comes back, a
            # zig-zag that dies out only slowly. Momentum and the adaptive steps slide down to
            # the floor and along it. (From the surface's own start, at a rate near the limit,
            # SGD made one large kink where the curvature peaks; from 0.6 above the floor
            # momentum swung across too, and RMSProp at 0.02 zig-zags here.)
            _lesson("ravine", start=(-3.0, 0.06), steps=300, optimizers=_four(0.049, 0.01, 0.01, 0.1)),
        ),
        Preset(
            "long_valley",
            _lesson("rosenbrock", steps=500, optimizers=(E("sgd", lr=1e-3), E("momentum", lr=1e-3), E("nesterov", lr=1e-3), E("adagrad", lr=0.5), E("adadelta", lr=1.0), E("rmsprop", lr=0.01))),
        ),
        Preset(
            "beale",
            # Momentum, Nesterov and AdaGrad reach f < 0.002 by step 500; plain SGD at
            # momentum's rate is still on the flat shelf at f ~ 0.3. (RMSProp, 0.02, and
            # Adadelta, 0.13, are slower too: the caption no longer says adaptive methods win.)
            _lesson("beale", steps=500, optimizers=(E("sgd", lr=1e-3), E("momentum", lr=1e-3), E("nesterov", lr=1e-3), E("adagrad", lr=0.5), E("adadelta", lr=1.0), E("rmsprop", lr=0.01))),
        ),
        Preset(
            "adam_bias_correction",
            _lesson("elongated_bowl", steps=150, optimizers=(E("adam", lr=0.1), E("adam", lr=0.1, bias_correction=False))),
        ),
        Preset(
            "adagrad_stalls",
            # Equal first steps, 0.2 per coordinate: AdaGrad's is lr * g / |g|, RMSProp's
            # lr * g / sqrt((1 - alpha) g^2) = 10 lr with alpha = 0.99.
            _lesson("ravine", steps=500, optimizers=(E("adagrad", lr=0.2), E("rmsprop", lr=0.02))),
        ),
        Preset(
            "newton_saddle",
            # On the bounded saddle the saddle-free run ends in a minimum instead of being
            # reported as diverged, which would read as a failure.
            _lesson("saddle_quartic", steps=50, optimizers=(E("newton", lr=0.5), E("newton", lr=0.5, saddle_free=True), E("sgd", lr=0.05))),
        ),
        Preset(
            "bigger_batch",
            _lesson(
                "elongated_bowl", steps=200,
                optimizers=(
                    OptimizerEntry("sgd", (("lr", 0.02),), noise=4.0, batch_size=1),
                    OptimizerEntry("sgd", (("lr", 0.02),), noise=4.0, batch_size=16),
                    OptimizerEntry("sgd", (("lr", 0.08),), noise=4.0, batch_size=64),
                ),
            ),
        ),
        Preset(
            "batch_sgd_minibatch",
            # Seed 002's picture on iris (petal width against the standardized petal length,
            # a round bowl): the same rate, three batch sizes. 200 steps: SGD's run is one
            # epoch and a third, the mini-batch run 13 epochs.
            _lesson(
                "data_linreg", surface_params=(("standardize", 1.0),), steps=200,
                optimizers=(E("sgd", lr=0.1), _batched(0.1, 1), _batched(0.1, 10)),
            ),
        ),
        Preset(
            "linear_scaling",
            # Seed 003's linear scaling rule: 16 times the batch, 16 times the rate.
            _lesson(
                "data_linreg", surface_params=(("standardize", 1.0),), steps=200,
                optimizers=(_batched(0.01, 1), _batched(0.16, 16), _batched(0.16, 1)),
            ),
        ),
        Preset(
            "feature_scaling",
            # Raw petal lengths (cm): curvatures 36.1 and 0.34, so the rate must stay under
            # 2 / 36.1 = 0.055; the caption compares the same run on the standardized feature.
            _lesson("data_linreg", steps=60, optimizers=(E("sgd", lr=0.05),)),
        ),
    )
}


def lesson_of(scene: Scene | None) -> Preset | None:
    """The lesson ``scene`` is, if it is one (scenes are canonical, so equal settings match)."""
    return next((p for p in PRESETS.values() if p.scene == scene), None) if scene is not None else None


def get_preset(key: str) -> Preset:
    if key not in PRESETS:
        raise ValueError(f"Unknown preset {key!r}; valid: {', '.join(PRESETS)}")
    return PRESETS[key]
