"""A slide uses the slide: at 1280x720 the map (or the grid of maps) fills most of the
frame, text stays readable when projected, and a Chinese export speaks Chinese in its
legend and panel titles."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib.text import Text

from scene import OptimizerEntry, Scene, get_preset, run_scene
from viz.export import scene_animation
from viz.export_options import ExportOptions
from viz.mpl.style import MIN_TEXT_PX

SLIDE = ExportOptions(size="slide", frames=4)
MAP_SHARE = 0.70  # of the frame's area, at least
FOUR = Scene(
    "three_minima", steps=120, bounds="fit",
    optimizers=tuple(OptimizerEntry.of(name, lr=0.05) for name in ("sgd", "momentum", "nesterov", "adam")),
)


def _map_share(animation) -> float:
    """The frame's share covered by the maps' data areas, as drawn."""
    width, height = animation.size
    axes = list(dict.fromkeys(animation.run_axes))
    return sum(ax.bbox.width * ax.bbox.height for ax in axes) / (width * height)


def _drawn_texts(animation) -> list[Text]:
    return [t for t in animation.figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _with_caption(key: str, lang: str) -> dict:
    """A lesson's slide as the command line makes it: its title and caption above the map."""
    preset = get_preset(key)
    return {"title": preset.title[lang], "subtitle": preset.description[lang]}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("key", "view"), [("beale", "contour"), ("long_valley", "side_by_side")])
def test_a_lesson_slide_with_its_two_line_caption_still_gives_the_maps_most_of_the_frame(key, view, lang):
    scene = get_preset(key).scene
    surface, trajectories = run_scene(scene)
    animation = scene_animation(scene, surface, trajectories, replace(SLIDE, view=view, lang=lang, **_with_caption(key, lang)))
    assert _map_share(animation) >= MAP_SHARE, f"{_map_share(animation):.3f}"
    animation.close()


@pytest.mark.parametrize(
    ("scene", "view", "maps"),
    [
        (get_preset("three_minima").scene, "contour", 1),
        (get_preset("beale").scene, "contour", 1),
        (FOUR, "side_by_side", 4),
        (replace(FOUR, bounds="auto"), "side_by_side", 4),
        (replace(FOUR, bounds=((-2.0, 2.0), (-2.0, 2.0))), "contour", 1),
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_maps_fill_most_of_a_1280x720_slide_and_text_is_readable(scene, view, maps, lang):
    surface, trajectories = run_scene(scene)
    animation = scene_animation(scene, surface, trajectories, replace(SLIDE, view=view, lang=lang))
    animation.frame(scene.steps)
    assert len(set(animation.run_axes)) == maps
    assert _map_share(animation) >= MAP_SHARE, f"{_map_share(animation):.3f}"
    smallest = min(t.get_fontsize() * animation.dpi / 72 for t in _drawn_texts(animation))
    assert smallest >= MIN_TEXT_PX - 1e-6
    animation.close()


def test_the_legend_sits_where_the_paths_are_not():
    scene = get_preset("beale").scene
    surface, trajectories = run_scene(scene)
    animation = scene_animation(scene, surface, trajectories, SLIDE)
    animation.frame(scene.steps)
    ax = animation.run_axes[0]
    renderer = animation.canvas.get_renderer()
    labels = [t for t in _drawn_texts(animation) if t.get_text() in [run.label for run in animation.runs]]
    assert len(labels) == len(animation.runs)
    for run in animation.runs:
        pixels = ax.transData.transform(run.points)
        for label in labels:
            box = label.get_window_extent(renderer)
            inside = (pixels[:, 0] >= box.x0) & (pixels[:, 0] <= box.x1) & (pixels[:, 1] >= box.y0) & (pixels[:, 1] <= box.y1)
            assert not inside.any(), (run.label, label.get_text())
    animation.close()


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize("view", ["contour", "side_by_side"])
def test_a_chinese_export_names_its_runs_in_chinese(view):
    scene = get_preset("long_valley").scene
    surface, trajectories = run_scene(scene)
    animation = scene_animation(scene, surface, trajectories, replace(SLIDE, view=view, lang="zh"))
    animation.frame(scene.steps)
    drawn = [t.get_text() for t in _drawn_texts(animation)]
    names = [run.label for run in animation.runs] if view == "contour" else animation.picture.panel_titles()
    assert all(name in drawn for name in names)
    assert "动量法 (lr=0.001)" in drawn or "动量法" in drawn  # Momentum's display name
    statuses = [text for text in drawn if text.startswith("损失 f =")]
    assert len(statuses) == len(animation.runs) and all(_has_chinese(s) for s in statuses)
    animation.close()


def test_a_fading_trail_fades_its_oldest_part():
    scene = get_preset("ravine").scene
    surface, trajectories = run_scene(scene)
    animation = scene_animation(scene, surface, trajectories, replace(SLIDE, trail="fade"))
    animation.frame(scene.steps)
    trail = animation.moving.lines[0]
    alphas = np.asarray(trail.get_colors())[:, 3]
    assert alphas[-1] > 0.9 and alphas[0] < 0.2 and np.all(np.diff(alphas) >= -1e-12)
    animation.close()
    with pytest.raises(ValueError, match="Unknown trail 'dotted'; valid: full, fade"):
        ExportOptions(trail="dotted")


def test_a_faded_trail_keeps_its_hue_in_the_gif(tmp_path):
    from PIL import Image

    from viz._gif import hex_to_rgb
    from viz.export import export
    from viz.mpl.maps import trail_tints
    from viz.style import LANDSCAPE_COLORS, color_for

    path = export(get_preset("ravine").scene, tmp_path / "fade.gif", replace(SLIDE, trail="fade", legend=False))
    image = Image.open(path)
    image.seek(image.n_frames - 1)
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3).astype(int)
    for tint in trail_tints(color_for(0), LANDSCAPE_COLORS[1])[:2]:  # SGD's palest tints, its old zig-zag
        assert (np.abs(pixels - hex_to_rgb(tint)).max(axis=1) <= 6).sum() > 20, tint
