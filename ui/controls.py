"""The sidebar: preset, surface, start point, steps and the optimizers, each with its
hyperparameters, schedule, clipping and mini-batch noise. Draws widgets, returns a Scene.

Every control is generated from a spec (``ui.widgets.knob_widget``); there is no code
written for one optimizer in particular. A value the core still rejects (SGD's Nesterov
with momentum 0, a formula with a typo) is shown as a message next to its widget, and that
optimizer (or the whole picture, for a surface) is left out, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from optimizers import (
    list_optimizers,
    list_schedules,
    optimizer_info,
    schedule_specs,
    schedule_title,
)
from scene import (
    BOUNDS,
    CUSTOM_SURFACE,
    ENTRY_FIELDS,
    MAX_OPTIMIZERS,
    PRESETS,
    UPLOAD_SURFACE,
    OptimizerEntry,
    Scene,
    lesson_of,
    register_upload,
)
from scene.i18n import pick, t
from scene.model import START_DECIMALS, start_reach, surface_from_key
from surfaces import Surface, get_surface, list_surfaces
from surfaces.data.upload import CSV_MODELS
from ui.plain import message, plain
from ui.state import (
    ENTRY_KNOBS,
    SCENE_KNOBS,
    entry_key,
    hparam_key,
    load_entry,
    load_scene,
    new_entry_id,
    schedule_key,
    set_start,
    surface_param_key,
)
from ui.widgets import Knob, knob_value, knob_widget

NO_PRESET = ""
DEFAULT_FORMULA = "x**2 + 10*y**2"


@dataclass
class Controls:
    """What the sidebar produced: the scene of the valid parts and what was wrong."""

    scene: Scene | None
    surface: Surface | None
    surface_error: str = ""
    entry_errors: dict[int, str] = field(default_factory=dict)  # position in the sidebar -> message
    entries: list[OptimizerEntry | None] = field(default_factory=list)  # in sidebar order; None if invalid


# ----------------------------------------------------------------------------- callbacks


def _apply_preset() -> None:
    key = st.session_state.get("preset", NO_PRESET)
    if key in PRESETS:
        load_scene(PRESETS[key].scene)


def _surface_changed() -> None:
    name = st.session_state["surface"]
    if name == CUSTOM_SURFACE:  # a typed formula has no view of its own ([-3, 3]²): frame its paths and minima
        st.session_state[BOUNDS.name] = "fit"
    elif name == UPLOAD_SURFACE:  # the start is set when a file is read (read_controls)
        st.session_state.pop("upload_start_for", None)
    else:
        set_start(get_surface(name).default_start)


def _formula_of(name: str) -> str:
    """What names a surface besides its name: a typed formula, or an upload's fingerprint."""
    if name == CUSTOM_SURFACE:
        return st.session_state.get("formula", DEFAULT_FORMULA)
    if name == UPLOAD_SURFACE:
        return st.session_state.get("upload_key", "")
    return ""


def _read_upload(lang: str) -> str:
    """The fingerprint of the CSV in the uploader (read and kept by ``scene.register_upload``),
    or of the upload a link named in this process; ValueError with the loader's message for
    a refused file, or a prompt when there is none. A new file moves the start to its surface's."""
    state = st.session_state
    file = state.get("upload_file")
    model = state.get("upload_model", "linreg")
    if file is not None:
        try:
            state["upload_key"] = register_upload(file.getvalue(), model if model in CSV_MODELS else "linreg")
        except ValueError:
            state.pop("upload_key", None)
            raise
    key = state.get("upload_key", "")
    if not key:
        raise ValueError(t("app.upload_prompt", lang))
    return key


VIEW_MODES = (*BOUNDS.modes, "custom")
VIEW_EDGES = ("bounds_x0", "bounds_x1", "bounds_y0", "bounds_y1")


def _view_mode_changed(shown_bounds) -> None:
    mode = st.session_state["view_mode"]
    if mode in BOUNDS.modes:
        st.session_state[BOUNDS.name] = mode
        return
    (x0, x1), (y0, y1) = shown_bounds  # custom starts from the view on screen
    st.session_state[BOUNDS.name] = ((x0, x1), (y0, y1))


def _view_edges_changed(reach: float) -> None:
    x0, x1, y0, y1 = (float(st.session_state[key]) for key in VIEW_EDGES)
    try:
        st.session_state[BOUNDS.name] = BOUNDS.validate(((x0, x1), (y0, y1)), reach)
        st.session_state.pop("bounds_error", None)
    except ValueError as error:  # the view stays as it was; the message says why
        st.session_state["bounds_error"] = str(error)


def _view_section(lang: str, controls: Controls) -> None:
    """Which part of the plane the maps show: the surface's own view, one fitted to the
    paths and minima, or the user's own ranges (a typed formula starts fitted)."""
    bounds = st.session_state.get(BOUNDS.name, BOUNDS.default)
    st.session_state["view_mode"] = bounds if isinstance(bounds, str) else "custom"
    # The view on screen (the map's, from this run), else the surface's own: where "custom" starts.
    shown = st.session_state.get("shown_bounds") or (controls.surface.bounds if controls.surface is not None else None)
    st.segmented_control(
        t("app.view_range", lang), VIEW_MODES, key="view_mode", required=True, help=t("app.view_range_help", lang),
        format_func=lambda m: t(f"app.view_range_{m}", lang), on_change=_view_mode_changed, args=(shown,),
    )
    if isinstance(bounds, str) or shown is None:
        return
    reach = start_reach(controls.surface) if controls.surface is not None else 1e3
    (x0, x1), (y0, y1) = bounds
    for key, value in zip(VIEW_EDGES, (x0, x1, y0, y1), strict=True):
        st.session_state[key] = float(value)
    left, right = st.columns(2)
    for column, key, label in zip((left, right, left, right), VIEW_EDGES, ("x min", "x max", "y min", "y max"), strict=True):
        column.number_input(label, min_value=-reach, max_value=reach, step=0.5, format="%.3g", key=key,
                            on_change=_view_edges_changed, args=(reach,))
    if st.session_state.get("bounds_error"):
        st.error(plain(st.session_state["bounds_error"]))


def _reset_start() -> None:
    name = st.session_state["surface"]
    try:
        surface = surface_from_key((name, (), _formula_of(name)))
    except ValueError:
        return
    set_start(surface.default_start)


def _add_entry() -> None:
    ids = st.session_state["entry_ids"]
    if len(ids) >= MAX_OPTIMIZERS:
        return
    used = {st.session_state.get(entry_key(i, "name")) for i in ids}
    name = next((n for n in ("adam", "momentum", "rmsprop", "sgd") if n not in used), "adam")
    entry_id = new_entry_id()
    load_entry(entry_id, OptimizerEntry(name))
    ids.append(entry_id)
    st.session_state["fresh_entry"] = entry_id


def _duplicate_entry(entry_id: int, entry: OptimizerEntry) -> None:
    ids = st.session_state["entry_ids"]
    if len(ids) >= MAX_OPTIMIZERS:
        return
    copy = new_entry_id()
    load_entry(copy, entry)
    ids.insert(ids.index(entry_id) + 1, copy)
    st.session_state["fresh_entry"] = copy


def _remove_entry(entry_id: int) -> None:
    ids = st.session_state["entry_ids"]
    if len(ids) > 1 and entry_id in ids:
        ids.remove(entry_id)


def _optimizer_changed(entry_id: int) -> None:
    # A new optimizer starts from its own defaults (its widgets have their own keys); its
    # section gets a new title, so it is told to open again.
    load_entry(entry_id, OptimizerEntry(st.session_state[entry_key(entry_id, "name")]))
    st.session_state["fresh_entry"] = entry_id
    st.session_state[entry_key(entry_id, "opens")] = True


# ----------------------------------------------------------------------------- reading


def read_entry(entry_id: int) -> tuple[OptimizerEntry | None, str]:
    """The optimizer entry as its widgets stand (drawn or hidden) and what is wrong with it
    ("" if nothing; the entry is None then): one place that turns widget state into an
    ``OptimizerEntry``, which validates itself."""
    state = st.session_state
    name = state.get(entry_key(entry_id, "name"))
    name = name if name in list_optimizers() else "sgd"
    hparams = {
        spec.name: knob_value(Knob.of(spec), hparam_key(entry_id, name, spec.name))
        for spec in optimizer_info(name).specs
    }
    schedule = state.get(entry_key(entry_id, "schedule"), "constant")
    schedule = schedule if schedule in list_schedules() else "constant"
    schedule_params = {}
    for spec in schedule_specs(schedule):
        try:
            schedule_params[spec.name] = knob_value(Knob.of(spec), schedule_key(entry_id, schedule, spec.name))
        except ValueError:
            return None, f"{spec.name}: {state.get(schedule_key(entry_id, schedule, spec.name))!r}"
    settings = {
        setting.name: None if setting.optional and not state.get(entry_key(entry_id, f"{setting.name}_on"))
        else knob_value(ENTRY_KNOBS[setting.name], entry_key(entry_id, setting.name))
        for setting in ENTRY_FIELDS
    }
    try:
        entry = OptimizerEntry(name, tuple(hparams.items()), schedule, tuple(schedule_params.items()), **settings)
    except ValueError as error:
        return None, str(error)
    return entry, ""


def read_controls() -> Controls:
    """The scene as the widgets stand, read from the session state before any is drawn, so
    the page can draw the figure first and the controls after it (the browser gets the
    figure sooner)."""
    state = st.session_state
    surface_name = state.get("surface")
    if surface_name not in (*list_surfaces(), CUSTOM_SURFACE, UPLOAD_SURFACE):
        surface_name = Scene().surface
    surface, surface_error, params, formula = None, "", (), ""
    if surface_name in (CUSTOM_SURFACE, UPLOAD_SURFACE):
        try:
            formula = _read_upload(state.get("lang", "en")) if surface_name == UPLOAD_SURFACE else _formula_of(surface_name)
            surface = surface_from_key((surface_name, (), formula))
        except ValueError as error:
            surface_error = str(error)
        if surface is not None and surface_name == UPLOAD_SURFACE and state.get("upload_start_for") != formula:
            set_start(surface.default_start)  # a new file: its own start (the widgets are not drawn yet)
            state["upload_start_for"] = formula
    else:
        specs = get_surface(surface_name).param_specs
        params = tuple(sorted((spec.name, knob_value(Knob.of(spec), surface_param_key(surface_name, spec.name))) for spec in specs))
        try:
            surface = surface_from_key((surface_name, params, ""))
        except ValueError as error:  # the sliders cannot produce this; a hand-edited state can
            surface_error = str(error)
    entries, errors = [], {}
    for position, entry_id in enumerate(state.get("entry_ids", [])):
        entry, error = read_entry(entry_id)
        entries.append(entry)
        if error:
            errors[position] = error
    valid = tuple(entry for entry in entries if entry is not None)
    scene = None
    if surface is not None and valid:
        reach = start_reach(surface)
        x = min(max(float(state.get("start_x", surface.default_start[0])), -reach), reach)
        y = min(max(float(state.get("start_y", surface.default_start[1])), -reach), reach)
        numbers = {name: knob_value(knob, name) for name, knob in SCENE_KNOBS.items()}
        try:
            scene = Scene(surface_name, params, formula, (x, y), optimizers=valid, bounds=state.get(BOUNDS.name, BOUNDS.default), **numbers)
        except ValueError as error:  # a hand-edited state; the sliders cannot make one
            surface_error = str(error)
    return Controls(scene, surface, surface_error, errors, entries)


# ----------------------------------------------------------------------------- drawing


def draw_sidebar(lang: str, controls: Controls) -> None:
    with st.sidebar:
        _preset_picker(lang, controls.scene)
        _surface_section(lang, controls)
        _run_section(lang, controls.surface)
        _optimizer_section(lang, controls)


def _preset_picker(lang: str, scene: Scene | None) -> None:
    # The picker names the lesson while the scene is that lesson (as the page header does),
    # and goes back to its prompt once a setting changes it.
    lesson = lesson_of(scene)
    st.session_state["preset"] = lesson.key if lesson is not None else NO_PRESET
    st.selectbox(
        t("app.preset", lang), [NO_PRESET, *PRESETS], key="preset", on_change=_apply_preset,
        format_func=lambda k: pick(PRESETS[k].title, lang) if k in PRESETS else t("app.preset_none", lang),
        help=t("app.preset_help", lang),
    )


def _surface_section(lang: str, controls: Controls) -> None:
    st.subheader(t("app.surface_heading", lang))
    names = [*list_surfaces(), CUSTOM_SURFACE, UPLOAD_SURFACE]
    if st.session_state.get("surface") not in names:
        st.session_state["surface"] = names[0]
    own = {CUSTOM_SURFACE: "app.custom_surface", UPLOAD_SURFACE: "app.upload_surface"}
    name = st.selectbox(
        t("app.surface", lang), names, key="surface", on_change=_surface_changed,
        format_func=lambda n: t(own[n], lang) if n in own else pick(get_surface(n).title, lang),
    )
    if name == UPLOAD_SURFACE:
        _upload_section(lang, controls)
        _view_section(lang, controls)
        return
    if name == CUSTOM_SURFACE:
        st.session_state.setdefault("formula", DEFAULT_FORMULA)
        st.text_input(t("app.formula", lang), key="formula", help=t("app.formula_help", lang), persist_state="page")
        if controls.surface_error:
            st.error(message("app.formula_error", lang, error=controls.surface_error))
        _view_section(lang, controls)
        return
    specs = get_surface(name).param_specs
    if specs:
        box = st.expander(t("app.surface_params", lang), key="surface_params_box", on_change="rerun")
        if box.open:
            with box:
                for spec in specs:
                    knob_widget(Knob.of(spec), surface_param_key(name, spec.name), lang)
    _view_section(lang, controls)


def _upload_section(lang: str, controls: Controls) -> None:
    """A CSV of the user's own (two or three numeric columns) and the model fitted to it. The
    loader's message for a refused file is shown as plain text; the data stays in this
    server process, and a copied link names only its fingerprint."""
    if st.session_state.get("upload_model") not in CSV_MODELS:
        st.session_state["upload_model"] = "linreg"
    st.selectbox(t("app.upload_model", lang), list(CSV_MODELS), key="upload_model",
                 format_func=lambda m: t(f"app.upload_model_{m}", lang))
    st.file_uploader(t("app.upload_file", lang), type=["csv", "txt"], key="upload_file", help=t("app.upload_file_help", lang))
    st.caption(t("app.upload_not_in_link", lang))
    if controls.surface_error and not (st.session_state.get("upload_file") or st.session_state.get("upload_key")):
        st.info(t("app.upload_prompt", lang))  # nothing uploaded yet
    elif controls.surface_error:
        st.error(message("app.upload_error", lang, error=controls.surface_error))


def _run_section(lang: str, surface: Surface | None) -> None:
    st.subheader(t("app.start_heading", lang))
    left, right = st.columns(2)
    # The model's reach, not the default view: a lesson's start outside the view is kept (the
    # picture widens to show it), as a URL gives it.
    reach = start_reach(surface) if surface is not None else 1e3
    for key in ("start_x", "start_y"):
        if key not in st.session_state or not -reach <= st.session_state[key] <= reach:
            st.session_state[key] = round(min(max(st.session_state.get(key, 0.0), -reach), reach), START_DECIMALS)
    left.number_input("x₀", min_value=-reach, max_value=reach, step=0.1, format="%.3f", key="start_x")
    right.number_input("y₀", min_value=-reach, max_value=reach, step=0.1, format="%.3f", key="start_y")
    st.button(t("app.reset_start", lang), on_click=_reset_start, width="stretch")
    for name, knob in SCENE_KNOBS.items():
        knob_widget(knob, name, lang)


def _optimizer_section(lang: str, controls: Controls) -> None:
    st.subheader(t("app.optimizers_heading", lang))
    ids = st.session_state.setdefault("entry_ids", [])
    for position, (entry_id, entry) in enumerate(zip(list(ids), controls.entries, strict=True)):
        error = controls.entry_errors.get(position, "")
        _entry_editor(position, entry_id, entry, error, lang, removable=len(ids) > 1, copyable=len(ids) < MAX_OPTIMIZERS)
    st.button(
        t("app.add_optimizer", lang), on_click=_add_entry, disabled=len(ids) >= MAX_OPTIMIZERS,
        icon=":material/add:", width="stretch", help=t("app.add_optimizer_help", lang, most=MAX_OPTIMIZERS),
    )


def _entry_editor(position: int, entry_id: int, entry: OptimizerEntry | None, error: str, lang: str, removable: bool, copyable: bool) -> None:
    """One optimizer's settings. Only an open section draws its widgets (a closed one costs
    nothing on a rerun); the values stay in the session state either way."""
    # The title names only the optimizer: Streamlit identifies an expander by its label, so a
    # title showing the learning rate would close the section at every move of its slider.
    name = st.session_state.get(entry_key(entry_id, "name"))
    name = name if name in list_optimizers() else "sgd"
    title = f"{position + 1}. {pick(optimizer_info(name).title, lang)}"
    fresh = st.session_state.get("fresh_entry")
    # Closed until opened (a new optimizer, one with an invalid setting and one with a value
    # beyond a slider open): the learning rate and momentum of every optimizer have live
    # sliders under the map, and an open section's widgets cost every rerun ~15 ms of server
    # CPU and the first page their render.
    # Decided once per optimizer: Streamlit names an expander by its arguments, so an
    # `expanded` that changed (a value typed back into range) would close the section.
    opens_key = entry_key(entry_id, "opens")
    if opens_key not in st.session_state:  # not on every rerun: the check walks every setting
        st.session_state[opens_key] = entry_id == fresh or bool(error) or _beyond_a_slider(entry_id, name)
    opens = st.session_state[opens_key]
    box = st.expander(
        title, expanded=opens, key=entry_key(entry_id, "box"), on_change="rerun",
        icon=":material/error:" if error else None,
    )
    if not box.open:
        return
    with box:
        st.selectbox(
            t("app.optimizer", lang), list_optimizers(), key=entry_key(entry_id, "name"), on_change=_optimizer_changed,
            args=(entry_id,), format_func=lambda n: pick(optimizer_info(n).title, lang),
        )
        st.caption(pick(optimizer_info(name).description, lang))
        basics, schedule_tab, extras_tab = st.tabs(
            [t("app.tab_hparams", lang), t("app.tab_schedule", lang), t("app.tab_extras", lang)],
            key=entry_key(entry_id, "tabs"), on_change="rerun",
        )
        if basics.open:
            with basics:
                for spec in optimizer_info(name).specs:
                    knob_widget(Knob.of(spec), hparam_key(entry_id, name, spec.name), lang)
        if schedule_tab.open:
            with schedule_tab:
                _schedule_editor(entry_id, lang)
        if extras_tab.open:
            with extras_tab:
                _extras_editor(entry_id, lang)
        if error:
            st.error(message("app.invalid_optimizer", lang, error=error))
        left, right = st.columns(2)
        left.button(
            t("app.duplicate", lang), key=entry_key(entry_id, "copy"), on_click=_duplicate_entry,
            args=(entry_id, entry), disabled=not copyable or entry is None, icon=":material/content_copy:", width="stretch",
        )
        right.button(
            t("app.remove", lang), key=entry_key(entry_id, "remove"), on_click=_remove_entry,
            args=(entry_id,), disabled=not removable, icon=":material/delete:", width="stretch",
        )


def _beyond_a_slider(entry_id: int, name: str) -> bool:
    """Whether a hyperparameter or a setting of this optimizer (batch size, clipping, ...)
    holds a value beyond its slider's range (from a link or the CLI: the section shows it in
    a number box, with a note)."""
    knobs = [(Knob.of(spec), hparam_key(entry_id, name, spec.name)) for spec in optimizer_info(name).specs]
    knobs += [(knob, entry_key(entry_id, field)) for field, knob in ENTRY_KNOBS.items()]
    for knob, key in knobs:
        if knob.kind not in ("float", "int", "pair"):
            continue
        for held in ((f"{key}.0", f"{key}.1") if knob.kind == "pair" else (key,)):
            value = st.session_state.get(held)
            if isinstance(value, int | float) and not isinstance(value, bool) and not knob.offers(value):
                return True
    return False


def _schedule_editor(entry_id: int, lang: str) -> None:
    key = entry_key(entry_id, "schedule")
    if st.session_state.get(key) not in list_schedules():
        st.session_state[key] = "constant"
    schedule = st.selectbox(
        t("app.schedule", lang), list_schedules(), key=key, help=t("app.schedule_help", lang),
        format_func=lambda s: pick(schedule_title(s), lang), persist_state="page",
    )
    for spec in schedule_specs(schedule):
        knob_widget(Knob.of(spec), schedule_key(entry_id, schedule, spec.name), lang)
    knob_widget(ENTRY_KNOBS["warmup_iters"], entry_key(entry_id, "warmup_iters"), lang)


def _extras_editor(entry_id: int, lang: str) -> None:
    for setting in ENTRY_FIELDS:
        if setting.name == "warmup_iters":
            continue  # in the schedule tab, beside the schedule it multiplies
        if setting.optional:
            on_key = entry_key(entry_id, f"{setting.name}_on")
            st.session_state.setdefault(on_key, False)
            if not st.toggle(t(f"app.{setting.name}", lang), key=on_key, help=t(f"app.{setting.name}_help", lang), persist_state="page"):
                continue
        knob_widget(ENTRY_KNOBS[setting.name], entry_key(entry_id, setting.name), lang)
