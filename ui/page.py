"""The visualizer page: header (language, presenter mode), sidebar controls, the chosen
view, and the URL written back at the end of every run."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import streamlit as st

from scene import CUSTOM_SURFACE, Scene, lesson_of, scene_to_text
from scene.i18n import LANGUAGES, pick, t
from ui.analysis_ui import analysis_page
from ui.cached import trajectories_of
from ui.controls import Controls, draw_sidebar, read_controls
from ui.export_ui import export_panel
from ui.plain import message, plain
from ui.state import LAYOUTS, SPEEDS, VIEWS, ViewOptions, initialize, write_url
from ui.turns import TURNS
from ui.views import inside_view, surface3d_view, trajectories_view

_CSS = Path(__file__).resolve().parent.parent / "assets" / "app.css"
_APP_CSS = _CSS.read_text(encoding="utf-8") if _CSS.exists() else ""  # read once, not every rerun
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
_LOG = logging.getLogger(__name__)
# Once per process, after the app's libraries are imported: their ~1 million objects leave the
# collector's generations, so a collection looks only at what sessions create (a full one took
# ~120 ms with them in). Nothing imported is ever freed, so nothing is lost by this.
gc.freeze()


def main() -> None:
    """The page. Runs take turns in arrival order (``ui.turns``): with a class at once, the
    first students are served first instead of everyone waiting for the last."""
    with TURNS.turn():
        _page()


def _page() -> None:
    problems = initialize()
    options = _options()
    # Containers in page order, filled figure first: the browser draws the figure while the
    # script still draws the header and the sidebar.
    header, notes, switch, body = st.container(), st.container(), st.container(), st.container()
    _style(options)
    controls = read_controls()
    with body:
        _show(controls, options)
    with header:
        first, settings = st.columns([1, 1], vertical_alignment="center")
        # Language and presenter mode at their own width, right-aligned (in fixed columns the
        # toggle's label was cut to "Presenter …" at 1280 px).
        with settings.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center"):
            st.segmented_control(
                t("app.language", options.lang), LANGUAGES, key="lang", required=True,
                format_func=LANGUAGE_NAMES.get, label_visibility="collapsed", width="content",
            )
            st.toggle(
                t("app.presenter", options.lang), key="presenter", help=t("app.presenter_help", options.lang),
                width="content",
            )
    # On a projector the figure needs the height: the view switch takes the title's place and
    # only the lesson's name stays above the figure.
    if not options.presenter:
        first.title(t("app.title", options.lang))
    with notes:
        if problems:
            st.warning(message("app.url_junk", options.lang, problems="; ".join(problems)), icon=":material/link_off:")
        _describe(controls, options.lang, brief=options.presenter)
    with first if options.presenter else switch:
        st.segmented_control(
            t("app.view", options.lang), VIEWS, key="view", required=True, label_visibility="collapsed",
            format_func=lambda v: t(f"app.view_{v}", options.lang),
        )
    draw_sidebar(options.lang, controls)
    write_url(controls.scene, options)


def _options() -> ViewOptions:
    state = st.session_state
    lang = state.get("lang") if state.get("lang") in LANGUAGES else "en"
    view = state.get("view") if state.get("view") in VIEWS else "trajectories"
    layout = state.get("layout") if state.get("layout") in LAYOUTS else "overlay"
    speed = state.get("speed") if state.get("speed") in SPEEDS else 1.0
    return ViewOptions(lang, view, layout, float(speed), bool(state.get("presenter")))


def _style(options: ViewOptions) -> None:
    css = _APP_CSS
    if options.presenter:
        css += "\n" + _PRESENTER_CSS
    if css:
        st.html(f"<style>{css}</style>")


# Presenter mode: the controls go away (the header keeps the toggle to bring them back) and
# text grows for the back of a lecture hall.
_PRESENTER_CSS = """
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stAppDeployButton"], header[data-testid="stHeader"] { display: none !important; }
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1rem 2rem 1rem 2rem; }
html { font-size: 20px; }
"""


def _describe(controls: Controls, lang: str, brief: bool = False) -> None:
    """What the picture shows: the lesson (when the scene is one), the surface and its
    formula; ``brief``: one line, the lesson's or the surface's name and description."""
    scene = controls.scene
    lesson = None
    if scene is not None:
        lesson = lesson_of(scene)
        if lesson is not None:
            st.markdown(f"**{t('app.lesson', lang)}: {pick(lesson.title, lang)}** — {pick(lesson.description, lang)}")
    surface = controls.surface
    if surface is not None and not (brief and lesson is not None):
        text = pick(surface.description, lang) if surface.name != CUSTOM_SURFACE else ""
        with st.container(horizontal=True, vertical_alignment="center"):
            # A typed formula is the user's text: shown as code, never as Markdown (x**2 was bold).
            title = plain(pick(surface.title, lang)) if surface.name == CUSTOM_SURFACE else f"**{pick(surface.title, lang)}**"
            st.markdown(title + (f" — {text}" if text else ""))
        if surface.latex and not brief:
            st.latex(surface.latex)


def _show(controls: Controls, options: ViewOptions) -> None:
    lang = options.lang
    if controls.scene is None:
        if controls.surface_error:
            st.error(message("app.no_surface", lang, error=controls.surface_error))
        else:
            st.error(t("app.no_valid_optimizer", lang))
        return
    for position, error in controls.entry_errors.items():
        st.error(message("app.left_out", lang, number=position + 1, error=error))
    try:
        _draw_view(controls.scene, options)
    except Exception:  # a figure's failure must not take the page (and the controls) with it
        _LOG.exception("The %s view failed for the scene %s", options.view, scene_to_text(controls.scene))
        st.error(t("app.view_failed", lang), icon=":material/error:")


def _draw_view(scene: Scene, options: ViewOptions) -> None:
    lang = options.lang
    if options.view == "analysis":
        analysis_page(scene, lang)
        return
    surface, trajectories = trajectories_of(scene, internals=options.view == "inside")
    if options.view == "surface3d":
        surface3d_view(scene, surface, trajectories, options)
    elif options.view == "inside":
        inside_view(scene, surface, trajectories, options)
    else:
        trajectories_view(scene, surface, trajectories, options)
        export_panel(scene, lang)
