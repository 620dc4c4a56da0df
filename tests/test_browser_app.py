"""The app in a real browser (Debian's Chromium via pytest-playwright): the map (a
components-v2 element painted by ``assets/map/map.js``) shows the maps side by side, plays,
pauses, steps and resets from its buttons and from the keyboard, takes a new start point
from a click, a drag of its handle or the arrow keys, and speaks Chinese with ?lang=zh."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from urllib.parse import parse_qs, unquote, urlencode, urlparse

import pytest

from scene import OptimizerEntry, Scene, scene_to_text
from tests.conftest import READY

pytestmark = pytest.mark.browser

MAP = ".st-key-trajectory_map"
MAP_READY = f"{MAP} .otv-map"
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
    page.wait_for_selector(MAP_READY, timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)


def frame(page) -> int:
    """The frame the map shows (its frame slider's value)."""
    return int(page.locator(f"{MAP} .otv-slider").input_value())


def wait_for_frame(page, condition, timeout: float = 30.0) -> int:
    """Wait until ``condition(frame)`` holds for the map's frame; returns that frame. (The map
    lives in a shadow root, which ``document.querySelector`` does not enter.)"""
    deadline = time.monotonic() + timeout
    while True:
        shown = frame(page)
        if condition(shown):
            return shown
        assert time.monotonic() < deadline, f"frame {shown} never met the condition"
        page.wait_for_timeout(30)


def last_frame(page) -> int:
    return int(page.locator(f"{MAP} .otv-slider").get_attribute("max"))


def url_start(page) -> list[float]:
    return json.loads(parse_qs(urlparse(page.url).query)["s"][0])["start"]


def wait_for_start_change(page, before: str) -> None:
    page.wait_for_function("(before) => location.search !== before && location.search.includes('start')", arg=before, timeout=30_000)
    page.wait_for_selector(READY)


def test_side_by_side_shows_one_map_each_on_its_landscape(page, app_url, errors):
    open_app(page, app_url, layout="side")
    panels = page.locator(f"{MAP} .otv-panel")
    assert panels.count() == len(SMALL.optimizers)
    assert page.locator(f"{MAP} .otv-panel image").count() == len(SMALL.optimizers)
    titles = page.locator(f"{MAP} .otv-title").all_inner_texts()
    assert titles == ["SGD", "Momentum", "Adam"]
    assert last_frame(page) >= 40 and frame(page) == last_frame(page)  # opens on the whole result
    assert not errors, errors


def test_play_pause_step_and_reset_from_the_buttons(page, app_url, errors):
    open_app(page, app_url, s=scene_to_text(replace(SMALL, steps=60)))
    last = last_frame(page)
    paths = page.locator(f"{MAP} .otv-path")
    whole = [paths.nth(i).get_attribute("points") for i in range(paths.count())]
    page.get_by_role("button", name="Play").click()
    # Play starts over from step 0 (the map opens on the last frame) and plays to the end.
    wait_for_frame(page, lambda f: f < 5)
    assert page.get_by_role("button", name="Pause").is_visible()
    wait_for_frame(page, lambda f: f == last)
    assert page.get_by_role("button", name="Play").is_visible()  # it stops at the end
    assert [paths.nth(i).get_attribute("points") for i in range(paths.count())] == whole
    page.get_by_role("button", name="Reset to step 0").click()
    assert frame(page) == 0
    assert "step 0 / 60" in page.locator(f"{MAP} .otv-counter").inner_text()
    page.get_by_role("button", name="Step forward").click()
    page.get_by_role("button", name="Step forward").click()
    assert frame(page) == 2
    page.get_by_role("button", name="Step back").click()
    assert frame(page) == 1
    page.get_by_role("button", name="Play").click()
    wait_for_frame(page, lambda f: f > 5)
    page.get_by_role("button", name="Pause").click()
    paused_at = frame(page)
    page.wait_for_timeout(400)
    assert frame(page) == paused_at
    assert not errors, errors


def test_keyboard_shortcuts_play_step_and_reset(page, app_url, errors):
    open_app(page, app_url)
    page.locator("h1").first.click()  # focus on the page, not on a widget
    page.keyboard.press("Home")
    assert frame(page) == 0
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert frame(page) == 2
    page.keyboard.press("ArrowLeft")
    assert frame(page) == 1
    page.keyboard.press(" ")
    wait_for_frame(page, lambda f: f > 4)
    page.keyboard.press(" ")
    paused_at = frame(page)
    page.wait_for_timeout(300)
    assert frame(page) == paused_at
    assert not errors, errors


def test_a_click_on_the_map_sets_the_start_point(page, app_url, errors):
    open_app(page, app_url)
    before = page.evaluate("location.search")
    area = page.locator(f"{MAP} .otv-frame").first.bounding_box()
    page.mouse.click(area["x"] + area["width"] * 0.25, area["y"] + area["height"] * 0.75)  # lower left
    wait_for_start_change(page, before)
    x, y = url_start(page)
    assert x < 0 and y < 0, (x, y)
    assert float(page.locator(".st-key-start_x input").input_value()) == pytest.approx(x, abs=1e-3)
    assert not errors, errors


def test_the_start_handle_is_dragged_and_moved_by_keys(page, app_url, errors):
    open_app(page, app_url)
    handle = page.get_by_role("button", name=re.compile("Start point"))
    assert handle.count() == 1
    area = page.locator(f"{MAP} .otv-frame").first.bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    target = (area["x"] + area["width"] * 0.2, area["y"] + area["height"] * 0.2)  # upper left
    page.mouse.move(*target, steps=8)
    before = page.evaluate("location.search")
    page.mouse.up()
    wait_for_start_change(page, before)
    x, y = url_start(page)
    assert x < 0 < y, (x, y)
    # The keyboard: focus the handle, two steps right (each 2% of the view), one commit.
    handle = page.get_by_role("button", name=re.compile("Start point"))
    handle.focus()
    before = page.evaluate("location.search")
    handle.press("ArrowRight")
    handle.press("ArrowRight")
    wait_for_start_change(page, before)
    moved_x, moved_y = url_start(page)
    assert moved_x == pytest.approx(x + 0.04 * 6, abs=0.01) and moved_y == pytest.approx(y, abs=0.01)
    assert not errors, errors


def path_points(page) -> list[str]:
    paths = page.locator(f"{MAP} .otv-path")
    return [paths.nth(i).get_attribute("points") for i in range(paths.count())]


def test_the_paths_follow_a_dragged_start_and_the_release_is_kept(page, app_url, errors):
    open_app(page, app_url)
    handle = page.locator(f"{MAP} .otv-start").first
    area = page.locator(f"{MAP} .otv-frame").first.bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    url_before, seen = page.url, [path_points(page)]
    for k in range(1, 31):  # toward the lower left, slowly enough to see each step
        page.mouse.move(area["x"] + area["width"] * (0.8 - 0.02 * k), area["y"] + area["height"] * (0.3 + 0.015 * k))
        page.wait_for_timeout(60)
        if path_points(page) != seen[-1]:
            seen.append(path_points(page))
    assert page.url == url_before  # nothing is committed while the pointer is down
    assert len(seen) >= 4, "the paths did not follow the drag"
    shown = handle.get_attribute("aria-label")
    page.mouse.up()
    page.wait_for_function("(before) => location.href !== before", arg=url_before, timeout=30_000)
    page.wait_for_selector(READY)
    x, y = url_start(page)
    assert f"({x:g}, {y:g})" in shown or shown.endswith(f"({x}, {y})"), (shown, x, y)
    assert float(page.locator(".st-key-start_x input").input_value()) == pytest.approx(x, abs=1e-3)
    assert float(page.locator(".st-key-start_y input").input_value()) == pytest.approx(y, abs=1e-3)
    # The page's run from the released start ends where the drag's last picture ended.
    page.wait_for_timeout(500)
    ends = [float(v) for p in path_points(page) for v in p.split()[-1].split(",")]
    dragged = [float(v) for p in seen[-1] for v in p.split()[-1].split(",")]
    assert ends == pytest.approx(dragged, abs=2.0)  # pixels
    assert not errors, errors


def test_the_paths_follow_a_dragged_learning_rate_and_the_url_keeps_it(page, app_url, errors):
    open_app(page, app_url)
    slider = page.get_by_role("slider", name="Adam: η lr")
    slider.scroll_into_view_if_needed()
    track = slider.bounding_box()
    before = path_points(page)
    page.mouse.move(track["x"] + track["width"] * 0.45, track["y"] + track["height"] / 2)
    page.mouse.down()
    changed = False
    for k in range(1, 41):
        page.mouse.move(track["x"] + track["width"] * (0.45 + 0.01 * k), track["y"] + track["height"] / 2)
        page.wait_for_timeout(50)
        changed = changed or path_points(page)[-1] != before[-1]
    deadline = time.monotonic() + 10
    while not changed and time.monotonic() < deadline:  # a busy machine: the answer may still come
        page.wait_for_timeout(100)
        changed = path_points(page)[-1] != before[-1]
    assert changed, "Adam's path did not follow its learning rate during the drag"
    assert "0.05" in unquote(page.url)  # not committed before the release
    shown = float(page.locator(f"{MAP} .otv-knob-value").nth(
        [page.locator(f"{MAP} .otv-knob-slider").nth(i).get_attribute("aria-label") for i in range(page.locator(f"{MAP} .otv-knob-slider").count())].index("Adam: η lr")
    ).inner_text())
    page.mouse.up()
    page.wait_for_function("(v) => decodeURIComponent(location.search).includes(v)", arg=f'"lr":{shown:g}', timeout=30_000)
    page.wait_for_selector(READY)
    adam = json.loads(parse_qs(urlparse(page.url).query)["s"][0])["optimizers"][-1]
    assert adam["name"] == "adam" and adam["hparams"]["lr"] == pytest.approx(shown)
    assert not errors, errors


def test_chinese_in_the_page_and_on_the_map(page, app_url, errors):
    open_app(page, app_url, lang="zh")
    assert page.locator("h1").first.inner_text().strip() == "优化器如何移动"
    assert page.get_by_role("button", name="播放").is_visible()
    assert re.search(r"第 \d+ / \d+ 步", page.locator(f"{MAP} .otv-counter").inner_text())
    assert page.locator(MAP).get_by_role("button", name=re.compile("起点")).count() == 1
    assert "损失" in page.locator(f"{MAP} .otv-curves").inner_text()
    assert not errors


def test_a_value_typed_back_into_range_returns_to_its_slider(page, app_url, errors):
    # A link's batch size 5000 (beyond the 1..1024 slider) is shown in a number box; typing 64
    # brings the slider back at 64, not at its first stop (it showed 1 and sent that back).
    scene = Scene("three_minima", steps=50, optimizers=(OptimizerEntry("sgd", (("lr", 0.05),), noise=1.0, batch_size=5000),))
    page.set_viewport_size({"width": 1500, "height": 1100})
    page.goto(f"{app_url}/?{urlencode({'s': scene_to_text(scene)})}")
    page.wait_for_selector(MAP_READY, timeout=60_000)
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


def test_a_finger_drags_the_start_on_a_phone_in_chinese(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/?{urlencode({'s': scene_to_text(SMALL), 'lang': 'zh'})}")
    page.wait_for_selector(MAP_READY, timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    handle = page.locator(MAP).get_by_role("button", name=re.compile("起点"))
    handle.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box, area = handle.bounding_box(), page.locator(f"{MAP} .otv-frame").first.bounding_box()
    touch = context.new_cdp_session(page)
    url_before, seen = page.url, [path_points(page)]
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}]})
    for k in range(1, 25):
        point = {"x": area["x"] + area["width"] * (0.8 - 0.025 * k), "y": area["y"] + area["height"] * (0.3 + 0.02 * k)}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(80)
        if path_points(page) != seen[-1]:
            seen.append(path_points(page))
    assert page.url == url_before
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function("(before) => location.href !== before", arg=url_before, timeout=30_000)
    assert len(seen) >= 3, "the paths did not follow the finger"
    x, y = url_start(page)
    assert x < 0 and y < 0, (x, y)
    assert not errors, errors
    context.close()


def test_the_other_views_chart_code_is_warmed_up_once_while_idle(page, app_url, errors):
    # The map has the browser fetch and evaluate Streamlit's Plotly chunk while idle; the
    # Inside view's chart then uses that same module (one fetch in all).
    open_app(page, app_url)
    plotly_chunks = "performance.getEntriesByType('resource').filter(r => r.name.includes('/PlotlyChart.')).length"
    page.wait_for_function(f"() => {plotly_chunks} === 1", timeout=30_000)
    page.locator(".st-key-view button").nth(2).click()  # Inside the optimizer
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_selector(READY)
    assert page.evaluate(plotly_chunks) == 1
    assert not errors


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_basin_panels_titles_stand_apart_on_a_phone(browser, app_url, lang):
    # Four panels in one row were ~80 px wide on a 390 px screen and their titles ran over
    # one another; each title now stays clear of the others and of every panel, inside the chart.
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{app_url}/?{urlencode({'view': 'analysis', 'lang': lang})}")  # the default scene: four optimizers
    page.wait_for_selector(".js-plotly-plot .annotation", timeout=120_000)
    page.wait_for_selector(READY, timeout=120_000)
    chart = page.locator(".js-plotly-plot").first
    found = chart.evaluate("""(g) => {
        const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const texts = [...g.querySelectorAll('.annotation-text')];
        return {chart: box(g), titles: texts.slice(0, -1).map(box), panels: [...g.querySelectorAll('.nsewdrag')].map(box),
                words: texts.slice(0, -1).map((e) => e.textContent)};  // the last text is the key below
    }""")
    titles, panels, (left, top, right, bottom) = found["titles"], found["panels"], found["chart"]
    assert len(titles) == len(panels) == 4, found["words"]

    def apart(a, b) -> bool:
        return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]

    for i, title in enumerate(titles):
        assert left <= title[0] and title[2] <= right and top <= title[1] and title[3] <= bottom, (found["words"][i], title, found["chart"])
        assert all(apart(title, other) for other in titles[i + 1 :]), (found["words"], titles)
        assert all(apart(title, panel) for panel in panels), (found["words"][i], title, panels)
    context.close()
