"""Download buttons for the lecture exports (GIF, MP4, interactive HTML) of the shown scene.

Nothing is rendered until asked for: GIF and MP4 are drawn when their "Render" button is
pressed, with a progress bar, and kept; the HTML file is built when its download button
is pressed (Streamlit calls ``data`` only then, on another thread, where no progress bar
can be drawn, which is fine for an HTML file that takes well under a second).
Renders are kept in a small in-process cache keyed by plain values, so moving back to a
scene, or a second visitor asking for the same one, downloads at once.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Callable

import streamlit as st

from scene import Scene
from scene.i18n import t
from viz.export import MIME_TYPES, SIZES, VIEWS, ExportOptions, export_bytes
from viz.export_options import MAX_HOLD_SECONDS

DEFAULTS = ExportOptions()

_CACHE_ENTRIES = 8
_cache: OrderedDict[tuple, bytes] = OrderedDict()
_cache_lock = threading.Lock()


def _cached(key: tuple) -> bytes | None:
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    return None


def _remember(key: tuple, data: bytes) -> None:
    with _cache_lock:
        _cache[key] = data
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_ENTRIES:
            _cache.popitem(last=False)


def render_export(scene: Scene, fmt: str, options: ExportOptions, progress: Callable[[float], None] | None = None) -> bytes:
    """The export's bytes, from the cache when this exact request was rendered before."""
    key = (scene, fmt, options)
    data = _cached(key)
    if data is None:
        data = export_bytes(scene, fmt, options, progress=progress)
        _remember(key, data)
    return data


def _human_size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1e5 else f"{n_bytes / 1e3:.0f} kB"


def _file_name(scene: Scene, options: ExportOptions, fmt: str) -> str:
    return f"{scene.surface}_{options.view}.{fmt}"


def _video_button(scene: Scene, options: ExportOptions, fmt: str, lang: str) -> None:
    label = fmt.upper()
    data = _cached((scene, fmt, options))
    slot = st.empty()  # the render button, then its progress bar, then the download button
    if data is None:
        if not slot.button(t("export.prepare", lang, fmt=label), key=f"export_prepare_{fmt}",
                           help=t("export.prepare_help", lang), width="stretch"):
            return
        bar = slot.progress(0.0, text=t("export.rendering", lang, fmt=label, percent=0))

        def report(fraction: float) -> None:
            fraction = min(max(fraction, 0.0), 1.0)
            bar.progress(fraction, text=t("export.rendering", lang, fmt=label, percent=int(100 * fraction)))

        try:
            data = render_export(scene, fmt, options, progress=report)
        except (ValueError, OSError, RuntimeError) as error:
            slot.error(t("export.failed", lang, error=error))
            return
    slot.download_button(
        t("export.download", lang, fmt=label, size=_human_size(len(data))), data=data,
        file_name=_file_name(scene, options, fmt), mime=MIME_TYPES[fmt], on_click="ignore",
        key=f"export_download_{fmt}", icon=":material/download:", width="stretch",
    )


def _html_button(scene: Scene, options: ExportOptions, lang: str) -> None:
    if importlib.util.find_spec("viz.figures") is None:
        return  # the interactive figure is not part of this build
    st.download_button(
        t("export.download_html", lang), data=lambda: render_export(scene, "html", options),
        file_name=_file_name(scene, options, "html"), mime=MIME_TYPES["html"], on_click="ignore",
        key="export_download_html", help=t("export.download_html_help", lang),
        icon=":material/download:", width="stretch",
    )


@st.fragment
def export_panel(scene: Scene, lang: str) -> None:
    """Export options and the three download buttons; reruns only itself when used."""
    box = st.expander(t("export.heading", lang), icon=":material/movie:", key="export_box", on_change="rerun")
    if not box.open:  # a closed panel draws nothing (its ten widgets cost every rerun); the
        return  # choices stay in the session (persist_state) for when it opens again
    with box:
        left, right = st.columns(2)
        view = left.selectbox(t("export.view", lang), VIEWS, format_func=lambda v: t(f"export.view_{v}", lang), key="export_view", persist_state="page")
        size = right.selectbox(t("export.size", lang), list(SIZES), format_func=lambda s: t(f"export.size_{s}", lang), key="export_size", persist_state="page")
        left, right = st.columns(2)
        frames = left.slider(t("export.frames", lang), 20, 240, 120, step=10, help=t("export.frames_help", lang), key="export_frames", persist_state="page")
        fps = right.slider(t("export.fps", lang), 5, 30, 20, key="export_fps", persist_state="page")
        left, right = st.columns(2)
        hold = left.slider(t("export.hold", lang), 0.0, MAX_HOLD_SECONDS, DEFAULTS.hold_seconds, step=0.5, help=t("export.hold_help", lang), key="export_hold", persist_state="page")
        fade = view != "surface3d" and right.toggle(t("export.trail_fade", lang), value=False, help=t("export.trail_fade_help", lang), key="export_trail", persist_state="page")
        update_rule = st.toggle(t("export.update_rule", lang), value=False, key="export_update_rule", persist_state="page")
        orbit = view == "surface3d" and st.toggle(t("export.orbit", lang), value=False, key="export_orbit", persist_state="page")
        options = ExportOptions(
            view=view, size=size, fps=fps, frames=frames, lang=lang, update_rule=update_rule,
            orbit_degrees=60.0 if orbit else 0.0, hold_seconds=float(hold), trail="fade" if fade else "full",
        )
        gif, mp4, html = st.columns(3)
        with gif:
            _video_button(scene, options, "gif", lang)
        with mp4:
            _video_button(scene, options, "mp4", lang)
        with html:
            _html_button(scene, options, lang)
