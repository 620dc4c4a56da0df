"""The Trajectories view's map: a Streamlit component (components v2: inline, no iframe)
that paints ``viz.browser.map_data`` in the browser, sized from the viewport, with play,
pause, step, reset and keyboard shortcuts there.

It is live, as in Distill's "Why Momentum Really Works": while the user drags the start
handle or an optimizer's learning-rate or momentum slider under the map, the browser sends
the values (one request in flight at a time) as the state value ``live``; the map sits in a
fragment, so only it reruns: the NumPy core runs the changed scene and the paths come back
(no curves, no landscape: those stay in the browser). A drag of the start also asks once
for the paths from a grid of starts (one batched run per optimizer, ``viz.browser.start_fan``):
from then on the handle snaps to that grid and the paths follow at once, in the browser. A
slider does the same with its optimizer's paths over the values it snaps to (1-1.5-2-3-5-7
per decade on a log scale), asked for when the pointer comes over it.
On release the browser sends the
trigger ``commit``: the values go into the sidebar's widget state and the whole page reruns,
so the curves, the results table and the URL agree."""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import streamlit as st

from optimizers import optimizer_info
from scene import Scene, scene_to_text
from scene.i18n import t
from ui.assets import browser_component
from ui.cached import knob_fan_of, map_data_of, start_fan_of
from ui.state import entry_key, hparam_key, set_start
from ui.turns import TURNS
from ui.widgets import Knob, label_for

MAP_KEY = "trajectory_map"
_COMPONENT = browser_component("trajectory_map", "map")
# The hyperparameters with a live slider under the map: (name, part of a pair or None).
LIVE_HPARAMS = (("lr", None), ("momentum", None), ("betas", 0))
_IMAGES_SENT = "_map_images_sent"  # landscape pictures this session's browser already has
# Streamlit's Plotly chunk (the other views' charts), which the map has the browser fetch and
# evaluate while idle (assets/map/map.js: warmUp); none if this Streamlit names it otherwise.
WARM_UP = [
    f"static/js/{path.name}" for path in sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
][:1]
_LOG = logging.getLogger(__name__)


def scene_id(scene: Scene) -> str:
    """A short fingerprint of ``scene``: live values apply only to the scene they were
    dragged from (a stale drag never overrides a later change in the sidebar)."""
    return hashlib.sha1(scene_to_text(scene).encode("utf-8")).hexdigest()[:16]


def live_knobs(scene: Scene, lang: str) -> list[dict]:
    """The live sliders: each optimizer's learning rate and its momentum or first beta, with
    the session-state key of the sidebar widget that holds it. None while the sidebar and
    the scene disagree on the optimizers (one of them has an invalid setting)."""
    ids = st.session_state.get("entry_ids", [])
    if len(ids) != len(scene.optimizers):
        return []
    found = []
    for run, (entry_id, entry) in enumerate(zip(ids, scene.optimizers, strict=True)):
        if st.session_state.get(entry_key(entry_id, "name")) != entry.name:
            return []
        specs = {spec.name: spec for spec in optimizer_info(entry.name).specs}
        for name, part in LIVE_HPARAMS:
            spec = specs.get(name)
            if spec is None or spec.kind not in ("float", "pair"):
                continue
            knob = Knob.of(spec)
            value = float(entry.hparam(name, part))
            key = hparam_key(entry_id, entry.name, name) + (f".{part}" if part is not None else "")
            found.append({
                "key": key, "run": run, "name": name, "part": part, "label": label_for(knob, lang, part),
                "low": float(knob.low), "high": float(knob.high), "log": bool(knob.log), "value": value,
            })
    return found


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _live_scene(scene: Scene, knobs: list[dict], values: dict, start: Any) -> Scene:
    """``scene`` with the browser's live values (clamped to each slider's range; ValueError
    from the scene if a value is invalid there)."""
    entries = list(scene.optimizers)
    for knob in knobs:
        value = _finite(values.get(knob["key"])) if isinstance(values, dict) else None
        if value is None:
            continue
        value = min(max(value, knob["low"]), knob["high"])
        entries[knob["run"]] = entries[knob["run"]].with_hparam(knob["name"], value, knob["part"])
    point = start if isinstance(start, list | tuple) and len(start) == 2 else None
    xy = tuple(_finite(v) for v in point) if point is not None else None
    changed = replace(scene, optimizers=tuple(entries))
    if xy is not None and None not in xy:
        changed = replace(changed, start=xy)
    return changed


def _commit(scene: Scene, knobs: list[dict], commit: dict) -> None:
    """The released values into the sidebar's widget state (the URL follows on the rerun)."""
    try:
        settled = _live_scene(scene, knobs, commit.get("knobs") or {}, commit.get("start"))
    except ValueError:
        return  # an invalid value: the page keeps its settings
    if commit.get("start") is not None and settled.start is not None:
        set_start(settled.start)
    for knob in knobs:
        if knob["key"] in (commit.get("knobs") or {}):
            st.session_state[knob["key"]] = float(settled.optimizers[knob["run"]].hparam(knob["name"], knob["part"]))


def _image_needed() -> None:
    st.session_state.pop(_IMAGES_SENT, None)  # the browser lost its pictures (a remount): resend


@st.fragment
def trajectory_map(scene: Scene, lang: str, **options: Any) -> None:
    """The live map of ``scene`` (``viz.browser.map_data`` ``options``). Runs again on its
    own while the user drags; a release reruns the whole page. A failure shows a short
    message in the map's place (a fragment's error would otherwise reach the page as a
    traceback) and is logged for the operator."""
    try:
        with TURNS.turn():  # a drag's rerun takes its turn with the other sessions' runs
            _draw_map(scene, lang, **options)
    except Exception:
        _LOG.exception("The map failed for the scene %s", scene_to_text(scene))
        st.error(t("app.view_failed", lang), icon=":material/error:")


def _draw_map(scene: Scene, lang: str, **options: Any) -> None:
    state = st.session_state.get(MAP_KEY) or {}
    knobs = live_knobs(scene, lang)
    commit = state.get("commit")
    if isinstance(commit, dict):
        _commit(scene, knobs, commit)
        st.rerun()  # the whole page: sidebar, curves, results table and URL
    base = map_data_of(scene, lang=lang, **options)
    shown_bounds = base.bounds
    st.session_state["shown_bounds"] = shown_bounds  # the sidebar's view range starts here
    this_scene = scene_id(scene)
    live = state.get("live")
    live = live if isinstance(live, dict) and live.get("base") == this_scene else {}  # a stale drag: ignored
    data, fan, knob_fan, knob_fan_key = base, None, None, None
    if live.get("fan"):  # asked once per drag of the start
        fan = start_fan_of(scene, shown_bounds)
    for knob in knobs:
        if knob["key"] == live.get("knob_fan"):  # asked once per slider, when the pointer comes over it
            knob_fan = knob_fan_of(scene, knob["run"], knob["name"], knob["part"], knob["low"], knob["high"], knob["log"])
            knob_fan_key = knob["key"]
    if live:
        try:
            shown = _live_scene(scene, knobs, live.get("knobs") or {}, live.get("start"))
            shown = replace(shown, bounds=shown_bounds)  # the map holds still while dragging
            data = map_data_of(shown, lang=lang, curves=False, **options)
        except ValueError:
            data = base
    image_key = hashlib.sha1(data.image.encode("ascii")).hexdigest()[:16]
    sent = st.session_state.setdefault(_IMAGES_SENT, set())
    # The picture and the fans are JSON text, encoded once for every session (the browser
    # parses them); the rest is this session's.
    payload = {
        "picture": data.picture, "image": None if image_key in sent else data.image, "image_key": image_key,
        "scene_id": this_scene, "live_seq": live.get("seq") if data is not base else None, "live_knobs": knobs,
        "fan": fan, "knob_fan": knob_fan, "knob_fan_key": knob_fan_key, "warm_up": WARM_UP,
    }
    sent.add(image_key)
    _COMPONENT(
        key=MAP_KEY, data=payload, default={"live": None}, on_live_change=lambda: None,
        on_commit_change=lambda: None, on_image_needed_change=_image_needed, width="stretch", height="content",
    )
