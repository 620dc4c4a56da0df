"""Analyses on top of the vectorized core: basins, sweeps, ensembles, tuning.

Reference values come from the mathematics (a double well's basins are the half-planes;
gradient descent on a quadratic is stable exactly below 2 / lambda_max), and every fast
path is compared with plain ``run`` calls, number for number.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import replace

import numpy as np
import pytest

import analysis.basins as basins_module
from analysis import (
    DIVERGED,
    LEFT_VIEW,
    NOT_CONVERGED,
    basin_map,
    classify_final_points,
    default_radius,
    hyperparameter_sweep,
    learning_rate_grid,
    noise_ensemble,
    optimal_heavy_ball,
    quadratic_curvatures,
    run_rates,
    sgd_noise_ball,
    stability_limit,
    stack_sweeps,
    start_grid,
    sweep_axes,
    sweep_row,
    sweep_theory,
    tune_learning_rate,
)
from optimizers import HyperParam, get_optimizer, get_schedule, run
from scene.i18n import t, translator
from surfaces import get_surface
from viz.analysis_figures import (
    PANEL_PIXELS,
    basin_figure,
    contour_trace,
    level_lines_image,
    sweep_figure,
    tuned_paths_figure,
)
from viz.landscape import height_scale, plotly_image
from viz.style import CONTOUR_LINE_COLOR


class DoubleWell:
    """f = (x^2 - 1)^2 + y^2: minima (1, 0) and (-1, 0); the basins of gradient flow are
    the half-planes x > 0 and x < 0, split by the stable manifold x = 0 of the saddle."""

    bounds = ((-2.0, 2.0), (-1.5, 1.5))
    minima = np.array([[1.0, 0.0], [-1.0, 0.0]])

    def f(self, p):
        x, y = p[..., 0], p[..., 1]
        return (x * x - 1) ** 2 + y * y

    def grad(self, p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([4 * x * (x * x - 1), 2 * y], axis=-1)

    def hessian(self, p):
        x = p[..., 0]
        out = np.zeros((*x.shape, 2, 2))
        out[..., 0, 0] = 12 * x * x - 4
        out[..., 1, 1] = 2.0
        return out


BOWL = get_surface("elongated_bowl", condition=10.0, angle=30.0)  # curvatures 1 and 10


# ----------------------------------------------------------------------------- basins


def test_double_well_basins_are_the_half_planes():
    basin = basin_map(get_optimizer("sgd", lr=0.02), DoubleWell(), resolution=16, steps=400)
    expected = np.where(basin.xs[None, :] > 0, 0, 1) * np.ones((len(basin.ys), 1), dtype=int)
    np.testing.assert_array_equal(basin.labels, expected)
    assert basin.shares()[0] == basin.shares()[1] == 0.5


def test_basin_map_keeps_two_frames_only(monkeypatch):
    seen = {}

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return run(*args, **kwargs)

    monkeypatch.setattr(basins_module, "run", spy)
    basin_map(get_optimizer("adam", lr=0.05), DoubleWell(), resolution=8, steps=20)
    assert seen["record_every"] == 0


def test_a_too_large_rate_is_labelled_diverged():
    basin = basin_map(get_optimizer("sgd", lr=1.0), DoubleWell(), resolution=8, steps=50)
    far = np.abs(basin.xs) > 1.5  # f' = 4x(x^2 - 1) overshoots to infinity from there
    assert (basin.labels[:, far] == DIVERGED).all()


def test_classify_tells_failures_apart():
    bounds = ((-1.0, 1.0), (-1.0, 1.0))
    minima = np.array([[0.5, 0.5]])
    points = np.array([[0.5, 0.51], [0.0, 0.0], [3.0, 0.0], [0.5, 0.5]])
    diverged = np.array([False, False, False, True])
    labels = classify_final_points(points, diverged, minima, 0.05, bounds)
    np.testing.assert_array_equal(labels, [0, NOT_CONVERGED, LEFT_VIEW, DIVERGED])


def test_radius_never_reaches_two_minima():
    minima = np.array([[0.0, 0.0], [0.1, 0.0]])
    assert default_radius(((-5, 5), (-5, 5)), minima) < 0.05


@pytest.mark.parametrize("resolution", [1, 257, 2.5, True])
def test_start_grid_rejects_bad_sizes(resolution):
    with pytest.raises(ValueError, match="resolution"):
        start_grid(((0, 1), (0, 1)), resolution)


# ----------------------------------------------------------------------------- per-row rates


@pytest.mark.parametrize(
    ("name", "hparams", "options"),
    [
        ("sgd", {}, {}),
        ("momentum", {"momentum": 0.8}, {"schedule": get_schedule("step", step_size=10, gamma=0.5)}),
        ("nesterov", {"convention": "keras"}, {"clip_norm": 3.0}),
        ("adam", {"amsgrad": True}, {"schedule": get_schedule("cosine_restarts", T_0=15, eta_min=1e-3, warmup_iters=5)}),
        ("adamw", {"weight_decay": 0.1}, {}),
        ("rmsprop", {"centered": True, "momentum": 0.5}, {}),
        ("newton", {"damping": 0.5}, {}),
    ],
)
def test_row_rates_equal_separate_runs_exactly(name, hparams, options):
    surface = get_surface("three_minima")
    lrs = np.geomspace(1e-3, 30.0, 9)  # the largest rates diverge for most of them
    together = run_rates(get_optimizer(name, **hparams), surface, (2.6, 1.4), lrs, 40, **options)
    for i, lr in enumerate(lrs):
        alone = run(get_optimizer(name, lr=float(lr), **hparams), surface, (2.6, 1.4), 40, **options)
        np.testing.assert_array_equal(together.points[:, i], alone.points[:, 0])
        np.testing.assert_array_equal(together.losses[:, i], alone.losses[:, 0])
        assert together.diverged_at[i] == alone.diverged_at[0]


def test_row_rates_with_noise_equal_the_same_rows_of_a_batch_run():
    lrs = [0.01, 0.05, 0.1]
    options = dict(noise=2.0, batch_size=4, seed=7)
    together = run_rates(get_optimizer("sgd"), BOWL, (1.0, 1.0), lrs, 30, **options)
    for i, lr in enumerate(lrs):
        batch = run(get_optimizer("sgd", lr=lr), BOWL, np.tile([1.0, 1.0], (3, 1)), 30, **options)
        np.testing.assert_array_equal(together.points[:, i], batch.points[:, i])


def test_invalid_rate_in_a_grid_uses_torch_wording():
    with pytest.raises(ValueError, match="Invalid learning rate"):
        run_rates(get_optimizer("sgd"), BOWL, (1.0, 1.0), [0.1, -1.0], 5)


# ----------------------------------------------------------------------------- sweeps


def _stable_edge_brackets(result, limits):
    """Every row's measured edge is the last grid rate below the theoretical limit."""
    edges = result.stable_edge()
    for edge, limit in zip(edges, limits, strict=True):
        index = int(np.flatnonzero(result.lrs == edge)[0])
        assert edge <= limit < result.lrs[index + 1]


def test_sweep_finds_gradient_descent_limit_within_one_cell():
    lrs = np.geomspace(0.01, 1.0, 40)
    result = hyperparameter_sweep(get_optimizer("sgd"), BOWL, BOWL.default_start, lrs, "momentum", [0.0], 300)
    theory = sweep_theory(get_optimizer("sgd"), BOWL, "momentum", [0.0])
    assert theory.limits[0] == pytest.approx(2 / 10)
    _stable_edge_brackets(result, [0.2])


@pytest.mark.parametrize("name", ["momentum", "nesterov"])
def test_sweep_finds_momentum_limits_within_one_cell(name):
    betas = [0.3, 0.6, 0.9]
    lrs = np.geomspace(0.05, 1.0, 40)
    optimizer = get_optimizer(name)
    result = hyperparameter_sweep(optimizer, BOWL, BOWL.default_start, lrs, "momentum", betas, 300)
    theory = sweep_theory(optimizer, BOWL, "momentum", betas)
    _stable_edge_brackets(result, theory.limits)


def test_sweep_cells_equal_separate_runs_including_batch_size_axis():
    lrs = [0.02, 0.08]
    result = hyperparameter_sweep(
        get_optimizer("adam"), BOWL, (1.0, -1.0), lrs, "batch_size", [1, 16], 25, noise=1.0, seed=3,
    )
    for row, batch in enumerate([1, 16]):
        for col, lr in enumerate(lrs):
            alone = run(get_optimizer("adam", lr=lr), BOWL, np.tile([1.0, -1.0], (2, 1)), 25, noise=1.0, batch_size=batch, seed=3)
            assert result.final_loss[row, col] == alone.final_losses[col]


def test_sweep_beta_axes_change_only_their_beta():
    result = hyperparameter_sweep(get_optimizer("adam", betas=(0.8, 0.99)), BOWL, (1.0, 1.0), [0.05], "beta2", [0.9], 20)
    alone = run(get_optimizer("adam", lr=0.05, betas=(0.8, 0.9)), BOWL, (1.0, 1.0), 20)
    assert result.final_loss[0, 0] == alone.final_losses[0]


def test_sweep_figure_draws_the_analysis_stable_edge():
    # Stable islands right of an unstable cell do not move the edge; a row with no stable
    # rate has its edge at the left border. The figure takes the edge from the result.
    result = sweep_row(get_optimizer("sgd"), BOWL, (1.0, 1.0), [0.01, 0.02, 0.05, 0.1], "momentum", 0.0, 5)
    stable = np.array([[True, False, True, True], [True, True, True, False], [False, True, True, True]])
    result = replace(
        stack_sweeps([result] * 3), stable=stable, axis_values=np.array([0.0, 0.3, 0.6]),
    )
    np.testing.assert_array_equal(result.stable_rate_count(), [1, 3, 0])
    np.testing.assert_array_equal(result.stable_edge(), [0.01, 0.05, np.nan])
    edge = next(trace for trace in sweep_figure(result).data if trace.type == "scatter" and trace.mode == "lines")
    x_edges = np.sqrt(result.lrs[:-1] * result.lrs[1:])  # cell borders on the log axis
    np.testing.assert_allclose(edge.x[2:4], [x_edges[2]] * 2)  # right of 0.05
    np.testing.assert_allclose(edge.x[0:2], [x_edges[0]] * 2)  # right of 0.01
    assert edge.x[4] == edge.x[5] < result.lrs[0]  # left of every rate


def test_sweep_figure_takes_its_words_from_the_catalogue():
    result = sweep_row(get_optimizer("sgd"), BOWL, (1.0, 1.0), [0.01, 0.1], "momentum", 0.0, 5)
    assert sweep_figure(result).layout.xaxis.title.text == t("analysis.axis_lr", "en")
    chinese = sweep_figure(result, text=translator("analysis", "zh"))
    assert chinese.layout.xaxis.title.text == t("analysis.axis_lr", "zh") != t("analysis.axis_lr", "en")


def test_analysis_maps_draw_the_apps_landscape():
    # The tuned paths sit on the app map's picture, not on a plotly contour of their own...
    surface = get_surface("three_minima")
    fig = tuned_paths_figure([], [], surface)
    assert not [trace for trace in fig.data if trace.type == "contour"]
    assert fig.layout.images[0].source == plotly_image(surface, surface.bounds)["source"]
    assert (fig.layout.images[0].xref, fig.layout.images[0].layer) == ("x", "below")
    # ...and the level lines as a plotly trace are the map's rings, in the map's line colour.
    lines = contour_trace(surface)
    levels = height_scale(surface, surface.bounds).levels()
    np.testing.assert_allclose((lines.contours.start, lines.contours.end), (levels[0], levels[-1]))
    assert lines.contours.size == pytest.approx(levels[1] - levels[0])
    assert lines.line.color == CONTOUR_LINE_COLOR


def _picture(uri: str) -> np.ndarray:
    """A PNG data URI as RGBA pixels, row 0 at the top."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGBA"))


def test_basin_level_lines_are_the_maps_rings_on_a_transparent_picture():
    # Every drawn pixel of the picture lies on one of the map's rings: the surface's height
    # (on the map's scale) passes a level within two pixels of it. Three minima is lopsided
    # from top to bottom, so a picture upside down puts its lines where no ring is.
    surface = get_surface("three_minima")
    bounds = tuple((float(low), float(high)) for low, high in surface.bounds)
    (x0, x1), (y0, y1) = bounds
    pixels = _picture(level_lines_image(surface, bounds, 240, 240))
    assert pixels.shape == (240, 240, 4)
    drawn = pixels[..., 3] > 128
    assert 0.01 < drawn.mean() < 0.2  # lines, not a fill and not nothing
    red, green, blue = (int(CONTOUR_LINE_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    assert (pixels[drawn][:, :3] == (red, green, blue)).all()  # the map's line colour
    assert (pixels[..., 3] == 0).mean() > 0.6  # the basins' colours show through the rest
    scale = height_scale(surface, bounds)
    xs = x0 + (np.arange(240) + 0.5) * (x1 - x0) / 240
    ys = y1 - (np.arange(240) + 0.5) * (y1 - y0) / 240  # row 0 is the top of the view
    heights = scale.unit(surface.f(np.stack(np.meshgrid(xs, ys), axis=-1)))
    padded = np.pad(heights, 2, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (5, 5))
    low, high = windows.min(axis=(-1, -2)), windows.max(axis=(-1, -2))
    levels = scale.unit_levels()
    on_a_ring = ((low[..., None] <= levels) & (levels <= high[..., None])).any(axis=-1)
    assert on_a_ring[drawn].mean() > 0.97
    upside_down = on_a_ring[::-1]
    assert upside_down[drawn].mean() < 0.8  # measured 0.58; 1.00 the right way up


def test_a_basin_figure_carries_its_level_lines_as_pictures_not_contour_traces():
    # Four 120 x 120 contour traces were 0.6 MB of the 0.9 MB figure, and plotly.js traced
    # their rings on every draw (1.2 of 1.4 s to draw the figure in a busy browser).
    surface = get_surface("three_minima")
    maps = [basin_map(get_optimizer(name, lr=0.05), surface, resolution=128, steps=5) for name in ("sgd", "momentum", "rmsprop", "adam")]
    fig = basin_figure(maps, surface)
    assert not [trace for trace in fig.data if trace.type == "contour"]
    assert len(fig.layout.images) == 4
    bounds = ((float(maps[0].xs[0]), float(maps[0].xs[-1])), (float(maps[0].ys[0]), float(maps[0].ys[-1])))
    for panel, image in enumerate(fig.layout.images):
        suffix = str(panel + 1) if panel else ""
        assert (image.xref, image.yref, image.layer) == (f"x{suffix}", f"y{suffix}", "above")
        assert (image.x, image.y, image.sizex, image.sizey) == pytest.approx((bounds[0][0], bounds[1][1], bounds[0][1] - bounds[0][0], bounds[1][1] - bounds[1][0]))
        assert image.source == level_lines_image(surface, bounds, PANEL_PIXELS, PANEL_PIXELS)
        assert fig.layout[f"xaxis{suffix}"].range == pytest.approx(bounds[0])
        assert fig.layout[f"yaxis{suffix}"].scaleanchor == f"x{suffix}"
    # The heatmaps still tell every start's outcome, and the whole figure is a quarter of what it was.
    heatmaps = [trace for trace in fig.data if trace.type == "heatmap"]
    assert [(h.xaxis, h.yaxis) for h in heatmaps] == [("x", "y"), ("x2", "y2"), ("x3", "y3"), ("x4", "y4")]
    assert len(fig.to_json()) < 300_000
    # A heatmap and the minima per panel, nothing else: the key of outcomes is text below the
    # panels, not a plotly legend of a trace per entry; y values on the row's first panel only.
    assert [trace.type for trace in fig.data] == ["heatmap", "scatter"] * 4
    assert not any(trace.showlegend for trace in fig.data) and fig.layout.showlegend is False
    key = fig.layout.annotations[-1].text
    names = ["known minima", "minimum 1 (global)", "minimum 2", "minimum 3", "not converged"]  # 5 steps: some still on the way
    assert [key.index(name) for name in names] == sorted(key.index(name) for name in names)
    assert "diverged" not in key  # only outcomes that happen (and every minimum)
    assert fig.layout.yaxis.showticklabels is not False
    assert [fig.layout[f"yaxis{n}"].showticklabels for n in (2, 3, 4)] == [False] * 3


def test_a_sweep_checks_its_rates_once(monkeypatch):
    # Each row used to build the optimizer once per rate, twice over (row and run_rates):
    # 20 000 builds for a 100 x 100 sweep.
    checked = []
    validate = HyperParam.validate

    def counting(spec, value):
        if spec.name == "lr":
            checked.append(value)
        return validate(spec, value)

    sgd = get_optimizer("sgd")
    monkeypatch.setattr(HyperParam, "validate", counting)
    lrs, betas = np.geomspace(0.01, 0.1, 20), np.linspace(0.0, 0.9, 10)
    hyperparameter_sweep(sgd, BOWL, (1.0, 1.0), lrs, "momentum", betas, 5)
    # The grid's rates once, plus each row's optimizer (its momentum changes).
    assert len(checked) == len(lrs) + len(betas)
    checked.clear()
    sweep_row(sgd, BOWL, (1.0, 1.0), lrs, "batch_size", 4, 5)
    assert len(checked) == len(lrs)
    with pytest.raises(ValueError, match="Invalid learning rate: -1.0"):
        hyperparameter_sweep(sgd, BOWL, (1.0, 1.0), [0.1, -1.0], "momentum", betas, 5)


def test_rows_stack_only_within_one_sweep():
    a = sweep_row(get_optimizer("sgd"), BOWL, (1.0, 1.0), [0.01, 0.1], "momentum", 0.0, 10)
    b = sweep_row(get_optimizer("sgd"), BOWL, (1.0, 1.0), [0.01, 0.1], "momentum", 0.5, 10)
    assert stack_sweeps([a, b]).final_loss.shape == (2, 2)
    c = sweep_row(get_optimizer("sgd"), BOWL, (1.0, 1.0), [0.01, 0.2], "momentum", 0.5, 10)
    with pytest.raises(ValueError):
        stack_sweeps([a, c])


def test_axes_offered_per_optimizer():
    assert [a.name for a in sweep_axes("sgd")][:1] == ["momentum"]
    assert {"beta1", "beta2", "batch_size"} <= {a.name for a in sweep_axes("adam")}


def test_quadratic_theory():
    assert quadratic_curvatures(BOWL) == pytest.approx((1.0, 10.0))
    assert quadratic_curvatures(get_surface("three_minima")) is None
    assert sweep_theory(get_optimizer("adam"), BOWL, "beta1", [0.9]) is None
    assert stability_limit("momentum", {"momentum": 0.5, "convention": "ema", "dampening": 0.0}, 10.0) == pytest.approx(0.6)
    lr, beta = optimal_heavy_ball(1.0, 10.0)
    kappa_root = math.sqrt(10.0)
    assert beta == pytest.approx(((kappa_root - 1) / (kappa_root + 1)) ** 2)
    assert lr == pytest.approx((2 / (kappa_root + 1)) ** 2)
    # The optimum contracts faster than the best gradient descent, 2 / (L + m).
    fast = run(get_optimizer("momentum", lr=lr, momentum=beta), BOWL, BOWL.default_start, 80)
    slow = run(get_optimizer("sgd", lr=2 / 11), BOWL, BOWL.default_start, 80)
    assert np.linalg.norm(fast.final_points) < 1e-3 * np.linalg.norm(slow.final_points)


# ----------------------------------------------------------------------------- ensembles


def test_noise_ensemble_spread_shrinks_like_one_over_root_batch():
    optimizer = get_optimizer("sgd", lr=0.05)
    spreads = [
        noise_ensemble(optimizer, BOWL, BOWL.default_start, runs=100, steps=200, noise=1.0, batch_size=b).tail_spread()
        for b in (1, 4, 16, 64)
    ]
    assert all(a > b for a, b in zip(spreads, spreads[1:], strict=False))
    for b, spread in zip((1, 4, 16, 64), spreads, strict=True):
        predicted = math.hypot(sgd_noise_ball(0.05, 1.0, 1.0, b), sgd_noise_ball(0.05, 10.0, 1.0, b))
        assert spread == pytest.approx(predicted, rel=0.2)


def test_noise_ensemble_is_one_batch_run_of_iid_rows():
    optimizer = get_optimizer("adam", lr=0.1)
    ensemble = noise_ensemble(optimizer, BOWL, (1.0, 1.0), runs=5, steps=10, noise=1.0, seed=2)
    batch = run(optimizer, BOWL, np.tile([1.0, 1.0], (5, 1)), 10, noise=1.0, seed=2)
    np.testing.assert_array_equal(ensemble.points, batch.points)
    assert len(np.unique(ensemble.points[-1, :, 0])) == 5
    np.testing.assert_allclose(ensemble.mean_path, batch.points.mean(axis=1))


# ----------------------------------------------------------------------------- tuning


@pytest.mark.parametrize("criterion", ["mean_loss", "final_loss"])
def test_tuner_picks_a_grid_rate_that_does_not_diverge(criterion):
    lrs = learning_rate_grid(1e-3, 10.0, 25)  # everything above 2 / 10 diverges
    result = tune_learning_rate(get_optimizer("sgd"), BOWL, BOWL.default_start, lrs, 200, criterion=criterion)
    assert result.best_lr in lrs
    assert not result.diverged[result.best_index]
    assert result.best_lr < 0.2
    assert result.diverged.any() and np.isinf(result.scores[result.diverged]).all()
    assert result.best_score == result.scores.min()
    np.testing.assert_array_equal(result.best_points[0], BOWL.default_start)


def test_tuner_reports_when_every_rate_fails():
    result = tune_learning_rate(get_optimizer("sgd"), BOWL, BOWL.default_start, [1.0, 3.0], 50)
    assert result.best_index == -1 and math.isnan(result.best_lr) and len(result.best_points) == 0


def test_tuner_rejects_unknown_criterion():
    with pytest.raises(ValueError, match="criterion"):
        tune_learning_rate(get_optimizer("sgd"), BOWL, (1.0, 1.0), [0.1], 5, criterion="vibes")


def test_ensemble_from_the_minimum_shows_the_one_over_root_b_law():
    """The ensemble view's default: runs start at the global minimum, stay in its basin, and
    their spread around it shrinks as 1/sqrt(b) (0.131, 0.046, 0.016 for b = 1, 8, 64)."""
    from analysis import noise_ensemble, settled_ensemble
    from optimizers import get_optimizer

    surface = get_surface("three_minima")
    spreads = []
    for batch_size in (1, 8, 64):
        ensemble = settled_ensemble(
            noise_ensemble(get_optimizer("sgd", lr=0.05), surface, surface.minima[0], 40, 300, noise=1.0, batch_size=batch_size),
            surface.minima,
        )
        assert ensemble.basin == 0 and ensemble.basin_share == 1.0
        spreads.append(ensemble.tail_spread())
    ratios = np.array(spreads[:-1]) / np.array(spreads[1:])
    np.testing.assert_allclose(ratios, np.sqrt(8), rtol=0.15)


def test_an_ensemble_that_splits_between_minima_says_so():
    from analysis import noise_ensemble, settled_ensemble
    from optimizers import get_optimizer

    surface = get_surface("three_minima")
    raw = noise_ensemble(get_optimizer("sgd", lr=0.05), surface, (2.6, 1.4), 40, 300, noise=1.0, batch_size=64)
    settled = settled_ensemble(raw, surface.minima)
    assert 0.4 < settled.basin_share < 1  # about half the runs in each of two lows
    assert raw.tail_spread() > 1.0  # around the mean path: the distance between the basins
    assert settled_ensemble(raw, np.zeros((0, 2))) is raw


def test_the_grid_is_extended_until_it_brackets_the_best_rate():
    from analysis import bracketed_tuning, extended_grid, learning_rate_grid, tune_learning_rate
    from optimizers import get_optimizer

    surface = get_surface("three_minima")
    grid = learning_rate_grid(1e-4, 1.0, 25)  # the fair comparison's default grid
    optimizer = get_optimizer("sgd", lr=0.05)
    plain = tune_learning_rate(optimizer, surface, (2.6, 1.4), grid, 300)
    assert plain.best_index == len(grid) - 1 and not plain.bracketed  # lr = 1: the edge
    result = bracketed_tuning(lambda lrs: tune_learning_rate(optimizer, surface, (2.6, 1.4), lrs, 300), grid)
    assert result.bracketed and result.lrs[-1] > 1.0
    np.testing.assert_allclose(np.diff(np.log10(result.lrs)), np.diff(np.log10(grid))[0])  # the same spacing
    assert extended_grid(result.lrs, result.best_index) is None  # inside: nothing to extend
    assert extended_grid(grid, 0)[0] == pytest.approx(1e-5)  # a decade down at the low edge
    assert extended_grid(np.geomspace(1e-8, 1e-6, 5), 0) is None  # past the lowest rate allowed
    assert extended_grid([0.1, 0.3, 0.4], 2) is None  # not evenly spaced in log: not extended
