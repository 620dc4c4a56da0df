"""The Analysis page: basins of attraction, hyperparameter sweeps, noise ensembles and a
fair learning-rate comparison, all for the current scene (surface, optimizers, start).

Only the chosen view computes; each view's widgets sit in a form so a big grid is computed
once per "Compute", and results are cached by plain values (``ui/analysis_cached.py``).
"""

from __future__ import annotations

import time

import streamlit as st

from analysis.basins import MAX_RESOLUTION
from ui.analysis_cached import cached_basin_map, surface_key
from ui.i18n import t
from viz.analysis_figures import basin_figure
from viz.scene import MAX_STEPS, Scene
from viz.style import color_for

VIEWS = ("basins", "sweep", "ensemble", "tuning")


def _text(lang: str):
    def text(key: str, **values) -> str:
        return t(f"analysis.{key}", lang, **values)

    return text


def analysis_page(scene: Scene, lang: str) -> None:
    """Draw the Analysis page for ``scene`` in ``lang`` ("en" or "zh")."""
    text = _text(lang)
    st.header(text("page_title"))
    view = st.radio(
        text("view"), VIEWS, format_func=lambda v: text(f"view_{v}"), horizontal=True,
        key="analysis_view",
    )
    try:
        scene.build_surface()
    except ValueError as error:
        st.error(text("invalid_settings", error=error))
        return
    if view == "basins":
        _basins_view(scene, text)
    else:
        st.info(text("computing"))


def _labels(scene: Scene) -> list[str]:
    return [f"{i + 1}. {entry.label()}" for i, entry in enumerate(scene.optimizers)]


def _basins_view(scene: Scene, text) -> None:
    st.caption(text("basins_intro"))
    labels = _labels(scene)
    with st.form("analysis_basins_form"):
        chosen = st.multiselect(
            text("optimizers"), range(len(labels)), default=list(range(min(4, len(labels)))),
            format_func=lambda i: labels[i], help=text("optimizers_help"), key="analysis_basins_optimizers",
        )
        c1, c2, c3 = st.columns(3)
        resolution = c1.slider(
            text("grid_size"), 16, MAX_RESOLUTION, 128, step=16, help=text("grid_size_help"),
            key="analysis_basins_grid",
        )
        steps = c2.number_input(
            text("steps"), 10, MAX_STEPS, min(max(scene.steps, 10), MAX_STEPS), step=50,
            help=text("steps_help", high=MAX_STEPS), key="analysis_basins_steps",
        )
        radius = c3.slider(
            text("radius"), 0.5, 10.0, 2.0, step=0.5, help=text("radius_help"), key="analysis_basins_radius",
        )
        st.form_submit_button(text("compute"))
    if not chosen:
        st.warning(text("no_optimizers"))
        return
    key = surface_key(scene)
    surface = scene.build_surface()
    if len(surface.minima) == 0:
        st.info(text("no_minima"))
    progress = st.progress(0.0, text=text("computing"))
    maps = []
    began = time.perf_counter()
    try:
        for done, index in enumerate(chosen):
            maps.append(cached_basin_map(key, scene.optimizers[index], int(resolution), int(steps), float(radius), scene.seed))
            progress.progress((done + 1) / len(chosen), text=text("computing"))
    except ValueError as error:
        progress.empty()
        st.error(text("invalid_settings", error=error))
        return
    progress.empty()
    seconds = time.perf_counter() - began
    fig = basin_figure(maps, surface, [labels[i] for i in chosen], [color_for(i) for i in chosen], text)
    st.plotly_chart(fig, key="analysis_basins_chart")
    st.caption(text("timing", runs=len(chosen) * int(resolution) ** 2, steps=int(steps), seconds=seconds))
