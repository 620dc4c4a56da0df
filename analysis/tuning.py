"""Fair comparison: give every optimizer its own best learning rate before comparing.

One shared rate favours whichever optimizer happens to like it. Here each optimizer tries
every rate of a disclosed log grid from the same start (one vectorized ``run`` call per
optimizer, :mod:`analysis.rowrates`) and keeps the rate with the best criterion:

* ``"mean_loss"``: mean of ``f(x_t) - f*`` over all steps (area under the loss curve:
  rewards getting low early and staying low);
* ``"final_loss"``: ``f(x_T) - f*`` at the last step.

``f*`` is the surface's global minimum (0 when it lists none). A run that diverges, or ends
higher than it started, scores ``+inf`` and is never picked; ties go to the smaller rate.
A best rate at the edge of the grid says only that the best lies beyond it, so
:func:`bracketed_tuning` extends the grid until the best is inside, or reports that it is not.
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
LR_LIMITS = (1e-8, 1e3)  # a grid is never extended beyond these rates
MAX_EXTENSIONS = 4  # ... nor by more than this many decades, at either end


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

    @property
    def bracketed(self) -> bool:
        """Whether the best rate lies inside the grid, with a worse rate on either side."""
        return 0 < self.best_index < len(self.lrs) - 1


def extended_grid(lrs: Sequence[float], best_index: int) -> np.ndarray | None:
    """``lrs`` grown by one decade, at the grid's own log spacing, beyond the edge that holds
    the best rate; None when the best is inside (or every rate failed), when the grid would
    pass ``LR_LIMITS`` or ``MAX_RATES``, or when it is not evenly spaced in log."""
    lrs = np.asarray(lrs, dtype=float).reshape(-1)
    if best_index < 0 or 0 < best_index < len(lrs) - 1 or len(lrs) < 2:
        return None
    ratios = lrs[1:] / lrs[:-1]
    if not np.allclose(ratios, ratios[0], rtol=1e-6) or ratios[0] <= 1:
        return None
    added = max(1, int(round(1 / np.log10(ratios[0]))))  # rates per decade
    steps = ratios[0] ** np.arange(1, added + 1)
    if best_index == len(lrs) - 1:
        grown = np.concatenate([lrs, lrs[-1] * steps])
    else:
        grown = np.concatenate([lrs[0] / steps[::-1], lrs])
    if grown[0] < LR_LIMITS[0] * (1 - 1e-9) or grown[-1] > LR_LIMITS[1] * (1 + 1e-9) or len(grown) > MAX_RATES:
        return None
    return grown


def bracketed_tuning(tune: Callable[[np.ndarray], TuningResult], lrs: Sequence[float]) -> TuningResult:
    """``tune(grid)`` on ``lrs``, then on grids extended a decade at a time
    (:func:`extended_grid`) while the best rate sits at an edge, up to ``MAX_EXTENSIONS``
    times. The result's ``bracketed`` says whether the best ended up inside its grid."""
    result = tune(np.asarray(lrs, dtype=float))
    for _ in range(MAX_EXTENSIONS):
        grid = extended_grid(result.lrs, result.best_index)
        if grid is None:
            break
        result = tune(grid)
    return result


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
