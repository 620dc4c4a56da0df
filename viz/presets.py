"""Lecture scenes: named scenes a lecturer opens in the app or exports from the command line."""

from __future__ import annotations

from dataclasses import dataclass

from .scene import OptimizerEntry, Scene

E = OptimizerEntry.of


@dataclass(frozen=True)
class Preset:
    key: str
    title: dict[str, str]
    description: dict[str, str]
    scene: Scene


def _four(sgd_lr: float, momentum_lr: float, rmsprop_lr: float, adam_lr: float) -> tuple[OptimizerEntry, ...]:
    """Seed 002's line-up: SGD, Momentum, RMSProp and Adam racing."""
    return (E("sgd", lr=sgd_lr), E("momentum", lr=momentum_lr), E("rmsprop", lr=rmsprop_lr), E("adam", lr=adam_lr))


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            "three_minima",
            {"en": "Three lows (lecture GIF)", "zh": "三处低地的曲面（讲义动图）"},
            {"en": "Which valley an optimizer ends in depends on the optimizer.", "zh": "优化器最终落入哪个低地，取决于优化器本身。"},
            # SGD settles in the top low by step 170, the others by 100: 200 steps keep the
            # animation busy to the end instead of showing a still picture for half of it.
            Scene("three_minima", steps=200, optimizers=_four(0.05, 0.05, 0.01, 0.05)),
        ),
        Preset(
            "saddle",
            {"en": "Saddle point (lecture GIF)", "zh": "鞍点曲面（讲义动图）"},
            {"en": "SGD stalls at the saddle; momentum and adaptive methods escape.", "zh": "SGD 停在鞍点附近；动量与自适应方法能逃离。"},
            # The quartic wall turns the escape into two minima, so escaping runs stay in
            # view; from y = 1e-3 SGD's escape grows only by (1 + lr) per step and is still
            # at the saddle after 200 steps, while momentum overshoots it and escapes.
            Scene("saddle_quartic", steps=200, optimizers=_four(0.02, 0.02, 0.02, 0.05)),
        ),
        Preset(
            "ravine",
            {"en": "Ravine (lecture GIF)", "zh": "峡谷地貌（讲义动图）"},
            {"en": "SGD zig-zags across the narrow valley; momentum and adaptive steps follow it.", "zh": "SGD 在窄谷中来回振荡；动量与自适应方法沿谷底前进。"},
            # SGD's rate sits near the stability limit of the steep direction, so it
            # zig-zags where the valley bends; below it SGD would just crawl along the floor.
            Scene("ravine", steps=300, optimizers=_four(0.06, 0.01, 0.02, 0.1)),
        ),
        Preset(
            "long_valley",
            {"en": "Long valley (Radford)", "zh": "狭长山谷（Radford）"},
            {"en": "Rosenbrock's banana valley: fast down the wall, slow along the floor.", "zh": "Rosenbrock 香蕉形山谷：下坡快，沿谷底慢。"},
            Scene("rosenbrock", steps=500, optimizers=(E("sgd", lr=1e-3), E("momentum", lr=1e-3), E("nesterov", lr=1e-3), E("adagrad", lr=0.5), E("adadelta", lr=1.0), E("rmsprop", lr=0.01))),
        ),
        Preset(
            "beale",
            {"en": "Beale's function (Radford)", "zh": "Beale 函数（Radford）"},
            {"en": "Very different curvature in different places: adaptive methods cope better.", "zh": "不同位置曲率差异极大：自适应方法更能应对。"},
            Scene("beale", steps=500, optimizers=(E("sgd", lr=1e-3), E("momentum", lr=1e-3), E("nesterov", lr=1e-3), E("adagrad", lr=0.5), E("adadelta", lr=1.0), E("rmsprop", lr=0.01))),
        ),
        Preset(
            "adam_bias_correction",
            {"en": "Why Adam needs bias correction", "zh": "为什么 Adam 需要偏差修正"},
            {"en": "Without correction the moments start at zero and the first steps are the wrong size.", "zh": "不做修正时矩估计从零开始，前几步的步长是错的。"},
            Scene("elongated_bowl", steps=150, optimizers=(E("adam", lr=0.1), E("adam", lr=0.1, bias_correction=False))),
        ),
        Preset(
            "adagrad_stalls",
            {"en": "AdaGrad stalls", "zh": "AdaGrad 停滞"},
            {"en": "Same first step; AdaGrad's sum of squared gradients only grows, so its steps die out, while RMSProp forgets.", "zh": "第一步相同；AdaGrad 的平方梯度和只增不减，步长逐渐消失，而 RMSProp 会遗忘。"},
            # Equal first steps, 0.2 per coordinate: AdaGrad's is lr * g / |g|, RMSProp's
            # lr * g / sqrt((1 - alpha) g^2) = 10 lr with alpha = 0.99.
            Scene("ravine", steps=500, optimizers=(E("adagrad", lr=0.2), E("rmsprop", lr=0.02))),
        ),
        Preset(
            "newton_saddle",
            {"en": "Newton runs to the saddle", "zh": "牛顿法奔向鞍点"},
            {"en": "Newton's method jumps to the nearest stationary point, even a saddle; saddle-free Newton escapes.", "zh": "牛顿法跳向最近的驻点，哪怕是鞍点；无鞍点牛顿法能逃离。"},
            # On the bounded saddle the saddle-free run ends in a minimum instead of being
            # reported as diverged, which would read as a failure.
            Scene("saddle_quartic", steps=50, optimizers=(E("newton", lr=0.5), E("newton", lr=0.5, saddle_free=True), E("sgd", lr=0.05))),
        ),
        Preset(
            "bigger_batch",
            {"en": "Bigger batch, bigger learning rate", "zh": "更大的批量，更大的学习率"},
            {"en": "Mini-batch noise shrinks as 1/batch size, so a larger batch tolerates a larger step.", "zh": "小批量噪声的方差按 1/批量大小 缩小，所以更大的批量可以用更大的步长。"},
            Scene(
                "elongated_bowl", steps=200,
                optimizers=(
                    OptimizerEntry("sgd", (("lr", 0.02),), noise=4.0, batch_size=1),
                    OptimizerEntry("sgd", (("lr", 0.02),), noise=4.0, batch_size=16),
                    OptimizerEntry("sgd", (("lr", 0.08),), noise=4.0, batch_size=64),
                ),
            ),
        ),
    )
}


def get_preset(key: str) -> Preset:
    if key not in PRESETS:
        raise ValueError(f"Unknown preset {key!r}; valid: {', '.join(PRESETS)}")
    return PRESETS[key]
