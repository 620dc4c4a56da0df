"""One picture, two painters: for the same scene the app's Plotly figure and the GIF writer
paint the same description (``viz.picture``): the same view, legend names, counter text and
"diverged" label, in the chosen language."""

from __future__ import annotations

from dataclasses import replace

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
        # The slide's view is the app's, widened to the shape of the slide's maps (and, on a
        # shared map, by a strip on the right for the legend).
        (x0, x1), (y0, y1) = animation.bounds
        (ax0, ax1), (ay0, ay1) = picture.bounds
        assert x0 <= ax0 and x1 >= ax1 and y0 <= ay0 and y1 >= ay1
        assert x0 == ax0 or y0 == ay0  # widened in one direction only
        assert animation.run_axes[0].get_xlim() == animation.bounds[0]
        animation.frame(picture.total_steps)
        drawn = _texts(animation.figure)
        for run in picture.runs:
            assert (run.label if layout == "overlay" else run.title) in drawn
        assert picture.counter(picture.total_steps) in drawn
        note = next(a for a in animation.figure.findobj(Annotation) if a.get_text() == diverged.diverged_text)
        offset, alignment = mpl_place(animation.picture.runs[0].diverged_place)  # placed in the slide's view
        assert note.get_ha() == alignment["ha"] and note.get_va() == alignment["va"]
        np.testing.assert_allclose(note.xy, diverged.mark_point)
        if layout == "side_by_side":
            assert all(title in drawn for title in picture.panel_titles())
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


def _inside(point, bounds, margin=0.0) -> bool:
    (x0, x1), (y0, y1) = bounds
    mx, my = margin * (x1 - x0), margin * (y1 - y0)
    return x0 + mx <= point[0] <= x1 - mx and y0 + my <= point[1] <= y1 - my


@pytest.mark.parametrize("key", ["beale", "ravine", "saddle"])
def test_a_fitted_view_frames_the_paths_and_minima_with_a_margin(key):
    from scene import FIT_MARGIN, get_preset

    scene = get_preset(key).scene
    surface, trajectories = run_scene(scene)
    picture = describe(scene, surface, trajectories)
    (x0, x1), (y0, y1) = picture.bounds
    points = np.concatenate([run.points for run in picture.runs] + [picture.minima])
    share = FIT_MARGIN * max(x1 - x0, y1 - y0) / (1 + 2 * FIT_MARGIN)  # the margin, of the fitted box
    assert all(_inside(p, picture.bounds, margin=0.0) for p in points)
    assert points[:, 0].min() - x0 >= share * 0.99 and x1 - points[:, 0].max() >= share * 0.99
    # ... and no wider than the action needs: on Beale the surface's own view was 9 x 9.
    auto = describe(replace(scene, bounds="auto"), surface, trajectories).bounds
    assert (x1 - x0) * (y1 - y0) < (auto[0][1] - auto[0][0]) * (auto[1][1] - auto[1][0])


def test_explicit_bounds_are_the_view_and_shaping_keeps_the_action_clear_of_the_legend(runs):
    surface, trajectories = runs
    explicit = replace(SCENE, bounds=((-1.0, 4.0), (-2.0, 3.0)))
    assert describe(explicit, surface, trajectories, aspect=2.0).bounds == ((-1.0, 4.0), (-2.0, 3.0))
    fitted = replace(SCENE, bounds="fit")
    plain = describe(fitted, surface, trajectories).bounds
    (x0, x1), (y0, y1) = describe(fitted, surface, trajectories, aspect=16 / 9, reserve_right=0.25).bounds
    assert (x1 - x0) / (y1 - y0) == pytest.approx(16 / 9)
    assert x0 + 0.75 * (x1 - x0) >= plain[0][1] - 1e-9  # the right quarter is free of the action
    assert y0 <= plain[1][0] and y1 >= plain[1][1]


def test_ends_never_hide_each_other_or_a_minimum_star():
    from scene import get_preset
    from viz.picture import END_SEPARATION

    for key in ("long_valley", "beale", "three_minima"):
        scene = get_preset(key).scene
        surface, trajectories = run_scene(scene)
        picture = describe(scene, surface, trajectories)
        (x0, x1), (y0, y1) = picture.bounds
        scale = np.array([x1 - x0, y1 - y0])
        heads = np.array([run.head_point(len(run.points) - 1) for run in picture.runs]) / scale
        marks = list(heads) + list(picture.minima / scale)
        for i, head in enumerate(heads):
            others = [m for j, m in enumerate(marks) if j != i]
            assert min(np.linalg.norm(head - m) for m in others) >= END_SEPARATION * 0.99, (key, i)


def test_the_minimum_stars_are_painted_over_the_heads(runs):
    surface, trajectories = runs
    fig = trajectory_figure(SCENE, surface, trajectories).to_plotly_json()
    kinds = [t.get("marker", {}).get("symbol") if t.get("mode") != "lines" else "line" for t in fig["data"]]
    heads = [k for k, t in enumerate(fig["data"]) if t.get("mode") == "markers+text"]
    stars = [k for k, symbol in enumerate(kinds) if symbol == "star"]
    assert stars and min(stars) > max(heads)
    animation = scene_animation(SCENE, surface, trajectories, ExportOptions())
    star = next(a for a in animation.moving_artists if getattr(a, "get_marker", lambda: None)() == "*")
    head_z = max(a.get_zorder() for a in animation.moving.heads)
    assert star.get_zorder() > head_z and star in animation.moving_artists
    animation.close()
