"""run() on a 256 x 256 grid of starts x 200 Adam steps, against two baselines measured in
the same process: a minimal hand-written NumPy loop of the same update, and a per-point
Python loop (timed on a subset and scaled per point). Also peak memory (tracemalloc).

    python -m benchmarks.bench_run_grid [--grid 256] [--steps 200] [--repeats 5]

Targets (issues 2 and 6): ours / minimal <= 1.5; per-point / ours >= 100.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np

from optimizers import get_optimizer, run
from surfaces import get_surface

LR, B1, B2, EPS = 0.01, 0.9, 0.999, 1e-8


def grid_of_starts(surface, n):
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return np.stack([xs.ravel(), ys.ravel()], axis=-1)


def ours(surface, starts, steps):
    return run(get_optimizer("adam", lr=LR), surface, starts, steps=steps, record_every=0).final_points


def minimal_loop(surface, starts, steps):
    """The same Adam update, written as plainly as NumPy allows (no divergence handling)."""
    p = starts.copy()
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    for t in range(1, steps + 1):
        g = surface.grad(p)
        m = B1 * m + (1 - B1) * g
        v = B2 * v + (1 - B2) * g * g
        p = p - LR * (m / (1 - B1**t)) / (np.sqrt(v / (1 - B2**t)) + EPS)
    return p


def per_point_loop(surface, starts, steps):
    """What a student writes first: one start at a time."""
    out = np.empty_like(starts)
    for i, start in enumerate(starts):
        p = start.copy()
        m = np.zeros(2)
        v = np.zeros(2)
        for t in range(1, steps + 1):
            g = surface.grad(p)
            m = B1 * m + (1 - B1) * g
            v = B2 * v + (1 - B2) * g * g
            p = p - LR * (m / (1 - B1**t)) / (np.sqrt(v / (1 - B2**t)) + EPS)
        out[i] = p
    return out


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def peak_mib(fn, *args):
    tracemalloc.start()
    fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=256)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--per-point-sample", type=int, default=64)
    args = parser.parse_args()

    surface = get_surface("three_minima")
    starts = grid_of_starts(surface, args.grid)
    n = len(starts)

    ours_times, minimal_times = [], []
    for _ in range(args.repeats):  # interleaved, so machine noise hits both alike
        seconds, ours_points = timed(ours, surface, starts, args.steps)
        ours_times.append(seconds)
        seconds, minimal_points = timed(minimal_loop, surface, starts, args.steps)
        minimal_times.append(seconds)
    assert np.allclose(ours_points, minimal_points, rtol=1e-9, atol=1e-12), "the loops disagree"

    sample = starts[:: max(1, n // args.per_point_sample)][: args.per_point_sample]
    per_point_seconds, sample_points = timed(per_point_loop, surface, sample, args.steps)
    assert np.allclose(sample_points, ours(surface, sample, args.steps), rtol=1e-9, atol=1e-12)
    per_point_total = per_point_seconds / len(sample) * n

    ours_median = statistics.median(ours_times)
    minimal_median = statistics.median(minimal_times)
    print(f"grid {args.grid}x{args.grid} = {n} starts, {args.steps} Adam steps on three_minima, {args.repeats} repeats")
    print(f"ours (run, record_every=0)   median {ours_median:.3f} s  (all: {', '.join(f'{s:.3f}' for s in ours_times)})")
    print(f"minimal NumPy loop           median {minimal_median:.3f} s  (all: {', '.join(f'{s:.3f}' for s in minimal_times)})")
    print(f"per-point Python loop        {per_point_total:.1f} s  (measured on {len(sample)} starts, scaled to {n})")
    print(f"ratio ours / minimal         {ours_median / minimal_median:.2f}x   (target <= 1.5)")
    print(f"ratio per-point / ours       {per_point_total / ours_median:.0f}x   (target >= 100)")
    print(f"peak memory, record_every=0  {peak_mib(ours, surface, starts, args.steps):.1f} MiB")
    print(f"peak memory, minimal loop    {peak_mib(minimal_loop, surface, starts, args.steps):.1f} MiB")
    print(f"peak memory, every step kept {peak_mib(lambda *a: run(get_optimizer('adam', lr=LR), *a, steps=args.steps), surface, starts):.1f} MiB")


if __name__ == "__main__":
    main()
