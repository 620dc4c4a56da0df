"""The figure type of the interactive views, and the numbers it carries.

:class:`AnimatedFigure` keeps the plain dicts a figure was built from until someone reads
it; the helpers below write arrays and numbers no finer than a screen shows them.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64, to_typed_array_spec

from ..picture import PATH_TOLERANCE

# Paths and curves are simplified to this fraction of the view (about a pixel on a
# projector), as on the browser map.
TOLERANCE = PATH_TOLERANCE


class AnimatedFigure(go.Figure):
    """A ``go.Figure`` kept as the plain dicts it was built from until someone reads it.

    Plotly turns every trace of every frame into a validated object: about 0.25 s for 150
    frames, and ~8 ms more to build and deep-copy the 24 traces and the layout, all of it on
    every slider move of the app. ``to_dict`` (used by ``to_json``, ``st.plotly_chart``)
    copies the dicts (arrays already in plotly's typed-array form). Any other
    use (``fig.data``, ``fig.layout``, ``update_layout``, ``write_html`` ...) builds the
    figure once, and reading ``fig.frames`` builds the frames, so it behaves as any other.
    """

    def __init__(self, data=None, layout=None, frames: list[dict] | None = None):
        if isinstance(data, go.Figure):  # as go.Figure(fig) does; copy and pickle pass one
            data = data.to_dict()
        if isinstance(data, dict):  # {"data": ..., "layout": ..., "frames": ...}
            data, layout, frames = data.get("data"), data.get("layout", layout), data.get("frames", frames)
        attributes = object.__getattribute__(self, "__dict__")
        attributes["_raw"] = attributes["_raw_frames"] = None
        super().__init__()
        attributes["_raw"] = {"data": list(data or []), "layout": dict(layout or {})}
        attributes["_raw_frames"] = list(frames) if frames else None

    def __getattribute__(self, name: str):
        if name not in _PLAIN_ATTRIBUTES:
            build = object.__getattribute__(self, "_build")
            build(frames=name in ("frames", "_frame_objs"))
        return object.__getattribute__(self, name)

    def _build(self, frames: bool = False) -> None:
        attributes = object.__getattribute__(self, "__dict__")
        if attributes["_raw"] is not None:
            raw, attributes["_raw"] = attributes["_raw"], None
            # Not validated (plotly's private flag); tests validate the whole dict, frames
            # included, with go.Figure(fig.to_dict()).
            go.Figure.__init__(self, data=raw["data"], layout=raw["layout"], _validate=False)
        if frames and attributes["_raw_frames"] is not None:
            raw_frames, attributes["_raw_frames"] = attributes["_raw_frames"], None
            go.Figure.frames.fset(self, raw_frames)

    def __getitem__(self, prop):
        object.__getattribute__(self, "_build")(frames=prop == "frames")
        return super().__getitem__(prop)

    def to_dict(self) -> dict:
        """Data and layout copied (a caller may change them, ~1 ms); the frame dicts shared,
        as plotly objects only once someone reads ``fig.frames``."""
        attributes = object.__getattribute__(self, "__dict__")
        raw, frames = attributes["_raw"], attributes["_raw_frames"]
        if raw is None:  # built: plotly's own dicts, without building the frames for it
            result = copy.deepcopy({"data": self._data, "layout": self._layout})
            convert_to_base64(result)  # arrays a caller added to the built figure
        else:  # as built here: arrays already in typed form
            result = _copied(raw)
        if frames is not None:
            result["frames"] = list(frames)
        elif self._frame_objs:
            result["frames"] = [copy.deepcopy(frame._props) for frame in self._frame_objs]
        return result

    def to_plotly_json(self) -> dict:
        return self.to_dict()

    def meta(self) -> dict:
        """A copy of ``layout.meta`` (what the figure says of its traces), read without
        copying or building the rest."""
        attributes = object.__getattribute__(self, "__dict__")
        layout = attributes["_raw"]["layout"] if attributes["_raw"] is not None else self._layout
        return _copied(layout.get("meta", {}))


# What answers without building the figure: its own fields and the ways out as dicts.
_PLAIN_ATTRIBUTES = frozenset({"__dict__", "__class__", "_build", "to_dict", "to_plotly_json", "to_json", "meta"})


def _copied(value):
    """A deep copy of nested dicts and lists of plain values, with lists of numbers or text
    copied in one step (deepcopy visits every number: ~13 ms for the trajectory figure)."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        if all(isinstance(item, int | float | str | bool | type(None)) for item in value[:1]) and not any(
            isinstance(item, dict | list) for item in value
        ):
            return list(value)
        return [_copied(item) for item in value]
    return value


def _typed(values: np.ndarray) -> dict:
    """An array in plotly's typed-array form (base64), as ``go.Figure.to_dict`` writes it."""
    return to_typed_array_spec(np.ascontiguousarray(values))


# ----------------------------------------------------------------------------- number helpers


def _decimals_for(extent: float) -> int:
    """Decimals that resolve 1/10000 of ``extent``: finer than any screen shows."""
    return max(0, 4 - math.floor(math.log10(max(extent, 1e-12))))


def _rounded(values: np.ndarray, decimals: int) -> list:
    return np.round(np.asarray(values, dtype=float), decimals).tolist()


