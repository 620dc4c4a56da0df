"""One optimizer, a different learning rate in every row: many rates in one ``run`` call.

No named optimizer's transforms capture the learning rate; it reaches them each step as
``ctx.lr`` and is only ever used elementwise (``-lr * u``, ``lr * weight_decay * theta``,
``beta v - lr g``). Handing them a (B, 1) column of rates instead of a scalar therefore
computes, row by row, the very same floating-point operations as B separate runs: the
results are equal bit for bit (tests/test_analysis.py checks it against ``run``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from optimizers import Optimizer, Schedule, StepContext, Trajectory, run


class RowRateOptimizer:
    """``base``'s update rule where row ``i`` takes step ``t`` with ``rates[t, i]``.

    Duck-types :class:`optimizers.Optimizer` for :func:`optimizers.run`; the step counter
    lives in the state, so the schedule given to ``run`` must be the default constant one.
    """

    def __init__(self, base: Optimizer, rates: np.ndarray):
        self.base = base
        self.rates = np.asarray(rates, dtype=float)
        self.needs_hessian = base.needs_hessian
        self.name = base.name
        self.hparams = base.hparams

    lr = 1.0  # run() asks for a base rate to schedule; the real ones are in ``rates``

    def init(self, params: np.ndarray) -> Any:
        return 0, self.base.init(params)

    def update(self, grads, state, params, lr=None, hessian=None):
        count, inner = state
        ctx = StepContext(self.rates[count][:, None], hessian)
        updates, inner = self.base.transform.update(grads, inner, params, ctx)
        return updates, (count + 1, inner)

    def inspect(self, state, lr=None) -> dict[str, np.ndarray]:
        return {}

    def label(self) -> str:
        return self.base.label()


def validated_rates(optimizer: Optimizer, lrs: Sequence[float]) -> np.ndarray:
    """``lrs`` as a float array, each checked by the optimizer's own ``lr`` spec, as its
    factory checks it (torch's wording). Call once per grid, not per row."""
    lrs = np.asarray(lrs, dtype=float).reshape(-1)
    if lrs.size == 0:
        raise ValueError("Give at least one learning rate")
    (spec,) = (spec for spec in optimizer.specs if spec.name == "lr")
    for lr in lrs:
        spec.validate(float(lr))
    return lrs


def rate_table(lrs: np.ndarray, steps: int, schedule: Schedule | None = None) -> np.ndarray:
    """(steps, len(lrs)) rates: column i is exactly what ``run`` uses with base rate lrs[i]."""
    schedule = schedule or Schedule()
    if steps == 0:
        return np.zeros((0, len(lrs)))
    return np.stack([schedule.lrs(float(lr), steps) for lr in lrs], axis=1)


def run_rates(
    optimizer: Optimizer,
    surface: Any,
    start: Any,
    lrs: Sequence[float],
    steps: int = 300,
    *,
    schedule: Schedule | None = None,
    **run_options: Any,
) -> Trajectory:
    """Run ``optimizer`` from ``start`` (2,) once per learning rate in ``lrs``, all in one
    ``run`` call: row ``i`` of the result is the run with ``lr = lrs[i]`` (its ``lrs``
    field is meaningless here). ``run_options`` go to :func:`optimizers.run`."""
    return run_validated_rates(optimizer, surface, start, validated_rates(optimizer, lrs), steps, schedule=schedule, **run_options)


def run_validated_rates(
    optimizer: Optimizer,
    surface: Any,
    start: Any,
    lrs: np.ndarray,
    steps: int = 300,
    *,
    schedule: Schedule | None = None,
    **run_options: Any,
) -> Trajectory:
    """:func:`run_rates` for rates that :func:`validated_rates` has already checked."""
    starts = np.repeat(np.asarray(start, dtype=float).reshape(1, 2), len(lrs), axis=0)
    rows = RowRateOptimizer(optimizer, rate_table(lrs, int(steps), schedule))
    return run(rows, surface, starts, steps=steps, **run_options)
