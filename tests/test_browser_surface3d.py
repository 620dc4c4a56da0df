"""The 3-D view in a real browser (Debian's Chromium via pytest-playwright): a components-v2
element painted on a canvas by ``assets/surface3d/surface3d.js``. The switch to it draws the
surface with every path in its optimizer's colour and a legend of the scene's names (no
Plotly); a mouse drag, a finger and the arrow keys turn it and "reset view" turns it back;
the camera stays while the settings change and across view switches, and starts again on
another surface; it fits the screen at 1280x720, 1920x1080 and on a 390x844 phone, in
Chinese with ?lang=zh."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest

from scene import OptimizerEntry, Scene, entry_labels, scene_to_text
from tests.conftest import READY
from viz.mpl.surface3d import AZIMUTH, ELEVATION
from viz.style import color_for

pytestmark = pytest.mark.browser

VIEW = ".st-key-surface3d"
DRAWN = f"{VIEW} [data-otv3d-drawn]"
CANVAS = f"{VIEW} canvas"
SMALL = Scene(
    "three_minima", steps=80,
    optimizers=(OptimizerEntry.of("sgd", lr=0.05), OptimizerEntry.of("momentum", lr=0.05), OptimizerEntry.of("adam", lr=0.05)),
)
START = f"{AZIMUTH:.1f} {ELEVATION:.1f}"


@pytest.fixture
def errors(page):
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def open_app(page, app_url: str, size=(1500, 1000), **params: str) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{app_url}/?{urlencode({'s': scene_to_text(SMALL), **params})}")
    page.wait_for_selector(READY, timeout=60_000)


def switch_to(page, position: int, shown: str) -> None:
    """Click the view switch's button at ``position`` and wait for ``shown`` and the app idle."""
    page.locator(".st-key-view button").nth(position).click()
    page.wait_for_selector(shown, timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)


def camera(page) -> str:
    return page.locator(CANVAS).get_attribute("data-camera")


def picture(page) -> str:
    """The canvas's pixels (a PNG data URL), once the frame after the last change is drawn."""
    return page.locator(CANVAS).evaluate("c => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(c.toDataURL()))))")


def colour_share(page, hex_colour: str) -> float:
    """The share of the canvas's pixels within a few units of ``hex_colour``."""
    return page.locator(CANVAS).evaluate(
        """(c, hex) => {
          const [r, g, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
          const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let k = 0; k < data.length; k += 4) {
            if (Math.abs(data[k] - r) + Math.abs(data[k + 1] - g) + Math.abs(data[k + 2] - b) < 12 && data[k + 3] > 250) n++;
          }
          return n / (data.length / 4);
        }""",
        hex_colour,
    )


def _poll(condition, message: str, timeout_ms: int = 10_000) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def test_the_switch_draws_the_surface_with_every_path_and_the_legend(page, app_url, errors):
    open_app(page, app_url)
    switch_to(page, 1, DRAWN)
    legend = page.locator(f"{VIEW} .otv3d-legend .otv3d-item").all_inner_texts()
    assert legend[: len(SMALL.optimizers)] == entry_labels(SMALL.optimizers, "en")
    assert legend[-1] == "★ minimum" or legend[-1].endswith("minimum")
    assert camera(page) == START
    # Every run's colour is on the canvas (SGD's short path lies under the others: its end
    # marker at least), a colour of no run is not.
    shares = [colour_share(page, color_for(index)) for index in range(len(SMALL.optimizers) + 1)]
    assert min(shares[:-1]) > 1e-5 and shares[-1] < 1e-6, shares
    assert shares[1] > 5e-4, "momentum's long path is not drawn"
    assert colour_share(page, "#ffffff") < 0.5, "the canvas is mostly blank"
    assert page.locator(".js-plotly-plot").count() == 0  # plotly.js is not needed for this view
    assert page.locator(f"{VIEW} .otv3d-reset").inner_text() == "Reset view"
    assert not errors, errors


def test_a_drag_and_the_arrow_keys_turn_it_and_reset_turns_it_back(page, app_url, errors):
    open_app(page, app_url, view="surface3d")
    page.wait_for_selector(DRAWN, timeout=60_000)
    page.wait_for_timeout(600)  # the page above it has settled (the view follows its top)
    first = picture(page)
    box = page.locator(CANVAS).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x + 8 * k, y + 3 * k)
    page.mouse.up()
    azimuth, elevation = map(float, camera(page).split())
    assert azimuth == pytest.approx(AZIMUTH - 40, abs=1) and elevation == pytest.approx(ELEVATION + 15, abs=1)
    turned = picture(page)
    assert turned != first
    page.locator(CANVAS).focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    assert camera(page) == f"{azimuth + 5:.1f} {elevation - 5:.1f}"
    assert picture(page) != turned
    page.locator(f"{VIEW} .otv3d-reset").click()
    assert camera(page) == START
    assert picture(page) == first
    page.locator(CANVAS).focus()
    page.keyboard.press("ArrowRight")
    assert camera(page) != START
    page.keyboard.press("Home")  # the keyboard's reset
    assert camera(page) == START
    assert not errors, errors


def test_the_camera_stays_while_settings_change_and_starts_again_on_another_surface(page, app_url, errors):
    open_app(page, app_url, view="surface3d")
    page.wait_for_selector(DRAWN, timeout=60_000)
    page.locator(CANVAS).focus()
    for key in ("ArrowLeft", "ArrowLeft", "ArrowUp"):
        page.keyboard.press(key)
    turned = camera(page)
    assert turned != START
    before = picture(page)
    url = page.url
    start_x = page.locator(".st-key-start_x input")
    start_x.fill("-1.5")
    start_x.press("Enter")
    page.wait_for_function("(before) => location.href !== before", arg=url, timeout=30_000)
    page.wait_for_selector(READY)
    _poll(lambda: picture(page) != before, "the paths from the new start were not drawn")
    assert camera(page) == turned
    switch_to(page, 0, ".st-key-trajectory_map .otv-map")
    switch_to(page, 1, DRAWN)
    assert camera(page) == turned, "the camera was lost on a visit to another view"
    page.locator(".st-key-surface").click()
    page.get_by_role("option", name="Saddle point").click()
    page.wait_for_function("() => location.search.includes('saddle')", timeout=30_000)
    page.wait_for_selector(READY)
    _poll(lambda: camera(page) == START, f"another surface kept the camera {camera(page)}")
    assert not errors, errors


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_it_fits_the_screen(page, app_url, errors, width, height):
    open_app(page, app_url, size=(width, height), view="surface3d")
    page.wait_for_selector(DRAWN, timeout=60_000)
    page.wait_for_timeout(600)  # the page above it has settled (the view follows its top)
    canvas = page.locator(CANVAS).bounding_box()
    reset = page.locator(f"{VIEW} .otv3d-reset").bounding_box()
    main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert canvas["height"] >= 240
    assert canvas["x"] >= main["x"] - 1 and canvas["x"] + canvas["width"] <= main["x"] + main["width"] + 1
    assert reset["y"] + reset["height"] <= height, "the reset button is below the screen"
    assert canvas["y"] + canvas["height"] <= height
    assert not errors, errors


def test_a_finger_turns_it_on_a_phone_in_chinese(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/?{urlencode({'s': scene_to_text(SMALL), 'lang': 'zh', 'view': 'surface3d'})}")
    page.wait_for_selector(DRAWN, timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    assert page.locator(f"{VIEW} .otv3d-reset").inner_text() == "重置视角"
    legend = page.locator(f"{VIEW} .otv3d-legend").inner_text()
    assert all(label in legend for label in entry_labels(SMALL.optimizers, "zh")) and "极小值" in legend
    assert "旋转" in page.locator(CANVAS).get_attribute("aria-label")
    canvas = page.locator(CANVAS)
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = canvas.bounding_box()
    assert box["width"] <= 390 and box["x"] >= 0 and box["height"] <= 844 * 0.7
    touch = context.new_cdp_session(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, 11):
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x - 6 * k, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    azimuth, elevation = map(float, camera(page).split())
    assert azimuth == pytest.approx(AZIMUTH + 30, abs=1) and elevation == pytest.approx(ELEVATION)
    assert not errors, errors
    context.close()
