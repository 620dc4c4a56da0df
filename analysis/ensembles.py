"""Noise ensembles: the same start run N times with mini-batch gradient noise.

``run``'s noise is drawn independently for every row, so N seeded runs are one call with
the start repeated N times. The spread of the ensemble around the minimum its runs settle
in (:func:`settled_ensemble`; around its mean path otherwise) is the "noise ball" of SGD: near a minimum with curvature ``lambda``, plain SGD at rate ``lr`` settles to
a stationary variance ``lr sigma^2 / (b lambda (2 - lr lambda))`` per direction for gradient
noise ``sigma`` and batch size ``b``, so the spread shrinks like ``1 / sqrt(b)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from optimizers import Optimizer, run

MAX_RUNS = 500


@dataclass(frozen=True)
class Ensemble:
    """``points`` (T, N, 2) of N runs at ``step_index`` (T,); ``mean_path`` (T, 2) and
    ``spread`` (T,) — the root-mean-square distance of the runs from their mean — over the
    runs that did not diverge (NaN when none is left)."""

    points: np.ndarray
    losses: np.ndarray
    step_index: np.ndarray
    diverged: np.ndarray
    mean_path: np.ndarray
    spread: np.ndarray
    noise: float
    batch_size: int
    label: str = ""
    basin: int = -1  # the minimum the spread is measured around (index into the surface's minima), -1: the mean path
    basin_share: float = float("nan")  # the share of the kept runs that end nearest that minimum

    @property
    def final_spread(self) -> float:
        return float(self.spread[-1])

    def tail_spread(self, fraction: float = 0.25) -> float:
        """Mean spread over the last ``fraction`` of the recorded steps: the size of the
        noise ball once the runs have settled, less jumpy than the last step alone."""
        count = max(1, int(round(fraction * len(self.spread))))
        return float(np.nanmean(self.spread[-count:]))


def noise_ensemble(
    optimizer: Optimizer,
    surface: Any,
    start: Any,
    runs: int = 50,
    steps: int = 300,
    *,
    noise: float = 1.0,
    batch_size: int = 1,
    seed: int = 0,
    record_every: int = 1,
    **run_options: Any,
) -> Ensemble:
    """``runs`` noisy runs of ``optimizer`` from ``start`` in one ``run`` call, each with its
    own noise draws (gradient noise ``noise`` per example, averaged over ``batch_size``)."""
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"Invalid runs: {runs!r} (must be a whole number from 1 to {MAX_RUNS})")
    starts = np.repeat(np.asarray(start, dtype=float).reshape(1, 2), runs, axis=0)
    trajectory = run(
        optimizer, surface, starts, steps=steps, seed=seed, noise=noise, batch_size=batch_size,
        record_every=record_every, **run_options,
    )
    kept = ~trajectory.diverged
    if kept.any():
        alive = trajectory.points[:, kept]
        mean_path = alive.mean(axis=1)
        spread = np.sqrt(((alive - mean_path[:, None, :]) ** 2).sum(-1).mean(axis=1))
    else:
        mean_path = np.full((len(trajectory.step_index), 2), np.nan)
        spread = np.full(len(trajectory.step_index), np.nan)
    return Ensemble(
        points=trajectory.points, losses=trajectory.losses, step_index=trajectory.step_index,
        diverged=trajectory.diverged, mean_path=mean_path, spread=spread, noise=float(noise),
        batch_size=int(batch_size), label=trajectory.label,
    )


def ensembles_by_batch_size(
    optimizer: Optimizer,
    surface: Any,
    start: Any,
    batch_sizes: Sequence[int],
    runs: int = 50,
    steps: int = 300,
    *,
    progress: Callable[[float], None] | None = None,
    **options: Any,
) -> list[Ensemble]:
    """One :func:`noise_ensemble` per batch size, all with the same seed: the same
    underlying draws, only scaled by ``1 / sqrt(b)``, so the panels differ by batch size
    alone."""
    ensembles = []
    for done, batch_size in enumerate(batch_sizes):
        ensembles.append(noise_ensemble(optimizer, surface, start, runs, steps, batch_size=int(batch_size), **options))
        if progress is not None:
            progress((done + 1) / len(batch_sizes))
    return ensembles


def sgd_noise_ball(lr: float, curvature: float, noise: float, batch_size: int) -> float:
    """Stationary standard deviation of plain SGD along one direction of curvature
    ``curvature``: ``x <- (1 - lr lambda) x - lr e``, ``Var e = noise^2 / b``, gives
    ``Var x = lr noise^2 / (b lambda (2 - lr lambda))`` (finite only when ``lr lambda < 2``)."""
    h = lr * curvature
    if not 0 < h < 2:
        return float("inf")
    return float(np.sqrt(lr * noise**2 / (batch_size * curvature * (2 - h))))


def settled_ensemble(ensemble: Ensemble, minima: Any) -> Ensemble:
    """The ensemble with its spread measured around the minimum most of its (kept) runs end
    nearest to, the minimum of the basin they settle in, instead of around their mean path.

    When runs split between minima their mean path ends between them and the spread is the
    distance between the basins, not the noise ball; ``basin_share`` below 1 says so. With
    no minima, or no run kept, the ensemble is returned as it is."""
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    kept = ~ensemble.diverged
    if not len(minima) or not kept.any():
        return ensemble
    alive = ensemble.points[:, kept]
    nearest = np.linalg.norm(alive[-1][:, None, :] - minima[None], axis=-1).argmin(axis=1)
    basin = int(np.bincount(nearest, minlength=len(minima)).argmax())
    spread = np.sqrt(((alive - minima[basin]) ** 2).sum(-1).mean(axis=1))
    return replace(ensemble, spread=spread, basin=basin, basin_share=float(np.mean(nearest == basin)))
