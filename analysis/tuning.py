"""Fair comparison: give every optimizer its own best learning rate before comparing.

One shared rate favours whichever optimizer happens to like it. Here each optimizer tries
every rate of a disclosed log grid from the same start (one vectorized ``run`` call per
optimizer, :mod:`analysis.rowrates`) and keeps the rate with the best criterion:

* ``"mean_loss"``: mean of ``f(x_t) - f*`` over all steps (area under the loss curve:
  rewards getting low early and staying low);
* ``"final_loss"``: ``f(x_T) - f*`` at the last step.

``f*`` is the surface's global minimum (0 when it lists none). A run that diverges, or ends
higher than it started, scores ``+inf`` and is never picked; ties go to the smaller rate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimizers import Optimizer

from .rowrates import run_rates

CRITERIA = ("mean_loss", "final_loss")
MAX_RATES = 100


def learning_rate_grid(low: float = 1e-4, high: float = 1.0, count: int = 25) -> np.ndarray:
    """``count`` rates evenly spaced in log from ``low`` to ``high``."""
    if not 0 < low < high:
        raise ValueError(f"Invalid learning-rate range: {low} to {high} (need 0 < low < high)")
    if not 2 <= count <= MAX_RATES:
        raise ValueError(f"Invalid number of rates: {count} (must be from 2 to {MAX_RATES})")
    return np.geomspace(low, high, count)


@dataclass(frozen=True)
class TuningResult:
    """Criterion per grid rate (``+inf`` where the run failed) and the pick.

    ``best_index`` is -1 when every rate failed (then ``best_lr`` is NaN); ``best_points``
    (T, 2) and ``best_losses`` (T,) at ``step_index`` are the very run that was scored at the
    chosen rate (with noise, its own draws), empty when nothing was chosen.
    """

    lrs: np.ndarray
    scores: np.ndarray
    diverged: np.ndarray
    best_index: int
    criterion: str
    step_index: np.ndarray
    best_points: np.ndarray
    best_losses: np.ndarray
    label: str = ""

    @property
    def best_lr(self) -> float:
        return float(self.lrs[self.best_index]) if self.best_index >= 0 else float("nan")

    @property
    def best_score(self) -> float:
        return float(self.scores[self.best_index]) if self.best_index >= 0 else float("inf")


def tune_learning_rate(
    optimizer: Optimizer,
    surface: Any,
    start: Any,
    lrs: Sequence[float],
    steps: int = 300,
    *,
    criterion: str = "mean_loss",
    **run_options: Any,
) -> TuningResult:
    """Score ``optimizer`` (its other hyperparameters kept) at every rate in ``lrs`` from
    ``start`` and pick the best; ``run_options`` (``schedule``, ``noise``, ``batch_size``,
    ``clip_norm``, ``seed``, ...) go to ``run`` and apply to every rate alike."""
    if criterion not in CRITERIA:
        raise ValueError(f"Unknown criterion {criterion!r}; choose one of {', '.join(CRITERIA)}")
    trajectory = run_rates(optimizer, surface, start, lrs, steps, **run_options)
    lrs = np.asarray(lrs, dtype=float).reshape(-1)
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    f_min = float(surface.f(minima[0])) if len(minima) else 0.0
    gaps = trajectory.losses - f_min
    raw = gaps.mean(axis=0) if criterion == "mean_loss" else gaps[-1]
    failed = trajectory.diverged | (trajectory.final_losses >= trajectory.losses[0])
    scores = np.where(failed, np.inf, raw)
    best = int(np.argmin(scores)) if np.isfinite(scores).any() else -1
    chosen = slice(best, best + 1) if best >= 0 else slice(0, 0)
    return TuningResult(
        lrs, scores, trajectory.diverged, best, criterion, trajectory.step_index,
        trajectory.points[:, chosen].reshape(-1, 2), trajectory.losses[:, chosen].reshape(-1), trajectory.label,
    )


def tune_each(
    candidates: Sequence[tuple[Optimizer, dict[str, Any]]],
    surface: Any,
    start: Any,
    lrs: Sequence[float],
    steps: int = 300,
    *,
    criterion: str = "mean_loss",
    progress: Callable[[float], None] | None = None,
) -> list[TuningResult]:
    """:func:`tune_learning_rate` for each ``(optimizer, run_options)`` on the same grid."""
    results = []
    for done, (optimizer, options) in enumerate(candidates):
        results.append(tune_learning_rate(optimizer, surface, start, lrs, steps, criterion=criterion, **options))
        if progress is not None:
            progress((done + 1) / len(candidates))
    return results
