"""Latency of the app in a real browser, 4 optimizers x 300 steps (the default scene): the
live drags of the map (the start handle, and Adam's learning-rate slider under the map) and,
as the baseline, a sidebar slider change (Adam's learning rate) to the updated map.

    python -m benchmarks.bench_app_latency [--repeats 16] [--drag-seconds 4]

The pointer rests on the handle or slider first (the map then fetches the paths it scrubs
through), then a drag moves it about 60 times a second. For each drag: visible updates per second
(new paths drawn while the pointer moves) and the time from a pointer move to the paths it
asked for being drawn (median and 90th percentile; the map logs both in
``window.__otvLive``). Its last line reads
``drag: start <u> updates/s <m> ms median; lr <u> updates/s <m> ms median; slider baseline <b> ms median``.

The learning rate walks up the slider and back down, so every move asks for a figure the
browser has not just seen (alternating two values would let Streamlit's message cache
resend a figure by reference). For context, the same run measures a baseline: a rerun that
changes no figure (the results table's tolerance buttons), from the key press to the end of
the rerun. Prints medians, the ratio, the browser's main-thread work per move (Chromium's
TaskDuration: it includes the second redraw Streamlit's chart makes after mounting, which
comes after the figure is visible) and the size of the map data the browser receives.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from scene import Scene, run_scene  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, READY, streamlit_server  # noqa: E402
from viz.browser import (
    MAX_FRAMES,  # noqa: E402
    map_data,  # noqa: E402
)

MAP = ".st-key-trajectory_map"
MAP_DRAWN = f"{MAP} .otv-map"  # Playwright's selectors enter the map's shadow root

# Starts a watcher, then returns. The watcher notes the time at which the chart's data (the
# Adam head, or for the baseline the end of the rerun) differs from what it was.
WATCH = """([mode, trace, selector]) => {
  const root = () => { const host = document.querySelector(selector);
      const inner = host && Array.from(host.querySelectorAll('*')).find(e => e.shadowRoot);
      return inner ? inner.shadowRoot : host; };
  const pathOf = () => { const r = root(); const paths = r ? r.querySelectorAll('.otv-path') : [];
      return paths[trace] ? paths[trace].getAttribute('points') : null; };
  const app = () => document.querySelector('[data-testid="stApp"]');
  const before = pathOf();
  window.__done = null; window.__sawRunning = false; window.__running = null;
  window.__t0 = performance.now();
  const tick = () => {
    const state = app().getAttribute('data-test-script-state');
    if (state === 'running' && !window.__sawRunning) { window.__sawRunning = true; window.__running = performance.now(); }
    if (mode === 'figure' && pathOf() !== before) { window.__done = performance.now(); return; }
    if (mode === 'rerun' && window.__sawRunning && state === 'notRunning') { window.__done = performance.now(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def measure(page, cdp, slider_selector: str, mode: str, trace: int, repeats: int) -> list[list[float]]:
    """[latency, key press -> rerun starts, main-thread work] per move, in ms."""
    thumb = page.locator(slider_selector)
    times = []
    if mode == "figure":
        keys = ["ArrowRight"] * (repeats // 2) + ["ArrowLeft"] * (repeats - repeats // 2)
    else:  # the tolerance's buttons: 1e-4 and back to 1e-3
        keys = ["0.0001", "0.001"] * (repeats // 2) + ["0.0001"] * (repeats % 2)
    for key in keys:
        if mode == "figure":
            thumb.focus()
        page.wait_for_timeout(100)
        before = _main_thread_ms(cdp)
        page.evaluate(WATCH, [mode, trace, MAP])
        if mode == "figure":
            thumb.press(key)
        else:
            thumb.locator("button").filter(has_text=re.compile(f"^{re.escape(key)}$")).click()
        page.wait_for_function("window.__done !== null", timeout=30_000)
        latency = page.evaluate("[window.__done - window.__t0, (window.__running || window.__done) - window.__t0]")
        page.wait_for_selector(READY)
        page.wait_for_timeout(600)  # let the app settle (late deltas, the chart's second redraw, the URL write)
        times.append([*latency, _main_thread_ms(cdp) - before])
    return times


def drag(page, locator, path, seconds: float) -> dict:
    """Drag from the middle of ``locator`` along ``path`` (fractions of ``area``'s box, one
    point per pointer move, about 60 moves a second for ``seconds``); the map's live log."""
    locator.scroll_into_view_if_needed()
    handle = locator.bounding_box()
    # The pointer rests on the handle first, as a hand does before it drags: the map then asks
    # for the paths it will scrub through (the start's grid, the slider's values).
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.wait_for_timeout(500)
    page.wait_for_selector(READY)
    page.wait_for_timeout(500)
    page.evaluate("window.__otvLive.drawn = []")
    page.mouse.down()
    started = time.perf_counter()
    moves = 0
    while time.perf_counter() - started < seconds:
        page.mouse.move(*path(min((time.perf_counter() - started) / seconds, 1.0)))
        moves += 1
        page.wait_for_timeout(16)
    duration = time.perf_counter() - started
    drawn = page.evaluate("window.__otvLive.drawn.map(d => d.ms)")
    page.mouse.up()
    page.wait_for_selector(READY)
    page.wait_for_timeout(1500)  # the release's whole-page rerun
    page.wait_for_selector(READY)
    ms = sorted(drawn) or [float("nan")]
    return {
        "updates_per_s": len(drawn) / duration, "moves_per_s": moves / duration,
        "median": statistics.median(ms), "p90": ms[min(len(ms) - 1, int(0.9 * len(ms)))],
    }


def _main_thread_ms(cdp) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return 1000 * next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def figure_json_bytes(scene: Scene) -> int:
    """The map's data without its landscape picture (which comes once per view)."""
    surface, trajectories = run_scene(scene)
    data = map_data(scene, surface, trajectories, max_frames=MAX_FRAMES)
    return len(json.dumps(data)) - len(data["image"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=16)
    parser.add_argument("--drag-seconds", type=float, default=4.0)
    args = parser.parse_args()
    scene = Scene()
    assert len(scene.optimizers) == 4 and scene.steps == 300
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install -y chromium")
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(url)
        page.wait_for_selector(MAP_DRAWN)
        page.wait_for_selector(READY)
        path_trace = len(scene.optimizers) - 1  # Adam's path: the map draws the paths in legend order
        frame = page.locator(f"{MAP} .otv-frame").first.bounding_box()

        def across_map(f: float) -> tuple[float, float]:  # twice along the diagonal and back, as a hand would
            along = 0.5 - 0.4 * math.cos(4 * math.pi * f)
            return frame["x"] + frame["width"] * along, frame["y"] + frame["height"] * (0.15 + 0.7 * along)

        start_drag = drag(page, page.locator(f"{MAP} .otv-start").first, across_map, args.drag_seconds)
        lr_slider = page.get_by_role("slider", name="Adam: η lr")
        lr_slider.scroll_into_view_if_needed()
        track = lr_slider.bounding_box()

        def along_slider(f: float) -> tuple[float, float]:  # lr from its value up the log scale and back
            return track["x"] + track["width"] * (0.5 + 0.35 * math.sin(2 * math.pi * f)), track["y"] + track["height"] / 2

        lr_drag = drag(page, lr_slider, along_slider, args.drag_seconds)
        page.locator(".st-key-opt3_box summary").click()  # open Adam's settings
        page.wait_for_selector(".st-key-opt3_adam_lr input")
        measure(page, cdp, ".st-key-opt3_adam_lr input", "figure", path_trace, 2)  # warm-up
        figure = measure(page, cdp, ".st-key-opt3_adam_lr input", "figure", path_trace, args.repeats)
        baseline = measure(page, cdp, ".st-key-tolerance", "rerun", path_trace, args.repeats)
        browser.close()
    size = figure_json_bytes(scene)
    started = statistics.median(t[1] for t in figure + baseline)
    work_figure, work_baseline = statistics.median(t[2] for t in figure), statistics.median(t[2] for t in baseline)
    figure, baseline = [t[0] for t in figure], [t[0] for t in baseline]
    median_figure, median_baseline = statistics.median(figure), statistics.median(baseline)
    print(f"scene: {len(scene.optimizers)} optimizers x {scene.steps} steps, {args.repeats} repeats")
    print(f"slider -> updated figure: median {median_figure:.0f} ms (min {min(figure):.0f}, max {max(figure):.0f})")
    print(f"baseline, rerun without a figure change: median {median_baseline:.0f} ms")
    print(f"ratio figure / baseline: {median_figure / median_baseline:.2f}")
    print(f"of which key press -> the page shows the rerun running (Streamlit, any widget): median {started:.0f} ms")
    print(f"browser main-thread work per move: {work_figure:.0f} ms (baseline {work_baseline:.0f} ms)")
    print(f"map data per move (paths and curves): {size / 1024:.0f} KiB")
    for name, found in (("start", start_drag), ("lr", lr_drag)):
        print(
            f"drag {name}: {found['updates_per_s']:.1f} updates/s for {found['moves_per_s']:.0f} pointer moves/s, "
            f"pointer -> paths drawn {found['median']:.0f} ms median, {found['p90']:.0f} ms p90"
        )
    print(f"ratio drag start / slider baseline (median latency): {start_drag['median'] / median_figure:.2f}")
    print(f"ratio drag lr / slider baseline (median latency): {lr_drag['median'] / median_figure:.2f}")
    print(
        f"drag: start {start_drag['updates_per_s']:.1f} updates/s {start_drag['median']:.0f} ms median; "
        f"lr {lr_drag['updates_per_s']:.1f} updates/s {lr_drag['median']:.0f} ms median; "
        f"slider baseline {median_figure:.0f} ms median"
    )


if __name__ == "__main__":
    main()
