"""A scene: everything a picture is drawn from, as plain hashable values.

The app state, a URL, a lesson and an export request are all a :class:`Scene`, so the same
state renders the same figure in the browser, a GIF and an HTML file. A scene and each of its
optimizer entries are validated once, when built, by the field tables (``scene.fields``) and
the core's own factories, and kept in canonical form: values at their defaults left out, so
two ways of writing the same settings compare equal, hash alike and make the same URL. An
invalid value raises ``ValueError`` with the core's (torch's) wording, whichever way it came:
the Python API, a JSON dict, a URL or the command line.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from optimizers import Trajectory, get_optimizer, get_schedule, optimizer_info, run, schedule_specs
from surfaces import Surface, data_surface_from_csv, from_expression, get_surface, list_surfaces

from .fields import (
    BOUNDS,
    CUSTOM_SURFACE,
    ENTRY_FIELDS,
    MAX_OPTIMIZERS,
    SCENE_FIELDS,
    START_LIMIT,
    UPLOAD_SURFACE,
)

SurfaceKey = tuple[str, tuple[tuple[str, float], ...], str]
Pairs = tuple[tuple[str, Any], ...]
START_DECIMALS = 6  # a start is kept to this many decimals; this close to the default start, it is the default


def _pairs(values: Mapping[str, Any] | Pairs, what: str) -> dict[str, Any]:
    if isinstance(values, Mapping):
        return dict(values)
    try:
        return {str(name): value for name, value in values}
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a mapping of names to values, got {values!r}") from None


def _plain(value: Any) -> Any:
    """Lists (from JSON) and tuples (from widgets) compare equal."""
    return tuple(_plain(v) for v in value) if isinstance(value, list | tuple) else value


def _changed(values: Mapping[str, Any], defaults: Mapping[str, Any], keep: tuple[str, ...] = ()) -> Pairs:
    return tuple(
        (name, _plain(value)) for name, value in sorted(values.items())
        if name in keep or _plain(value) != _plain(defaults.get(name))
    )


def _set(obj: Any, **values: Any) -> None:
    for name, value in values.items():
        object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class OptimizerEntry:
    """One optimizer of a scene with its own settings (the same name may appear twice).

    ``hparams`` and ``schedule_params`` hold the values that differ from the defaults (the
    learning rate is always kept); a dict is accepted and stored as sorted pairs.
    """

    name: str
    hparams: Pairs = ()
    schedule: str = "constant"
    schedule_params: Pairs = ()
    warmup_iters: int = 0
    clip_value: float | None = None
    clip_norm: float | None = None
    noise: float = 0.0
    batch_size: int | None = None  # None: the full batch (scene.fields.ENTRY_FIELDS)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise ValueError(f"An optimizer's name must be text, got {self.name!r}")
        given = _pairs(self.hparams, "hparams")
        optimizer = get_optimizer(self.name, **given)  # ValueError with torch's wording
        schedule = get_schedule(str(self.schedule), **_pairs(self.schedule_params, "schedule_params"))
        defaults = {spec.name: spec.default for spec in optimizer.specs}
        schedule_defaults = {spec.name: spec.default for spec in schedule_specs(schedule.name)}
        _set(
            self,
            hparams=_changed(dict(optimizer.hparams), defaults, keep=("lr",)),
            schedule=schedule.name,
            schedule_params=_changed(dict(schedule.params), schedule_defaults),
            **{f.name: f.validate(getattr(self, f.name)) for f in ENTRY_FIELDS},
        )

    @staticmethod
    def of(name: str, **hparams: Any) -> OptimizerEntry:
        return OptimizerEntry(name, tuple(sorted(hparams.items())))

    def build(self):
        """The optimizer (already validated when this entry was made)."""
        return get_optimizer(self.name, **dict(self.hparams))

    def hparam(self, name: str, part: int | None = None) -> Any:
        """The value of hyperparameter ``name``, its default when not given; ``part``: one
        number of a pair such as ``betas``."""
        value = dict(self.build().hparams)[name]
        return value if part is None else value[part]

    def with_hparam(self, name: str, value: Any, part: int | None = None) -> OptimizerEntry:
        """This entry with ``name`` (or one ``part`` of a pair) set to ``value``; ValueError
        with torch's wording if the optimizer refuses it."""
        if part is not None:
            pair = list(self.hparam(name))
            pair[part] = value
            value = tuple(pair)
        return replace(self, hparams={**dict(self.hparams), name: value})

    def draws_samples(self, surface: Surface) -> bool:
        """Whether a run draws random samples (gradient noise, or mini-batches of a data
        surface: the full batch is written None), so that two runs from two starts of one
        batch are not each the run of its own start."""
        return self.noise > 0 or (self.batch_size is not None and hasattr(surface, "n_examples"))

    def build_schedule(self):
        return get_schedule(self.schedule, warmup_iters=self.warmup_iters, **dict(self.schedule_params))

    def run_options(self, with_noise: bool = True) -> dict[str, Any]:
        """What of this entry besides the optimizer goes to ``optimizers.run``."""
        options: dict[str, Any] = {"schedule": self.build_schedule()}
        for f in ENTRY_FIELDS:
            if f.name != "warmup_iters" and (with_noise or f.name not in ("noise", "batch_size")):
                options[f.name] = getattr(self, f.name)
        return options

    def run(self, surface: Surface, start: Any, steps: int, seed: int = 0, **extra: Any) -> Trajectory:
        """This entry's run on ``surface`` from ``start`` (extra: e.g. ``record_internals``)."""
        return run(self.build(), surface, start, steps=steps, seed=seed, **self.run_options(), **extra)

    @property
    def title(self) -> dict[str, str]:
        return dict(optimizer_info(self.name).title)


MAX_UPLOADS = 32  # uploaded data surfaces this process keeps (each at most MAX_ROWS examples)
_UPLOADS: OrderedDict[str, Surface] = OrderedDict()
UPLOAD_MISSING = (
    "This link names uploaded data that is not here: a link never carries the data itself. "
    "Choose 'Your own data (CSV)' and upload the file again."
)


def register_upload(data: bytes, model: str) -> str:
    """Build the data surface of a user's CSV ``data`` for ``model`` (ValueError with the
    loader's message if the file is refused) and keep it in this process under its
    fingerprint, which a scene names as ``Scene(UPLOAD_SURFACE, formula=fingerprint)``.
    The data stays on the server: a URL carries only the fingerprint."""
    fingerprint = hashlib.sha256(model.encode() + b"\0" + bytes(data)).hexdigest()[:20]
    if fingerprint not in _UPLOADS:
        _UPLOADS[fingerprint] = data_surface_from_csv(bytes(data), model=model, name=UPLOAD_SURFACE)
    _UPLOADS.move_to_end(fingerprint)
    while len(_UPLOADS) > MAX_UPLOADS:
        _UPLOADS.popitem(last=False)
    return fingerprint


@lru_cache(maxsize=64)
def surface_from_key(key: SurfaceKey) -> Surface:
    """The surface named by ``(name, params, formula)``; ValueError if invalid. Surfaces are
    immutable, so one built surface serves every scene and session that names it."""
    name, params, formula = key
    if name == CUSTOM_SURFACE:
        return from_expression(formula)
    if name == UPLOAD_SURFACE:
        if formula not in _UPLOADS:
            raise ValueError(UPLOAD_MISSING)
        return _UPLOADS[formula]
    if name not in list_surfaces():
        raise ValueError(f"Unknown surface {name!r}; valid: {', '.join(list_surfaces())}, {CUSTOM_SURFACE}")
    return get_surface(name, **dict(params))


def _default_entries() -> tuple[OptimizerEntry, ...]:
    return (
        OptimizerEntry.of("sgd", lr=0.05),
        OptimizerEntry.of("momentum", lr=0.05),
        OptimizerEntry.of("rmsprop", lr=0.02),
        OptimizerEntry.of("adam", lr=0.05),
    )


@dataclass(frozen=True)
class Scene:
    """A surface (a library name with parameters, or a typed formula), a start (``None``: the
    surface's default start), the number of steps, the noise seed, 1 to 8 optimizers and the
    part of the plane a picture shows (``bounds``: ``scene.fields.BoundsField``)."""

    surface: str = "three_minima"
    surface_params: tuple[tuple[str, float], ...] = ()
    formula: str = ""
    start: tuple[float, float] | None = None
    steps: int = 300
    seed: int = 0
    optimizers: tuple[OptimizerEntry, ...] = field(default_factory=_default_entries)
    bounds: str | tuple[tuple[float, float], tuple[float, float]] = BOUNDS.default

    def __post_init__(self) -> None:
        entries = tuple(self.optimizers) if isinstance(self.optimizers, list | tuple) else ()
        if not 1 <= len(entries) <= MAX_OPTIMIZERS or not all(isinstance(e, OptimizerEntry) for e in entries):
            raise ValueError(f"optimizers must be a list of 1 to {MAX_OPTIMIZERS} entries")
        custom = self.surface in (CUSTOM_SURFACE, UPLOAD_SURFACE)  # named by its formula (or fingerprint)
        params = {} if custom else _pairs(self.surface_params, "surface_params")
        _set(
            self, optimizers=entries, formula=str(self.formula) if custom else "",
            **{f.name: f.validate(getattr(self, f.name)) for f in SCENE_FIELDS},
        )
        try:
            surface = surface_from_key((str(self.surface), tuple(sorted(params.items())), self.formula))
        except TypeError:  # an unhashable value (a list from JSON) in the cache key
            raise ValueError(f"surface_params must map names to numbers, got {params!r}") from None
        defaults = {spec.name: spec.default for spec in surface.param_specs}
        changed = () if custom else tuple((k, float(v)) for k, v in _changed(surface.params, defaults))
        _set(self, surface_params=changed, start=_checked_start(self.start, surface),
             bounds=BOUNDS.validate(self.bounds, start_reach(surface)),
             optimizers=tuple(_full_batch_as_none(entry, surface) for entry in entries))

    @property
    def surface_key(self) -> SurfaceKey:
        """The plain values that name this scene's surface (a cache key)."""
        return (self.surface, self.surface_params, self.formula)

    def build_surface(self) -> Surface:
        return surface_from_key(self.surface_key)

    def start_point(self, surface: Surface | None = None) -> np.ndarray:
        if self.start is not None:
            return np.array(self.start, dtype=float)
        return np.array((surface or self.build_surface()).default_start, dtype=float)

    def with_start(self, x: float, y: float) -> Scene:
        return replace(self, start=(float(x), float(y)))


def _full_batch_as_none(entry: OptimizerEntry, surface: Surface) -> OptimizerEntry:
    """On a data surface a batch of N examples or more is the full batch, written ``None``
    (so ``batch_size=150`` and ``full`` on 150 examples are one scene); with the noise
    model on, the number also divides the noise and is kept."""
    n_examples = getattr(surface, "n_examples", None)
    if n_examples is None or entry.batch_size is None or entry.noise or entry.batch_size < n_examples:
        return entry
    return replace(entry, batch_size=None)


def start_reach(surface: Surface) -> float:
    """How far from the origin a start may lie: a few views out, so a lesson can start
    outside the default view (the picture widens to show it), but not off any picture."""
    return START_LIMIT * max(abs(v) for pair in surface.bounds for v in pair)


def _checked_start(start: Any, surface: Surface) -> tuple[float, float] | None:
    """Two finite numbers within reach of the view, or None for the default start."""
    if start is None:
        return None
    if isinstance(start, str | bytes) or not isinstance(start, list | tuple | np.ndarray) or len(start) != 2:
        raise ValueError(f"start must be two numbers, got {start!r}")
    for value, axis in zip(start, "xy", strict=True):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number) or not _finite(value):
            raise ValueError(f"start {axis} must be a finite number, got {value!r}")
    # Kept to the decimals the sidebar shows and a URL carries, so every door gives the same start.
    x, y = round(float(start[0]), START_DECIMALS), round(float(start[1]), START_DECIMALS)
    reach = start_reach(surface)
    if max(abs(x), abs(y)) > reach:
        raise ValueError(
            f"start ({x:g}, {y:g}) is far outside the view; "
            f"use coordinates within {START_LIMIT:g} times the view ({reach:g})"
        )
    default = surface.default_start
    if all(math.isclose(a, float(b), abs_tol=10.0**-START_DECIMALS) for a, b in zip((x, y), default, strict=True)):
        return None
    return (x, y)


def _finite(value) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int beyond float range
        return False


def run_scene(scene: Scene, record_internals: bool = False) -> tuple[Surface, list[Trajectory]]:
    """Run every optimizer of the scene from its start; one Trajectory (B = 1) each."""
    surface = scene.build_surface()
    start = scene.start_point(surface)
    trajectories = [
        entry.run(surface, start, scene.steps, scene.seed, record_internals=record_internals)
        for entry in scene.optimizers
    ]
    return surface, trajectories
