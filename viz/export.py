"""Lecture-ready exports of a scene: animated GIF, MP4 video, self-contained HTML.

>>> from scene import get_preset
>>> export(get_preset("ravine").scene, "ravine.gif", ExportOptions(view="side_by_side"))

GIF and MP4 are drawn with matplotlib (Agg, no pyplot): the contour map once, the moving
lines blitted per frame, frames streamed to the file. The HTML file is the app's animated
Plotly figure with plotly.js inlined, so it plays from disk without a network. A failed
export leaves no file behind: everything is written to a temporary file next to the target
and renamed into place at the end.
"""

from __future__ import annotations

import contextlib
import errno
import html
import io
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from optimizers import Trajectory
from scene import Scene, run_scene
from surfaces import Surface

from ._gif import StreamingGifWriter, build_palette, hex_to_rgb
from .export_options import SIZES, VIEWS, ExportOptions, parse_size
from .frames import frame_indices
from .mpl.animation import SceneAnimation
from .mpl.data import make_runs
from .mpl.maps import trail_tints
from .mpl.style import DESIGN_COLORS
from .picture import describe
from .style import LANDSCAPE_COLORS, MINIMUM_COLOR, START_COLOR

__all__ = [
    "FORMATS",
    "SIZES",
    "VIEWS",
    "ExportOptions",
    "export",
    "export_bytes",
    "format_for_path",
    "parse_size",
    "scene_animation",
]

FORMATS = {".gif": "gif", ".mp4": "mp4", ".html": "html"}
MIME_TYPES = {"gif": "image/gif", "mp4": "video/mp4", "html": "text/html"}
Progress = Callable[[float], None] | None


def format_for_path(path: str | os.PathLike) -> str:
    """``gif``, ``mp4`` or ``html`` from the file extension; ValueError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"Unknown file type {suffix or '(none)'!r} of {os.fspath(path)!r}; use {', '.join(FORMATS)}")
    return FORMATS[suffix]


def default_title(surface: Surface, options: ExportOptions) -> str:
    return options.title if options.title is not None else surface.title.get(options.lang, surface.title["en"])


# ----------------------------------------------------------------------------- frames


def frame_steps(n_points: int, options: ExportOptions) -> np.ndarray:
    """The recorded steps shown as frames: at most ``options.frames``, first and last kept."""
    return frame_indices(n_points, options.frames)


def frame_durations_ms(count: int, options: ExportOptions) -> list[int]:
    """Per-frame delays in whole centiseconds (as GIF stores them), rounded cumulatively so
    the total keeps pace with ``fps``; the last frame also holds ``hold_seconds``."""
    ticks = np.round(np.arange(count + 1) * 100 / options.fps).astype(int)
    durations = (np.diff(ticks) * 10).tolist()
    durations[-1] += int(round(options.hold_seconds * 1000 / 10)) * 10
    return [max(d, 10) for d in durations]


def scene_animation(scene: Scene, surface: Surface, trajectories: list[Trajectory], options: ExportOptions) -> SceneAnimation:
    """The matplotlib figure of an export, ready to draw frames (also used by the benchmark)."""
    def build(aspect: float | None, reserve_right: float):
        picture = describe(scene, surface, trajectories, options.lang, aspect, reserve_right)
        return picture, make_runs(picture, scene.optimizers, with_rules=options.update_rule)

    return SceneAnimation(build, surface, options, default_title(surface, options))


def _rendered_frames(animation: SceneAnimation, steps: np.ndarray, progress: Progress) -> Iterator[np.ndarray]:
    count = len(steps)
    for k, step in enumerate(steps):
        yield animation.frame(step, orbit_fraction=k / max(count - 1, 1))
        if progress is not None:
            progress((k + 1) / count)


def _reserved_colors(animation: SceneAnimation) -> list[tuple[int, int, int]]:
    colors = [run.color for run in animation.runs] + [MINIMUM_COLOR, START_COLOR, *DESIGN_COLORS]
    if animation.options.trail == "fade":  # faded trails keep their hue instead of turning grey
        colors += [tint for run in animation.runs for tint in trail_tints(run.color, LANDSCAPE_COLORS[1])]
    return [hex_to_rgb(c) for c in colors]


def write_gif(fp, animation: SceneAnimation, steps: np.ndarray, options: ExportOptions, progress: Progress = None) -> None:
    # The palette comes from the last frame, where every line is at its longest: a palette
    # from an early frame has no entries for the colours still to come.
    last = animation.frame(steps[-1], orbit_fraction=1.0)
    writer = StreamingGifWriter(fp, animation.size, build_palette(last, _reserved_colors(animation)))
    for rgb, duration in zip(_rendered_frames(animation, steps, progress), frame_durations_ms(len(steps), options), strict=True):
        writer.add(rgb, duration)
    writer.close()


def write_mp4(path: str, animation: SceneAnimation, steps: np.ndarray, options: ExportOptions, progress: Progress = None) -> None:
    import imageio_ffmpeg

    width, height = animation.size
    writer = imageio_ffmpeg.write_frames(
        path, (width, height), fps=options.fps, codec="libx264", pix_fmt_in="rgba", quality=None, macro_block_size=2,
        ffmpeg_log_level="error", output_params=["-crf", "23", "-preset", "veryfast", "-movflags", "+faststart", "-f", "mp4"],
    )
    writer.send(None)
    try:
        held = b""
        for rgba in _rendered_frames(animation, steps, progress):
            held = rgba.tobytes()
            writer.send(held)
        for _ in range(int(round(options.hold_seconds * options.fps))):
            writer.send(held)
    finally:
        writer.close()


HTML_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 24px; color: #1a1a1a; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; }}
h1 {{ font-size: 28px; margin: 0 0 4px; }}
p {{ font-size: 17px; margin: 0 0 12px; color: #555555; }}
</style>
</head>
<body>
<h1>{title}</h1>
{subtitle}
{figure}
</body>
</html>
"""


def write_html(path: str, scene: Scene, surface: Surface, trajectories: list[Trajectory], options: ExportOptions, progress: Progress = None) -> None:
    """The app's Plotly figure in a page of its own, plotly.js inlined so it plays offline.

    Title and subtitle are page headings rather than a Plotly title, which would collide
    with the legend the figure puts at its top. The 2-D views animate ``options.frames``
    frames. The 3-D view is the app's still 3-D figure, turned with the mouse, so
    ``frames`` and ``orbit_degrees`` do not apply (see :class:`ExportOptions`).
    """
    from . import figures

    if options.view == "surface3d":
        figure = figures.surface_3d_figure(scene, surface, trajectories, lang=options.lang)
    else:
        layout = "overlay" if options.view == "contour" else "side_by_side"
        figure = figures.trajectory_figure(scene, surface, trajectories, layout=layout, lang=options.lang, max_frames=options.frames)
    page = HTML_PAGE.format(
        lang="zh-CN" if options.lang == "zh" else "en",
        title=html.escape(default_title(surface, options)),
        subtitle=f"<p>{html.escape(options.subtitle)}</p>" if options.subtitle else "",
        figure=figure.to_html(full_html=False, include_plotlyjs=True, auto_play=False),
    )
    with open(path, "w", encoding="utf-8") as fp:
        fp.write(page)
    if progress is not None:
        progress(1.0)


# ----------------------------------------------------------------------------- files


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[str]:
    """A temporary file next to ``path`` that replaces it on success and vanishes on failure."""
    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such directory", os.fspath(path))
    if path.exists() and not _writable(path):
        # os.replace would swap a read-only file out from under its owner (and root may
        # write anything): its mode says it is not to be replaced.
        raise PermissionError(errno.EACCES, "the file exists and is read-only", os.fspath(path))
    # Not mkstemp: its 0600 mode would stick to the finished file. O_EXCL keeps the name ours.
    temporary = os.fspath(directory / f".{path.stem}.{secrets.token_hex(6)}.part{path.suffix}")
    try:
        # Created inside the try: a stop (SIGINT, SIGTERM) that lands right after the file
        # appears still removes it.
        try:
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            temporary = ""  # someone else's file (48 random bits: practically never)
            raise
        except OSError as error:
            raise OSError(error.errno, error.strerror, os.fspath(path)) from None
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise


def _writable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.W_OK) and bool(path.stat().st_mode & stat.S_IWUSR)


def export(scene: Scene, path: str | os.PathLike, options: ExportOptions | None = None, *, progress: Progress = None) -> Path:
    """Write ``scene`` to ``path`` as GIF, MP4 or HTML (chosen by the extension).

    ``progress`` is called with the finished fraction (0 to 1) as frames are drawn.
    Raises ValueError for a bad request (unknown extension, invalid optimizer settings,
    ...) and OSError when the file cannot be written; either way no file is left behind.
    """
    options = options or ExportOptions()
    path = Path(path)
    fmt = format_for_path(path)
    surface, trajectories = run_scene(scene)
    with _replacing(path) as temporary:
        if fmt == "html":
            write_html(temporary, scene, surface, trajectories, options, progress)
            return path
        animation = scene_animation(scene, surface, trajectories, options)
        try:
            steps = frame_steps(len(trajectories[0].points), options)
            if fmt == "gif":
                with open(temporary, "wb") as fp:
                    write_gif(fp, animation, steps, options, progress)
            else:
                write_mp4(temporary, animation, steps, options, progress)
        finally:
            animation.close()
    return path


def export_bytes(scene: Scene, fmt: str, options: ExportOptions | None = None, *, progress: Progress = None) -> bytes:
    """The export as bytes (for a download button); ``fmt`` is ``gif``, ``mp4`` or ``html``."""
    options = options or ExportOptions()
    if fmt == "gif":
        surface, trajectories = run_scene(scene)
        animation = scene_animation(scene, surface, trajectories, options)
        try:
            buffer = io.BytesIO()
            write_gif(buffer, animation, frame_steps(len(trajectories[0].points), options), options, progress)
            return buffer.getvalue()
        finally:
            animation.close()
    if fmt not in MIME_TYPES:
        raise ValueError(f"Unknown format {fmt!r}; valid: {', '.join(MIME_TYPES)}")
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / f"scene.{fmt}"
        export(scene, target, options, progress=progress)
        return target.read_bytes()
