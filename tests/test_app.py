"""The Streamlit app through AppTest: it renders, every lesson loads, widgets change the
results, the URL reproduces the view (both ways), junk in the URL falls back with a warning,
and Chinese is Chinese. No sleeps: AppTest runs the script to the end."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scene import (
    CUSTOM_SURFACE,
    MAX_OPTIMIZERS,
    PRESETS,
    OptimizerEntry,
    Scene,
    scene_from_text,
    scene_to_text,
)

ROOT = Path(__file__).resolve().parent.parent
STRINGS = json.loads((ROOT / "assets" / "i18n" / "app.json").read_text(encoding="utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params or {})
    return at.run()


def healthy(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


class _TableCells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data) -> None:
        if self._cell is not None:
            self._cell.append(data)


def open_settings(at: AppTest, position: int = 0) -> AppTest:
    """Open the sidebar section of the optimizer at ``position`` (sections start closed)."""
    at.session_state[f"opt{at.session_state['entry_ids'][position]}_box"] = True
    return at.run()


def results(at: AppTest) -> pd.DataFrame:
    """The results table (``ui.results``: static HTML) as a frame: its header and rows."""
    tables = [element.proto.body for element in at.get("html") if 'class="otv-results"' in element.proto.body]
    assert len(tables) == 1, "no results table"
    cells = _TableCells()
    cells.feed(tables[0])
    header, *rows = cells.rows
    return pd.DataFrame(rows, columns=header)


def scene_in_url(at: AppTest) -> Scene:
    return scene_from_text(at.query_params["s"])


def map_data(at: AppTest) -> dict:
    """The data the browser map of the Trajectories view was given (``viz.browser.map_data``)."""
    maps = [element for element in at.get("bidi_component") if element.proto.component_name == "trajectory_map"]
    assert len(maps) == 1, "no map drawn"
    payload = json.loads(maps[0].proto.json)
    return {**json.loads(payload.pop("picture")), **payload}  # the picture comes as JSON text


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return app()


def test_default_view_renders_four_optimizers_and_writes_the_url(default_app):
    at = default_app
    healthy(at)
    assert not at.error, [e.value for e in at.error]
    assert len(results(at)) == 4
    drawn = map_data(at)
    assert [run["label"] for run in drawn["runs"]] == list(results(at)["Optimizer"])
    assert drawn["image"].startswith("data:image/png;base64,") and len(drawn["frames"]) > 1
    assert scene_in_url(at) == Scene()
    assert at.query_params["lang"] == "en"


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_lesson_loads_and_renders(key):
    at = app()
    at.selectbox(key="preset").set_value(key).run()
    healthy(at)
    preset = PRESETS[key]
    assert at.selectbox(key="surface").value == preset.scene.surface
    assert len(results(at)) == len(preset.scene.optimizers)
    assert scene_in_url(at) == preset.scene
    # The header names the lesson while the scene is still the lesson's.
    assert any(preset.title["en"] in m.value for m in at.markdown)


def test_a_learning_rate_slider_changes_the_results_and_the_url():
    at = app()
    before = results(at).iloc[0].tolist()
    open_settings(at)
    at.select_slider(key="opt0_sgd_lr").set_value(0.2).run()
    healthy(at)
    after = results(at).iloc[0].tolist()
    assert after != before
    assert "lr=0.2" in after[0]
    assert dict(scene_in_url(at).optimizers[0].hparams)["lr"] == 0.2


def test_a_surface_parameter_changes_the_picture():
    at = app()
    before = results(at).iloc[:, 1].tolist()
    at.session_state["surface_three_minima_depth_top"] = 2.0  # the slider sits in a closed section
    at.run()
    healthy(at)
    assert results(at).iloc[:, 1].tolist() != before
    assert dict(scene_in_url(at).surface_params) == {"depth_top": 2.0}


ROUND_TRIP = Scene(
    surface="rosenbrock",
    surface_params=(("b", 50.0),),
    start=(-1.5, 2.0),
    steps=120,
    seed=3,
    optimizers=(
        OptimizerEntry.of("adam", lr=0.01),
        OptimizerEntry.of("adam", lr=0.1, betas=(0.8, 0.99)),
        OptimizerEntry(
            "sgd", (("lr", 0.001), ("momentum", 0.9)), schedule="step",
            schedule_params=(("gamma", 0.5), ("step_size", 40)), warmup_iters=10,
            clip_norm=1.0, noise=0.5, batch_size=8,
        ),
    ),
)


def test_a_url_reproduces_scene_and_view():
    params = {"s": scene_to_text(ROUND_TRIP), "lang": "zh", "layout": "side", "view": "inside", "speed": "2"}
    at = app(params)
    healthy(at)
    assert at.selectbox(key="surface").value == "rosenbrock"
    assert (at.number_input(key="start_x").value, at.number_input(key="start_y").value) == (-1.5, 2.0)
    assert at.session_state["entry_ids"] and len(at.session_state["entry_ids"]) == 3
    assert at.session_state["view"] == "inside" and at.session_state["layout"] == "side"
    assert scene_in_url(at) == ROUND_TRIP
    assert {k: at.query_params[k] for k in ("lang", "layout", "view", "speed")} == {
        "lang": "zh", "layout": "side", "view": "inside", "speed": "2",
    }


def test_a_changed_view_copied_as_a_url_shows_the_same_results():
    at = app()
    at.session_state["opt1_momentum_lr"] = 0.02  # in a closed section: its value is in the state
    at.run()
    at.number_input(key="start_x").set_value(-2.0).run()
    at.number_input(key="start_y").set_value(-2.0).run()
    healthy(at)
    copied = app(dict(at.query_params))
    healthy(copied)
    assert results(copied).equals(results(at))


@pytest.mark.parametrize(
    "params",
    [
        {"s": "{not json", "lang": "xx"},
        {"s": json.dumps({"optimizers": [{"name": "adam", "hparams": {"lr": -1}}]})},
        {"s": json.dumps({"surface": "no_such_surface"}), "view": "nope", "speed": "fast"},
        {"s": json.dumps([1, 2, 3]), "present": "maybe", "layout": "3d"},
    ],
)
def test_junk_in_the_url_falls_back_to_defaults_with_a_warning(params):
    at = app(params)
    healthy(at)
    assert at.warning, "junk in the URL must be reported"
    assert at.selectbox(key="surface").value == Scene().surface
    assert len(results(at)) == len(Scene().optimizers)


def test_chinese_from_the_url_and_the_language_switch():
    at = app({"lang": "zh"})
    healthy(at)
    assert at.title[0].value == STRINGS["title"]["zh"]
    assert CJK.search(at.selectbox(key="surface").format_func(at.selectbox(key="surface").value))
    assert all(CJK.search(column) for column in results(at).columns)
    at.button_group(key="lang").set_value("en").run()
    assert at.title[0].value == STRINGS["title"]["en"]
    assert at.query_params["lang"] == "en"


def test_invalid_settings_show_a_message_and_leave_that_optimizer_out():
    at = open_settings(app())
    at.toggle(key="opt0_sgd_nesterov").set_value(True).run()  # SGD's momentum is 0
    healthy(at)
    messages = " ".join(e.value for e in at.error)
    assert "Nesterov momentum requires a momentum" in messages
    assert len(results(at)) == 3


def test_a_bad_formula_explains_itself():
    at = app()
    at.selectbox(key="surface").set_value("custom").run()
    at.text_input(key="formula").input("x**2 + import os").run()
    healthy(at)
    assert any("formula" in e.value.lower() for e in at.error)
    at.text_input(key="formula").input("(1 - x)**2 + 5*(y - x**2)**2").run()
    healthy(at)
    assert not at.error
    assert scene_in_url(at).formula == "(1 - x)**2 + 5*(y - x**2)**2"


def test_optimizers_can_be_added_duplicated_and_removed_up_to_the_limit():
    at = open_settings(app())
    at.button(key="opt0_copy").click().run()  # SGD twice, the copy right below it
    healthy(at)
    names = [entry.name for entry in scene_in_url(at).optimizers]
    assert names[:2] == ["sgd", "sgd"]
    while len(at.session_state["entry_ids"]) < MAX_OPTIMIZERS:
        at.button[-1].click().run()  # "Add optimizer" is the sidebar's last button
    healthy(at)
    assert len(results(at)) == MAX_OPTIMIZERS
    assert at.button[-1].disabled
    at.button(key="opt0_remove").click().run()
    assert len(results(at)) == MAX_OPTIMIZERS - 1


@pytest.mark.parametrize("view", ["surface3d", "inside", "analysis"])
def test_the_other_views_render(view):
    at = app({"view": view, "s": scene_to_text(PRESETS["adam_bias_correction"].scene)})
    healthy(at)
    if view == "surface3d":  # painted in the browser (ui.surface3d), no Plotly
        assert [c for c in at.get("bidi_component") if c.proto.component_name.endswith("surface3d")]
    else:
        assert at.get("plotly_chart")
    if view == "inside":
        assert at.latex, "the update rule is shown"
        at.button(key="inside_forward").click().run()
        assert at.slider(key="inside_step").value == 1


def test_presenter_mode_from_the_url_hides_the_sidebar():
    at = app({"present": "1"})
    healthy(at)
    assert at.toggle(key="presenter").value
    styles = " ".join(getattr(node, "proto", None).body for node in at.get("html"))
    assert 'stSidebar"]' in styles and "display: none" in styles
    assert at.query_params["present"] == "1"


def test_every_app_string_has_both_languages():
    for key, texts in STRINGS.items():
        assert texts.get("en") and texts.get("zh"), key
        placeholders = [set(re.findall(r"{(\w+)}", texts[lang])) for lang in ("en", "zh")]
        assert placeholders[0] == placeholders[1], key


def test_a_value_beyond_the_slider_is_kept_and_said():
    # lr=20 is valid (torch accepts it) but beyond the slider (1e-4..10): the sidebar shows
    # it in a number box with a note, and the URL keeps 20 instead of moving it to 10.
    at = app({"s": json.dumps({"optimizers": [{"name": "adam", "hparams": {"lr": 20}}]})})
    healthy(at)
    assert scene_in_url(at).optimizers[0].hparams == (("lr", 20.0),)
    assert any("beyond the slider" in c.value for c in at.sidebar.caption)
    box = next(n for n in at.sidebar.number_input if n.key.endswith("_adam_lr__typed"))
    assert box.value == 20.0
    box.set_value(0.05).run()  # back inside the range: the slider returns
    healthy(at)
    assert scene_in_url(at).optimizers[0].hparams == (("lr", 0.05),)
    assert not any("beyond the slider" in c.value for c in at.sidebar.caption)


def test_unknown_url_keys_are_reported():
    at = app({"colour": "red"})
    healthy(at)
    assert any("colour" in w.value for w in at.warning)


def test_view_options_survive_a_broken_formula():
    # Side by side and 2x, then a formula that does not parse (no figure, so the layout and
    # speed widgets are not drawn), then a good one: both settings are still there.
    at = app({"layout": "side", "speed": "2"})
    at.sidebar.selectbox(key="surface").set_value("custom").run()
    at.sidebar.text_input(key="formula").set_value("").run()
    assert at.error  # the formula's message, no figure
    at.sidebar.text_input(key="formula").set_value("x**2 + 10*y**2").run()
    healthy(at)
    assert at.session_state["layout"] == "side" and at.session_state["speed"] == 2.0
    assert at.query_params["layout"] == "side" and at.query_params["speed"] == "2"


def test_a_start_outside_the_view_is_kept():
    # Lessons may start outside the default view (up to five views out): the sidebar keeps
    # the start instead of moving it to the edge, and the map widens to show it.
    far = Scene(start=(10.0, -10.0))
    at = app({"s": scene_to_text(far)})
    healthy(at)
    assert scene_in_url(at).start == (10.0, -10.0)


def test_the_lesson_picker_names_the_lesson_until_a_setting_changes_it():
    at = app()
    assert at.selectbox(key="preset").value == ""  # the default scene is no lesson
    at.selectbox(key="preset").set_value("saddle").run()
    healthy(at)
    assert at.selectbox(key="preset").value == "saddle"
    at.number_input(key="steps").set_value(150).run()  # no longer the lesson
    assert at.selectbox(key="preset").value == ""
    at.selectbox(key="preset").set_value("saddle").run()  # loads it again
    assert scene_in_url(at) == PRESETS["saddle"].scene and at.selectbox(key="preset").value == "saddle"


def test_a_typed_formula_gets_a_fitted_view_the_user_can_set():
    # sin(x)*cos(y) on [-3, 3]² had its minimum off the map and every path leaving the top.
    at = app()
    at.selectbox(key="surface").set_value(CUSTOM_SURFACE).run()
    at.text_input(key="formula").input("sin(x)*cos(y)").run()
    healthy(at)
    assert scene_in_url(at).bounds == "fit"
    (x0, x1), (y0, y1) = map_data(at)["bounds"]
    final = [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", results(at).iloc[0, 2])]
    assert x0 <= final[0] <= x1 and y0 <= final[1] <= y1  # the end of the path is on the map
    at.button_group(key="view_mode").set_value("custom").run()
    assert scene_in_url(at).bounds == ((x0, x1), (y0, y1))
    at.number_input(key="bounds_x1").set_value(-4.0).run()  # x max below x min: refused, said
    assert "xmin must be less than xmax" in at.error[0].value
    assert scene_in_url(at).bounds == ((x0, x1), (y0, y1))
    at.number_input(key="bounds_x1").set_value(5.0).run()
    healthy(at)
    assert scene_in_url(at).bounds == ((x0, 5.0), (y0, y1))
    assert map_data(at)["bounds"][0] == [x0, 5.0]
    at.button_group(key="view_mode").set_value("auto").run()
    assert scene_in_url(at).bounds == "auto" and map_data(at)["bounds"] == [[-3.0, 3.0], [-3.0, 3.0]]


def test_every_setting_keeps_its_value_across_language_and_view_switches():
    at = app({"layout": "side", "speed": "2"})
    at.button_group(key="view_mode").set_value("fit").run()
    at.button_group(key="tolerance").set_value(1e-4).run()
    at.button_group(key="view").set_value("analysis").run()
    analysis_view = "tuning"  # the last of the analyses, not the first shown
    at.radio(key="analysis_view").set_value(analysis_view).run()
    at.button_group(key="view").set_value("trajectories").run()
    before = scene_in_url(at)
    for lang, view in (("zh", "surface3d"), ("zh", "inside"), ("en", "analysis"), ("en", "trajectories")):
        at.button_group(key="lang").set_value(lang).run()
        at.button_group(key="view").set_value(view).run()
        healthy(at)
        assert scene_in_url(at) == before, (lang, view)
        assert at.query_params["layout"] == "side" and at.query_params["speed"] == "2", (lang, view)
    assert at.button_group(key="view_mode").value == "fit"
    assert at.button_group(key="tolerance").value == 1e-4
    assert map_data(at)["panels"][0]["runs"] == [0]  # still side by side
    at.button_group(key="view").set_value("analysis").run()
    assert at.radio(key="analysis_view").value == analysis_view


def test_a_data_surface_runs_the_full_batch_until_mini_batches_are_switched_on():
    scene = Scene("data_linreg", surface_params=(("standardize", 1.0),), optimizers=(OptimizerEntry.of("sgd", lr=0.1),))
    at = app({"s": scene_to_text(scene)})
    healthy(at)
    assert scene_in_url(at) == scene and scene.optimizers[0].batch_size is None  # the full batch
    full_batch = results(at).iloc[:, 1].tolist()
    entry_id = at.session_state["entry_ids"][0]
    at.session_state[f"opt{entry_id}_batch_size_on"] = True
    at.session_state[f"opt{entry_id}_batch_size"] = 8
    at.run()
    healthy(at)
    assert scene_in_url(at).optimizers[0].batch_size == 8
    assert results(at).iloc[:, 1].tolist() != full_batch


def _upload(at: AppTest, content: bytes, model: str = "linreg") -> AppTest:
    """Choose 'Your own data (CSV)', the model, and give the uploader ``content``."""
    at.selectbox(key="surface").set_value("upload").run()
    at.selectbox(key="upload_model").set_value(model).run()
    at.get("file_uploader")[0].set_value(("mine.csv", content, "text/csv"))
    return at.run()


def _loader_message(content: bytes, model: str = "linreg") -> str:
    """What the API says of ``content`` (the app must show the same words)."""
    from surfaces import data_surface_from_csv

    with pytest.raises(ValueError) as refused:
        data_surface_from_csv(content, model=model)
    return str(refused.value)


GOOD_CSV = b"length,width\n1.4,0.2\n4.7,1.4\n5.1,1.9\n3.9,1.2\n6.0,2.5\n"
BAD_CSVS = {
    "junk": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "missing_value": b"x,y\n1,2\n2,\n3,6\n",
    "single_row": b"x,y\n1,2\n",
    "too_many_rows": b"x,y\n" + b"".join(b"%d,%d\n" % (k, 2 * k) for k in range(10_001)),
    "non_numeric_column": b"x,species\n1,setosa\n2,virginica\n3,setosa\n",
    "markdown_in_a_cell": b"x,y\n1,[click](https://evil.example)\n2,3\n",
}


def test_an_uploaded_csv_becomes_a_data_surface_whose_data_stays_out_of_the_link():
    at = app()
    at.selectbox(key="surface").set_value("upload").run()
    healthy(at)
    assert [i.value for i in at.info] == [STRINGS["upload_prompt"]["en"]]  # a prompt, not an error, before a file
    assert STRINGS["upload_not_in_link"]["en"] in [c.value for c in at.caption]
    _upload(at, GOOD_CSV)
    healthy(at)
    assert not at.error, [e.value for e in at.error]
    scene = scene_in_url(at)
    assert scene.surface == "upload" and GOOD_CSV.decode() not in at.query_params["s"] and "length" not in at.query_params["s"]
    assert len(results(at)) == 4  # the default four optimizers ran on it


def test_a_link_to_an_upload_this_server_does_not_hold_says_so():
    at = app({"s": '{"surface":"upload","formula":"0123456789abcdef0123"}'})
    healthy(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "a link never carries the data itself" in warnings and at.selectbox(key="surface").value == Scene().surface


@pytest.mark.parametrize("case", list(BAD_CSVS))
def test_a_bad_csv_shows_the_loaders_message_as_plain_text(case):
    content = BAD_CSVS[case]
    expected = _loader_message(content)
    at = _upload(app(), content)
    healthy(at)
    shown = [e.value for e in at.error]
    sidebar = [text for text in shown if text.startswith("This file cannot be used: ")]
    assert sidebar == [f"This file cannot be used: `{expected}`"], shown  # a code span: shown literally
    assert "s" not in at.query_params or scene_in_url(at).surface != "upload"  # the link keeps the last good scene


def test_results_table_shows_cells_as_text():
    from ui.results import results_html

    table = results_html(["<b>Optimizer</b>"], [["<img src=x onerror=alert(1)>"], ["[link](https://evil.example)"]])
    assert "<img" not in table and "<b>" not in table and "&lt;img src=x onerror=alert(1)&gt;" in table
    cells = _TableCells()
    cells.feed(table)
    assert cells.rows == [["<b>Optimizer</b>"], ["<img src=x onerror=alert(1)>"], ["[link](https://evil.example)"]]


def test_optimizer_sections_start_closed_and_one_beyond_its_slider_opens():
    at = app()
    assert not [key for key in ("opt0_sgd_lr", "opt1_momentum_lr") if any(w.key == key for w in at.select_slider)]
    linked = app({"s": json.dumps({"optimizers": [{"name": "sgd"}, {"name": "adam", "hparams": {"lr": 20}}]})})
    healthy(linked)
    # Adam's section is open, with its number box and note; SGD's stays closed.
    assert any(n.key.endswith("_adam_lr__typed") for n in linked.sidebar.number_input)
    assert not any(w.key.endswith("_sgd_lr") for w in linked.select_slider)


def test_a_section_stays_open_when_its_optimizer_or_value_changes():
    at = open_settings(app())
    at.selectbox(key="opt0_name").set_value("adam").run()  # a new title: still open, Adam's own sliders
    healthy(at)
    assert any(w.key == "opt0_adam_lr" for w in at.select_slider)
    linked = app({"s": json.dumps({"optimizers": [{"name": "adam", "hparams": {"lr": 20}}]})})
    box = next(n for n in linked.sidebar.number_input if n.key.endswith("_adam_lr__typed"))
    box.set_value(0.05).run()  # back inside the slider's range: the section stays open on its slider
    assert any(w.key.endswith("_adam_lr") for w in linked.select_slider)
