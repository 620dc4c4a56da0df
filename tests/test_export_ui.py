"""The export panel: nothing rendered until asked, a download button after "Render GIF",
the HTML download lazy, and every string it uses in English and Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
STRINGS = json.loads((ROOT / "assets" / "i18n" / "export.json").read_text(encoding="utf-8"))

PAGE = """
import streamlit as st
from ui.export_ui import export_panel
from scene import OptimizerEntry, Scene

scene = Scene(
    surface="three_minima", steps=40,
    optimizers=(OptimizerEntry.of("sgd", lr=0.05), OptimizerEntry.of("adam", lr=0.05)),
)
st.session_state.setdefault("export_box", {open})  # the user opened the panel
export_panel(scene, "{lang}")
"""


def _downloads(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_gif_renders_on_request_then_downloads(lang):
    at = AppTest.from_string(PAGE.format(lang=lang, open=True), default_timeout=60).run()
    assert not at.exception, at.exception
    gif_label = STRINGS["prepare"][lang].format(fmt="GIF")
    assert gif_label in [button.label for button in at.button]
    assert not any("GIF" in label for label in _downloads(at)), "nothing is rendered before it is asked for"

    at.selectbox(key="export_size").set_value("slide_small")
    at.slider(key="export_frames").set_value(20)
    at.button(key="export_prepare_gif").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    prefix = STRINGS["download"][lang].split("{")[0]
    assert any(label.startswith(prefix) and "GIF" in label for label in _downloads(at))
    assert STRINGS["download_html"][lang] in _downloads(at)


def test_every_string_has_both_languages():
    for key, texts in STRINGS.items():
        assert texts.get("en") and texts.get("zh"), key


def test_a_closed_panel_draws_no_widgets():
    at = AppTest.from_string(PAGE.format(lang="en", open=False), default_timeout=60).run()
    assert not at.exception, at.exception
    assert len(at.expander) == 1
    assert not at.button and not at.selectbox and not at.slider
    at.session_state["export_box"] = True
    at.run()
    assert len(at.button) == 2 and at.selectbox(key="export_view").value == "contour"


def test_closing_the_panel_keeps_the_choices_and_the_rendered_gif():
    at = AppTest.from_string(PAGE.format(lang="en", open=True), default_timeout=60).run()
    at.selectbox(key="export_size").set_value("slide_small").run()
    at.slider(key="export_frames").set_value(20).run()
    at.slider(key="export_fps").set_value(7).run()  # options no other test renders (a cold cache)
    at.button(key="export_prepare_gif").click().run()
    assert any("GIF" in label for label in _downloads(at))
    at.session_state["export_box"] = False
    at.run()
    assert not at.selectbox
    at.session_state["export_box"] = True
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="export_size").value == "slide_small" and at.slider(key="export_frames").value == 20
    assert at.slider(key="export_fps").value == 7
    assert any("GIF" in label for label in _downloads(at))
