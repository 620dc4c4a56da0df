"""Shared fixtures: the real-browser setup (Debian's Chromium driven by pytest-playwright)
and a Streamlit server for the app, started once per session and ended by its PID.

Without /usr/bin/chromium the browser tests are skipped, unless REQUIRE_BROWSER=1 (set by
.ci/run), where a missing browser is a failure. ``streamlit_server`` is a plain context
manager so the latency benchmark starts the app the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests replay the same examples every run: a red build then means a
# change broke something, not that a new random example was drawn.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SERVER_START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(app: str = "app.py") -> Iterator[str]:
    """``streamlit run app`` on a free port; yields its base URL; ends the process by PID."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited early: {process.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not become healthy in time")
            time.sleep(0.2)
        yield url
    finally:
        # Its own process group: the server and anything it started end together.
        stop_process(process, group=True, timeout=10)


def stop_process(process: subprocess.Popen, *, group: bool, timeout: float) -> None:
    """SIGTERM to ``process`` (to its whole session's group with ``group``; a script that
    stops its own children takes it alone), then SIGKILL the group if it is still there."""
    with contextlib.suppress(ProcessLookupError):
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _browser_available() -> bool:
    if CHROMIUM.exists():
        return True
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install -y chromium", pytrace=False)
    return False


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not _browser_available():
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium); set REQUIRE_BROWSER=1 to fail instead")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def app_url(browser_type_launch_args) -> Iterator[str]:
    """The running app (one server for the whole browser session)."""
    with streamlit_server() as url:
        yield url

