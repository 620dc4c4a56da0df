"""A public classroom server: crafted links show their text as text, junk never reaches a page
as a traceback, a failing figure leaves the controls usable, exports leave nothing behind
when stopped, and a run refuses to record more than the memory budget."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from optimizers import get_optimizer, run
from surfaces import get_surface
from tests.conftest import READY
from ui.plain import MAX_ECHO, plain

ROOT = Path(__file__).resolve().parent.parent
LINK = "[Log in again here](https://evil.example/login)"
IMAGE = "![x](http://127.0.0.1:9/track.png)"


def app(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    return at.run()


def markdown_of(at: AppTest) -> list[str]:
    """Every Markdown body the page shows (alerts, captions, text)."""
    return [e.value for kind in ("warning", "error", "markdown", "caption", "info") for e in getattr(at, kind)]


def test_plain_text_is_one_code_span():
    for text in (LINK, IMAGE, "**bold** <b>x</b> $x$ :red[x] https://evil.example", "a `b`` c", "`edge`"):
        shown = plain(text)
        fence = re.match(r"`+", shown).group()
        inner = shown[len(fence) : -len(fence)]
        assert shown.endswith(fence) and inner.strip() == text
        assert all(len(run) < len(fence) for run in re.findall(r"`+", inner))  # nothing closes it early
    assert plain("x" * 100_000).endswith("…`") and len(plain("x" * 100_000)) == MAX_ECHO + 2


@pytest.mark.parametrize(
    "params",
    [
        {"lang": LINK},
        {"lang": IMAGE},
        {"s": json.dumps({"surface": LINK})},
        {"s": json.dumps({"optimizers": [{"name": IMAGE}]})},
        {LINK: "1"},
    ],
)
def test_url_text_is_shown_as_text(params):
    at = app(params)
    assert not at.exception
    bodies = markdown_of(at)
    assert any("Log in again here" in body or "track" in body for body in bodies), bodies
    for body in bodies:  # the crafted text only inside code spans
        outside = re.sub(r"(`+).*?\1", "", body)
        assert "](" not in outside and "![" not in outside, body


def test_a_long_url_value_is_cut():
    at = app({"lang": "x" * 100_000})
    assert not at.exception
    assert max(len(body) for body in markdown_of(at)) < 2_000


@pytest.mark.parametrize(
    "scene",
    ['{"steps":1e999}', '{"seed":Infinity}', '{"optimizers":[{"name":"sgd","warmup_iters":1e999}]}', '{"steps":' + "9" * 500 + "}"],
)
def test_numbers_beyond_range_fall_back_with_a_warning_not_a_traceback(scene):
    at = app({"s": scene})
    assert not at.exception, [e.value for e in at.exception]
    assert at.warning and at.sidebar.selectbox(key="surface")


def test_a_failing_figure_leaves_the_sidebar_and_the_formula_box(monkeypatch):
    import ui.map

    def broken(*args, **kwargs):
        raise ValueError("Contour levels must be increasing")

    monkeypatch.setattr(ui.map, "map_data_of", broken)
    at = app({"s": json.dumps({"surface": "custom", "formula": "x**2 + 10*y**2"})})
    assert not at.exception
    assert any("could not be drawn" in e.value for e in at.error)
    assert at.sidebar.text_input(key="formula").value == "x**2 + 10*y**2"
    at.sidebar.text_input(key="formula").set_value("x**2 + y**2").run()  # the controls still work
    assert not at.exception


@pytest.mark.parametrize("formula", ["1e15", "exp(230*x)", "1e15**18*x", "0*x", "1e-300*x**2"])
def test_odd_formulas_draw_a_picture(formula, tmp_path):
    from scene import Scene, run_scene
    from viz.export import export
    from viz.export_options import ExportOptions
    from viz.figures import surface_3d_figure, trajectory_figure

    scene = Scene(surface="custom", formula=formula, steps=20)
    surface, trajectories = run_scene(scene, record_internals=True)
    trajectory_figure(scene, surface, trajectories).to_dict()
    surface_3d_figure(scene, surface, trajectories).to_dict()
    export(scene, tmp_path / "odd.gif", ExportOptions(frames=3, size="320x240"))
    assert (tmp_path / "odd.gif").stat().st_size > 0


def test_a_run_refuses_to_record_more_than_the_memory_budget():
    starts = np.zeros((10**6, 2))
    with pytest.raises(ValueError, match="record_every"):
        run(get_optimizer("adam", lr=0.05), get_surface("three_minima"), starts, steps=300)
    kept = run(get_optimizer("adam", lr=0.05), get_surface("three_minima"), starts[:1000], steps=300, record_every=0)
    assert kept.points.shape == (2, 1000, 2)


# ----------------------------------------------------------------------------- exports


def _export(out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "viz", "export", "--preset", "long_valley", "--frames", "200", "--out", str(out), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_export_leaves_no_file_and_no_traceback(tmp_path, stop, code):
    out = tmp_path / "valley.gif"
    process = _export(out)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".*.part*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the export ended before it could be stopped"
    process.send_signal(stop)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert "Traceback" not in err and err.strip().count("\n") == 0, err
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_target_is_not_replaced(tmp_path):
    out = tmp_path / "kept.gif"
    out.write_bytes(b"mine")
    out.chmod(0o444)
    try:
        process = _export(out, "--frames", "4")
        _, err = process.communicate(timeout=120)
        assert process.returncode == 2 and "read-only" in err
        assert out.read_bytes() == b"mine" and sorted(p.name for p in tmp_path.iterdir()) == ["kept.gif"]
    finally:
        out.chmod(0o644)


# ----------------------------------------------------------------------------- in a real browser


@pytest.mark.browser
@pytest.mark.parametrize("params", [{"lang": LINK}, {"lang": IMAGE}, {"s": json.dumps({"surface": LINK})}])
def test_no_link_or_image_from_the_url_reaches_the_page(page, app_url, params):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{app_url}/?{urlencode(params)}")
    page.wait_for_selector('[data-testid="stAlert"]', timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src*="127.0.0.1:9"]').count() == 0
    assert not [url for url in requested if "127.0.0.1:9/" in url]
    assert "Log in again here" in page.inner_text("body") or "track.png" in page.inner_text("body")


def test_the_server_hides_error_details_from_visitors():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'showErrorDetails = "none"' in config
