"""The app's only caches, keyed by plain values (strings, numbers, tuples).

Each optimizer of a scene is run and cached on its own: moving one optimizer's slider
reruns that optimizer only (about 20 ms for 300 steps), the others come from the cache.
Surfaces hold functions and cannot be pickled, so they are kept as shared resources; they
are immutable (frozen dataclass, read-only arrays), so sharing them is safe.
"""

from __future__ import annotations

import json

import streamlit as st

from optimizers import Trajectory, run
from surfaces import Surface
from viz.scene import Scene, scene_from_dict, to_dict


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_surface(name: str, params: tuple[tuple[str, float], ...], formula: str) -> Surface:
    """Raises ValueError (not cached) for a bad formula or parameter."""
    return Scene(surface=name, surface_params=params, formula=formula).build_surface()


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_run(
    surface: tuple[str, tuple[tuple[str, float], ...], str],
    start: tuple[float, float],
    steps: int,
    seed: int,
    entry_json: str,
) -> Trajectory:
    entry = scene_from_dict({"optimizers": [json.loads(entry_json)]}).optimizers[0]
    return run(
        entry.build(), cached_surface(*surface), start, steps=steps, seed=seed,
        schedule=entry.build_schedule(), clip_value=entry.clip_value, clip_norm=entry.clip_norm,
        noise=entry.noise, batch_size=entry.batch_size, record_internals=True,
    )


def trajectories_of(scene: Scene) -> tuple[Surface, list[Trajectory]]:
    """The scene's surface and one trajectory per optimizer (with internals recorded), the
    same as ``viz.scene.run_scene(scene, record_internals=True)``."""
    surface_key = (scene.surface, tuple(sorted(scene.surface_params)), scene.formula)
    surface = cached_surface(*surface_key)
    start = tuple(float(v) for v in scene.start_point(surface))
    return surface, [
        _cached_run(surface_key, start, scene.steps, scene.seed, json.dumps(entry, sort_keys=True))
        for entry in to_dict(scene)["optimizers"]
    ]
