"""The Analysis page renders every view in English and Chinese without an exception, and
every string it shows has both translations."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
STRINGS = json.loads((ROOT / "assets" / "i18n" / "analysis.json").read_text(encoding="utf-8"))

PAGE = """
from ui.analysis_ui import analysis_page
from scene import OptimizerEntry, Scene

scene = Scene(
    surface="{surface}", steps=60,
    optimizers=(OptimizerEntry.of("sgd", lr=0.05), OptimizerEntry.of("adam", lr=0.05)),
)
analysis_page(scene, "{lang}")
"""


def _page(lang: str, surface: str = "three_minima") -> AppTest:
    return AppTest.from_string(PAGE.format(lang=lang, surface=surface), default_timeout=60)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", ["basins", "sweep", "ensemble", "tuning"])
def test_every_view_renders(lang, view):
    at = _page(lang).run()
    if view != "basins":
        at.radio(key="analysis_view").set_value(view).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.get("plotly_chart"), "the view drew no figure"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_default_scene_renders(lang):
    at = AppTest.from_string(
        f"from ui.analysis_ui import analysis_page\nfrom scene import Scene\nanalysis_page(Scene(), {lang!r})",
        default_timeout=60,
    ).run()
    assert not at.exception and not at.error
    assert at.get("plotly_chart")


def test_small_basin_grid_after_compute():
    at = _page("en", "himmelblau").run()
    grid = next(s for s in at.slider if s.label == STRINGS["grid_size"]["en"])
    grid.set_value(32)
    at.button[0].click().run()
    assert not at.exception
    assert any("2,048 runs" in c.value for c in at.caption)


def test_sweep_on_a_quadratic_shows_the_theory():
    at = _page("en", "elongated_bowl").run()
    at.radio(key="analysis_view").set_value("sweep").run()
    assert not at.exception
    assert any("2/λ_max = 0.2" in m.value for m in at.markdown)


def test_every_string_has_english_and_chinese():
    for key, texts in STRINGS.items():
        assert set(texts) == {"en", "zh"} and all(texts.values()), key
        assert sorted(re.findall(r"{(\w+)", texts["en"])) == sorted(re.findall(r"{(\w+)", texts["zh"])), key


def test_every_key_used_exists():
    used = set()
    for path in ("ui/analysis_ui.py", "viz/analysis_figures.py"):
        used |= set(re.findall(r'text\(\s*"(\w+)"', (ROOT / path).read_text(encoding="utf-8")))
    used |= {f"view_{v}" for v in ("basins", "sweep", "ensemble", "tuning")}
    used |= {"metric_final_loss", "metric_steps", "criterion_mean_loss", "criterion_final_loss"}
    from analysis.sweeps import sweep_axes
    from optimizers import list_optimizers

    used |= {f"axis_name_{axis.name}" for name in list_optimizers() for axis in sweep_axes(name)}
    assert used <= set(STRINGS), sorted(used - set(STRINGS))


def _default_page(view: str) -> AppTest:
    at = AppTest.from_string(
        "from ui.analysis_ui import analysis_page\nfrom scene import Scene\nanalysis_page(Scene(), 'en')", default_timeout=120,
    ).run()
    return at.radio(key="analysis_view").set_value(view).run()


def _figure(element) -> dict:
    return json.loads(element.proto.spec)


def _values(data) -> np.ndarray:
    """A plotted array: plotly 6+ sends NumPy arrays as {dtype, bdata}."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).astype(float)
    return np.asarray(data, dtype=float)


def test_the_default_ensemble_shows_the_one_over_root_b_law_on_readable_axes():
    at = _default_page("ensemble")
    assert not at.exception and not at.warning, [w.value for w in at.warning]  # all runs in one basin
    spread = _figure(at.get("plotly_chart")[1])
    measured = next(t for t in spread["data"] if t.get("name") == STRINGS["spread_measured"]["en"])
    batches, tails = _values(measured["x"]), _values(measured["y"])
    np.testing.assert_allclose(tails[0] / tails, np.sqrt(batches / batches[0]), rtol=0.15)
    over_steps = spread["layout"]["yaxis"]
    assert 1 <= len(over_steps["tickvals"]) <= 6  # a few labels, not sixteen decades
    assert over_steps["type"] == "log"
    # Asked again, the same ensembles come from the cache, and the caption says so.
    at.button[0].click().run()
    assert any("from the cache" in c.value for c in at.caption)
    assert not any("0.00 s" in c.value for c in at.caption)


def test_the_default_fair_comparison_brackets_every_best_rate():
    at = _default_page("tuning")
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert "still" not in notes and "even after extending" not in notes, notes
    assert "the grid was extended" in notes  # SGD, Momentum and Adam liked the old edge, lr = 1


def test_the_ensemble_on_a_data_surface_uses_its_real_mini_batches():
    """On iris the runs draw real batches (no noise model): the cloud shrinks with the batch
    and vanishes at b = N. (One step's noise follows sqrt((N - b) / (b (N - 1))), 10.5 times
    smaller at b = 64 than at b = 1; the settled cloud of 200 runs over 600 steps measured
    8.6 times, of these 40 runs 11.8: the law of a step, not of the stationary cloud.)"""
    at = AppTest.from_string(
        "from ui.analysis_ui import analysis_page\nfrom scene import OptimizerEntry, Scene\n"
        "analysis_page(Scene('data_linreg', (('standardize', 1.0),), steps=300, "
        "optimizers=(OptimizerEntry.of('sgd', lr=0.05),)), 'en')",
        default_timeout=120,
    ).run()
    at.radio(key="analysis_view").set_value("ensemble").run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]  # no 'raise the noise'
    assert STRINGS["ensemble_data_intro"]["en"] in [c.value for c in at.caption]
    spread = _figure(at.get("plotly_chart")[1])
    measured = next(t for t in spread["data"] if t.get("name") == STRINGS["spread_measured"]["en"])
    batches, tails = _values(measured["x"]), _values(measured["y"])
    assert batches.tolist() == [1, 8, 64, 150]
    assert tails[-1] == 0  # the full batch: every run the same path
    assert np.all(np.diff(tails) < 0), tails  # a bigger batch, a smaller cloud
    assert tails[0] / tails[2] > 5, tails  # batch 64 against 1
