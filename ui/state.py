"""App state: widget keys, loading a scene into the widgets, and the shareable URL.

The widgets are the state while the app runs; a :class:`Scene` is read from them on every
run. A preset, a clicked start point or a URL *loads* a scene by writing the widgets' values
into ``st.session_state`` before they are drawn (in a callback, or at the top of the first
run), so there is one source of truth and no widget gets two defaults.

URL (everything a lesson needs; a copied link reproduces the view)::

    ?s=<compact JSON of viz.scene.to_dict(scene), defaults left out>
     &lang=zh            en | zh
     &view=inside        trajectories | surface3d | inside | analysis
     &layout=side        overlay | side
     &speed=2            0.25 | 0.5 | 1 | 2 | 4 (animation speed)
     &present=1          presenter mode: no sidebar, larger fonts

Every parameter is read on its own: junk in one falls back to its default with a visible
warning and leaves the others alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from optimizers import list_optimizers, list_schedules, optimizer_info, schedule_specs
from surfaces import get_surface, list_surfaces
from ui.i18n import LANGUAGES, t
from ui.widgets import Knob, set_knob
from viz.scene import CUSTOM_SURFACE, MAX_STEPS, OptimizerEntry, Scene, scene_from_dict, to_dict

VIEWS = ("trajectories", "surface3d", "inside", "analysis")
LAYOUTS = {"overlay": "overlay", "side": "side_by_side"}  # URL word -> figure layout
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
DEFAULT_START_DECIMALS = 6


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


# Knobs for the per-optimizer extras, which have no spec in the core.
def extra_knobs() -> dict[str, Knob]:
    def both(key: str) -> dict[str, str]:
        return {lang: t(f"app.{key}", lang) for lang in LANGUAGES}

    def knob(name, default, symbol, title, low, high, kind="float", log=False) -> Knob:
        return Knob(name, default, symbol, both(f"{title}_help"), kind, low, high, log, title=both(title))

    return {
        "clip_value": replace(knob("clip_value", 1.0, "c", "clip_value", 1e-3, 100.0, log=True), title=both("clip_threshold")),
        "clip_norm": replace(knob("clip_norm", 1.0, "c", "clip_norm", 1e-3, 100.0, log=True), title=both("clip_threshold")),
        "noise": knob("noise", 0.0, r"\sigma", "noise", 0.0, 10.0),
        "batch_size": knob("batch_size", 1, "b", "batch", 1, 1024, kind="int", log=True),
        "warmup_iters": knob("warmup_iters", 0, "T_w", "warmup", 0, 500, kind="int"),
        "steps": knob("steps", 300, "T", "steps", 1, MAX_STEPS, kind="int"),
    }


# ----------------------------------------------------------------------------- canonical form


def canonical_entry(entry: OptimizerEntry) -> OptimizerEntry:
    """The entry with hyperparameters at their defaults left out (the learning rate is always
    kept): two ways of writing the same settings compare equal and make the same URL."""
    specs = {spec.name: spec for spec in optimizer_info(entry.name).specs}
    hparams = tuple(
        (name, _plain(value)) for name, value in sorted(entry.hparams)
        if name == "lr" or name not in specs or _plain(value) != _plain(specs[name].default)
    )
    schedule_defaults = {spec.name: spec.default for spec in schedule_specs(entry.schedule)}
    schedule_params = tuple(
        (name, _plain(value)) for name, value in sorted(entry.schedule_params)
        if _plain(value) != _plain(schedule_defaults.get(name))
    )
    return replace(entry, hparams=hparams, schedule_params=schedule_params)


def canonical(scene: Scene) -> Scene:
    surface_params: tuple = ()
    if scene.surface != CUSTOM_SURFACE:
        defaults = {spec.name: spec.default for spec in get_surface(scene.surface).param_specs}
        surface_params = tuple(
            (name, float(value)) for name, value in sorted(scene.surface_params) if float(value) != defaults.get(name)
        )
    return replace(
        scene,
        surface_params=surface_params,
        formula=scene.formula if scene.surface == CUSTOM_SURFACE else "",
        optimizers=tuple(canonical_entry(e) for e in scene.optimizers),
    )


def _plain(value: Any) -> Any:
    """Lists (from JSON) and tuples (from widgets) compare equal."""
    return tuple(_plain(v) for v in value) if isinstance(value, list | tuple) else value


# ----------------------------------------------------------------------------- URL


_ENTRY_DEFAULTS = {
    "hparams": {}, "schedule": "constant", "schedule_params": {}, "warmup_iters": 0,
    "clip_value": None, "clip_norm": None, "noise": 0.0, "batch_size": 1,
}
_SCENE_DEFAULTS = {"surface_params": {}, "formula": "", "start": None, "seed": 0}


def scene_to_text(scene: Scene) -> str:
    """Compact JSON of the scene for the URL, fields at their defaults left out."""
    data = to_dict(canonical(scene))
    data = {k: v for k, v in data.items() if _SCENE_DEFAULTS.get(k, object()) != v}
    data["optimizers"] = [
        {k: v for k, v in entry.items() if _ENTRY_DEFAULTS.get(k, object()) != v} for entry in data["optimizers"]
    ]
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def scene_from_text(text: str) -> Scene:
    """The scene of a URL's ``s`` parameter; ValueError with the reason for anything else."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if isinstance(data.get("optimizers"), list):
        for entry in data["optimizers"]:
            if isinstance(entry, dict) and isinstance(entry.get("hparams"), dict):
                entry["hparams"] = {k: _maybe_tuple(v) for k, v in entry["hparams"].items()}
    try:
        return scene_from_dict(data)
    except (TypeError, KeyError, RecursionError) as error:
        raise ValueError(str(error)) from None


def _maybe_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


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
    problems: list[str] = []
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
    st.session_state["formula"] = scene.formula
    if scene.surface != CUSTOM_SURFACE:
        given = dict(scene.surface_params)
        for spec in get_surface(scene.surface).param_specs:
            set_knob(Knob.of(spec), surface_param_key(scene.surface, spec.name), given.get(spec.name, spec.default))
        set_start(scene.start if scene.start is not None else get_surface(scene.surface, **given).default_start)
    else:
        set_start(scene.start if scene.start is not None else (0.0, 0.0))
    knobs = extra_knobs()
    set_knob(knobs["steps"], "steps", scene.steps)
    st.session_state["seed"] = int(scene.seed)
    ids = []
    for entry in scene.optimizers:
        entry_id = new_entry_id()
        load_entry(entry_id, entry)
        ids.append(entry_id)
    st.session_state["entry_ids"] = ids


def load_entry(entry_id: int, entry: OptimizerEntry) -> None:
    knobs = extra_knobs()
    st.session_state[entry_key(entry_id, "name")] = entry.name
    given = dict(entry.hparams)
    for spec in optimizer_info(entry.name).specs:
        set_knob(Knob.of(spec), hparam_key(entry_id, entry.name, spec.name), given.get(spec.name, spec.default))
    st.session_state[entry_key(entry_id, "schedule")] = entry.schedule
    given = dict(entry.schedule_params)
    for spec in schedule_specs(entry.schedule):
        set_knob(Knob.of(spec), schedule_key(entry_id, entry.schedule, spec.name), given.get(spec.name, spec.default))
    set_knob(knobs["warmup_iters"], entry_key(entry_id, "warmup"), entry.warmup_iters)
    for what in ("clip_value", "clip_norm"):
        value = getattr(entry, what)
        st.session_state[entry_key(entry_id, f"{what}_on")] = value is not None
        set_knob(knobs[what], entry_key(entry_id, what), value if value is not None else knobs[what].default)
    set_knob(knobs["noise"], entry_key(entry_id, "noise"), entry.noise)
    set_knob(knobs["batch_size"], entry_key(entry_id, "batch"), entry.batch_size)


def new_entry_id() -> int:
    entry_id = st.session_state.get("next_entry_id", 0)
    st.session_state["next_entry_id"] = entry_id + 1
    return entry_id


def set_start(point) -> None:
    st.session_state["start_x"] = round(float(point[0]), DEFAULT_START_DECIMALS)
    st.session_state["start_y"] = round(float(point[1]), DEFAULT_START_DECIMALS)


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


def is_default_start(point: tuple[float, float], default) -> bool:
    return all(math.isclose(a, float(b), abs_tol=10.0**-DEFAULT_START_DECIMALS) for a, b in zip(point, default, strict=True))
