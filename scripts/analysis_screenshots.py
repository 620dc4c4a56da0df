"""Screenshots of the Analysis page's four views, in headless Chromium.

    python -m scripts.analysis_screenshots [--out assets/screenshots] [--lang en]

Starts ``streamlit run`` on a one-line page that calls ``analysis_page(Scene(...))``,
clicks each view, presses Compute and saves ``analysis_<view>.png``; ends the server by
its PID. Needs playwright (python) and a Chromium at ``--chromium``.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'

PAGE = '''
import streamlit as st
from ui.analysis_ui import analysis_page
from viz.scene import OptimizerEntry, Scene

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "assets" / "screenshots"))
    parser.add_argument("--lang", default="en")
    parser.add_argument("--views", nargs="*", default=list(SHOTS))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "analysis_page.py"
        page.write_text(PAGE)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(page), "--server.headless", "true",
             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            wait_healthy(port)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                for view in args.views:
                    scene, option = SHOTS[view]
                    shoot(browser, port, scene, option, args.lang, out / f"analysis_{view}.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(browser, port: int, scene: str, option: int, lang: str, path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"http://127.0.0.1:{port}/?scene={scene}&lang={lang}")
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
