"""Optimizer building blocks: transforms, chains, hyperparameter specs and validation.

An optimizer is a pair of pure functions over arrays of shape (B, 2), as in optax:

    state = opt.init(params)
    updates, state = opt.update(grads, state, params, lr=lr)
    params = params + updates

Named optimizers (see ``aliases.py``) are chains of small transforms (``transforms.py``).
Every reduction is per row, so the B starting points never influence each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np


class StepContext(NamedTuple):
    """What a transform may need besides the gradient: the step's learning rate
    (after any schedule) and, for second-order methods, the Hessian at ``params``."""

    lr: float
    hessian: np.ndarray | None = None


InitFn = Callable[[np.ndarray], Any]
UpdateFn = Callable[[np.ndarray, Any, np.ndarray, StepContext], tuple[np.ndarray, Any]]
InspectFn = Callable[[Any, StepContext], dict[str, np.ndarray]]


class Transform(NamedTuple):
    """``init(params) -> state``; ``update(updates, state, params, ctx) -> (updates, state)``;
    ``inspect(state, ctx) -> {name: (B, 2) array}`` exposes internal quantities for teaching
    (momentum vector, per-coordinate step size) without changing the update."""

    init: InitFn
    update: UpdateFn
    inspect: InspectFn | None = None


class EmptyState(NamedTuple):
    pass


def stateless(update: Callable[[np.ndarray, np.ndarray, StepContext], np.ndarray]) -> Transform:
    """A transform with no state, from ``update(updates, params, ctx) -> updates``."""

    def init(params):
        return EmptyState()

    def update_fn(updates, state, params, ctx):
        return update(updates, params, ctx), state

    return Transform(init, update_fn)


def chain(*transforms: Transform) -> Transform:
    """Apply transforms in order; the state is the tuple of their states."""

    def init(params):
        return tuple(t.init(params) for t in transforms)

    def update(updates, state, params, ctx):
        new_state = []
        for t, s in zip(transforms, state, strict=True):
            updates, s = t.update(updates, s, params, ctx)
            new_state.append(s)
        return updates, tuple(new_state)

    def inspect(state, ctx):
        found: dict[str, np.ndarray] = {}
        for t, s in zip(transforms, state, strict=True):
            if t.inspect is not None:
                found.update(t.inspect(s, ctx))
        return found

    return Transform(init, update, inspect)


# --------------------------------------------------------------------------------------
# Hyperparameter specs: one table drives validation (torch's wording) and UI widgets.


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter of an optimizer or schedule.

    ``valid_low``/``valid_high`` is the range the API accepts (torch's checks);
    ``ui_low``/``ui_high`` is the narrower range a slider offers, so the UI cannot produce
    an invalid value. ``error`` is torch's message template with ``{value}``.
    ``kind`` is one of "float", "int", "bool", "choice", "pair" (two floats, e.g. betas),
    "ints" (increasing step numbers, e.g. milestones).
    """

    name: str
    default: Any
    symbol: str
    help_en: str
    help_zh: str
    kind: str = "float"
    valid_low: float | None = None
    valid_high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    ui_low: float | None = None
    ui_high: float | None = None
    log: bool = False
    choices: tuple[str, ...] = ()
    choice_help: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    error: str = "Invalid {name} value: {value}"

    @property
    def help(self) -> dict[str, str]:
        return {"en": self.help_en, "zh": self.help_zh}

    def validate(self, value: Any) -> Any:
        """Return ``value`` normalised (pairs as tuples of float), or raise ValueError."""
        if self.kind == "bool":
            if not isinstance(value, bool | np.bool_):
                raise ValueError(f"Invalid {self.name} value: {value} (expected True or False)")
            return bool(value)
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(
                    f"Invalid {self.name} value: {value!r}; choose one of {', '.join(self.choices)}"
                )
            return value
        if self.kind == "ints":
            if isinstance(value, str) or not isinstance(value, Sequence):
                raise ValueError(f"Invalid {self.name} value: {value} (expected a list of steps)")
            steps = []
            for item in value:
                self._check_number(item, f"Invalid {self.name} value: {value}")
                if float(item) != int(item):
                    raise ValueError(f"Invalid {self.name} value: {value}")
                steps.append(int(item))
            if steps != sorted(set(steps)):
                raise ValueError(f"Invalid {self.name} value: {value} (steps must increase)")
            return tuple(steps)
        if self.kind == "pair":
            if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != 2:
                raise ValueError(f"Invalid {self.name} value: {value} (expected two numbers)")
            for index, item in enumerate(value):
                self._check_number(item, f"Invalid beta parameter at index {index}: {item}")
            return (float(value[0]), float(value[1]))
        message = self.error.format(name=self.name, value=value)
        self._check_number(value, message)
        if self.kind == "int":
            if float(value) != int(value):
                raise ValueError(message)
            return int(value)
        return float(value)

    def _check_number(self, value: Any, message: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise ValueError(message)
        try:
            number = float(value)
        except OverflowError:  # an int beyond float range (JSON allows 10**400)
            raise ValueError(message) from None
        # NaN fails every comparison, so `not (low <= x)` rejects it as torch does; we also
        # reject infinity, which torch accepts but no picture can show.
        if not math.isfinite(number):
            raise ValueError(message)
        if self.valid_low is not None:
            inside = self.valid_low <= number if self.low_inclusive else self.valid_low < number
            if not inside:
                raise ValueError(message)
        if self.valid_high is not None:
            inside = number <= self.valid_high if self.high_inclusive else number < self.valid_high
            if not inside:
                raise ValueError(message)


def validate_hparams(
    owner: str, specs: Sequence[HyperParam], given: Mapping[str, Any]
) -> dict[str, Any]:
    """Fill defaults, reject unknown names, validate each value once (never in the loop)."""
    by_name = {spec.name: spec for spec in specs}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        raise ValueError(
            f"Unknown hyperparameter {unknown[0]!r} for {owner}; valid: {', '.join(by_name)}"
        )
    return {
        name: spec.validate(given[name] if name in given else spec.default)
        for name, spec in by_name.items()
    }


# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Optimizer:
    """A named, validated optimizer: a transform plus what the UI and docs need.

    ``update_rule`` is LaTeX for the update this instance computes (its options included);
    ``hparams`` are the validated values, with torch's names.
    """

    name: str
    hparams: Mapping[str, Any]
    transform: Transform
    specs: tuple[HyperParam, ...]
    update_rule: str
    needs_hessian: bool = False

    @property
    def lr(self) -> float:
        return float(self.hparams["lr"])

    def init(self, params: np.ndarray) -> Any:
        return self.transform.init(np.asarray(params, dtype=float))

    def update(
        self,
        grads: np.ndarray,
        state: Any,
        params: np.ndarray,
        lr: float | None = None,
        hessian: np.ndarray | None = None,
    ) -> tuple[np.ndarray, Any]:
        ctx = StepContext(self.lr if lr is None else float(lr), hessian)
        return self.transform.update(grads, state, params, ctx)

    def inspect(self, state: Any, lr: float | None = None) -> dict[str, np.ndarray]:
        """Internal quantities of the current state, e.g. ``momentum`` (the first-moment
        vector, in gradient units) and ``step_size`` (per-coordinate effective learning
        rate of adaptive methods)."""
        if self.transform.inspect is None:
            return {}
        return self.transform.inspect(state, StepContext(self.lr if lr is None else float(lr)))

    def label(self) -> str:
        """Short legend text: name and the hyperparameters that differ from defaults."""
        changed = [
            f"{spec.name}={_short(self.hparams[spec.name])}"
            for spec in self.specs
            if spec.name == "lr" or self.hparams[spec.name] != spec.default
        ]
        return f"{self.name}({', '.join(changed)})"


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_short(v) for v in value) + ")"
    return str(value)
