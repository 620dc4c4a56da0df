"""The app in a real browser (Debian's Chromium via pytest-playwright): the animated figures
render side by side, Play advances the frames without a JavaScript error, a click on the
contour moves the start point, and ?lang=zh is Chinese. Plotted data is read from
``gd._fullData`` (``gd.data`` may hold base64-encoded arrays)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import parse_qs, unquote, urlencode, urlparse

import pytest

from scene import OptimizerEntry, Scene, scene_to_text
from tests.conftest import READY

pytestmark = pytest.mark.browser

CHART = ".st-key-trajectory_chart .js-plotly-plot"
SMALL = Scene(
    "three_minima", steps=80,
    optimizers=(OptimizerEntry.of("sgd", lr=0.05), OptimizerEntry.of("momentum", lr=0.05), OptimizerEntry.of("adam", lr=0.05)),
)


@pytest.fixture
def errors(page):
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def open_app(page, app_url: str, **params: str):
    query = urlencode({"s": scene_to_text(SMALL), **params})
    page.set_viewport_size({"width": 1500, "height": 1100})
    page.goto(f"{app_url}/?{query}")
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)


def chart_state(page) -> dict:
    return page.evaluate(
        """(selector) => { const gd = document.querySelector(selector); const meta = gd.layout.meta;
        const pictures = Array.from(gd.querySelectorAll('image'))
            .filter(i => (i.getAttribute('href') || '').startsWith('data:image/png')).length;
        return { types: gd._fullData.map(t => t.type), frames: gd._transitionData._frames.length,
                 active: gd.layout.sliders[0].active, meta: meta, pictures: pictures }; }""",
        CHART,
    )


def test_side_by_side_panels_are_animated(page, app_url, errors):
    open_app(page, app_url, layout="side")
    state = chart_state(page)
    assert state["pictures"] == len(SMALL.optimizers)  # one landscape under each map
    assert len(state["meta"]["contour_axes"]) == len(SMALL.optimizers)
    assert state["frames"] >= 40
    assert state["active"] == state["frames"] - 1
    assert not errors


def test_play_runs_to_the_end_and_the_controls_still_answer(page, app_url, errors):
    open_app(page, app_url, s=scene_to_text(replace(SMALL, steps=30)))
    last = chart_state(page)["active"]
    page.locator(CHART).get_by_text("Play").click()
    # Play starts over from step 0 (the figure opens on the last frame) and plays to the end.
    page.wait_for_function(
        "([s, last]) => document.querySelector(s).layout.sliders[0].active < last", arg=[CHART, last]
    )
    # The landscape stays under the paths while they move (a plotly contour trace went blank).
    assert chart_state(page)["pictures"] == 1
    page.wait_for_function(
        "([s, last]) => document.querySelector(s).layout.sliders[0].active === last", arg=[CHART, last],
        timeout=30_000,
    )
    assert chart_state(page)["pictures"] == 1
    assert not errors, errors
    # After Play the slider must still reach plotly (it does not without redraw=True).
    rail = page.locator(f"{CHART} .slider-rail-rect").bounding_box()
    page.mouse.click(rail["x"] + rail["width"] * 0.1, rail["y"] + rail["height"] / 2)
    page.wait_for_function(
        "([s, last]) => document.querySelector(s).layout.sliders[0].active < last / 2", arg=[CHART, last]
    )
    assert not errors, errors


def test_pause_stops_the_animation(page, app_url, errors):
    open_app(page, app_url)
    page.locator(CHART).get_by_text("Play").click()
    page.wait_for_function("(s) => document.querySelector(s).layout.sliders[0].active > 5", arg=CHART)
    page.locator(CHART).get_by_text("Pause").click()
    paused_at = chart_state(page)["active"]
    page.wait_for_timeout(400)
    assert chart_state(page)["active"] == paused_at
    # plotly.js rejects the promise of an animation that Pause interrupts, with no reason
    # ("undefined"); that is by design and harmless. Anything else is a real error.
    assert [e for e in errors if e != "undefined"] == []


def test_a_click_on_the_contour_sets_the_start_point(page, app_url, errors):
    open_app(page, app_url)
    page.locator(".st-key-pick_start label").click()
    page.wait_for_function(
        "(s) => { const gd = document.querySelector(s); return gd && gd.layout.meta.click_traces.length > 0; }",
        arg=CHART, timeout=30_000,
    )
    page.wait_for_selector(READY)
    area = page.locator(f"{CHART} .nsewdrag").first.bounding_box()
    target = (area["x"] + area["width"] * 0.25, area["y"] + area["height"] * 0.75)  # lower left
    page.mouse.move(*target)
    page.wait_for_timeout(200)  # hover first: plotly picks the point under the pointer
    page.mouse.click(*target)
    page.wait_for_function("() => location.search.includes('start')", timeout=30_000)
    page.wait_for_selector(READY)
    scene = json.loads(parse_qs(urlparse(page.url).query)["s"][0])
    x, y = scene["start"]
    assert x < 0 and y < 0, scene["start"]
    assert float(page.locator(".st-key-start_x input").input_value()) == pytest.approx(x, abs=1e-3)
    assert not errors, errors


def test_chinese_in_the_page_and_in_the_figure(page, app_url, errors):
    open_app(page, app_url, lang="zh")
    assert page.locator("h1").first.inner_text().strip() == "优化器如何移动"
    texts = page.locator(f"{CHART} text").all_text_contents()
    assert any("播放" in text for text in texts)
    assert any(re.search(r"第 \d+ / \d+ 步", text) for text in texts)
    assert not errors


def test_a_value_typed_back_into_range_returns_to_its_slider(page, app_url, errors):
    # A link's batch size 5000 (beyond the 1..1024 slider) is shown in a number box; typing 64
    # brings the slider back at 64, not at its first stop (it showed 1 and sent that back).
    scene = Scene("three_minima", steps=50, optimizers=(OptimizerEntry("sgd", (("lr", 0.05),), noise=1.0, batch_size=5000),))
    page.set_viewport_size({"width": 1500, "height": 1100})
    page.goto(f"{app_url}/?{urlencode({'s': scene_to_text(scene)})}")
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    page.get_by_role("tab", name="Clip & noise").click()  # the tab's widgets come with a rerun
    box = page.locator('[class*="_batch_size__typed"] input')
    box.wait_for(timeout=30_000)
    page.wait_for_selector(READY)
    assert box.input_value() == "5000"
    box.fill("64")
    box.press("Enter")
    page.wait_for_function("() => decodeURIComponent(location.search).includes('\"batch_size\":64')", timeout=30_000)
    page.wait_for_selector(READY)
    page.wait_for_timeout(1000)  # a late rerun from the slider would change the URL again
    assert '"batch_size":64' in unquote(page.url)
    assert page.locator('[class*="_batch_size"] [data-testid="stSliderThumbValue"]').inner_text() == "64"
    assert not errors
