"""``st.cache_data`` wrappers of the analyses, keyed by plain values only.

A surface is named by ``(name, params, formula)``, an optimizer by its frozen
``OptimizerEntry``, a start by a tuple. Long computations are cached in pieces (a sweep
per row, an ensemble per batch size, basins and tuning per optimizer), so the page can
move a progress bar between pieces: an element touched inside a cached function would be
replayed on a cache hit, outside the block it belongs to.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from analysis.basins import BasinMap, basin_map, default_radius
from analysis.ensembles import Ensemble, noise_ensemble
from analysis.sweeps import SweepResult, sweep_row
from analysis.tuning import TuningResult, tune_learning_rate
from viz.scene import OptimizerEntry, Scene

SurfaceKey = tuple[str, tuple[tuple[str, float], ...], str]
MAX_ENSEMBLE_POINTS = 150  # recorded points per run: enough for a smooth fan, small JSON


def surface_key(scene: Scene) -> SurfaceKey:
    return (scene.surface, tuple(scene.surface_params), scene.formula)


def build_surface(key: SurfaceKey):
    name, params, formula = key
    return Scene(surface=name, surface_params=params, formula=formula).build_surface()


def run_options(entry: OptimizerEntry, with_noise: bool = True) -> dict[str, Any]:
    """What of an entry besides the optimizer itself goes to ``run``."""
    options: dict[str, Any] = dict(schedule=entry.build_schedule(), clip_value=entry.clip_value, clip_norm=entry.clip_norm)
    if with_noise:
        options.update(noise=entry.noise, batch_size=entry.batch_size)
    return options


@st.cache_data(max_entries=32, show_spinner=False)
def cached_basin_map(
    key: SurfaceKey, entry: OptimizerEntry, resolution: int, steps: int, radius_percent: float, seed: int
) -> BasinMap:
    surface = build_surface(key)
    radius = default_radius(surface.bounds, surface.minima, fraction=radius_percent / 100)
    return basin_map(entry.build(), surface, resolution, steps, radius=radius, seed=seed, **run_options(entry))


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
    options = run_options(entry, with_noise=False)
    options["noise"] = noise
    if axis != "batch_size":
        options["batch_size"] = entry.batch_size
    return sweep_row(entry.build(), build_surface(key), start, lrs, axis, value, steps, seed=seed, **options)


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
        entry.build(), build_surface(key), start, runs, steps, noise=noise, batch_size=batch_size, seed=seed,
        record_every=max(1, steps // MAX_ENSEMBLE_POINTS), **run_options(entry, with_noise=False),
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
    surface = build_surface(key)
    optimizer = entry.build()
    options = run_options(entry)
    tuned = tune_learning_rate(optimizer, surface, start, lrs, steps, criterion=criterion, seed=seed, **options)
    own = tune_learning_rate(optimizer, surface, start, [optimizer.lr], steps, criterion=criterion, seed=seed, **options)
    return tuned, own
