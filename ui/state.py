"""App state: widget keys, loading a scene into the widgets, and the shareable URL.

The widgets are the state while the app runs; a :class:`Scene` is read from them on every
run. A preset, a clicked start point or a URL *loads* a scene by writing the widgets' values
into ``st.session_state`` before they are drawn (in a callback, or at the top of the first
run), so there is one source of truth and no widget gets two defaults.

URL (everything a lesson needs; a copied link reproduces the view)::

    ?s=<scene.scene_to_text(scene): compact JSON, defaults left out>
     &lang=zh            en | zh
     &view=inside        trajectories | surface3d | inside | analysis
     &layout=side        overlay | side
     &speed=2            0.25 | 0.5 | 1 | 2 | 4 (animation speed)
     &present=1          presenter mode: no sidebar, larger fonts

Every parameter is read on its own: junk in one falls back to its default with a visible
warning and leaves the others alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from optimizers import list_optimizers, list_schedules, optimizer_info, schedule_specs
from scene import (
    BOUNDS,
    CUSTOM_SURFACE,
    ENTRY_FIELDS,
    SCENE_FIELDS,
    UPLOAD_SURFACE,
    Field,
    OptimizerEntry,
    Scene,
    scene_from_text,
    scene_to_text,
)
from scene.i18n import LANGUAGES
from scene.model import START_DECIMALS
from surfaces import get_surface, list_surfaces
from ui.widgets import Knob, set_knob

VIEWS = ("trajectories", "surface3d", "inside", "analysis")
LAYOUTS = {"overlay": "overlay", "side": "side_by_side"}  # URL word -> figure layout
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)


@dataclass(frozen=True)
class ViewOptions:
    lang: str = "en"
    view: str = "trajectories"
    layout: str = "overlay"  # a key of LAYOUTS
    speed: float = 1.0
    presenter: bool = False


# ----------------------------------------------------------------------------- widget keys
# Underscores only: a key also names a CSS class (st-key-<key>) the style sheet uses.


def entry_key(entry_id: int, what: str) -> str:
    return f"opt{entry_id}_{what}"


def hparam_key(entry_id: int, optimizer: str, name: str) -> str:
    return entry_key(entry_id, f"{optimizer}_{name}")


def schedule_key(entry_id: int, schedule: str, name: str) -> str:
    return entry_key(entry_id, f"sched_{schedule}_{name}")


def surface_param_key(surface: str, name: str) -> str:
    return f"surface_{surface}_{name}"


def field_knob(field: Field) -> Knob:
    """The widget of a scene or entry field, from its row of the table (``scene.fields``)."""
    return Knob.of(field.spec, title_key=field.title_key)


ENTRY_KNOBS = {f.name: field_knob(f) for f in ENTRY_FIELDS}
SCENE_KNOBS = {f.name: field_knob(f) for f in SCENE_FIELDS}
URL_KEYS = ("s", "lang", "view", "layout", "speed", "present")


# ----------------------------------------------------------------------------- URL


def view_to_params(options: ViewOptions) -> dict[str, str]:
    params = {"lang": options.lang}
    if options.view != "trajectories":
        params["view"] = options.view
    if options.layout != "overlay":
        params["layout"] = options.layout
    if options.speed != 1.0:
        params["speed"] = f"{options.speed:g}"
    if options.presenter:
        params["present"] = "1"
    return params


def state_from_params(params: Mapping[str, str]) -> tuple[Scene, ViewOptions, list[str]]:
    """Scene and view options of a URL, and a problem description per junk parameter."""
    problems: list[str] = [f"{key}: ?" for key in params if key not in URL_KEYS]
    scene = Scene()
    if params.get("s"):
        try:
            scene = scene_from_text(params["s"])
        except ValueError as error:
            problems.append(f"s: {error}")
    defaults = ViewOptions()
    lang = params.get("lang", defaults.lang)
    if lang not in LANGUAGES:
        problems.append(f"lang: {lang!r}")
        lang = defaults.lang
    view = params.get("view", defaults.view)
    if view not in VIEWS:
        problems.append(f"view: {view!r}")
        view = defaults.view
    layout = params.get("layout", defaults.layout)
    if layout not in LAYOUTS:
        problems.append(f"layout: {layout!r}")
        layout = defaults.layout
    speed = defaults.speed
    if "speed" in params:
        try:
            speed = float(params["speed"])
            if speed not in SPEEDS:
                raise ValueError
        except ValueError:
            problems.append(f"speed: {params['speed']!r}")
            speed = defaults.speed
    presenter = params.get("present", "0")
    if presenter not in ("0", "1"):
        problems.append(f"present: {presenter!r}")
    return scene, ViewOptions(lang, view, layout, speed, presenter == "1"), problems


def write_url(scene: Scene | None, options: ViewOptions) -> None:
    """Put the state into the address bar (only when it changed: each write is a message)."""
    params = view_to_params(options)
    if scene is not None:
        params = {"s": scene_to_text(scene), **params}
    elif "s" in st.query_params:
        params = {"s": st.query_params["s"], **params}  # a broken scene keeps the last good link
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


# ----------------------------------------------------------------------------- loading


def load_view(options: ViewOptions) -> None:
    st.session_state["lang"] = options.lang
    st.session_state["view"] = options.view
    st.session_state["layout"] = options.layout
    st.session_state["speed"] = options.speed
    st.session_state["presenter"] = options.presenter


def load_scene(scene: Scene) -> None:
    """Write every widget value of ``scene`` into the session state (before drawing)."""
    st.session_state["surface"] = scene.surface
    if scene.surface == UPLOAD_SURFACE:  # a fingerprint this process knows (the Scene checked it)
        st.session_state["upload_key"] = st.session_state["upload_start_for"] = scene.formula
    else:
        st.session_state["formula"] = scene.formula
    if scene.surface not in (CUSTOM_SURFACE, UPLOAD_SURFACE):
        given = dict(scene.surface_params)
        for spec in get_surface(scene.surface).param_specs:
            set_knob(Knob.of(spec), surface_param_key(scene.surface, spec.name), given.get(spec.name, spec.default))
    set_start(scene.start_point())
    st.session_state[BOUNDS.name] = scene.bounds  # no widget: kept as the scene had it (a lesson's "fit")
    for name, knob in SCENE_KNOBS.items():
        set_knob(knob, name, getattr(scene, name))
    ids = []
    for entry in scene.optimizers:
        entry_id = new_entry_id()
        load_entry(entry_id, entry)
        ids.append(entry_id)
    st.session_state["entry_ids"] = ids


def load_entry(entry_id: int, entry: OptimizerEntry) -> None:
    st.session_state[entry_key(entry_id, "name")] = entry.name
    given = dict(entry.hparams)
    for spec in optimizer_info(entry.name).specs:
        set_knob(Knob.of(spec), hparam_key(entry_id, entry.name, spec.name), given.get(spec.name, spec.default))
    st.session_state[entry_key(entry_id, "schedule")] = entry.schedule
    given = dict(entry.schedule_params)
    for spec in schedule_specs(entry.schedule):
        set_knob(Knob.of(spec), schedule_key(entry_id, entry.schedule, spec.name), given.get(spec.name, spec.default))
    for field in ENTRY_FIELDS:
        value = getattr(entry, field.name)
        if field.optional:
            st.session_state[entry_key(entry_id, f"{field.name}_on")] = value is not None
        set_knob(ENTRY_KNOBS[field.name], entry_key(entry_id, field.name), field.spec.default if value is None else value)


def new_entry_id() -> int:
    entry_id = st.session_state.get("next_entry_id", 0)
    st.session_state["next_entry_id"] = entry_id + 1
    return entry_id


def set_start(point) -> None:
    st.session_state["start_x"] = round(float(point[0]), START_DECIMALS)
    st.session_state["start_y"] = round(float(point[1]), START_DECIMALS)


def initialize() -> list[str]:
    """On a session's first run, load the URL's state; returns problems found in it."""
    if st.session_state.get("initialized"):
        return []
    scene, options, problems = state_from_params(st.query_params.to_dict())
    load_scene(scene)
    load_view(options)
    st.session_state["initialized"] = True
    return problems


def current_lang() -> str:
    """The language before any widget is drawn (page title, navigation)."""
    lang = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def valid_names() -> tuple[list[str], list[str], list[str]]:
    return list_surfaces() + [CUSTOM_SURFACE], list_optimizers(), list_schedules()
