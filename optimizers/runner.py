"""``run``: many starting points, many steps, one call.

The loop is over steps in Python and over starts in NumPy. A start whose next iterate is
non-finite or leaves the escape radius is frozen at its last finite point and reported in
``diverged_at``; no NumPy warning escapes and no NaN reaches ``points`` or ``losses``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from .base import HyperParam, Optimizer
from .clipping import clip_by_norm, clip_by_value
from .noise import MAX_ORDER_ELEMENTS, MinibatchSampler, sample_gradient_noise
from .schedules import Schedule

ESCAPE_FACTOR = 10.0


MAX_RECORDED_BYTES = 2 * 10**9  # a run's recorded output; 10^6 starts x 300 steps needed 21 GB
MAX_BATCH_SIZE = 100_000  # beyond this the noise (noise / sqrt(b)) is too small to see


def _run_spec(name, kind, low, must, low_inclusive=True, high=None, default=None, symbol="", help=("", ""), ui=(None, None), log=False):
    return HyperParam(
        name, default, symbol, *help, kind=kind, valid_low=low, low_inclusive=low_inclusive, valid_high=high,
        ui_low=ui[0], ui_high=ui[1], log=log, error=f"Invalid {name}: {{value}} (must be {must})",
    )


# run()'s own arguments, validated by the same mechanism as hyperparameters. The per-optimizer
# settings (noise, batch size, clipping) carry what a widget needs too, as hyperparameters do;
# a clipping default is the threshold offered when clipping is switched on (run() takes None).
RUN_SPECS = {
    "steps": _run_spec("steps", "int", 0, "a whole number >= 0"),
    "record_every": _run_spec("record_every", "int", 0, "a whole number >= 0"),
    "noise": _run_spec(
        "noise", "float", 0.0, "a number >= 0", default=0.0, symbol=r"\sigma", ui=(0.0, 10.0),
        help=("Standard deviation of one example's gradient error; a mini-batch averages it away as 1/√batch (0: full-batch gradient descent).",
              '单个样本梯度误差的标准差；小批量平均后按 1/√批量 缩小（0 表示全批量梯度下降）。'),
    ),
    "batch_size": _run_spec(
        "batch_size", "int", 1, f"a whole number from 1 to {MAX_BATCH_SIZE}", high=MAX_BATCH_SIZE, default=1,
        symbol="b", ui=(1, 1024), log=True,
        help=('Examples per mini-batch: a larger batch gives a less noisy gradient. On a data surface the batch is drawn from the data (batch size ≥ N: full batch).',
              '每个小批量的样本数：批量越大，梯度噪声越小。在数据曲面上从数据中抽取批量（批量 ≥ N 即全批量）。'),
    ),
    "clip_value": _run_spec(
        "clip_value", "float", 0.0, "a positive number", low_inclusive=False, default=1.0, symbol="c",
        ui=(1e-3, 100.0), log=True,
        help=("Each gradient coordinate is clipped to [-c, c].", "梯度的每个分量被截断到 [-c, c]。"),
    ),
    "clip_norm": _run_spec(
        "clip_norm", "float", 0.0, "a positive number", low_inclusive=False, default=1.0, symbol="c",
        ui=(1e-3, 100.0), log=True,
        help=("The gradient is rescaled so its length is at most c.", "梯度按比例缩放，使其长度不超过 c。"),
    ),
    "escape_radius": _run_spec("escape_radius", "float", 0.0, "a positive number", low_inclusive=False),
}


class SurfaceLike(Protocol):
    """What ``run`` needs of a surface (``surfaces.Surface`` has all of it)."""

    def f(self, p: np.ndarray) -> np.ndarray: ...
    def grad(self, p: np.ndarray) -> np.ndarray: ...
    def hessian(self, p: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class Trajectory:
    """The result of :func:`run`.

    ``points`` (T, B, 2) and ``losses`` (T, B) at the recorded steps ``step_index`` (T,)
    (every step by default, so T = steps + 1); ``lrs`` (steps,) the rate used at each step;
    ``diverged_at`` (B,) the first step whose iterate left the finite world, -1 if never.
    With ``record_internals``: ``grads`` and ``updates`` (steps, B, 2), the gradient the
    optimizer saw (after noise and clipping) and the step actually taken, and ``internals``,
    the optimizer's inspected state after each step (e.g. ``momentum``, ``step_size``).
    ``steps_per_epoch``: on a data surface, the steps one pass over the data takes
    (ceil(N / b); 1 for the full batch), 0 on an analytic surface.
    """

    points: np.ndarray
    losses: np.ndarray
    lrs: np.ndarray
    diverged_at: np.ndarray
    step_index: np.ndarray
    label: str = ""
    grads: np.ndarray | None = None
    updates: np.ndarray | None = None
    internals: Mapping[str, np.ndarray] = field(default_factory=dict)
    steps_per_epoch: int = 0

    @property
    def epoch_boundaries(self) -> np.ndarray:
        """The steps at which an epoch ends (k * steps_per_epoch, up to the last step);
        empty on an analytic surface. Step t's point is ``points[step_index == t]``."""
        if not self.steps_per_epoch:
            return np.empty(0, dtype=int)
        last = int(self.step_index[-1])
        return np.arange(self.steps_per_epoch, last + 1, self.steps_per_epoch)

    @property
    def final_points(self) -> np.ndarray:
        return self.points[-1]

    @property
    def final_losses(self) -> np.ndarray:
        return self.losses[-1]

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_at >= 0


def _recorded_steps(steps: int, record_every: int) -> np.ndarray:
    if record_every == 0:
        return np.array([0, steps]) if steps else np.array([0])
    index = np.arange(0, steps + 1, record_every)
    return index if index[-1] == steps else np.append(index, steps)


def _escape_radius(surface: Any, start: np.ndarray) -> np.ndarray:
    """Per row: ten times the view, or ten times the start if it lies further out.

    A run that far out has left the picture for good (it explodes, or runs off to -inf on a
    saddle), and the next gradient is still far from overflowing. Per row, so that one
    start never changes another's verdict.
    """
    bounds = getattr(surface, "bounds", None)
    extent = 1e5 if bounds is None else max(abs(float(v)) for pair in bounds for v in pair)
    return ESCAPE_FACTOR * np.maximum(np.abs(start).max(axis=-1), max(extent, 1.0))


def recorded_bytes(steps: int, record_every: int, n_starts: int, record_internals: bool = False) -> int:
    """The memory a run's recorded output takes: float64 points and losses at every recorded
    step, and with ``record_internals`` the gradient, the update and up to three internal
    vectors (momentum, step size, ...) at every step."""
    recorded = 2 if record_every == 0 else steps // record_every + 2  # at most; the last step is always kept
    per_point = 8 * (2 + 1)
    internals = 8 * steps * 2 * (2 + 3) if record_internals else 0
    return n_starts * (recorded * per_point + internals)


def _check_memory(steps: int, record_every: int, n_starts: int, record_internals: bool) -> None:
    needed = recorded_bytes(steps, record_every, n_starts, record_internals)
    if needed > MAX_RECORDED_BYTES:
        raise ValueError(
            f"This run would record {needed / 1e9:.1f} GB ({n_starts} starts x {steps} steps), more than the "
            f"{MAX_RECORDED_BYTES / 1e9:.0f} GB budget: record fewer points with record_every=k (every k-th step) "
            "or record_every=0 (first and last only)"
            + (", or leave out record_internals" if record_internals else "")
        )


def run(
    optimizer: Optimizer,
    surface: SurfaceLike,
    x0: Any,
    steps: int = 300,
    seed: int = 0,
    *,
    schedule: Schedule | None = None,
    clip_value: float | None = None,
    clip_norm: float | None = None,
    noise: float = 0.0,
    batch_size: int | None = None,
    record_every: int = 1,
    record_internals: bool = False,
    escape_radius: float | None = None,
) -> Trajectory:
    """Run ``optimizer`` on ``surface`` from ``x0`` ((2,) or (B, 2)) for ``steps`` steps.

    Each step: ``g = grad f(theta)`` (+ mini-batch noise of variance ``noise**2/batch_size``),
    clipped by value then by norm, then ``theta += update(g)`` with the step's scheduled rate.

    On a surface made from data (one with ``n_examples`` and ``batch_grad(p, index)``, e.g.
    ``surfaces.get_surface("data_linreg")``) the gradient is the real thing: with
    ``batch_size = b < N`` each step's gradient is the mean of the per-example gradients of
    a batch drawn without replacement, every row (start) with its own order, reshuffled each
    epoch of ceil(N / b) steps and reproducible from ``seed`` (see
    :class:`optimizers.noise.MinibatchSampler`; row 0 sees the order a single start sees);
    ``batch_size=None`` or ``>= N`` is the full batch, ``grad f``. ``noise``, if set, adds its
    Gaussian model on top. Newton-type optimizers use the full Hessian. ``batch_size=None``
    counts as 1 for the Gaussian noise model.
    ``record_every=k`` keeps every k-th point (and the last); ``0`` keeps only first and last,
    so a 256 x 256 grid needs memory for two frames, not ``steps + 1``.
    """
    arguments = {
        "steps": steps, "record_every": record_every, "batch_size": batch_size, "noise": noise,
        "clip_value": clip_value, "clip_norm": clip_norm, "escape_radius": escape_radius,
    }
    for name, value in arguments.items():
        if value is not None:
            RUN_SPECS[name].validate(value)
    start = _checked_start(x0, surface)
    _check_memory(int(steps), int(record_every), start.shape[0], record_internals)

    steps = int(steps)
    lrs = (schedule or Schedule()).lrs(optimizer.lr, steps)
    radius = escape_radius or _escape_radius(surface, start)
    rng = np.random.default_rng(seed)
    n_starts = start.shape[0]
    sampler = _sampler(surface, batch_size, n_starts, seed)
    noise_batch = 1 if batch_size is None else int(batch_size)

    step_index = _recorded_steps(steps, int(record_every))
    points = np.empty((len(step_index), n_starts, 2))
    points[0] = start
    slot_of_step = np.full(steps + 1, -1)
    slot_of_step[step_index] = np.arange(len(step_index))

    log = _InternalsLog(steps, n_starts) if record_internals else None

    params = start
    state = optimizer.init(params)
    alive = np.ones(n_starts, dtype=bool)
    diverged_at = np.full(n_starts, -1)
    with np.errstate(all="ignore"):
        for t in range(steps):
            raw = surface.grad(params) if sampler is None else surface.batch_grad(params, sampler.indices(t))
            grads = _seen_gradient(raw, rng, noise, noise_batch, clip_value, clip_norm)
            hessian = surface.hessian(params) if optimizer.needs_hessian else None
            updates, state = optimizer.update(grads, state, params, lr=lrs[t], hessian=hessian)
            moved = params + updates
            # One comparison per coordinate catches NaN, infinity and escape (NaN <= r is
            # False); per-column, because a reduction over an axis of length 2 is slow.
            escaped = ~((np.abs(moved[:, 0]) <= radius) & (np.abs(moved[:, 1]) <= radius))
            diverged_at[escaped & alive] = t + 1
            alive &= ~escaped
            frozen = ~alive
            moved[frozen] = params[frozen]  # cheap when few rows are frozen
            if log is not None:
                log.record(t, alive, grads, moved - params, optimizer.inspect(state, lr=lrs[t]))
            params = moved
            slot = slot_of_step[t + 1]
            if slot >= 0:
                points[slot] = params
        losses = surface.f(points)

    losses = _freeze_where_loss_is_not_finite(points, losses, step_index, diverged_at)
    return Trajectory(
        points=points,
        losses=losses,
        lrs=lrs,
        diverged_at=diverged_at,
        step_index=step_index,
        label=optimizer.label(),
        grads=log.grads if log else None,
        updates=log.updates if log else None,
        internals=log.internals if log else {},
        steps_per_epoch=_steps_per_epoch(surface, sampler),
    )


def _is_data_surface(surface: Any) -> bool:
    return getattr(surface, "n_examples", None) is not None and callable(getattr(surface, "batch_grad", None))


def _sampler(surface: Any, batch_size: int | None, n_starts: int, seed) -> MinibatchSampler | None:
    """The mini-batch sampler of a data surface with batch_size < N, else None (full
    gradient). Refuses a run whose per-epoch orders (starts x examples) would not fit."""
    if batch_size is None or not _is_data_surface(surface) or batch_size >= surface.n_examples:
        return None
    n_examples = int(surface.n_examples)
    if n_starts * n_examples > MAX_ORDER_ELEMENTS:
        raise ValueError(
            f"Mini-batches for {n_starts} starts over {n_examples} examples need {n_starts * n_examples} "
            f"indices per epoch, more than {MAX_ORDER_ELEMENTS}: use fewer starts or the full batch "
            f"(batch_size=None or >= {n_examples})"
        )
    return MinibatchSampler(n_examples, int(batch_size), n_starts, seed)


def _steps_per_epoch(surface: Any, sampler: MinibatchSampler | None) -> int:
    if sampler is not None:
        return sampler.steps_per_epoch
    return 1 if _is_data_surface(surface) else 0


def _checked_start(x0: Any, surface: SurfaceLike) -> np.ndarray:
    """The starts as a (B, 2) array, each finite and where f is defined."""
    start = np.array(x0, dtype=float)
    if start.shape == (2,):
        start = start[None, :]
    if start.ndim != 2 or start.shape[1] != 2:
        raise ValueError(f"x0 must have shape (2,) or (B, 2), got {np.shape(x0)}")
    if not np.isfinite(start).all():
        raise ValueError("x0 must be finite")
    with np.errstate(all="ignore"):
        start_losses = surface.f(start)
    if not np.isfinite(start_losses).all():
        x, y = start[~np.isfinite(start_losses)][0]
        raise ValueError(f"f is not defined at the start point ({x:g}, {y:g}); pick another start")
    return start


def _seen_gradient(grads, rng, noise: float, batch_size: int, clip_value: float | None, clip_norm: float | None):
    """The gradient the optimizer sees: the true one, plus mini-batch noise of variance
    ``noise**2 / batch_size``, clipped by value, then by norm."""
    if noise:
        grads = grads + sample_gradient_noise(rng, grads.shape, noise, batch_size)
    if clip_value is not None:
        grads = clip_by_value(grads, clip_value)
    if clip_norm is not None:
        grads = clip_by_norm(grads, clip_norm)
    return grads


class _InternalsLog:
    """What ``record_internals`` keeps at every step: the gradient seen, the step taken and
    the optimizer's inspected state; zero for rows that have stopped."""

    def __init__(self, steps: int, n_starts: int):
        self.shape = (steps, n_starts, 2)
        self.grads = np.zeros(self.shape)
        self.updates = np.zeros(self.shape)
        self.internals: dict[str, np.ndarray] = {}

    def record(self, t: int, alive: np.ndarray, grads, updates, inspected: Mapping[str, np.ndarray]) -> None:
        keep = alive[:, None]
        self.grads[t] = np.where(keep, grads, 0.0)
        self.updates[t] = updates
        for name, value in inspected.items():
            log = self.internals.setdefault(name, np.zeros(self.shape))
            log[t] = np.where(keep & np.isfinite(value), value, 0.0)


def _freeze_where_loss_is_not_finite(points, losses, step_index, diverged_at):
    """A finite point can still overflow f (e.g. exp of a large number): treat that as
    divergence too, freezing the row at its last recorded point (the start's loss is known
    to be finite). With ``record_every > 1`` the reported step is the recorded one."""
    bad = ~np.isfinite(losses)
    if not bad.any():
        return losses
    for row in np.flatnonzero(bad.any(axis=0)):
        first = int(np.argmax(bad[:, row]))
        keep = max(first - 1, 0)
        points[first:, row] = points[keep, row]
        losses[first:, row] = losses[keep, row]
        step = int(step_index[first])
        if diverged_at[row] < 0 or step < diverged_at[row]:
            diverged_at[row] = step
    return losses
