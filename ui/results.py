"""The results table under the map: per optimizer, the final loss and point, the minimum it
reached, the steps to a tolerance and where it diverged.

A static HTML table (``st.html``), not ``st.table``: Streamlit's table ships the rows as an
Arrow frame, and its browser code (Arrow, ~0.9 MB of JavaScript) was the largest piece the
first page had to load; building the frame cost the server ~5 ms on every rerun. Every cell is
escaped (``html.escape``): the labels name optimizers and numbers, but nothing in a cell can
become markup.
"""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from analysis.metrics import (
    NOT_REACHED,
    distance_to_nearest_minimum,
    reached_minimum,
    steps_to_tolerance,
)
from optimizers import Trajectory
from scene import Scene, entry_labels
from scene.i18n import t
from surfaces import Surface
from ui.cached import cache_key, shared
from ui.plain import message

TOLERANCES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-6)
TABLE_CLASS = "otv-results"
COLUMNS = ("col_optimizer", "col_final_loss", "col_final_point", "col_minimum", "col_steps_to_tol", "col_diverged")


def results_table(scene: Scene, surface: Surface, trajectories: list[Trajectory], lang: str) -> None:
    st.subheader(t("app.results", lang))
    st.session_state.setdefault("tolerance", 1e-3)
    # Five stops as buttons, not a slider: one tap on a phone, and the first page needs no
    # slider code at all (with the optimizer sections closed, this and the speed were the
    # only sliders on it).
    tolerance = st.segmented_control(
        t("app.tolerance", lang), TOLERANCES, key="tolerance", required=True, format_func=lambda v: f"{v:g}",
        help=t("app.tolerance_help", lang), persist_state="page",  # kept while another view is shown
    )
    st.html(_table_of(cache_key(scene, tolerance, lang), scene, surface, trajectories, tolerance, lang))
    labels = entry_labels(scene.optimizers, lang)
    diverged = [label for label, tr in zip(labels, trajectories, strict=True) if tr.diverged_at[0] >= 0]
    if diverged:
        st.warning(message("app.diverged_warning", lang, names=", ".join(diverged)))


@shared(max_entries=256)
def _table_of(key: str, _scene: Scene, _surface: Surface, _trajectories: list[Trajectory], _tolerance: float, _lang: str) -> str:
    """The table's HTML, built once for every session that shows the same scene (the rows
    measure every path: ~1.5 ms of each rerun)."""
    labels = entry_labels(_scene.optimizers, _lang)
    rows = [  # in legend order (and colour)
        _row(label, _surface, trajectory, _tolerance, _lang) for label, trajectory in zip(labels, _trajectories, strict=True)
    ]
    return results_html([t(f"app.{column}", _lang) for column in COLUMNS], rows)


def results_html(header: list[str], rows: list[list[str]]) -> str:
    """The table as HTML, every cell escaped; scrolls sideways on its own on a narrow screen."""
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<div class="{TABLE_CLASS}"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _row(label: str, surface: Surface, trajectory: Trajectory, tolerance: float, lang: str) -> list[str]:
    final = trajectory.points[-1, 0]
    diverged = int(trajectory.diverged_at[0])
    return [
        label,
        f"{float(trajectory.losses[-1, 0]):.4g}",
        f"({final[0]:.4g}, {final[1]:.4g})",
        _minimum_text(surface, final, lang),
        _steps_text(surface, trajectory, tolerance, lang),
        t("app.diverged_at", lang, step=diverged) if diverged >= 0 else "—",
    ]


def _minimum_text(surface: Surface, point: np.ndarray, lang: str) -> str:
    if not len(surface.minima):
        return t("app.no_minima", lang)
    index = int(reached_minimum(point[None, :], surface.minima)[0])
    if index == NOT_REACHED:
        return "—"
    where = surface.minima[index]
    kind = t("app.global_minimum", lang) if index == 0 else t("app.local_minimum", lang, number=index + 1)
    return f"{kind} ({where[0]:.3g}, {where[1]:.3g})"


def _steps_text(surface: Surface, trajectory: Trajectory, tolerance: float, lang: str) -> str:
    if not len(surface.minima):
        return "—"
    distances = distance_to_nearest_minimum(trajectory.points, surface.minima)
    step = int(steps_to_tolerance(distances, trajectory.step_index, tolerance)[0])
    return str(step) if step >= 0 else t("app.not_reached", lang)
