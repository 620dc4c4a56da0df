"""A scene: everything a picture is drawn from, as plain hashable values.

The app state, a URL, a preset and an export request are all a :class:`Scene`; so the
same state renders the same figure in the browser, a GIF and an HTML file. ``to_dict`` /
``scene_from_dict`` give a JSON-friendly form; junk raises ``ValueError`` with a reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from optimizers import Trajectory, get_optimizer, get_schedule, run
from surfaces import Surface, from_expression, get_surface, list_surfaces

SurfaceKey = tuple[str, tuple[tuple[str, float], ...], str]
MAX_STEPS = 5000
MAX_OPTIMIZERS = 8
CUSTOM_SURFACE = "custom"
START_LIMIT = 5.0  # a start beyond five views is off any picture a lesson draws


@dataclass(frozen=True)
class OptimizerEntry:
    """One optimizer of a scene with its own settings (the same name may appear twice)."""

    name: str
    hparams: tuple[tuple[str, Any], ...] = ()
    schedule: str = "constant"
    schedule_params: tuple[tuple[str, Any], ...] = ()
    warmup_iters: int = 0
    clip_value: float | None = None
    clip_norm: float | None = None
    noise: float = 0.0
    batch_size: int = 1

    @staticmethod
    def of(name: str, **hparams: Any) -> OptimizerEntry:
        return OptimizerEntry(name, tuple(sorted(hparams.items())))

    def build(self):
        """The validated optimizer (ValueError with torch's wording if invalid)."""
        return get_optimizer(self.name, **dict(self.hparams))

    def build_schedule(self):
        return get_schedule(self.schedule, warmup_iters=self.warmup_iters, **dict(self.schedule_params))

    def run_options(self, with_noise: bool = True) -> dict[str, Any]:
        """What of this entry besides the optimizer goes to ``optimizers.run``."""
        options: dict[str, Any] = dict(
            schedule=self.build_schedule(), clip_value=self.clip_value, clip_norm=self.clip_norm
        )
        if with_noise:
            options.update(noise=self.noise, batch_size=self.batch_size)
        return options

    def run(self, surface: Surface, start: Any, steps: int, seed: int = 0, **extra: Any) -> Trajectory:
        """This entry's run on ``surface`` from ``start`` (extra: e.g. ``record_internals``)."""
        return run(self.build(), surface, start, steps=steps, seed=seed, **self.run_options(), **extra)

    def label(self) -> str:
        text = self.build().label()
        extras = []
        if self.schedule != "constant":
            extras.append(self.schedule)
        if self.warmup_iters:
            extras.append(f"warmup {self.warmup_iters}")
        if self.clip_value is not None:
            extras.append(f"clip value {self.clip_value:g}")
        if self.clip_norm is not None:
            extras.append(f"clip norm {self.clip_norm:g}")
        if self.noise:
            extras.append(f"noise {self.noise:g}, batch {self.batch_size}")
        return text + (f" [{'; '.join(extras)}]" if extras else "")


@dataclass(frozen=True)
class Scene:
    surface: str = "three_minima"
    surface_params: tuple[tuple[str, float], ...] = ()
    formula: str = ""
    start: tuple[float, float] | None = None
    steps: int = 300
    seed: int = 0
    optimizers: tuple[OptimizerEntry, ...] = field(
        default_factory=lambda: (
            OptimizerEntry.of("sgd", lr=0.05),
            OptimizerEntry.of("momentum", lr=0.05),
            OptimizerEntry.of("rmsprop", lr=0.02),
            OptimizerEntry.of("adam", lr=0.05),
        )
    )

    @property
    def surface_key(self) -> SurfaceKey:
        """The plain values that name this scene's surface (a cache key)."""
        return (self.surface, tuple(sorted(self.surface_params)), self.formula)

    def build_surface(self) -> Surface:
        return surface_from_key(self.surface_key)

    def start_point(self, surface: Surface | None = None) -> np.ndarray:
        if self.start is not None:
            return np.array(self.start, dtype=float)
        return np.array((surface or self.build_surface()).default_start, dtype=float)

    def with_start(self, x: float, y: float) -> Scene:
        return replace(self, start=(float(x), float(y)))


def surface_from_key(key: SurfaceKey) -> Surface:
    """Build the surface named by ``(name, params, formula)``; ValueError if invalid."""
    name, params, formula = key
    if name == CUSTOM_SURFACE:
        return from_expression(formula)
    return get_surface(name, **dict(params))


def run_scene(scene: Scene, record_internals: bool = False) -> tuple[Surface, list[Trajectory]]:
    """Run every optimizer of the scene from its start; one Trajectory (B = 1) each."""
    surface = scene.build_surface()
    start = scene.start_point(surface)
    trajectories = [
        entry.run(surface, start, scene.steps, scene.seed, record_internals=record_internals)
        for entry in scene.optimizers
    ]
    return surface, trajectories


# ----------------------------------------------------------------------------- plain dicts


def to_dict(scene: Scene) -> dict[str, Any]:
    """JSON-friendly form (lists, numbers, strings), the inverse of :func:`scene_from_dict`."""
    return {
        "surface": scene.surface,
        "surface_params": dict(scene.surface_params),
        "formula": scene.formula,
        "start": list(scene.start) if scene.start is not None else None,
        "steps": scene.steps,
        "seed": scene.seed,
        "optimizers": [
            {
                "name": e.name,
                "hparams": {k: list(v) if isinstance(v, tuple) else v for k, v in e.hparams},
                "schedule": e.schedule,
                "schedule_params": {k: list(v) if isinstance(v, tuple) else v for k, v in e.schedule_params},
                "warmup_iters": e.warmup_iters,
                "clip_value": e.clip_value,
                "clip_norm": e.clip_norm,
                "noise": e.noise,
                "batch_size": e.batch_size,
            }
            for e in scene.optimizers
        ],
    }


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def _whole(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, got {value!r}")
    return int(value)


def _tupled(mapping: Any, what: str) -> tuple[tuple[str, Any], ...]:
    if not isinstance(mapping, dict):
        raise ValueError(f"{what} must be a mapping, got {mapping!r}")
    return tuple(sorted((str(k), tuple(v) if isinstance(v, list) else v) for k, v in mapping.items()))


def scene_from_dict(data: Any) -> Scene:
    """Validate a plain dict into a Scene. Every problem raises ValueError saying what."""
    if not isinstance(data, dict):
        raise ValueError("A scene must be a mapping")
    default = Scene()
    surface = data.get("surface", default.surface)
    if surface != CUSTOM_SURFACE and surface not in list_surfaces():
        raise ValueError(f"Unknown surface {surface!r}; valid: {', '.join(list_surfaces())}, {CUSTOM_SURFACE}")
    start = data.get("start")
    if start is not None:
        if not isinstance(start, list | tuple) or len(start) != 2:
            raise ValueError(f"start must be two numbers, got {start!r}")
        start = (_number(start[0], "start x"), _number(start[1], "start y"))
    entries = []
    raw_entries = data.get("optimizers", None)
    if raw_entries is None:
        entries = list(default.optimizers)
    else:
        if not isinstance(raw_entries, list) or not 1 <= len(raw_entries) <= MAX_OPTIMIZERS:
            raise ValueError(f"optimizers must be a list of 1 to {MAX_OPTIMIZERS} entries")
        for raw in raw_entries:
            if not isinstance(raw, dict) or "name" not in raw:
                raise ValueError(f"each optimizer needs a name, got {raw!r}")
            clip_value, clip_norm = raw.get("clip_value"), raw.get("clip_norm")
            entry = OptimizerEntry(
                name=str(raw["name"]),
                hparams=_tupled(raw.get("hparams", {}), "hparams"),
                schedule=str(raw.get("schedule", "constant")),
                schedule_params=_tupled(raw.get("schedule_params", {}), "schedule_params"),
                warmup_iters=_whole(raw.get("warmup_iters", 0), "warmup_iters", 0, MAX_STEPS),
                clip_value=None if clip_value is None else _number(clip_value, "clip_value"),
                clip_norm=None if clip_norm is None else _number(clip_norm, "clip_norm"),
                noise=_number(raw.get("noise", 0.0), "noise"),
                batch_size=_whole(raw.get("batch_size", 1), "batch_size", 1, 100_000),
            )
            entry.build()  # validates name and hyperparameters with torch's wording
            entry.build_schedule()
            entries.append(entry)
    scene = Scene(
        surface=surface,
        surface_params=_tupled(data.get("surface_params", {}), "surface_params"),
        formula=str(data.get("formula", "")),
        start=start,
        steps=_whole(data.get("steps", default.steps), "steps", 1, MAX_STEPS),
        seed=_whole(data.get("seed", 0), "seed", 0, 2**31 - 1),
        optimizers=tuple(entries),
    )
    surface = scene.build_surface()  # validates surface parameters or the formula
    if start is not None:
        extent = max(abs(v) for pair in surface.bounds for v in pair)
        if max(abs(start[0]), abs(start[1])) > START_LIMIT * extent:
            raise ValueError(
                f"start ({start[0]:g}, {start[1]:g}) is far outside the view; "
                f"use coordinates within {START_LIMIT:g} times the view ({START_LIMIT * extent:g})"
            )
    return scene
