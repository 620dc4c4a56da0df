"""The Analysis page: basins of attraction, hyperparameter sweeps, noise ensembles and a
fair learning-rate comparison, all for the current scene (surface, optimizers, start).

Only the chosen view computes (a radio, not tabs: tabs would run all four). Each view's
widgets sit in a form, so a big grid is computed once per "Compute"; results are cached by
plain values in ``ui/cached.py``. Widget keys carry a digest of the scene's
optimizers, so a new scene starts from fresh defaults instead of stale indices.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from analysis.basins import MAX_RESOLUTION
from analysis.ensembles import settled_ensemble, sgd_noise_ball
from analysis.sweeps import (
    AxisSpec,
    axis_values,
    quadratic_curvatures,
    stack_sweeps,
    sweep_axes,
    sweep_theory,
)
from analysis.tuning import CRITERIA, bracketed_tuning, learning_rate_grid
from scene import MAX_STEPS, Scene, entry_labels, surface_from_key
from scene.i18n import translator
from ui.cached import (
    cache_key,
    cached_basin_map,
    cached_ensemble,
    cached_sweep_row,
    cached_tuning,
    shared,
)
from ui.plain import plain
from viz.analysis_figures import (
    APP_BASIN_LAYOUT,
    basin_figure,
    ensemble_figure,
    noise_ball_bounds,
    spread_figure,
    sweep_figure,
    tuned_paths_figure,
    tuning_figure,
)
from viz.style import color_for

VIEWS = ("basins", "sweep", "ensemble", "tuning")
Text = Callable[..., str]

# Learning rates a range slider offers: 1-2-5 steps from 1e-5 to 10.
RATE_CHOICES = tuple(float(f"{m}e{e}") for e in range(-5, 1) for m in (1, 2, 5)) + (10.0,)
BATCH_CHOICES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
MAX_SWEEP_CELLS = 60
MAX_TUNING_RATES = 60
MAX_ENSEMBLE_RUNS = 200
MAX_PANELS = 4
ENSEMBLE_STARTS = ("minimum", "scene")  # the runs start at the global minimum (one basin), or at the scene's start
ASKED_KEY = "analysis_requests"  # the session's record of the results it asked the cache for


def _text(lang: str) -> Text:
    return translator("analysis", lang)


def analysis_page(scene: Scene, lang: str) -> None:
    """Draw the Analysis page for ``scene`` in ``lang`` ("en" or "zh")."""
    text = _text(lang)
    st.header(text("page_title"))
    view = st.radio(
        text("view"), VIEWS, format_func=lambda v: text(f"view_{v}"), horizontal=True, key="analysis_view", persist_state="page",
    )
    try:
        surface = surface_from_key(scene.surface_key)
        for entry in scene.optimizers:
            entry.build()
            entry.build_schedule()
    except ValueError as error:
        st.error(text("invalid_settings", error=plain(error)))
        return
    views = {"basins": _basins_view, "sweep": _sweep_view, "ensemble": _ensemble_view, "tuning": _tuning_view}
    try:
        views[view](scene, surface, text)
    except ValueError as error:
        # Settings the widgets allow but the core rejects (e.g. Nesterov with momentum 0).
        st.error(text("invalid_settings", error=plain(error)))


# ----------------------------------------------------------------------------- helpers


def _labels(scene: Scene, lang: str) -> list[str]:
    return [f"{i + 1}: {label}" for i, label in enumerate(entry_labels(scene.optimizers, lang))]


def _key(scene: Scene, name: str) -> str:
    digest = hashlib.sha1(repr(scene.optimizers).encode()).hexdigest()[:8]
    return f"analysis_{name}_{digest}"


def _start(scene: Scene, surface) -> tuple[float, float]:
    x, y = scene.start_point(surface)
    return float(x), float(y)


def _steps_input(scene: Scene, column, text: Text, name: str, default: int | None = None) -> int:
    value = default if default is not None else scene.steps
    return int(
        column.number_input(
            text("steps"), 10, MAX_STEPS, min(max(value, 10), MAX_STEPS), step=50,
            help=text("steps_help", high=MAX_STEPS), key=_key(scene, f"{name}_steps"),
        )
    )


def _optimizer_select(scene: Scene, text: Text, name: str, labels: list[str]) -> int:
    return st.selectbox(
        text("optimizer"), range(len(labels)), format_func=lambda i: labels[i], help=text("optimizer_help"),
        key=_key(scene, f"{name}_optimizer"),
    )


def _rate_range(scene: Scene, column, text: Text, name: str, default: tuple[float, float]) -> tuple[float, float]:
    low, high = column.select_slider(
        text("lr_range"), RATE_CHOICES, value=default, format_func=lambda v: f"{v:g}",
        help=text("lr_range_help"), key=_key(scene, f"{name}_rates"),
    )
    if low == high:  # a one-point range: widen by one step so the grid is not degenerate
        index = RATE_CHOICES.index(high)
        low, high = (RATE_CHOICES[index - 1], high) if index else (low, RATE_CHOICES[1])
    return low, high


class _Progress:
    """A progress bar that vanishes when the computation is done."""

    def __init__(self, text: Text):
        self.text = text
        self.bar = st.progress(0.0, text=text("computing"))
        self.began = time.perf_counter()
        self.asked_before = True  # until a request this session has not made before

    def __call__(self, fraction: float) -> None:
        self.bar.progress(min(max(fraction, 0.0), 1.0), text=self.text("computing"))

    def done(self) -> float:
        self.bar.empty()
        return time.perf_counter() - self.began

    def ask(self, cached: Callable, *args):
        """``cached(*args)``, noting whether this session asked for exactly that before, in
        which case the answer came from the cache rather than a computation."""
        seen = st.session_state.setdefault(ASKED_KEY, set())
        request = (cached.__name__, *args)
        self.asked_before = self.asked_before and request in seen
        seen.add(request)
        return cached(*args)


def _timing(text: Text, runs: int, steps: int, seconds: float, progress: _Progress) -> None:
    """How much was computed and how long it took, or that the results came from the cache
    (a time of "0.00 s" for them read as a computation that cost nothing)."""
    if progress.asked_before:
        st.caption(text("timing_cached", runs=runs, steps=steps))
    else:
        st.caption(text("timing", runs=runs, steps=steps, seconds=seconds))


# ----------------------------------------------------------------------------- basins


@shared(max_entries=16)
def _basin_figure(key: str, _maps, _surface, _labels, _colors, _text: Text) -> go.Figure:
    """The basin figure, built once for every session that shows the same maps (``key``
    names what they are computed from): building it took ~140 ms of every visit to the page."""
    return basin_figure(_maps, _surface, _labels, _colors, _text, **APP_BASIN_LAYOUT)


def _basins_view(scene: Scene, surface, text: Text) -> None:
    st.caption(text("basins_intro"))
    labels = _labels(scene, text.lang)
    with st.form(_key(scene, "basins_form")):
        chosen = st.multiselect(
            text("optimizers"), range(len(labels)), default=list(range(min(MAX_PANELS, len(labels)))),
            format_func=lambda i: labels[i], help=text("optimizers_help"), key=_key(scene, "basins_optimizers"),
        )
        c1, c2, c3 = st.columns(3)
        resolution = c1.slider(
            text("grid_size"), 16, MAX_RESOLUTION, 128, step=16, help=text("grid_size_help"),
            key=_key(scene, "basins_grid"),
        )
        steps = _steps_input(scene, c2, text, "basins")
        radius = c3.slider(
            text("radius"), 0.5, 10.0, 2.0, step=0.5, help=text("radius_help"), key=_key(scene, "basins_radius"),
        )
        st.form_submit_button(text("compute"))
    if not chosen:
        st.warning(text("no_optimizers"))
        return
    if len(surface.minima) == 0:
        st.info(text("no_minima"))
    key = scene.surface_key
    progress = _Progress(text)
    maps = []
    for done, index in enumerate(chosen):
        maps.append(progress.ask(cached_basin_map, key, scene.optimizers[index], int(resolution), steps, float(radius), scene.seed))
        progress((done + 1) / len(chosen))
    seconds = progress.done()
    figure_key = cache_key(
        key, [scene.optimizers[i] for i in chosen], [labels[i] for i in chosen], chosen, int(resolution), steps,
        float(radius), scene.seed, text.lang,
    )
    fig = _basin_figure(figure_key, maps, surface, [labels[i] for i in chosen], [color_for(i) for i in chosen], text)
    st.plotly_chart(fig, key=_key(scene, "basins_chart"))
    _timing(text, len(chosen) * int(resolution) ** 2, steps, seconds, progress)


# ----------------------------------------------------------------------------- sweep


def _axis_title(axis: str, text: Text) -> str:
    return text(f"axis_name_{axis}")


def _axis_range(scene: Scene, column, text: Text, axis: AxisSpec) -> tuple[float, float]:
    key = _key(scene, f"sweep_range_{axis.name}")
    if axis.integer:
        return column.select_slider(
            text("axis_range"), BATCH_CHOICES, value=(1, 256), help=text("axis_range_help"), key=key,
        )
    if axis.log:
        choices = tuple(float(v) for v in np.geomspace(axis.low, axis.high, int(round(math.log10(axis.high / axis.low))) + 1))
        return column.select_slider(
            text("axis_range"), choices, value=(choices[0], choices[-1]), format_func=lambda v: f"{v:g}",
            help=text("axis_range_help"), key=key,
        )
    step = 0.0001 if axis.high - axis.low < 1 else 0.01
    return column.slider(
        text("axis_range"), float(axis.low), float(axis.high), (float(axis.low), float(axis.high)), step=step,
        format="%.4g", help=text("axis_range_help"), key=key,
    )


def _sweep_view(scene: Scene, surface, text: Text) -> None:
    st.caption(text("sweep_intro"))
    labels = _labels(scene, text.lang)
    index = _optimizer_select(scene, text, "sweep", labels)
    entry = scene.optimizers[index]
    axes = {axis.name: axis for axis in sweep_axes(entry.name)}
    # Outside the form: the range widget below depends on the chosen axis.
    axis_name = st.selectbox(
        text("second_axis"), list(axes), format_func=lambda a: _axis_title(a, text), help=text("second_axis_help"),
        key=_key(scene, f"sweep_axis_{entry.name}"),
    )
    axis = axes[axis_name]
    with st.form(_key(scene, "sweep_form")):
        c1, c2 = st.columns(2)
        lr_low, lr_high = _rate_range(scene, c1, text, "sweep", (1e-3, 1.0))
        axis_low, axis_high = _axis_range(scene, c2, text, axis)
        c3, c4, c5, c6 = st.columns(4)
        cells = c3.slider(text("cells"), 5, MAX_SWEEP_CELLS, 40, help=text("cells_help"), key=_key(scene, "sweep_cells"))
        steps = _steps_input(scene, c4, text, "sweep")
        metric = c5.radio(
            text("metric"), ("final_loss", "steps"), format_func=lambda m: text(f"metric_{m}"),
            help=text("metric_help"), key=_key(scene, "sweep_metric"),
        )
        noise = c6.number_input(
            text("noise"), 0.0, 10.0, float(entry.noise or (1.0 if axis.integer else 0.0)), step=0.1,
            help=text("noise_help"), key=_key(scene, f"sweep_noise_{axis.integer}"),
        )
        st.form_submit_button(text("compute"))
    if axis.integer and noise == 0:
        st.warning(text("batch_needs_noise"))
    lrs = learning_rate_grid(lr_low, lr_high, cells)
    values = axis_values(axis, cells, axis_low, axis_high)
    progress = _Progress(text)
    rows = []
    for done, value in enumerate(values):
        rows.append(
            progress.ask(
                cached_sweep_row, scene.surface_key, entry, _start(scene, surface), tuple(lrs.tolist()), axis.name, float(value),
                steps, float(noise), scene.seed,
            )
        )
        progress((done + 1) / len(values))
    result = stack_sweeps(rows)
    seconds = progress.done()
    optimizer = entry.build()
    theory = sweep_theory(optimizer, surface, axis.name, result.axis_values)
    fig = sweep_figure(
        result, theory, metric=metric, axis_log=axis.log, axis_title=_axis_title(axis.name, text), text=text,
        log_color=len(surface.minima) > 0,
    )
    st.plotly_chart(fig, key=_key(scene, "sweep_chart"))
    _timing(text, result.stable.size, steps, seconds, progress)
    curvatures = quadratic_curvatures(surface)
    if curvatures is not None and theory is not None:
        low, high = curvatures
        st.markdown(text("sweep_theory_caption", low=low, high=high, kappa=high / low, gd=2 / high))
        if theory.optimum is not None:
            lr, beta = theory.optimum
            st.markdown(text("sweep_optimum_caption", lr=lr, beta=beta))
    else:
        st.caption(text("sweep_no_theory"))


# ----------------------------------------------------------------------------- ensemble


def _batch_choices(surface) -> tuple[tuple[int, ...], list[int]]:
    """The batch sizes the ensemble offers and those chosen at first: on a data surface of N
    examples the powers of two below N, then N (the full batch, which has no noise)."""
    n_examples = getattr(surface, "n_examples", None)
    if n_examples is None:
        return BATCH_CHOICES, [1, 8, 64]
    choices = (*(b for b in BATCH_CHOICES if b < n_examples), int(n_examples))
    default = [b for b in (1, 8, 64) if b < n_examples] + [int(n_examples)]
    return choices, default[-MAX_PANELS:]


def _ensemble_view(scene: Scene, surface, text: Text) -> None:
    # On a data surface the mini-batches are real (each run draws its own, reshuffled each
    # epoch): the noise is the data's, and the Gaussian noise model starts switched off.
    data = getattr(surface, "n_examples", None) is not None
    st.caption(text("ensemble_data_intro" if data else "ensemble_intro"))
    labels = _labels(scene, text.lang)
    with st.form(_key(scene, "ensemble_form")):
        index = _optimizer_select(scene, text, "ensemble", labels)
        c1, c2, c3, c4 = st.columns(4)
        entry_noise = max((e.noise for e in scene.optimizers), default=0.0)
        noise = c1.number_input(
            text("noise"), 0.0, 10.0, float(entry_noise or (0.0 if data else 1.0)), step=0.1, help=text("noise_help"),
            key=_key(scene, "ensemble_noise"),
        )
        choices, chosen = _batch_choices(surface)
        batch_sizes = c2.multiselect(
            text("batch_sizes"), choices, default=chosen, help=text("batch_sizes_help"),
            key=_key(scene, "ensemble_batches"),
        )
        runs = c3.slider(text("runs"), 5, MAX_ENSEMBLE_RUNS, 40, help=text("runs_help"), key=_key(scene, "ensemble_runs"))
        steps = _steps_input(scene, c4, text, "ensemble")
        start_at = st.radio(
            text("ensemble_start"), ENSEMBLE_STARTS, format_func=lambda s: text(f"ensemble_start_{s}"),
            help=text("ensemble_start_help"), horizontal=True, key=_key(scene, "ensemble_start"),
        )
        zoom = st.checkbox(text("zoom_noise_ball"), True, help=text("zoom_noise_ball_help"), key=_key(scene, "ensemble_zoom"))
        st.form_submit_button(text("compute"))
    if not 1 <= len(batch_sizes) <= MAX_PANELS:
        st.warning(text("choose_batch_sizes"))
        return
    if noise == 0 and not data:
        st.warning(text("noise_zero"))
    entry = scene.optimizers[index]
    batch_sizes = sorted(int(b) for b in batch_sizes)
    start = _ensemble_start(scene, surface, start_at)
    progress = _Progress(text)
    ensembles = []
    for done, batch_size in enumerate(batch_sizes):
        ensemble = progress.ask(cached_ensemble, scene.surface_key, entry, start, batch_size, int(runs), steps, float(noise), scene.seed)
        ensembles.append(settled_ensemble(ensemble, surface.minima))
        progress((done + 1) / len(batch_sizes))
    seconds = progress.done()
    split = [e for e in ensembles if e.basin >= 0 and e.basin_share < 1]
    if split:
        st.warning(text("ensemble_split", share=min(e.basin_share for e in split)))
    color = color_for(index)
    bounds = noise_ball_bounds(ensembles) if zoom and (noise > 0 or data) else None
    st.plotly_chart(ensemble_figure(ensembles, surface, color, text, bounds=bounds), key=_key(scene, "ensemble_chart"))
    st.plotly_chart(spread_figure(ensembles, color, text), key=_key(scene, "ensemble_spread"))
    _timing(text, int(runs) * len(batch_sizes), steps, seconds, progress)
    optimizer = entry.build()
    curvatures = quadratic_curvatures(surface)
    plain_sgd = entry.name == "sgd" and optimizer.hparams["momentum"] == 0 and not optimizer.hparams["weight_decay"]
    if curvatures is not None and plain_sgd and entry.schedule == "constant" and not data:  # the model's law, not the data's
        predicted = [
            math.hypot(*(sgd_noise_ball(optimizer.lr, c, noise, b) for c in curvatures)) for b in batch_sizes
        ]
        values = ", ".join(f"b={b}: {p:.3g}" for b, p in zip(batch_sizes, predicted, strict=True))
        st.caption(text("spread_theory", values=values))


def _ensemble_start(scene: Scene, surface, start_at: str) -> tuple[float, float]:
    """Where the ensemble's runs start: the surface's global minimum, where every run stays in
    one basin and the spread is the noise ball alone, or the scene's start."""
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    if start_at == "minimum" and len(minima):
        return float(minima[0, 0]), float(minima[0, 1])
    return _start(scene, surface)


# ----------------------------------------------------------------------------- tuning


def _tuning_view(scene: Scene, surface, text: Text) -> None:
    st.caption(text("tuning_intro"))
    labels = _labels(scene, text.lang)
    with st.form(_key(scene, "tuning_form")):
        chosen = st.multiselect(
            text("optimizers"), range(len(labels)), default=list(range(len(labels))),
            format_func=lambda i: labels[i], help=text("optimizers_help"), key=_key(scene, "tuning_optimizers"),
        )
        c1, c2, c3, c4 = st.columns([2, 1, 2, 1])
        low, high = _rate_range(scene, c1, text, "tuning", (1e-4, 1.0))
        count = c2.slider(text("rates"), 5, MAX_TUNING_RATES, 25, help=text("rates_help"), key=_key(scene, "tuning_count"))
        criterion = c3.radio(
            text("criterion"), CRITERIA, format_func=lambda c: text(f"criterion_{c}"), help=text("criterion_help"),
            key=_key(scene, "tuning_criterion"),
        )
        steps = _steps_input(scene, c4, text, "tuning")
        st.form_submit_button(text("compute"))
    if not chosen:
        st.warning(text("no_optimizers"))
        return
    lrs = learning_rate_grid(low, high, count)
    start = _start(scene, surface)
    st.info(
        text(
            "tuning_disclosure", count=count, low=low, high=high, criterion=text(f"criterion_{criterion}"),
            steps=steps, x=start[0], y=start[1], seed=scene.seed,
        )
    )
    progress = _Progress(text)
    pairs = []
    for done, index in enumerate(chosen):
        entry = scene.optimizers[index]

        def tune(grid, entry=entry):
            return progress.ask(cached_tuning, scene.surface_key, entry, start, tuple(grid.tolist()), steps, criterion, scene.seed)
        own = tune(lrs)[1]
        pairs.append((bracketed_tuning(lambda grid: tune(grid)[0], lrs), own))
        progress((done + 1) / len(chosen))
    seconds = progress.done()
    tuned = [pair[0] for pair in pairs]
    titles = [labels[i] for i in chosen]
    colors = [color_for(i) for i in chosen]
    notes = []
    for (result, own), title in zip(pairs, titles, strict=True):
        if result.best_index < 0:
            notes.append(text("tuning_all_failed", name=title))
        elif not result.bracketed:
            notes.append(text("tuning_edge", name=title, lr=result.best_lr))
        elif len(result.lrs) > len(lrs):
            notes.append(text("tuning_extended", name=title, low=result.lrs[0], high=result.lrs[-1], lr=result.best_lr))
        if own.best_score < result.best_score:
            notes.append(text("tuning_own_better", name=title, lr=own.best_lr))
    if notes:
        st.warning("\n\n".join(notes))
    st.plotly_chart(tuning_figure(tuned, titles, colors, text), key=_key(scene, "tuning_chart"))
    st.plotly_chart(tuned_paths_figure(tuned, titles, surface, colors, text), key=_key(scene, "tuning_paths"))
    st.dataframe(
        {
            text("table_optimizer"): titles,
            text("table_scene_lr"): [f"{scene.optimizers[i].build().lr:.3g}" for i in chosen],
            text("table_scene_score"): [f"{own.best_score:.4g}" for _, own in pairs],
            text("table_tuned_lr"): [f"{r.best_lr:.3g}" for r in tuned],
            text("table_tuned_score"): [f"{r.best_score:.4g}" for r in tuned],
        },
        hide_index=True,
    )
    _timing(text, sum(len(r.lrs) for r in tuned), steps, seconds, progress)
