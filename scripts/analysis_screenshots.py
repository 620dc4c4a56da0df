"""Screenshots of the Analysis page's four views, in headless Chromium.

    python -m scripts.analysis_screenshots [--out assets/screenshots] [--lang en]

Starts ``streamlit run`` (the browser tests' server) on a one-line page that calls
``analysis_page(Scene(...))``, clicks each view, presses Compute and saves
``analysis_<view>.png``. Needs playwright (python) and a Chromium at ``--chromium``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, READY, streamlit_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

PAGE = '''
import streamlit as st
from ui.analysis_ui import analysis_page
from scene import OptimizerEntry, Scene

st.set_page_config(layout="wide")
SCENES = {
    "three_minima": Scene(
        optimizers=(OptimizerEntry.of("sgd", lr=0.2), OptimizerEntry.of("momentum", lr=0.2, momentum=0.9),
                    OptimizerEntry.of("momentum", lr=0.2, momentum=0.95), OptimizerEntry.of("adam", lr=0.3))),
    "ravine": Scene(surface="ravine"),
    "noisy_bowl": Scene(
        surface="elongated_bowl", surface_params=(("condition", 10.0),), steps=200,
        optimizers=(OptimizerEntry.of("sgd", lr=0.05), OptimizerEntry.of("momentum", lr=0.05, momentum=0.9))),
    "elongated_bowl": Scene(
        surface="elongated_bowl", surface_params=(("condition", 10.0),), steps=200,
        optimizers=(OptimizerEntry.of("momentum", lr=0.05, momentum=0.9), OptimizerEntry.of("sgd", lr=0.1),
                    OptimizerEntry.of("adam", lr=0.1), OptimizerEntry.of("nesterov", lr=0.05))),
}
analysis_page(SCENES[st.query_params.get("scene", "three_minima")], st.query_params.get("lang", "en"))
'''

# view -> (scene, position of its option in the view radio)
SHOTS = {
    "basins": ("three_minima", 0),
    "sweep": ("elongated_bowl", 1),
    "ensemble": ("noisy_bowl", 2),
    "tuning": ("ravine", 3),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "assets" / "screenshots"))
    parser.add_argument("--lang", default="en")
    parser.add_argument("--views", nargs="*", default=list(SHOTS))
    parser.add_argument("--chromium", default=str(CHROMIUM))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "analysis_page.py"
        # The page lives in a temporary folder, so it finds the project through sys.path.
        page.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n{PAGE}")
        with streamlit_server(str(page)) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for view in args.views:
                scene, option = SHOTS[view]
                shoot(browser, url, scene, option, args.lang, out / f"analysis_{view}.png")
            browser.close()


def shoot(browser, url: str, scene: str, option: int, lang: str, path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/?scene={scene}&lang={lang}")
    page.wait_for_selector(READY, timeout=120_000)
    if option:
        page.locator('[data-testid="stRadioOption"]').nth(option).click()
        page.wait_for_timeout(500)
        page.wait_for_selector(READY, timeout=120_000)
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    page.wait_for_timeout(1500)
    # Streamlit scrolls inside its main block, so a "full page" shot stops at the
    # viewport: grow the viewport to the content instead.
    height = page.evaluate(
        "document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"
    )
    page.set_viewport_size({"width": 1400, "height": int(height) + 80})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path), type="png")
    print(path, path.stat().st_size // 1024, "KiB", "page errors:", errors or "none")
    page.close()


if __name__ == "__main__":
    main()
