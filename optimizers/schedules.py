"""Learning-rate schedules (seed 003): the rate used at each step, as an array.

Semantics follow ``torch.optim.lr_scheduler`` where torch has the schedule: the rate at step
``t`` (0-based) is the one a torch optimizer uses after ``t`` calls of ``scheduler.step()``.
Caffe's ``inv`` has no torch class. CyclicLR cycles only the rate (``cycle_momentum=False``).
A linear warm-up multiplies any schedule: torch's ``ChainedScheduler`` of ``LinearLR`` and it
for the chainable ones (step, multistep, exponential, poly). CyclicLR and
CosineAnnealingWarmRestarts set the rate outright in torch, so a torch chain would drop the
warm-up; here it still multiplies them, so a warm-up always shows.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .base import HyperParam, validate_hparams


def _spec(name, default, symbol, en, zh, kind="float", low=None, high=None, ui=(None, None), log=False, inclusive=True):
    return HyperParam(
        name, default, symbol, en, zh, kind=kind, valid_low=low, valid_high=high,
        high_inclusive=inclusive, ui_low=ui[0], ui_high=ui[1], log=log,
    )


_GAMMA_DECAY = _spec("gamma", 0.1, r"\gamma", "Factor the rate is multiplied by at each drop.", "每次下降时学习率乘以的因子。", low=0.0, high=1.0, ui=(0.01, 1.0))
_STEP_SIZE = _spec("step_size", 100, "s", "Steps between drops.", "每隔多少步下降一次。", kind="int", low=1, ui=(1, 1000))

def _per_step(factor: Callable[..., float]) -> Callable[..., np.ndarray]:
    """Rates from a closed form ``factor(t, base_lr, **params)`` of the step number."""

    def rates(base_lr, steps, **params):
        return np.array([factor(t, base_lr, **params) for t in range(steps)], dtype=float)

    return rates


@_per_step
def _cyclic(t, lr, max_lr, step_size_up):
    # torch CyclicLR, mode="triangular", step_size_down = step_size_up
    total = 2.0 * step_size_up
    cycle = math.floor(1 + t / total)
    x = 1.0 + t / total - cycle
    scale = x / 0.5 if x <= 0.5 else (x - 1) / (0.5 - 1)
    return lr + (max_lr - lr) * scale


def _cosine_restarts(base_lr, steps, T_0, T_mult, eta_min):
    # Iterative, as torch's CosineAnnealingWarmRestarts.step() without an epoch argument.
    rates = np.empty(steps)
    t_cur, t_i = 0, T_0
    for t in range(steps):
        rates[t] = eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2
        t_cur += 1
        if t_cur >= t_i:
            t_cur -= t_i
            t_i *= T_mult
    return rates


# name -> (specs, title en, title zh, rates(base_lr, steps, **params) -> (steps,) array)
_SCHEDULES: dict[str, tuple[tuple[HyperParam, ...], str, str, Callable[..., np.ndarray]]] = {
    "constant": ((), "Fixed", "固定", lambda lr, steps: np.full(steps, float(lr))),
    "step": (
        (_STEP_SIZE, _GAMMA_DECAY), "Step (StepLR)", "分段常数（StepLR）",
        _per_step(lambda t, lr, step_size, gamma: lr * gamma ** (t // step_size)),
    ),
    "multistep": (
        (_spec("milestones", (100, 200), "t_i", "Steps at which the rate drops.", "学习率下降的步数。", kind="ints", low=0),
         _GAMMA_DECAY),
        "Multi-step (MultiStepLR)", "多段下降（MultiStepLR）",
        _per_step(lambda t, lr, milestones, gamma: lr * gamma ** bisect_right(milestones, t)),
    ),
    "exponential": (
        (_spec("gamma", 0.99, r"\gamma", "Factor per step.", "每步乘以的因子。", low=0.0, high=1.0, ui=(0.9, 1.0)),),
        "Exponential (ExponentialLR)", "指数衰减（ExponentialLR）",
        _per_step(lambda t, lr, gamma: lr * gamma**t),
    ),
    "inv": (
        (_spec("gamma", 0.01, r"\gamma", "Speed of the decay.", "衰减速度。", low=0.0, ui=(1e-4, 1.0), log=True),
         _spec("power", 0.75, "p", "Power of the decay.", "衰减的幂次。", low=0.0, ui=(0.0, 2.0))),
        "Inverse (Caffe inv)", "逆时衰减（Caffe inv）",
        _per_step(lambda t, lr, gamma, power: lr * (1 + gamma * t) ** (-power)),
    ),
    "poly": (
        (_spec("total_iters", 300, "T", "Steps until the rate reaches zero.", "学习率降到零所需的步数。", kind="int", low=1, ui=(1, 5000)),
         _spec("power", 1.0, "p", "Power of the decay.", "衰减的幂次。", low=0.0, ui=(0.0, 5.0))),
        "Polynomial (PolynomialLR)", "多项式衰减（PolynomialLR）",
        _per_step(lambda t, lr, total_iters, power: lr * (1.0 - min(total_iters, t) / total_iters) ** power),
    ),
    "cyclic": (
        (_spec("max_lr", 0.1, r"\eta_{max}", "Peak rate of each cycle (the optimizer's rate is the floor).", "每个周期的最高学习率（优化器的学习率为最低值）。", low=0.0, ui=(1e-4, 10.0), log=True),
         _spec("step_size_up", 50, "s", "Steps from floor to peak (and back).", "从最低到最高（以及返回）所需的步数。", kind="int", low=1, ui=(1, 1000))),
        "Cyclic, triangular (CyclicLR)", "三角循环（CyclicLR）",
        _cyclic,
    ),
    "cosine_restarts": (
        (_spec("T_0", 100, "T_0", "Steps in the first cycle.", "第一个周期的步数。", kind="int", low=1, ui=(1, 1000)),
         _spec("T_mult", 1, "T_{mult}", "Each cycle is this many times longer than the last.", "每个周期比上一个长多少倍。", kind="int", low=1, ui=(1, 4)),
         _spec("eta_min", 0.0, r"\eta_{min}", "Lowest rate.", "最低学习率。", low=0.0, ui=(0.0, 1.0))),
        "Cosine with warm restarts (SGDR)", "带热重启的余弦退火（SGDR）",
        _cosine_restarts,
    ),
}

WARMUP_SPECS = (
    _spec("warmup_iters", 0, "T_w", "Linear warm-up: the rate starts at a third and reaches the full rate after this many steps (0: none).", "线性预热：学习率从三分之一开始，经过这么多步后达到完整值（0 表示不预热）。", kind="int", low=0, ui=(0, 500)),
    replace(
        _spec("warmup_start_factor", 1 / 3, "f_0", "Fraction of the rate at step 0 of the warm-up.", "预热开始时学习率的比例。", low=0.0, high=1.0, ui=(0.01, 1.0)),
        low_inclusive=False,  # torch's LinearLR: start_factor > 0
    ),
)


def list_schedules() -> list[str]:
    return list(_SCHEDULES)


def schedule_specs(name: str) -> tuple[HyperParam, ...]:
    """Specs of a schedule's parameters (for validation and generated widgets)."""
    _check_name(name)
    return _SCHEDULES[name][0]


def schedule_title(name: str) -> dict[str, str]:
    _check_name(name)
    return {"en": _SCHEDULES[name][1], "zh": _SCHEDULES[name][2]}


def _check_name(name: str) -> None:
    if name not in _SCHEDULES:
        raise ValueError(f"Unknown schedule {name!r}; valid names: {', '.join(_SCHEDULES)}")


@dataclass(frozen=True)
class Schedule:
    """A validated schedule; ``lrs(base_lr, steps)`` gives the rate of each step."""

    name: str = "constant"
    params: Mapping[str, Any] = field(default_factory=dict)
    warmup_iters: int = 0
    warmup_start_factor: float = 1 / 3

    def lrs(self, base_lr: float, steps: int) -> np.ndarray:
        rates = _SCHEDULES[self.name][3](base_lr, steps, **self.params)
        if self.warmup_iters:
            t = np.arange(steps)
            start = self.warmup_start_factor
            rates = rates * (start + (1.0 - start) * np.minimum(t, self.warmup_iters) / self.warmup_iters)
        return rates


def get_schedule(name: str = "constant", warmup_iters: int = 0, warmup_start_factor: float = 1 / 3, **params: Any) -> Schedule:
    """Build a validated schedule, e.g. ``get_schedule("step", step_size=50, gamma=0.5)``;
    ``warmup_iters`` adds a linear warm-up from ``warmup_start_factor`` times the rate."""
    _check_name(name)
    values = validate_hparams(f"schedule {name}", _SCHEDULES[name][0], params)
    warmup = validate_hparams(
        "warm-up", WARMUP_SPECS, {"warmup_iters": warmup_iters, "warmup_start_factor": warmup_start_factor}
    )
    return Schedule(name, values, warmup["warmup_iters"], warmup["warmup_start_factor"])
