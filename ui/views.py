"""The main area's views of a scene: the animated trajectories with the results table and
the export, the 3-D surface, and "inside the optimizer". Figures come from ``viz.figures``;
this module only places them and the widgets that choose what they show."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from optimizers import Trajectory, fill_rule
from scene import Scene, entry_labels
from scene.i18n import t
from surfaces import Surface
from ui.map import trajectory_map
from ui.results import results_table
from ui.state import LAYOUTS, SPEEDS, ViewOptions
from ui.surface3d import surface3d
from viz.browser import MAX_FRAMES  # frames of the map's animation (longer runs are decimated)
from viz.figures import (
    FRAME_MS,
    internals_figure,
)


def font_size(options: ViewOptions) -> int:
    return 20 if options.presenter else 15


# ----------------------------------------------------------------------------- trajectories


def trajectories_view(scene: Scene, surface: Surface, trajectories: list[Trajectory], options: ViewOptions) -> None:
    lang = options.lang
    # The map first: on a projector its controls must sit on the first screen; how it
    # plays (layout, speed) comes below it.
    trajectory_map(
        scene, lang, layout=LAYOUTS[options.layout], max_frames=MAX_FRAMES, frame_ms=int(round(FRAME_MS / options.speed)),
    )
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    # persist_state: these widgets are not drawn while the scene is broken (a formula being
    # typed); without it Streamlit dropped their values then, and the layout came back empty
    # and the speed at 0.25x.
    left.segmented_control(
        t("app.layout", lang), list(LAYOUTS), key="layout", required=True, persist_state="page",
        format_func=lambda k: t(f"app.layout_{k}", lang),
    )
    right.segmented_control(  # buttons, not a slider: see ui.results
        t("app.speed", lang), SPEEDS, key="speed", required=True, format_func=lambda s: f"{s:g}×",
        help=t("app.speed_help", lang), persist_state="page",
    )
    results_table(scene, surface, trajectories, lang)


# ----------------------------------------------------------------------------- 3-D


def surface3d_view(scene: Scene, surface: Surface, trajectories: list[Trajectory], options: ViewOptions) -> None:
    """The surface in 3-D with every path on it, painted and turned in the browser
    (``ui.surface3d``) from the cached runs of ``scene`` (the other views' signature)."""
    surface3d(scene, options.lang)


# ----------------------------------------------------------------------------- inside


def _step_by(delta: int, last: int) -> None:
    st.session_state["inside_step"] = int(min(max(st.session_state.get("inside_step", 0) + delta, 0), last))


def inside_view(scene: Scene, surface: Surface, trajectories: list[Trajectory], options: ViewOptions) -> None:
    lang = options.lang
    labels = entry_labels(scene.optimizers, lang)
    if st.session_state.get("inside_entry", 0) >= len(labels):
        st.session_state["inside_entry"] = 0
    index = st.selectbox(
        t("app.inside_optimizer", lang), range(len(labels)), key="inside_entry", format_func=lambda i: labels[i],
        persist_state="page",
    )
    trajectory = trajectories[index]
    last = max(len(trajectory.lrs) - 1, 0)
    if st.session_state.get("inside_step", 0) > last:
        st.session_state["inside_step"] = last
    st.session_state.setdefault("inside_step", 0)
    back, slider, forward = st.columns([2, 7, 2], vertical_alignment="bottom")
    back.button(t("app.step_back_button", lang), key="inside_back", on_click=_step_by, args=(-1, last), help=t("app.step_back", lang), width="stretch")
    forward.button(t("app.step_forward_button", lang), key="inside_forward", on_click=_step_by, args=(1, last), help=t("app.step_forward", lang), width="stretch")
    step = slider.slider(t("app.inside_step", lang), 0, max(last, 1), key="inside_step", disabled=last == 0, persist_state="page")
    step = min(step, last)

    fig = internals_figure(scene, surface, trajectory, index, step, lang=lang, font_size=font_size(options))
    st.plotly_chart(fig, key="inside_chart", theme=None, config={"displaylogo": False})
    st.caption(t("app.inside_legend", lang))
    optimizer = scene.optimizers[index].build()
    rule_column, numbers_column = st.columns(2)
    with rule_column:
        st.markdown(f"**{t('app.update_rule', lang)}**")
        st.latex(optimizer.update_rule)
        st.markdown(f"**{t('app.update_rule_numbers', lang, step=step)}**")
        values = dict(optimizer.hparams)
        values["lr"] = float(trajectory.lrs[step]) if len(trajectory.lrs) else optimizer.lr
        st.latex(fill_rule(optimizer.update_rule, values))
    with numbers_column:
        st.markdown(f"**{t('app.state_at_step', lang, step=step)}**")
        st.latex(_state_latex(trajectory, step))
        if "step_size" not in trajectory.internals:
            st.caption(t("app.no_step_size", lang))


def _vector(v: np.ndarray) -> str:
    return r"\begin{pmatrix}" + r" \\ ".join(_number(float(x)) for x in v) + r"\end{pmatrix}"


def _number(value: float) -> str:
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else r"\infty"
    text = f"{value:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def _state_latex(trajectory: Trajectory, step: int) -> str:
    t_ = step
    lines = [
        rf"\theta_{{{t_}}} &= {_vector(trajectory.points[step, 0])}",
        rf"g_{{{t_}}} &= {_vector(trajectory.grads[step, 0])}",
    ]
    if "momentum" in trajectory.internals:
        lines.append(rf"m_{{{t_}}} &= {_vector(trajectory.internals['momentum'][step, 0])}")
    if "step_size" in trajectory.internals:
        lines.append(rf"\eta^{{\mathrm{{eff}}}}_{{{t_}}} &= {_vector(trajectory.internals['step_size'][step, 0])}")
    lines.append(rf"\Delta\theta_{{{t_}}} &= {_vector(trajectory.updates[step, 0])}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
