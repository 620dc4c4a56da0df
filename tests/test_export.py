"""Exports: valid animated GIF / MP4 / HTML of the requested frames and size, optimizer lines
in the shared colours, diverged runs marked, Chinese text with a real font, and bad requests
that fail clearly and leave no file behind. Small pictures and few frames keep it quick."""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

import numpy as np
import pytest
from matplotlib.lines import Line2D
from PIL import Image, ImageSequence

from optimizers import get_optimizer, list_optimizers
from scene import OptimizerEntry, Scene, get_preset, run_scene
from viz._gif import TRANSPARENT, StreamingGifWriter, build_palette, hex_to_rgb, nearest_color_table
from viz._mpl_fonts import cjk_family
from viz.export import ExportOptions, export, export_bytes, frame_durations_ms, scene_animation
from viz.mpl.rules import update_rule_lines
from viz.style import color_for

SMALL = (480, 270)
FRAMES = 12
# Long enough that every frame differs from the one before, short enough to be quick.
SCENE = replace(get_preset("three_minima").scene, steps=60)
OPTIONS = ExportOptions(size=SMALL, frames=FRAMES, fps=10)


def _frames(path) -> list[Image.Image]:
    with Image.open(path) as image:
        return [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]


@pytest.fixture(scope="module")
def small_gif(tmp_path_factory):
    return export(SCENE, tmp_path_factory.mktemp("gif") / "scene.gif", OPTIONS)


def test_gif_is_animated_with_the_requested_frames_size_and_timing(small_gif):
    with Image.open(small_gif) as image:
        assert image.format == "GIF"
        assert image.size == SMALL
        assert image.is_animated
        assert image.n_frames == FRAMES
        durations = []
        for frame in ImageSequence.Iterator(image):
            durations.append(frame.info["duration"])
    assert durations[:-1] == [100] * (FRAMES - 1)
    assert durations[-1] == 100 + 1000  # the last picture is held for a second


def test_frame_durations_keep_pace_with_fps_in_whole_centiseconds():
    options = ExportOptions(fps=30, frames=90, hold_seconds=0.5)
    durations = frame_durations_ms(90, options)
    assert all(d % 10 == 0 for d in durations)
    assert sum(durations) == pytest.approx(90 / 30 * 1000 + 500, abs=10)


@pytest.mark.parametrize("view", ["contour", "side_by_side"])
def test_gif_lines_have_the_shared_optimizer_colours(tmp_path, view):
    """Sample the last frame around each run's midpoint: its own colour must be there."""
    options = replace(OPTIONS, view=view, legend=False)
    path = export(SCENE, tmp_path / "colours.gif", options)
    last = np.asarray(_frames(path)[-1]).astype(int)
    surface, trajectories = run_scene(SCENE)
    animation = scene_animation(SCENE, surface, trajectories, options)
    height = options.pixel_size[1]
    checked = 0
    for index, trajectory in enumerate(trajectories):
        points = trajectory.points[:, 0]
        # A point where no other run passes nearby, so only this run's colour can be there.
        others = [t.points[:, 0] for j, t in enumerate(trajectories) if j != index]
        for point in points[len(points) // 4 :: 3]:
            if all(np.min(np.linalg.norm(o - point, axis=1)) > 0.3 for o in others) or view == "side_by_side":
                break
        else:
            continue
        x, y = animation.run_axes[index].transData.transform(point)
        row, col = int(round(height - y)), int(round(x))
        window = last[row - 3 : row + 4, col - 3 : col + 4].reshape(-1, 3)
        expected = np.array(hex_to_rgb(color_for(index)))
        assert np.min(np.abs(window - expected).max(axis=1)) <= 8, f"run {index} colour missing near {point}"
        checked += 1
    animation.close()
    # On the shared map RMSProp and Adam share most of their way; panels separate all four.
    assert checked >= (len(trajectories) if view == "side_by_side" else 2)


def test_palette_keeps_reserved_colours_exact_and_has_a_free_transparent_index():
    rng = np.random.default_rng(0)
    frame = rng.integers(200, 256, size=(40, 60, 4), dtype=np.uint8)
    reserved = [hex_to_rgb(color_for(i)) for i in range(4)] + [(0, 0, 0), (255, 255, 255)]
    palette = build_palette(frame, reserved)
    assert len(palette) == TRANSPARENT
    table = nearest_color_table(palette)
    for index, color in enumerate(reserved):
        r, g, b = color
        assert table[(r >> 2) << 12 | (g >> 2) << 6 | (b >> 2)] == index
    assert table.max() < TRANSPARENT


def test_streaming_writer_writes_one_frame_per_call_even_when_nothing_changes(tmp_path):
    palette = build_palette(np.zeros((8, 8, 4), np.uint8), [(255, 0, 0), (255, 255, 255)])
    frame = np.zeros((8, 8, 4), np.uint8)
    path = tmp_path / "still.gif"
    with open(path, "wb") as fp:
        writer = StreamingGifWriter(fp, (8, 8), palette)
        for _ in range(3):
            writer.add(frame, 50)
        frame[2:4, 2:4, 0] = 255
        writer.add(frame, 50)
        writer.close()
    frames = _frames(path)
    assert len(frames) == 4
    assert frames[0].getpixel((3, 3)) == (0, 0, 0)
    assert frames[-1].getpixel((3, 3)) == (255, 0, 0)
    assert frames[-1].getpixel((6, 6)) == (0, 0, 0)


def test_mp4_has_the_requested_size_and_frames_plus_the_hold(tmp_path):
    import imageio_ffmpeg

    options = replace(OPTIONS, frames=8, hold_seconds=0.5)
    path = export(SCENE, tmp_path / "scene.mp4", options)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    count = sum(1 for _ in reader)
    assert tuple(meta["size"]) == SMALL
    assert count == 8 + 5  # 0.5 s held at 10 fps


def test_html_is_self_contained_and_animated(tmp_path):
    pytest.importorskip("viz.figures")
    options = replace(OPTIONS, frames=20, lang="zh", title="鞍点曲面")
    path = export(SCENE, tmp_path / "scene.html", options)
    html = path.read_text(encoding="utf-8")
    assert "<html" in html and "<h1>鞍点曲面</h1>" in html
    assert len(html) > 1_000_000, "plotly.js must be inlined"
    assert "Plotly.newPlot" in html and "Plotly.addFrames" in html
    assert not re.search(r"<script[^>]+src=[\"']https?:", html), "no script may come from the network"


def test_export_bytes_matches_the_file_format():
    data = export_bytes(SCENE, "gif", replace(OPTIONS, frames=3))
    assert data[:6] == b"GIF89a" and data.endswith(b";")


def test_diverged_run_stops_at_its_frozen_point_and_is_marked():
    scene = Scene("elongated_bowl", steps=40, optimizers=(OptimizerEntry.of("sgd", lr=0.5), OptimizerEntry.of("sgd", lr=0.05)))
    surface, trajectories = run_scene(scene)
    diverged_at = int(trajectories[0].diverged_at[0])
    assert 0 < diverged_at < 40
    animation = scene_animation(scene, surface, trajectories, replace(OPTIONS, lang="en"))
    animation.frame(40)
    texts = [a.get_text() for a in animation.moving_artists if hasattr(a, "get_text") and a.get_visible()]
    assert f"diverged at step {diverged_at}" in texts
    line = next(a for a in animation.moving_artists if isinstance(a, Line2D) and a.get_color() == color_for(0) and a.get_linestyle() == "-")
    assert np.all(np.isfinite(line.get_xydata()))
    # The path (simplified, as every painter draws it) ends at the frozen point.
    np.testing.assert_allclose(line.get_xydata()[-1], trajectories[0].points[diverged_at, 0])
    np.testing.assert_allclose(line.get_xydata(), animation.runs[0].path_until(diverged_at))
    animation.close()


def test_every_update_rule_gives_a_caption_mathtext_can_draw():
    for name in list_optimizers():
        lines = update_rule_lines(get_optimizer(name).update_rule)
        assert lines, name
        assert all(line.startswith("$") and line.endswith("$") for line in lines)


def test_update_rule_captions_survive_an_unparsable_row():
    assert update_rule_lines(r"\begin{aligned}a &= \unknowncommand{b} \\ c &= d\end{aligned}") == ["$c = d$"]


def test_chinese_title_renders_with_a_cjk_font():
    if cjk_family() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    preset = get_preset("saddle")
    scene = replace(preset.scene, steps=10)
    surface, trajectories = run_scene(scene)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        animation = scene_animation(scene, surface, trajectories, replace(OPTIONS, lang="zh", title=preset.title["zh"], subtitle=preset.description["zh"]))
        animation.frame(10)
    animation.close()
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_3d_view_with_orbit_draws_every_frame(tmp_path):
    options = replace(OPTIONS, view="surface3d", frames=3, orbit_degrees=30)
    frames = _frames(export(replace(SCENE, steps=10), tmp_path / "orbit.gif", options))
    assert len(frames) == 3
    assert frames[0].tobytes() != frames[-1].tobytes()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": "huge"}, r"Unknown size 'huge'"),
        ({"size": (100, 100)}, r"out of range"),
        ({"size": (481, 270)}, r"even"),
        ({"frames": 1}, r"frames must be"),
        ({"frames": 10_000}, r"frames must be"),
        ({"fps": 0}, r"fps must be"),
        ({"fps": 120}, r"fps must be"),
        ({"view": "4d"}, r"Unknown view"),
        ({"lang": "fr"}, r"Unknown language"),
        ({"hold_seconds": -1}, r"hold_seconds"),
    ],
)
def test_bad_options_fail_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ExportOptions(**kwargs)


def test_unknown_extension_and_missing_directory_fail_and_leave_nothing(tmp_path):
    with pytest.raises(ValueError, match=r"Unknown file type '\.png'"):
        export(SCENE, tmp_path / "scene.png", OPTIONS)
    with pytest.raises(FileNotFoundError):
        export(SCENE, tmp_path / "missing" / "scene.gif", OPTIONS)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_rendering_leaves_no_partial_file_and_keeps_the_old_one(tmp_path):
    target = tmp_path / "scene.gif"
    target.write_bytes(b"old")

    def interrupt(fraction: float) -> None:
        if fraction > 0.5:
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        export(SCENE, target, OPTIONS, progress=interrupt)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["scene.gif"]


def test_invalid_optimizer_settings_fail_with_torch_wording():
    # Refused where the entry is made, before any export can start.
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        replace(SCENE, optimizers=(OptimizerEntry.of("adam", lr=-1.0),))


def test_progress_reaches_one(tmp_path):
    seen = []
    export(SCENE, tmp_path / "scene.gif", replace(OPTIONS, frames=4), progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
