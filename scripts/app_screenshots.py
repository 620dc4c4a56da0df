"""Screenshots of the app for the README, in headless Chromium.

    python -m scripts.app_screenshots [--out assets/screenshots]

Starts the app (``streamlit run app.py``, as the browser tests do) and saves, as
``app_<name>.png``, the first screen a user sees at the sizes users have: a laptop or
projector at 1280x720 and 1920x1080 and a phone at 390x844, in English and Chinese; presenter
mode on both projector sizes; the saddle lesson; a data-surface lesson (mini-batches on
iris); "inside the optimizer"; and the 3-D view.
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
MAP = ".st-key-trajectory_map .otv-map"
SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080), "phone": (390, 844)}
VIEWS = {  # name: (query, viewport, what shows that the view has drawn)
    **{
        f"{lang}_{size}": ({"lang": lang}, viewport, MAP)
        for lang in ("en", "zh") for size, viewport in SIZES.items()
    },
    "presenter_1280x720": ({"present": "1"}, SIZES["1280x720"], MAP),
    "presenter_1920x1080": ({"present": "1", "lang": "zh"}, SIZES["1920x1080"], MAP),
    "saddle": ({"s": scene_to_text(PRESETS["saddle"].scene)}, (1500, 1100), MAP),
    "data_minibatch": ({"s": scene_to_text(PRESETS["batch_sgd_minibatch"].scene)}, (1500, 1100), MAP),
    "internals": ({"view": "inside"}, (1500, 1600), ".js-plotly-plot"),
    "surface3d": ({"view": "surface3d"}, SIZES["1280x720"], ".st-key-surface3d [data-otv3d-drawn]"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshots")
    parser.add_argument("--only", nargs="+", choices=list(VIEWS), help="take only these (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, (query, (width, height), shown) in VIEWS.items():
            if args.only and name not in args.only:
                continue
            page = browser.new_page(viewport={"width": width, "height": height})
            errors: list[str] = []
            page.on("pageerror", lambda error, found=errors: found.append(str(error)))
            page.goto(f"{url}/?{urlencode(query)}")
            page.wait_for_selector(shown, timeout=60_000)
            page.wait_for_selector(READY, timeout=60_000)
            page.wait_for_timeout(1500)  # fonts and KaTeX settle
            path = args.out / f"app_{name}.png"
            page.screenshot(path=str(path))
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path, "errors:", errors or "none")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
