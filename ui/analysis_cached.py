"""``st.cache_data`` wrappers of the analyses, keyed by plain values only.

A surface is named by ``(name, params, formula)`` and an optimizer by its frozen
``OptimizerEntry``; progress callbacks start with ``_`` so Streamlit does not hash them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from analysis.basins import BasinMap, basin_map, default_radius
from viz.scene import OptimizerEntry, Scene

SurfaceKey = tuple[str, tuple[tuple[str, float], ...], str]


def surface_key(scene: Scene) -> SurfaceKey:
    return (scene.surface, tuple(scene.surface_params), scene.formula)


def build_surface(key: SurfaceKey):
    name, params, formula = key
    return Scene(surface=name, surface_params=params, formula=formula).build_surface()


def run_options(entry: OptimizerEntry) -> dict[str, Any]:
    """What of an entry besides the optimizer itself goes to ``run``."""
    return dict(
        schedule=entry.build_schedule(), clip_value=entry.clip_value, clip_norm=entry.clip_norm,
        noise=entry.noise, batch_size=entry.batch_size,
    )


@st.cache_data(max_entries=32, show_spinner=False)
def cached_basin_map(
    key: SurfaceKey, entry: OptimizerEntry, resolution: int, steps: int, radius_percent: float, seed: int
) -> BasinMap:
    surface = build_surface(key)
    radius = default_radius(surface.bounds, surface.minima, fraction=radius_percent / 100)
    return basin_map(entry.build(), surface, resolution, steps, radius=radius, seed=seed, **run_options(entry))
