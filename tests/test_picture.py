"""One picture, two painters: for the same scene the app's Plotly figure and the GIF writer
paint the same description (``viz.picture``): the same view, legend names, counter text and
"diverged" label, in the chosen language."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.text import Annotation, Text

from scene import OptimizerEntry, Scene, run_scene
from viz.export import scene_animation
from viz.export_options import ExportOptions
from viz.figures import trajectory_figure
from viz.mpl.maps import mpl_place
from viz.picture import describe, label_place
from viz.plotly.trajectories import plotly_position

# A run that diverges (SGD far above its stability limit), one with run settings, and a start
# outside the surface's default view (the view widens to include it).
SCENE = Scene(
    "elongated_bowl", start=(3.9, 2.5), steps=60,
    optimizers=(
        OptimizerEntry.of("sgd", lr=1.0),
        OptimizerEntry("momentum", (("lr", 0.01),), noise=1.0, batch_size=8, warmup_iters=5),
        OptimizerEntry.of("newton", lr=0.5),
    ),
)


def _texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text)]


@pytest.fixture(scope="module")
def runs():
    return run_scene(SCENE, record_internals=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("layout", ["overlay", "side_by_side"])
def test_the_app_figure_and_the_gif_paint_the_same_description(runs, lang, layout):
    surface, trajectories = runs
    picture = describe(SCENE, surface, trajectories, lang)
    diverged = picture.runs[0]
    assert diverged.diverged_at >= 0 and picture.bounds[0][1] > surface.bounds[0][1]  # the scene tests what it should

    fig = trajectory_figure(SCENE, surface, trajectories, layout=layout, lang=lang).to_dict()
    layout_dict = fig["layout"]
    assert tuple(layout_dict["xaxis"]["range"]) == picture.bounds[0]
    assert tuple(layout_dict["yaxis"]["range"]) == picture.bounds[1]
    named = [t["name"] for t in fig["data"] if t.get("mode") == "lines" and t.get("legendgroup") is not None]
    assert named[: len(picture.runs)] == [run.label for run in picture.runs]
    texts = [t.get("text") for t in fig["data"] if t.get("mode") == "text"]
    assert texts == [[picture.counter(picture.total_steps)]]
    head = next(t for t in fig["data"] if t.get("mode") == "markers+text" and t["name"] == diverged.label)
    assert head["text"] == [diverged.diverged_text]
    assert head["textposition"] == plotly_position(diverged.diverged_place)
    if layout == "side_by_side":
        assert [a["text"] for a in layout_dict["annotations"]] == [f"<b>{t}</b>" for t in picture.panel_titles()]

    view = "contour" if layout == "overlay" else "side_by_side"
    animation = scene_animation(SCENE, surface, trajectories, ExportOptions(view=view, lang=lang, size=(960, 540), frames=4))
    try:
        assert animation.bounds == picture.bounds
        assert animation.run_axes[0].get_xlim() == picture.bounds[0]
        animation.frame(picture.total_steps)
        drawn = _texts(animation.figure)
        for run in picture.runs:
            assert run.label in drawn
        assert picture.counter(picture.total_steps) in drawn
        note = next(a for a in animation.figure.findobj(Annotation) if a.get_text() == diverged.diverged_text)
        offset, alignment = mpl_place(diverged.diverged_place)
        assert note.get_ha() == alignment["ha"] and note.get_va() == alignment["va"]
        np.testing.assert_allclose(note.xy, diverged.mark_point)
        if layout == "side_by_side":
            titles = [ax.get_title() for ax in animation.figure.axes if ax.get_title()]
            assert titles == picture.panel_titles()
    finally:
        animation.close()


def test_a_chinese_gif_speaks_chinese(runs):
    surface, trajectories = runs
    animation = scene_animation(SCENE, surface, trajectories, ExportOptions(lang="zh", size=(960, 540), frames=4))
    try:
        animation.frame(SCENE.steps)
        drawn = " ".join(_texts(animation.figure))
    finally:
        animation.close()
    assert "牛顿法" in drawn  # the optimizer's Chinese name
    assert "噪声 1，批量 8" in drawn and "预热 5" in drawn  # its run settings
    assert f"第 {SCENE.steps} / {SCENE.steps} 步" in drawn  # the counter
    assert "发散" in drawn  # the diverged label


def test_label_places_keep_labels_inside_the_map():
    bounds = ((0.0, 3.0), (0.0, 6.0))
    assert label_place(0.1, 0.1, bounds).horizontal == "right" and label_place(0.1, 0.1, bounds).above
    assert label_place(2.9, 5.9, bounds).horizontal == "left" and not label_place(2.9, 5.9, bounds).above
    assert label_place(1.5, 3.0, bounds).horizontal == "center"


def test_every_painter_draws_the_same_simplified_path(runs):
    surface, trajectories = runs
    picture = describe(SCENE, surface, trajectories, "en")
    fig = trajectory_figure(SCENE, surface, trajectories).to_dict()
    momentum = picture.runs[1]
    path = next(t for t in fig["data"] if t.get("mode") == "lines" and t.get("name") == momentum.label)
    np.testing.assert_allclose(np.column_stack([path["x"], path["y"]]), momentum.path_until(len(momentum.points) - 1), atol=1e-3)
    # The kept points lie within the tolerance of the whole path; the first and last are kept.
    assert momentum.kept[0] == 0 and momentum.kept[-1] == len(momentum.points) - 1
    animation = scene_animation(SCENE, surface, trajectories, ExportOptions(size=(960, 540), frames=4))
    try:
        animation.frame(30)
        line = next(a for a in animation.run_axes[1].get_lines() if a.get_color() == momentum.color and len(a.get_xdata()) > 1)
        np.testing.assert_allclose(np.column_stack(line.get_data()), momentum.path_until(30))
    finally:
        animation.close()


def test_the_description_is_plain_data_for_another_painter(runs):
    import json

    surface, trajectories = runs
    data = json.loads(json.dumps(describe(SCENE, surface, trajectories, "zh").to_dict()))
    assert data["counter"] == f"第 {SCENE.steps} / {SCENE.steps} 步"
    assert [run["label"] for run in data["runs"]][2].startswith("牛顿法")
    assert data["runs"][0]["diverged_at"] >= 0 and data["runs"][0]["diverged_text"]
