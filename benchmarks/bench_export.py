"""GIF export against the usual way, measured in the same run on the same frames.

Ours: ``viz.export.export`` (static background blitted once, moving artists redrawn, one
shared palette from the last frame, delta frames streamed to the file). Baseline: the same
figure animated by matplotlib's ``FuncAnimation`` and saved with ``PillowWriter`` (a full
redraw and a per-frame palette for every frame, all frames kept until the end). Both
include running the optimizers and building the figure.

    python -m benchmarks.bench_export [--preset three_minima] [--frames 120] [--size slide] [--repeats 3]

Targets (issue 5): baseline / ours >= 2; a default 16:9 lecture GIF < 3 MB.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from matplotlib.animation import FuncAnimation, PillowWriter

from scene import get_preset, run_scene
from viz.export import ExportOptions, export, frame_steps, scene_animation


def ours(scene, options, path: Path) -> None:
    export(scene, path, options)


def baseline(scene, options, path: Path) -> None:
    surface, trajectories = run_scene(scene)
    animation = scene_animation(scene, surface, trajectories, options)
    for artist in animation.moving_artists:
        artist.set_animated(False)  # FuncAnimation without blitting draws everything, as usual
    steps = frame_steps(len(trajectories[0].points), options)
    movie = FuncAnimation(
        animation.figure, lambda step: animation.set_step(step), frames=steps, blit=False,
        cache_frame_data=False, repeat=False,
    )
    movie.save(path, writer=PillowWriter(fps=options.fps), dpi=animation.dpi)
    animation.close()


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="three_minima")
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--size", default="slide")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    preset = get_preset(args.preset)
    options = ExportOptions(size=args.size, frames=args.frames, title=preset.title["en"], subtitle=preset.description["en"])
    n_frames = len(frame_steps(preset.scene.steps + 1, options))
    width, height = options.pixel_size
    print(f"preset {args.preset}: {n_frames} frames, {width}x{height}, {args.repeats} repeats (alternating)")
    with tempfile.TemporaryDirectory() as directory:
        ours_path, baseline_path = Path(directory, "ours.gif"), Path(directory, "baseline.gif")
        ours_times, baseline_times = [], []
        for _ in range(args.repeats):
            # Alternating keeps a busy shared machine from favouring one side.
            ours_times.append(timed(ours, preset.scene, options, ours_path))
            baseline_times.append(timed(baseline, preset.scene, options, baseline_path))
        ours_s, baseline_s = statistics.median(ours_times), statistics.median(baseline_times)
        ours_kb, baseline_kb = ours_path.stat().st_size / 1e3, baseline_path.stat().st_size / 1e3
    print(f"ours     (blit + shared palette + delta frames): median {ours_s:6.2f} s   {ours_kb:8.0f} kB")
    print(f"baseline (FuncAnimation + PillowWriter):         median {baseline_s:6.2f} s   {baseline_kb:8.0f} kB")
    print(f"speed-up baseline / ours: {baseline_s / ours_s:.1f}x   size ratio baseline / ours: {baseline_kb / ours_kb:.1f}x")
    print(f"targets: speed-up >= 2x {'OK' if baseline_s / ours_s >= 2 else 'MISSED'};"
          f" size < 3 MB {'OK' if ours_kb < 3000 else 'MISSED'}")


if __name__ == "__main__":
    main()
