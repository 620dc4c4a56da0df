"""Hyperparameter sweeps: final loss or steps-to-tolerance over a grid of learning rate x
a second hyperparameter (momentum, beta1, beta2, batch size, ...), as in Distill's "Why
Momentum Really Works"; and the theory of where such a grid stops being stable on a
quadratic.

Speed: every learning rate of a row of the grid runs in the same ``run`` call
(:mod:`analysis.rowrates`, bit-for-bit equal to separate runs), so a 40 x 40 sweep is 40
vectorized calls, not 1600 Python loops.

Stability on a quadratic ``f = x^T A x / 2`` with curvatures ``0 < m <= L`` (the
eigenvalues of A), per eigen-direction with ``h = lr * lambda``:

* gradient descent ``x <- (1 - h) x`` is stable iff ``0 < h < 2``: ``lr < 2 / L``;
* heavy ball (torch's momentum, ``b <- beta b + g, x <- x - lr b``) has the characteristic
  polynomial ``z^2 - (1 + beta - h) z + beta``, stable iff ``h < 2 (1 + beta)``:
  ``lr < 2 (1 + beta) / L``;
* Nesterov (torch: ``x <- x - lr (g + beta b)``) gives ``z^2 - (1 + beta - h(1 + beta)) z +
  beta (1 - h)``, stable iff ``h < 2 (1 + beta) / (1 + 2 beta)``;
* the fastest heavy ball (Polyak; Distill's optimum) takes
  ``beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2`` and
  ``lr* = (2 / (sqrt(L) + sqrt(m)))^2``, ``kappa = L / m``, contracting by ``sqrt(beta*)`` a step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from optimizers import Optimizer, get_optimizer, optimizer_info

from .metrics import distance_to_nearest_minimum, steps_to_tolerance
from .rowrates import run_validated_rates, validated_rates

BATCH_SIZE = "batch_size"
BETA1, BETA2 = "beta1", "beta2"
MAX_SWEEP_SIDE = 100


# ----------------------------------------------------------------------------- axes


@dataclass(frozen=True)
class AxisSpec:
    """A hyperparameter a sweep can put on its second axis, with a sensible default range."""

    name: str
    low: float
    high: float
    log: bool = False
    integer: bool = False


def sweep_axes(optimizer_name: str) -> list[AxisSpec]:
    """Second axes that make sense for ``optimizer_name``: its float hyperparameters other
    than ``lr`` (momentum first), ``beta1``/``beta2`` for the Adam family, and the
    mini-batch size (which only matters with gradient noise)."""
    axes = []
    for spec in optimizer_info(optimizer_name).specs:
        if spec.name == "lr" or spec.kind not in ("float", "pair"):
            continue
        if spec.kind == "pair" and spec.name == "betas":
            axes += [AxisSpec(BETA1, 0.0, 0.99), AxisSpec(BETA2, 0.5, 0.9999)]
        elif spec.kind == "float" and spec.ui_low is not None and spec.ui_high is not None:
            high = min(spec.ui_high, 0.99) if spec.name == "momentum" else spec.ui_high
            axes.append(AxisSpec(spec.name, spec.ui_low, high, spec.log))
    axes.sort(key=lambda axis: axis.name != "momentum")
    axes.append(AxisSpec(BATCH_SIZE, 1, 256, log=True, integer=True))
    return axes


def axis_values(axis: AxisSpec, count: int, low: float | None = None, high: float | None = None) -> np.ndarray:
    """``count`` values from ``low`` to ``high`` (the axis' range by default), geometric on
    a log axis; whole and distinct for an integer axis."""
    low = axis.low if low is None else low
    high = axis.high if high is None else high
    values = np.geomspace(low, high, count) if axis.log else np.linspace(low, high, count)
    if axis.integer:
        values = np.unique(np.round(values).astype(int))
    return values


def with_axis_value(optimizer: Optimizer, axis: str, value: float) -> tuple[Optimizer, dict[str, Any]]:
    """The optimizer with hyperparameter ``axis`` set to ``value``, and extra ``run``
    options (the batch size is a run option, not a hyperparameter)."""
    hparams = dict(optimizer.hparams)
    if axis == BATCH_SIZE:
        return optimizer, {"batch_size": int(value)}
    if axis in (BETA1, BETA2):
        beta1, beta2 = hparams["betas"]
        hparams["betas"] = (float(value), beta2) if axis == BETA1 else (beta1, float(value))
    else:
        hparams[axis] = float(value)
    return get_optimizer(optimizer.name, **hparams), {}


# ----------------------------------------------------------------------------- sweep


@dataclass(frozen=True)
class SweepResult:
    """A learning rate x ``axis`` grid; arrays are (len(axis_values), len(lrs)).

    ``loss_gap`` is the final loss minus the global minimum's (the final loss itself when
    the surface lists no minimum); ``steps_to_tol`` the first step from which the run stays
    within ``tolerance`` of a minimum (-1 if it never settles); ``stable`` is "did not
    diverge and ended lower than it started", which also catches runs that oscillate
    outward too slowly to escape within the steps.
    """

    lrs: np.ndarray
    axis: str
    axis_values: np.ndarray
    final_loss: np.ndarray
    loss_gap: np.ndarray
    mean_loss_gap: np.ndarray
    steps_to_tol: np.ndarray
    diverged: np.ndarray
    stable: np.ndarray
    initial_loss: float
    tolerance: float
    steps: int
    label: str = ""

    def stable_rate_count(self) -> np.ndarray:
        """Per axis value, how many of the smallest grid rates are all stable: the cells
        left of the stable region's edge (rates are in increasing order)."""
        return np.cumprod(self.stable, axis=1).sum(axis=1)

    def stable_edge(self) -> np.ndarray:
        """Per axis value, the largest learning rate below which every grid rate is
        stable (NaN if even the smallest is not)."""
        count = self.stable_rate_count()
        return np.where(count > 0, self.lrs[np.maximum(count - 1, 0)], np.nan)


def hyperparameter_sweep(
    optimizer: Optimizer,
    surface: Any,
    start: Any,
    lrs: Sequence[float],
    axis: str,
    values: Sequence[float],
    steps: int = 300,
    *,
    tolerance: float | None = None,
    progress: Callable[[float], None] | None = None,
    **run_options: Any,
) -> SweepResult:
    """Run ``optimizer`` from ``start`` for every ``(axis value, lr)`` pair.

    ``axis`` is a hyperparameter name, ``"beta1"``/``"beta2"``, or ``"batch_size"``; the
    optimizer's other hyperparameters are kept. One vectorized ``run`` per axis value
    (:func:`sweep_row`). ``tolerance`` (for steps-to-tolerance) defaults to 1 % of the
    view's diagonal. ``run_options`` (``schedule``, ``noise``, ``clip_norm``, ``seed``, ...)
    go to ``run``.
    """
    values = np.asarray(values, dtype=float).reshape(-1)
    if not 1 <= len(values) <= MAX_SWEEP_SIDE:
        raise ValueError(f"A sweep takes 1 to {MAX_SWEEP_SIDE} values per axis")
    lrs = _checked_rates(optimizer, lrs)  # once for the grid, not once per row
    rows = []
    for done, value in enumerate(values):
        rows.append(_sweep_row(optimizer, surface, start, lrs, axis, value, steps, tolerance, run_options))
        if progress is not None:
            progress((done + 1) / len(values))
    return stack_sweeps(rows)


def sweep_row(
    optimizer: Optimizer,
    surface: Any,
    start: Any,
    lrs: Sequence[float],
    axis: str,
    value: float,
    steps: int = 300,
    *,
    tolerance: float | None = None,
    **run_options: Any,
) -> SweepResult:
    """One row of a sweep (``axis = value``, every rate of ``lrs``) in one ``run`` call."""
    return _sweep_row(optimizer, surface, start, _checked_rates(optimizer, lrs), axis, value, steps, tolerance, run_options)


def _checked_rates(optimizer: Optimizer, lrs: Sequence[float]) -> np.ndarray:
    lrs = validated_rates(optimizer, lrs)
    if len(lrs) > MAX_SWEEP_SIDE:
        raise ValueError(f"A sweep takes 1 to {MAX_SWEEP_SIDE} values per axis")
    return lrs


def _sweep_row(
    optimizer: Optimizer, surface: Any, start: Any, lrs: np.ndarray, axis: str, value: float, steps: int,
    tolerance: float | None, run_options: dict[str, Any],
) -> SweepResult:
    """:func:`sweep_row` for rates already checked by :func:`_checked_rates`."""
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    if tolerance is None:
        (x0, x1), (y0, y1) = surface.bounds
        tolerance = 0.01 * math.hypot(x1 - x0, y1 - y0)
    f_min = float(surface.f(minima[0])) if len(minima) else 0.0
    initial_loss = float(surface.f(np.asarray(start, dtype=float)))

    variant, extra = with_axis_value(optimizer, axis, value)
    trajectory = run_validated_rates(variant, surface, start, lrs, steps, **{**run_options, **extra})
    final_loss = trajectory.final_losses
    diverged = trajectory.diverged
    steps_to_tol = np.full(len(lrs), -1)
    if len(minima):
        distances = distance_to_nearest_minimum(trajectory.points, minima)
        steps_to_tol = np.where(diverged, -1, steps_to_tolerance(distances, trajectory.step_index, tolerance))
    return SweepResult(
        lrs=lrs, axis=axis, axis_values=np.array([float(value)]), final_loss=final_loss[None],
        loss_gap=(final_loss - f_min)[None], mean_loss_gap=(trajectory.losses - f_min).mean(axis=0)[None],
        steps_to_tol=steps_to_tol[None], diverged=diverged[None],
        stable=(~diverged & (final_loss < initial_loss))[None],
        initial_loss=initial_loss, tolerance=float(tolerance), steps=int(steps), label=trajectory.label,
    )


_ROW_FIELDS = ("axis_values", "final_loss", "loss_gap", "mean_loss_gap", "steps_to_tol", "diverged", "stable")


def stack_sweeps(parts: Sequence[SweepResult]) -> SweepResult:
    """Rows of the same sweep (same rates, axis, start and steps) as one grid."""
    if not parts:
        raise ValueError("Nothing to stack")
    first = parts[0]
    for part in parts[1:]:
        if part.axis != first.axis or part.steps != first.steps or not np.array_equal(part.lrs, first.lrs):
            raise ValueError("Only rows of the same sweep can be stacked")
    stacked = {name: np.concatenate([getattr(part, name) for part in parts]) for name in _ROW_FIELDS}
    return replace(first, **stacked)


# ----------------------------------------------------------------------------- theory


def quadratic_curvatures(surface: Any, probes: int = 5, rtol: float = 1e-9) -> tuple[float, float] | None:
    """``(m, L)``, the smallest and largest Hessian eigenvalue, when the Hessian is the same
    positive-definite matrix all over the view (a convex quadratic); None otherwise."""
    (x0, x1), (y0, y1) = surface.bounds
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, probes), np.linspace(y0, y1, probes)), -1)
    hessians = np.asarray(surface.hessian(grid.reshape(-1, 2)), dtype=float)
    if not np.allclose(hessians, hessians[0], rtol=rtol, atol=rtol * np.abs(hessians[0]).max()):
        return None
    low, high = np.linalg.eigvalsh(hessians[0])
    if not low > 0:
        return None
    return float(low), float(high)


def _momentum_form(name: str, hparams: Mapping[str, Any]) -> tuple[str, float, float] | None:
    """``(form, beta, gain)`` if the optimizer is gradient descent, heavy ball or Nesterov
    on a quadratic with effective step ``gain * lr``: torch's dampening scales the gradient
    by ``1 - tau``; the moving-average convention by ``1 - beta``. None for adaptive ones."""
    beta = float(hparams.get("momentum", 0.0))
    if name == "sgd":
        if beta == 0:
            return "gd", 0.0, 1.0
        return ("nesterov" if hparams["nesterov"] else "heavy_ball"), beta, 1.0 - hparams["dampening"]
    if name == "momentum":
        convention = hparams["convention"]
        if convention == "ema":
            return "heavy_ball", beta, 1.0 - beta
        return "heavy_ball", beta, 1.0 - hparams["dampening"] if convention == "torch" else 1.0
    if name == "nesterov":
        return "nesterov", beta, 1.0
    return None


def stability_limit(name: str, hparams: Mapping[str, Any], largest_curvature: float) -> float | None:
    """Largest stable learning rate on a quadratic whose largest curvature is
    ``largest_curvature`` (coupled weight decay adds to it); None if no closed form."""
    form = _momentum_form(name, hparams)
    if form is None:
        return None
    kind, beta, gain = form
    if gain <= 0:
        return None
    curvature = largest_curvature + float(hparams.get("weight_decay", 0.0))
    h_max = {"gd": 2.0, "heavy_ball": 2.0 * (1 + beta), "nesterov": 2.0 * (1 + beta) / (1 + 2 * beta)}[kind]
    return h_max / (gain * curvature)


def optimal_heavy_ball(smallest_curvature: float, largest_curvature: float) -> tuple[float, float]:
    """Polyak's ``(lr*, beta*)`` for torch's heavy ball on a quadratic with curvatures m, L."""
    root_m, root_l = math.sqrt(smallest_curvature), math.sqrt(largest_curvature)
    kappa_root = root_l / root_m
    beta = ((kappa_root - 1) / (kappa_root + 1)) ** 2
    return (2.0 / (root_l + root_m)) ** 2, beta


@dataclass(frozen=True)
class SweepTheory:
    """What theory says about a sweep on a quadratic: the stability limit for each axis
    value (NaN where there is no closed form) and, for heavy ball over momentum, Polyak's
    optimum ``(lr*, beta*)`` (None otherwise)."""

    curvatures: tuple[float, float]
    limits: np.ndarray
    optimum: tuple[float, float] | None


def sweep_theory(optimizer: Optimizer, surface: Any, axis: str, values: Sequence[float]) -> SweepTheory | None:
    """Theory for a sweep of ``optimizer`` along ``axis``, or None when the surface is not
    a convex quadratic or the optimizer has no closed form (adaptive methods)."""
    curvatures = quadratic_curvatures(surface)
    if curvatures is None or _momentum_form(optimizer.name, optimizer.hparams) is None:
        return None
    limits = []
    for value in np.asarray(values, dtype=float).reshape(-1):
        hparams = dict(optimizer.hparams)
        if axis in hparams:
            hparams[axis] = float(value)
        limit = stability_limit(optimizer.name, hparams, curvatures[1])
        limits.append(np.nan if limit is None else limit)
    optimum = None
    form = _momentum_form(optimizer.name, {**optimizer.hparams, "momentum": 0.5})
    if axis == "momentum" and form is not None and form[0] == "heavy_ball" and not optimizer.hparams.get("weight_decay"):
        lr, beta = optimal_heavy_ball(*curvatures)
        gain = _momentum_form(optimizer.name, {**optimizer.hparams, "momentum": beta})[2]
        optimum = (lr / gain, beta)
    return SweepTheory(curvatures, np.asarray(limits), optimum)
