"""The 3-D view's surface: a Streamlit component (components v2: inline, no iframe) that
paints ``viz.browser3d.surface3d_data`` on a canvas in the browser and turns it there under
the mouse, a finger or the arrow keys, with a "reset view" button.

Why not Plotly's WebGL surface: measured in headless Chromium (issue 15), a switch to the
Plotly 3-D view spent well under a second on the server and fetching plotly.js, 1-2 s
evaluating plotly.js (a 4.7 MB chunk, loaded only for this view since the map left
Plotly), and 2-4 s in plotly.js building and drawing the WebGL scene, which a machine
without a GPU renders in software; with plotly.js already loaded (after a visit to "Inside
the optimizer") the switch still took about 4 s. So preloading plotly.js could not help;
the 3-D view draws with a canvas of its own instead. The Plotly figure
(``viz.plotly.surface3d``) stays for the HTML export."""

from __future__ import annotations

from scene import Scene
from ui.assets import browser_component
from ui.cached import browser_json, cache_key, shared, trajectories_of
from viz.browser3d import surface3d_data

SURFACE3D_KEY = "surface3d"
_COMPONENT = browser_component("surface3d", "surface3d")


def surface3d_data_of(scene: Scene, lang: str) -> str:
    """The 3-D view's data of ``scene`` (``viz.browser3d.surface3d_data``) as JSON text, built
    and encoded once for every session that shows the same scene in the same language (keyed,
    as ``ui.cached`` keys its caches, by the repr of the plain frozen values)."""
    return _surface3d_data(cache_key(scene, lang), scene, lang)


@shared(max_entries=64)
def _surface3d_data(key: str, _scene: Scene, _lang: str) -> str:
    surface, trajectories = trajectories_of(_scene)
    return browser_json(surface3d_data(_scene, surface, trajectories, _lang))


def surface3d(scene: Scene, lang: str) -> None:
    """The turnable 3-D surface of ``scene``, the width of the main area and as tall as the
    screen leaves it; the camera is kept (in the browser) while the surface stays the same."""
    _COMPONENT(key=SURFACE3D_KEY, data={"surface": surface3d_data_of(scene, lang)}, width="stretch", height="content")
