"""The classroom view at the sizes users have (issue 11), measured in a real browser: on a
projector (1280x720, 1920x1080) in presenter mode the whole map, its Play button and its step
counter are on the first screen and the map takes at least 60% of the height; in the normal
mode Play is on the first screen too; on a phone (390x844) the map has the full width, the
sidebar can be opened, and nothing overlaps or is cut off. Bounding boxes, no pixels."""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

import pytest

from tests.conftest import READY

pytestmark = pytest.mark.browser

MAP = ".st-key-trajectory_map"
PROJECTORS = [(1280, 720), (1920, 1080)]
PHONE = (390, 844)


@pytest.fixture
def errors(page):
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def open_at(page, app_url: str, size: tuple[int, int], **params: str) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{app_url}/?{urlencode(params)}")
    page.wait_for_selector(f"{MAP} .otv-map", timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_timeout(300)  # the map sizes itself once the page has settled


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def inside_viewport(b: dict, size: tuple[int, int]) -> bool:
    return b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= size[0] + 0.5 and b["y"] + b["height"] <= size[1] + 0.5


def overlap(a: dict, b: dict) -> float:
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


def assert_no_overlaps(page, selectors: list[str]) -> None:
    """No two of the elements matched by ``selectors`` (every match of each) overlap by more
    than a pixel's area."""
    boxes = []
    for selector in selectors:
        locator = page.locator(selector)
        for i in range(locator.count()):
            found = locator.nth(i).bounding_box()
            if found and found["width"] > 0 and found["height"] > 0:
                boxes.append((f"{selector}[{i}]", found))
    assert len(boxes) >= len(selectors)
    clashes = [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if overlap(ba, bb) > 1]
    assert not clashes, clashes


TEXT_PARTS = [
    "h1", ".st-key-lang", ".st-key-presenter", f"{MAP} .otv-item", f"{MAP} .otv-button",
    f"{MAP} .otv-slider", f"{MAP} .otv-counter", f"{MAP} .otv-map", f"{MAP} .otv-curve",
]


@pytest.mark.parametrize("size", PROJECTORS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_presenter_mode_fits_a_projector(page, app_url, errors, size, lang):
    open_at(page, app_url, size, present="1", lang=lang)
    scene_map = box(page, f"{MAP} .otv-map")
    for part in (f"{MAP} .otv-map", f"{MAP} .otv-play", f"{MAP} .otv-counter", f"{MAP} .otv-slider"):
        assert inside_viewport(box(page, part), size), (part, box(page, part))
    assert scene_map["height"] >= 0.6 * size[1], scene_map
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") == 0
    assert_no_overlaps(page, [p for p in TEXT_PARTS if p != "h1"] + [".st-key-view"])
    assert not errors, errors


@pytest.mark.parametrize("size", PROJECTORS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_normal_view_shows_map_and_play_on_the_first_screen(page, app_url, errors, size):
    open_at(page, app_url, size)
    for part in (f"{MAP} .otv-map", f"{MAP} .otv-play", f"{MAP} .otv-counter"):
        assert inside_viewport(box(page, part), size), (part, box(page, part))
    # The presenter toggle's label is whole (it was cut to "Presenter …").
    label = page.locator(".st-key-presenter label").first
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert page.locator(".st-key-presenter").inner_text().strip().startswith("Presenter mode")
    assert_no_overlaps(page, TEXT_PARTS)
    assert not errors, errors


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_phone_gets_a_full_width_map_and_reachable_controls(page, app_url, errors, lang):
    open_at(page, app_url, PHONE, lang=lang)
    width = PHONE[0]
    # No strip of the sidebar over the page, and a visible way to open it.
    sidebar = page.locator('section[data-testid="stSidebar"]').bounding_box()
    assert sidebar is None or sidebar["x"] + sidebar["width"] <= 0.5, sidebar
    opener = page.locator('[data-testid="stExpandSidebarButton"]')
    assert opener.is_visible() and inside_viewport(opener.bounding_box(), PHONE)
    title = page.locator("h1").first
    assert inside_viewport(title.bounding_box(), PHONE)
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    scene_map = box(page, f"{MAP} .otv-map")
    assert scene_map["width"] >= 0.9 * width and scene_map["x"] >= 0 and scene_map["x"] + scene_map["width"] <= width
    # The map and its playback controls fit on one screen together, the controls under it.
    page.locator(f"{MAP} .otv-counter").scroll_into_view_if_needed()
    play, counter = box(page, f"{MAP} .otv-play"), box(page, f"{MAP} .otv-counter")
    assert inside_viewport(play, PHONE) and inside_viewport(counter, PHONE)
    assert box(page, f"{MAP} .otv-controls")["y"] - (box(page, f"{MAP} .otv-map")["y"] + scene_map["height"]) < 60
    assert_no_overlaps(page, TEXT_PARTS)
    # The sidebar opens over the page and closes again.
    opener.click()
    page.wait_for_function(
        "() => { const s = document.querySelector('section[data-testid=stSidebar]'); const r = s && s.getBoundingClientRect(); return r && r.x >= 0 && r.width > 200; }",
        timeout=10_000,
    )
    assert page.get_by_text("Loss surface f(x, y)" if lang == "en" else "损失曲面 f(x, y)").first.is_visible()
    assert not errors, errors


def test_scrolling_down_to_the_results_leaves_the_map_as_it_is(page, app_url, errors):
    # The map sizes itself from its top in the page; Streamlit scrolls its main block, and
    # the map took that scroll for room and grew (347 -> 444 px at 1280x720).
    open_at(page, app_url, PROJECTORS[0])
    before = box(page, f"{MAP} .otv-map")
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop = 300")
    page.wait_for_timeout(800)  # the map looks at its top every 250 ms
    after = box(page, f"{MAP} .otv-map")
    assert (after["width"], after["height"]) == (before["width"], before["height"])
    assert not errors, errors
