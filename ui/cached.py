"""The app's only caches, keyed by plain values (strings, numbers, tuples, frozen entries).

Each optimizer of a scene is run and cached on its own: moving one optimizer's slider
reruns that optimizer only (about 20 ms for 300 steps), the others come from the cache.
Surfaces come from ``scene.surface_from_key``, which keeps the last 64 built for the whole
process (they are immutable: frozen dataclass, read-only arrays).

The analyses are cached in pieces (a sweep per row, an ensemble per batch size, basins and
tuning per optimizer), so their page can move a progress bar between pieces: an element
touched inside a cached function would be replayed on a cache hit, outside its block.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import streamlit as st

from analysis.basins import BasinMap, basin_map, default_radius
from analysis.ensembles import Ensemble, noise_ensemble
from analysis.sweeps import SweepResult, sweep_row
from analysis.tuning import TuningResult, tune_learning_rate
from optimizers import Trajectory
from scene import OptimizerEntry, Scene, SurfaceKey, surface_from_key
from surfaces import Surface
from ui.widgets import snap_values
from viz.browser import fan_exact, knob_fan, map_data, start_fan

MAX_ENSEMBLE_POINTS = 150  # recorded points per run: enough for a smooth fan, small JSON


def cache_key(*values) -> str:
    """The cache key of plain frozen values (scenes, entries, tuples, numbers, strings): their
    repr, which names every field and round-trips every float. Streamlit hashing the objects
    themselves took ~1 ms a scene and ~0.5 ms an entry, on every rerun of every session; the
    objects go in as further arguments, which :func:`shared` does not look at."""
    return repr(values)


_Built = TypeVar("_Built", bound=Callable[..., Any])


def shared(max_entries: int) -> Callable[[_Built], _Built]:
    """A cache for the whole process, keyed by the function's first argument only (a
    :func:`cache_key`), the least recently used entry dropped beyond ``max_entries``.

    What ``st.cache_resource`` does for these functions, without its per-call key making:
    it hashed the key string and looked up every argument's name with ``inspect.signature``
    on every call, ~0.5 ms a call and ~2.5 ms of every rerun. Like it, values are shared
    (never copied: they are read-only or not changed by their readers) and an exception is
    not cached. Two sessions asking for a missing entry at once may both build it."""

    def decorate(build: _Built) -> _Built:
        entries: OrderedDict[str, Any] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(build)
        def cached(key: str, *args):
            with lock:
                if key in entries:
                    entries.move_to_end(key)
                    return entries[key]
            value = build(key, *args)
            with lock:
                entries[key] = value
                while len(entries) > max_entries:
                    entries.popitem(last=False)
            return value

        def clear() -> None:
            with lock:
                entries.clear()

        cached.clear = clear
        return cached  # type: ignore[return-value]

    return decorate


def browser_json(value) -> str:
    """JSON text for the browser, encoded once for every session (Streamlit encodes a
    component's data twice per run: to send it and to name the element)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


@shared(max_entries=256)
def _cached_run(
    key: str, _surface: SurfaceKey, _start: tuple[float, float], _steps: int, _seed: int, _entry: OptimizerEntry,
    _internals: bool,
) -> Trajectory:
    """One optimizer's run, shared by every session without a copy (st.cache_data unpickled
    each of a page's four runs on every rerun): its arrays are made read-only."""
    trajectory = _entry.run(surface_from_key(_surface), _start, _steps, _seed, record_internals=_internals)
    arrays = [value for value in vars(trajectory).values() if isinstance(value, np.ndarray)]
    for array in [*arrays, *trajectory.internals.values()]:
        array.setflags(write=False)
    return trajectory


@dataclass(frozen=True)
class MapData:
    """``viz.browser.map_data`` as the browser map receives it: the view's bounds (the sidebar
    starts its range there), the landscape picture (sent once per session, so apart) and the
    rest as JSON text."""

    bounds: tuple[tuple[float, float], tuple[float, float]]
    image: str
    picture: str


def map_data_of(scene: Scene, **options) -> MapData:
    """The browser map's data of ``scene`` (``viz.browser.map_data`` options), built once for
    every session that shows the same scene the same way."""
    return _map_data(cache_key(scene, sorted(options.items())), scene, options)


@shared(max_entries=128)
def _map_data(key: str, _scene: Scene, _options: dict) -> MapData:
    surface, trajectories = trajectories_of(_scene)
    data = map_data(_scene, surface, trajectories, **_options)
    bounds = tuple(tuple(float(v) for v in pair) for pair in data["bounds"])
    return MapData(bounds, data["image"], browser_json({name: value for name, value in data.items() if name != "image"}))


def start_fan_of(scene: Scene, bounds: tuple) -> str | None:
    """The paths from a grid of starts over ``bounds`` (``viz.browser.start_fan``, as JSON)
    that a dragged start handle shows, once per scene for every session; None where a batch
    of starts would not run each start exactly as on its own (noise, mini-batches)."""
    return _start_fan(cache_key(scene, bounds), scene, bounds)


@shared(max_entries=16)
def _start_fan(key: str, _scene: Scene, _bounds: tuple) -> str | None:
    surface = surface_from_key(_scene.surface_key)
    return browser_json(start_fan(_scene, surface, _bounds)) if fan_exact(_scene, surface) else None


def knob_fan_of(scene: Scene, run: int, name: str, part: int | None, low: float, high: float, log: bool) -> str | None:
    """Optimizer ``run``'s paths over the values its dragged slider snaps to
    (``viz.browser.knob_fan``, as JSON), once per scene and slider for every session; None
    where a run is not exactly repeatable (noise, mini-batches)."""
    return _knob_fan(cache_key(scene, run, name, part, low, high, log), scene, run, name, part, low, high, log)


@shared(max_entries=32)
def _knob_fan(key: str, _scene: Scene, _run: int, _name: str, _part: int | None, _low: float, _high: float, _log: bool) -> str | None:
    surface = surface_from_key(_scene.surface_key)
    if not fan_exact(_scene, surface):
        return None
    current = float(_scene.optimizers[_run].hparam(_name, _part))
    return browser_json(knob_fan(_scene, surface, _run, _name, _part, snap_values(_low, _high, _log, current)))


def trajectories_of(scene: Scene, internals: bool = False) -> tuple[Surface, list[Trajectory]]:
    """The scene's surface and one trajectory per optimizer, the same as
    ``scene.run_scene(scene, record_internals=internals)``. Only "inside the optimizer" needs
    the internals: recording them is a sixth of a run's time, paid on every slider move."""
    surface = surface_from_key(scene.surface_key)
    start = tuple(float(v) for v in scene.start_point(surface))
    runs = []
    for entry in scene.optimizers:
        key = cache_key(scene.surface_key, start, scene.steps, scene.seed, entry, internals)
        runs.append(_cached_run(key, scene.surface_key, start, scene.steps, scene.seed, entry, internals))
    return surface, runs


# ----------------------------------------------------------------------------- analyses


@st.cache_data(max_entries=32, show_spinner=False)
def cached_basin_map(
    key: SurfaceKey, entry: OptimizerEntry, resolution: int, steps: int, radius_percent: float, seed: int
) -> BasinMap:
    surface = surface_from_key(key)
    radius = default_radius(surface.bounds, surface.minima, fraction=radius_percent / 100)
    return basin_map(entry.build(), surface, resolution, steps, radius=radius, seed=seed, **entry.run_options())


@st.cache_data(max_entries=1024, show_spinner=False)
def cached_sweep_row(
    key: SurfaceKey,
    entry: OptimizerEntry,
    start: tuple[float, float],
    lrs: tuple[float, ...],
    axis: str,
    value: float,
    steps: int,
    noise: float,
    seed: int,
) -> SweepResult:
    options = entry.run_options(with_noise=False)
    options["noise"] = noise
    if axis != "batch_size":
        options["batch_size"] = entry.batch_size
    return sweep_row(entry.build(), surface_from_key(key), start, lrs, axis, value, steps, seed=seed, **options)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_ensemble(
    key: SurfaceKey,
    entry: OptimizerEntry,
    start: tuple[float, float],
    batch_size: int,
    runs: int,
    steps: int,
    noise: float,
    seed: int,
) -> Ensemble:
    return noise_ensemble(
        entry.build(), surface_from_key(key), start, runs, steps, noise=noise, batch_size=batch_size, seed=seed,
        record_every=max(1, steps // MAX_ENSEMBLE_POINTS), **entry.run_options(with_noise=False),
    )


@st.cache_data(max_entries=32, show_spinner=False)
def cached_tuning(
    key: SurfaceKey,
    entry: OptimizerEntry,
    start: tuple[float, float],
    lrs: tuple[float, ...],
    steps: int,
    criterion: str,
    seed: int,
) -> tuple[TuningResult, TuningResult]:
    """The tuning over ``lrs`` and, for comparison, the same criterion at the entry's own rate."""
    surface = surface_from_key(key)
    optimizer = entry.build()
    options = entry.run_options()
    tuned = tune_learning_rate(optimizer, surface, start, lrs, steps, criterion=criterion, seed=seed, **options)
    own = tune_learning_rate(optimizer, surface, start, [optimizer.lr], steps, criterion=criterion, seed=seed, **options)
    return tuned, own
