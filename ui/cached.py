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


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_run(
    surface: SurfaceKey, start: tuple[float, float], steps: int, seed: int, entry: OptimizerEntry, internals: bool
) -> Trajectory:
    return entry.run(surface_from_key(surface), start, steps, seed, record_internals=internals)


@st.cache_resource(max_entries=128, show_spinner=False)
def map_data_of(scene: Scene, **options) -> dict:
    """The browser map's data of ``scene`` (``viz.browser.map_data`` options), built once for
    every session that shows the same scene the same way. Shared: never changed after."""
    surface, trajectories = trajectories_of(scene)
    return map_data(scene, surface, trajectories, **options)


@st.cache_resource(max_entries=16, show_spinner=False)
def start_fan_of(scene: Scene, bounds: tuple) -> dict | None:
    """The paths from a grid of starts over ``bounds`` (``viz.browser.start_fan``) that a
    dragged start handle shows, once per scene for every session; None where a batch of
    starts would not run each start exactly as on its own (noise, mini-batches)."""
    surface = surface_from_key(scene.surface_key)
    return start_fan(scene, surface, bounds) if fan_exact(scene, surface) else None


@st.cache_resource(max_entries=32, show_spinner=False)
def knob_fan_of(scene: Scene, run: int, name: str, part: int | None, low: float, high: float, log: bool) -> dict | None:
    """Optimizer ``run``'s paths over the values its dragged slider snaps to
    (``viz.browser.knob_fan``), once per scene and slider for every session; None where a
    run is not exactly repeatable (noise, mini-batches)."""
    surface = surface_from_key(scene.surface_key)
    if not fan_exact(scene, surface):
        return None
    current = float(scene.optimizers[run].hparam(name, part))
    return knob_fan(scene, surface, run, name, part, snap_values(low, high, log, current))


def trajectories_of(scene: Scene, internals: bool = False) -> tuple[Surface, list[Trajectory]]:
    """The scene's surface and one trajectory per optimizer, the same as
    ``scene.run_scene(scene, record_internals=internals)``. Only "inside the optimizer" needs
    the internals: recording them is a sixth of a run's time, paid on every slider move."""
    surface = surface_from_key(scene.surface_key)
    start = tuple(float(v) for v in scene.start_point(surface))
    return surface, [
        _cached_run(scene.surface_key, start, scene.steps, scene.seed, entry, internals) for entry in scene.optimizers
    ]


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
