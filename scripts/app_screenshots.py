"""Screenshots of the app for the README, in headless Chromium.

    python -m scripts.app_screenshots [--out assets/screenshots]

Starts the app (``streamlit run app.py``, as the browser tests do) and saves the default
view, the saddle lesson, the Chinese interface, presenter mode and "inside the optimizer"
as ``app_<name>.png``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from scene import PRESETS, scene_to_text  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, READY, streamlit_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VIEWS = {  # name: (query, viewport)
    "default": ({}, (1500, 1250)),
    "saddle": ({"s": scene_to_text(PRESETS["saddle"].scene)}, (1500, 1250)),
    "chinese": ({"lang": "zh"}, (1500, 1250)),
    "presenter": ({"present": "1"}, (1920, 1080)),
    "internals": ({"view": "inside"}, (1500, 1600)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, (query, (width, height)) in VIEWS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            errors: list[str] = []
            page.on("pageerror", lambda error, found=errors: found.append(str(error)))
            page.goto(f"{url}/?{urlencode(query)}")
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            page.wait_for_selector(READY, timeout=60_000)
            page.wait_for_timeout(1500)  # fonts and KaTeX settle
            path = args.out / f"app_{name}.png"
            page.screenshot(path=str(path))
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path, "errors:", errors or "none")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
