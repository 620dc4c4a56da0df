"""Data surfaces and real mini-batches (issue 14).

References are independent of the code under test: a plain-Python loop over the examples
for the losses and gradients, finite differences, an enumeration of every possible batch
for the variance, np.linalg.lstsq for the linear fit, and (where installed) PyTorch's
autograd and torch.optim for whole training runs.
"""

import itertools
import math

import numpy as np
import pytest

from optimizers import get_optimizer, get_schedule, run
from optimizers.noise import MAX_ORDER_ELEMENTS, MinibatchSampler, epoch_order, minibatch_indices
from surfaces import DataSurface, data_surface_from_csv, get_surface
from surfaces.data import MAX_ROWS
from surfaces.data.catalog import iris

CASES = {
    "linreg_raw": ("data_linreg", {"standardize": 0.0}),
    "linreg_half": ("data_linreg", {"standardize": 0.5}),
    "linreg_std": ("data_linreg", {"standardize": 1.0}),
    "logreg": ("data_logreg", {}),
    "logreg_l2": ("data_logreg", {"l2": 0.3}),
    "tanh": ("data_tanh", {}),
}


def surface_of(case: str) -> DataSurface:
    name, params = CASES[case]
    return get_surface(name, **params)


def iris_data(case: str):
    """The examples of each library surface, rebuilt from the iris table: (features, y)."""
    table = iris()
    std = lambda v: (v - v.mean()) / v.std()  # noqa: E731
    name, params = CASES[case]
    if name == "data_linreg":
        s, x = params["standardize"], table["petal_length"]
        return [(x - s * x.mean()) / (1 - s + s * x.std())], table["petal_width"]
    keep = table["species"] != "setosa"
    virginica = table["species"][keep] == "virginica"
    if name == "data_logreg":
        return [std(table["petal_length"][keep]), std(table["petal_width"][keep])], virginica * 1.0
    return [std(table["petal_width"][keep])], np.where(virginica, 1.0, -1.0)


def loop_loss_and_grad(case: str, p) -> tuple[float, list[float], list[list[float]]]:
    """Mean loss, its gradient and the per-example gradients by a loop over the examples,
    from the model's formula written out again."""
    features, y = iris_data(case)
    a, b = float(p[0]), float(p[1])
    l2 = CASES[case][1].get("l2", 0.0)
    kind = CASES[case][0]
    total, per_example = 0.0, []
    for i in range(len(y)):
        if kind == "data_linreg":
            x = features[0][i]
            r = a * x + b - y[i]
            total += r * r
            per_example.append([2 * r * x, 2 * r])
        elif kind == "data_logreg":
            x1, x2 = features[0][i], features[1][i]
            z = a * x1 + b * x2
            total += math.log1p(math.exp(z)) - y[i] * z
            s = 1 / (1 + math.exp(-z))
            per_example.append([(s - y[i]) * x1 + l2 * a, (s - y[i]) * x2 + l2 * b])
        else:
            x = features[0][i]
            t = math.tanh(a * x)
            r = b * t - y[i]
            total += r * r
            per_example.append([2 * r * b * x * (1 - t * t), 2 * r * t])
    n = len(y)
    loss = total / n + 0.5 * l2 * (a * a + b * b)
    grad = [sum(g[k] for g in per_example) / n for k in range(2)]
    return loss, grad, per_example


def test_library_surfaces_are_data_surfaces_of_the_right_size():
    assert [surface_of(c).n_examples for c in CASES] == [150, 150, 150, 100, 100, 100]
    for case in CASES:
        assert isinstance(surface_of(case), DataSurface)


@pytest.mark.parametrize("case", CASES)
def test_full_batch_gradient_is_the_gradient_of_the_dataset_loss(case):
    surface = surface_of(case)
    (xmin, xmax), (ymin, ymax) = surface.bounds
    rng = np.random.default_rng(0)
    points = np.stack([rng.uniform(xmin, xmax, 5), rng.uniform(ymin, ymax, 5)], axis=-1)
    for p in points:
        loss, grad, per_example = loop_loss_and_grad(case, p)
        np.testing.assert_allclose(surface.f(p), loss, rtol=1e-12)
        np.testing.assert_allclose(surface.grad(p), grad, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(surface.example_grads(p), per_example, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(surface.example_grads(p).mean(axis=0), surface.grad(p), rtol=1e-12, atol=1e-14)
        penalty = 0.5 * surface.l2 * (p @ p)
        np.testing.assert_allclose(surface.example_losses(p).mean() + penalty, loss, rtol=1e-12)
        h = 1e-6
        for k in range(2):
            step = h * np.eye(2)[k]
            central = (surface.f(p + step) - surface.f(p - step)) / (2 * h)
            np.testing.assert_allclose(central, grad[k], rtol=1e-6, atol=1e-8)
            hess_column = (surface.grad(p + step) - surface.grad(p - step)) / (2 * h)
            np.testing.assert_allclose(surface.hessian(p)[:, k], hess_column, rtol=1e-6, atol=1e-8)


def test_linear_regression_minimum_and_curvature_match_least_squares():
    table = iris()
    x, y = table["petal_length"], table["petal_width"]
    design = np.stack([x, np.ones_like(x)], axis=-1)
    np.testing.assert_allclose(get_surface("data_linreg").minima[0], np.linalg.lstsq(design, y, rcond=None)[0], rtol=1e-10)
    raw = np.linalg.eigvalsh(get_surface("data_linreg").hessian(np.zeros(2)))
    assert 100 < raw[1] / raw[0] < 110  # 2 [[E x^2, E x], [E x, 1]] for lengths of mean 3.76 cm
    np.testing.assert_allclose(get_surface("data_linreg", standardize=1).hessian(np.array([0.3, -2.0])), 2 * np.eye(2), atol=1e-12)


def test_tanh_network_has_a_saddle_at_the_origin_and_mirror_minima():
    surface = get_surface("data_tanh")
    x, y = iris_data("tanh")
    m = np.mean(x[0] * y)
    np.testing.assert_allclose(surface.grad(np.zeros(2)), 0.0, atol=1e-15)
    np.testing.assert_allclose(surface.hessian(np.zeros(2)), [[0, -2 * m], [-2 * m, 0]], atol=1e-12)
    minima = surface.minima
    assert len(minima) == 2
    np.testing.assert_allclose(minima[1], -minima[0], rtol=1e-12)
    np.testing.assert_allclose(surface.f(minima[0]), surface.f(minima[1]), rtol=1e-12)
    assert surface.f(minima[0]) < surface.f(np.zeros(2)) - 0.5


def test_l2_penalty_pulls_the_logistic_minimum_in():
    norms = [np.linalg.norm(get_surface("data_logreg", l2=l2).minima[0]) for l2 in (0.0, 0.01, 0.1, 1.0)]
    assert norms == sorted(norms, reverse=True) and norms[-1] < 0.5


# --------------------------------------------------------------------------------------
# Mini-batches: the sampler, the mean, the variance
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, b", [(150, 10), (150, 150), (100, 7), (5, 2), (5, 1)])
def test_each_epoch_visits_every_example_once_and_reshuffles(n, b):
    sampler = MinibatchSampler(n, b, n_rows=3, seed=4)
    per_epoch = math.ceil(n / b)
    assert sampler.steps_per_epoch == per_epoch
    orders = []
    for epoch in range(3):
        batches = [sampler.indices(epoch * per_epoch + k) for k in range(per_epoch)]
        assert [batch.shape[1] for batch in batches] == [b] * (per_epoch - 1) + [n - (per_epoch - 1) * b]
        order = np.concatenate(batches, axis=1)
        np.testing.assert_array_equal(np.sort(order, axis=1), np.broadcast_to(np.arange(n), (3, n)))
        orders.append(order)
    if n > 5:
        assert not np.array_equal(orders[0], orders[1]) and not np.array_equal(orders[0][0], orders[0][1])


@pytest.mark.parametrize("case, b", [("linreg_raw", 10), ("linreg_std", 50), ("logreg", 20), ("tanh", 25), ("tanh", 1)])
def test_batch_gradients_of_one_epoch_average_exactly_to_the_full_gradient(case, b):
    surface = surface_of(case)
    p = np.array([[0.7, -0.4]])
    sampler = MinibatchSampler(surface.n_examples, b, 1, seed=11)
    assert surface.n_examples % b == 0
    for epoch in range(2):
        grads = [surface.batch_grad(p, sampler.indices(epoch * sampler.steps_per_epoch + k))
                 for k in range(sampler.steps_per_epoch)]
        np.testing.assert_allclose(np.mean(grads, axis=0), surface.grad(p), rtol=1e-12, atol=1e-14)
        assert np.ptp(np.array(grads)[:, 0, 0]) > 0 or b == surface.n_examples


def small_surface() -> DataSurface:
    rng = np.random.default_rng(5)
    x = rng.normal(size=7)
    y = np.tanh(1.3 * x) + 0.3 * rng.normal(size=7)
    return data_surface_from_csv("x,y\n" + "\n".join(f"{float(a)!r},{float(c)!r}" for a, c in zip(x, y, strict=True)), "tanh")


@pytest.mark.parametrize("b", range(1, 8))
def test_batch_gradient_variance_is_the_finite_population_formula_by_enumeration(b):
    surface = small_surface()
    n, p = surface.n_examples, np.array([0.8, 0.5])
    per_example = surface.example_grads(p)
    mean = per_example.mean(axis=0)
    sigma = (per_example - mean).T @ (per_example - mean) / n
    # Every b-subset is equally likely for a batch drawn without replacement.
    batch_means = np.array([per_example[list(subset)].mean(axis=0) for subset in itertools.combinations(range(n), b)])
    np.testing.assert_allclose(batch_means.mean(axis=0), mean, rtol=1e-12, atol=1e-15)
    exact = (batch_means - mean).T @ (batch_means - mean) / len(batch_means)
    np.testing.assert_allclose(exact, (n - b) / (b * (n - 1)) * sigma, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(surface.batch_gradient_covariance(p, b), exact, rtol=1e-10, atol=1e-15)
    if b == n:
        assert np.all(surface.batch_gradient_covariance(p, b) == 0)


@pytest.mark.parametrize("step", [0, 3])
def test_sampled_batch_gradient_variance_matches_the_formula_on_a_large_dataset(step):
    rng = np.random.default_rng(8)
    x = rng.normal(size=1000)
    y = 0.8 * np.tanh(1.5 * x) + 0.4 * rng.normal(size=1000)
    surface = data_surface_from_csv("\n".join(f"{float(a)!r},{float(c)!r}" for a, c in zip(x, y, strict=True)), "tanh")
    n, b, rows = surface.n_examples, 200, 40_000
    p = np.array([1.1, 0.4])
    index = MinibatchSampler(n, b, rows, seed=2).indices(step)
    samples = surface.batch_grad(np.broadcast_to(p, (rows, 2)), index)
    expected = surface.batch_gradient_covariance(p, b)
    # Standard errors at 40 000 draws: mean ~ sqrt(var / rows), covariance entries ~ 1 %.
    np.testing.assert_allclose(samples.mean(axis=0), surface.grad(p), atol=4 * np.sqrt(np.diag(expected).max() / rows))
    np.testing.assert_allclose(np.cov(samples.T), expected, rtol=0.04, atol=0.04 * np.abs(expected).max())
    iid = (n - 1) / (n - b) * expected  # with replacement: no finite-population factor (1/0.8)
    assert not np.allclose(np.cov(samples.T), iid, rtol=0.1)


def test_spread_of_many_sgd_runs_shrinks_with_the_batch_and_vanishes_at_the_full_batch():
    """Seed 003's picture on real data: 400 SGD runs from one start, each with its own
    batches; after 60 steps the cloud's spread falls as the batch grows, and is nil at N."""
    surface = surface_of("linreg_std")
    starts = np.repeat(surface.default_start[None, :], 400, axis=0)
    spread = {}
    for b in (1, 8, 64, 150):
        final = run(get_optimizer("sgd", lr=0.1), surface, starts, steps=60, batch_size=b, seed=1).points[-1]
        spread[b] = np.linalg.norm(final.std(axis=0))
    assert spread[1] > 2 * spread[8] > 4 * spread[64] > 0
    assert spread[150] < 1e-12


def test_full_batch_has_no_noise_and_ignores_the_seed():
    surface = surface_of("tanh")
    opt = get_optimizer("momentum", lr=0.1, momentum=0.9)
    start = surface.default_start
    full = run(opt, surface, start, steps=40)
    for batch_size, seed in [(100, 0), (100, 7), (10_000, 3)]:
        np.testing.assert_array_equal(run(opt, surface, start, steps=40, batch_size=batch_size, seed=seed).points, full.points)
    p = np.array([0.3, 0.2])
    np.testing.assert_array_equal(surface.batch_gradient_covariance(p, 100), np.zeros((2, 2)))
    assert surface.batch_gradient_covariance(p, 99).max() > 0


def test_runs_are_reproducible_and_each_start_has_its_own_order():
    surface = surface_of("logreg")
    opt = get_optimizer("adam", lr=0.1)
    starts = np.array([[0.0, 0.0]] * 3)
    first = run(opt, surface, starts, steps=50, batch_size=8, seed=3)
    again = run(opt, surface, starts, steps=50, batch_size=8, seed=3)
    other = run(opt, surface, starts, steps=50, batch_size=8, seed=4)
    np.testing.assert_array_equal(first.points, again.points)
    assert not np.allclose(first.points, other.points)
    assert not np.allclose(first.points[:, 0], first.points[:, 1])  # same start, own batches
    single = run(opt, surface, starts[0], steps=50, batch_size=8, seed=3)
    np.testing.assert_array_equal(single.points[:, 0], first.points[:, 0])


def test_each_step_sees_the_mean_gradient_of_its_batch():
    surface = surface_of("linreg_raw")
    starts = np.array([[-1.0, 1.0], [2.0, -2.0]])
    tr = run(get_optimizer("sgd", lr=0.01), surface, starts, steps=35, batch_size=16, seed=9, record_internals=True)
    batches = minibatch_indices(surface.n_examples, 16, 35, seed=9, n_rows=2)
    for t in range(35):
        np.testing.assert_allclose(tr.grads[t], surface.batch_grad(tr.points[t], batches[t]), rtol=1e-13)
        features, y = iris_data("linreg_raw")
        for row in range(2):
            x = features[0][batches[t][row]]
            w, b = tr.points[t, row]
            r = w * x + b - y[batches[t][row]]
            np.testing.assert_allclose(tr.grads[t, row], [np.mean(2 * r * x), np.mean(2 * r)], rtol=1e-12)
    assert tr.steps_per_epoch == 10  # ceil(150 / 16)
    np.testing.assert_array_equal(tr.epoch_boundaries, [10, 20, 30])


def test_schedules_and_clipping_apply_to_batch_gradients_unchanged():
    surface = surface_of("tanh")
    schedule = get_schedule("step", step_size=10, gamma=0.5)
    start = np.array([-2.0, 1.0])
    tr = run(get_optimizer("sgd", lr=0.3), surface, start, steps=30, batch_size=12, seed=1, schedule=schedule, clip_norm=0.5)
    batches = minibatch_indices(surface.n_examples, 12, 30, seed=1)
    p = start[None, :].copy()
    for t in range(30):
        g = surface.batch_grad(p, batches[t])
        g = g * min(1.0, 0.5 / (np.linalg.norm(g) + 1e-6))
        p = p - tr.lrs[t] * g
        np.testing.assert_allclose(tr.points[t + 1], p, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tr.lrs, 0.3 * 0.5 ** (np.arange(30) // 10))


def test_epoch_order_of_a_row_does_not_depend_on_the_number_of_rows():
    np.testing.assert_array_equal(epoch_order(5, 2, 1, 50)[0], epoch_order(5, 2, 40, 50)[0])
    assert not np.array_equal(epoch_order(5, 2, 1, 50), epoch_order(5, 3, 1, 50))


def test_full_gradient_without_batches_and_no_epochs_on_analytic_surfaces():
    tr = run(get_optimizer("sgd", lr=0.1), get_surface("booth"), [0.0, 0.0], steps=5, batch_size=4)
    assert tr.steps_per_epoch == 0 and tr.epoch_boundaries.size == 0
    full = run(get_optimizer("sgd", lr=0.1), surface_of("tanh"), [1.0, 1.0], steps=5)
    assert full.steps_per_epoch == 1
    np.testing.assert_array_equal(full.epoch_boundaries, [1, 2, 3, 4, 5])


def test_too_many_starts_times_examples_is_refused():
    surface = surface_of("linreg_std")
    starts = np.zeros((MAX_ORDER_ELEMENTS // 150 + 1, 2))
    with pytest.raises(ValueError, match=r"Mini-batches for \d+ starts over 150 examples .* use fewer starts"):
        run(get_optimizer("sgd", lr=0.1), surface, starts, steps=1, batch_size=10)


def test_batch_grad_checks_its_shapes():
    with pytest.raises(ValueError, match=r"batch_grad needs p \(B, 2\) and index \(B, b\)"):
        surface_of("tanh").batch_grad(np.zeros((3, 2)), np.zeros((2, 4), dtype=int))


# --------------------------------------------------------------------------------------
# CSV files
# --------------------------------------------------------------------------------------

BAD_CSV = [
    (12, "linreg", r"CSV data must be text or bytes, got int"),
    ("", "linreg", r"CSV is empty"),
    (b"\xff\xfe\x00junk", "linreg", r"binary data \(a NUL byte\)"),
    (b"x,y\n1,2\n\xe9,3\n", "linreg", r"not UTF-8 text \(byte 0xe9 at position 8\)"),
    ("hello world, this is not a table", "linreg", r"CSV needs at least 2 rows of data, found 0 \(row 1 was read as a header"),
    ("a\n1\n2\n", "linreg", r"needs 2 or 3 columns \(x, y or x1, x2, y\), found 1"),
    ("1,2,3,4\n5,6,7,8\n", "linreg", r"found 4 in row 1"),
    ("x,y\n1,2\n3\n", "linreg", r"Row 3 has 1 field, expected 2"),
    ("x,y\n1,2\n3,NA\n4,5\n", "linreg", r"Missing value in row 3, column 'y'"),
    ("x,y\n1,2\n,3\n", "linreg", r"Missing value in row 3, column 'x'"),
    ("x,y\n1.5,2\n", "linreg", r"at least 2 rows of data, found 1"),
    ("x,colour\n1,red\n2,blue\n", "linreg", r"Column 'colour' is not numeric: row 2 holds 'red'"),
    ("x,y\n1,2\n2,inf\n", "linreg", r"Value 'inf' in row 3, column 'y' is not a finite number"),
    ("x,y\n1,2\n2,1e300\n", "linreg", r"not a finite number within ±1e\+09"),
    ("x,y\n3,2\n3,5\n", "linreg", r"Column 'x' is constant \(3 in every row\)"),
    ("x,label\n1,0\n2,1\n3,2\n", "logreg", r"exactly two classes .* found 3 distinct values"),
    ("x,label\n1,1\n2,1\n", "logreg", r"found 1 distinct value$"),
    ("a,b,y\n1,2,0\n2,4,1\n3,6,0\n", "linreg", r"Columns 'a' and 'b' are collinear"),
    ("a,b,y\n1,2,0\n2,5,1\n3,6,0\n", "tanh", r"The tanh model takes 2 columns \(x, y\), found 3"),
    ("x,y\n1,2\n2,3\n", "cubic", r"Unknown model 'cubic'\. Valid models: linreg, logreg, tanh"),
]


@pytest.mark.parametrize("data, model, message", BAD_CSV, ids=[m[:30] for _, _, m in BAD_CSV])
def test_bad_csv_gives_a_clear_error(data, model, message):
    with pytest.raises(ValueError, match=message):
        data_surface_from_csv(data, model)


@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_million_rows_are_refused_before_parsing(as_bytes):
    text = "x,y\n" + "1.5,2.5\n" * 1_000_000
    with pytest.raises(ValueError, match=rf"CSV has 1000001 lines; at most {MAX_ROWS} data rows"):
        data_surface_from_csv(text.encode() if as_bytes else text)


def test_the_row_limit_counts_data_rows():
    rows = "".join(f"{k},{k % 7}\n" for k in range(MAX_ROWS))
    assert data_surface_from_csv("x,y\n" + rows).n_examples == MAX_ROWS
    with pytest.raises(ValueError, match=rf"CSV has {MAX_ROWS + 2} lines"):
        data_surface_from_csv("x,y\n" + rows + "1,2")


def test_too_many_bytes_are_refused():
    with pytest.raises(ValueError, match=r"CSV is 2727004 bytes; at most 2000000 bytes"):
        data_surface_from_csv("x,y\n" + ("1" * 300 + ",2\n") * 9000)


def test_rows_ended_by_carriage_returns_are_counted_too():
    with pytest.raises(ValueError, match=rf"CSV has {MAX_ROWS + 1} rows of data; at most {MAX_ROWS}"):
        data_surface_from_csv("x,y\r" + "1,2\r" * (MAX_ROWS + 1))


def test_invalid_l2_is_refused():
    with pytest.raises(ValueError, match=r"Invalid l2: -1 \(must be a number from 0 to 1000\)"):
        data_surface_from_csv("x,y\n1,2\n2,3\n", l2=-1)


def test_good_csv_variants_build_the_same_surface():
    rows = [(1.0, 2.1), (2.0, 3.9), (3.0, 6.2), (4.5, 8.8)]
    variants = [
        "x,y\n" + "\n".join(f"{a},{b}" for a, b in rows),
        "\n".join(f"{a};{b}" for a, b in rows) + "\n\n",
        "x,y\r" + "\r".join(f"{a},{b}" for a, b in rows),
        "x,y\r\n" + "\r\n".join(f"{a},{b}" for a, b in rows) + "\r\n",
        ("\ufefflength\tweight\n" + "\n".join(f" {a}\t{b} " for a, b in rows)).encode(),
    ]
    surfaces = [data_surface_from_csv(v, standardize=False) for v in variants]
    x, y = np.array(rows).T
    expected = np.linalg.lstsq(np.stack([x, np.ones_like(x)], axis=-1), y, rcond=None)[0]
    for surface in surfaces:
        assert surface.n_examples == 4
        np.testing.assert_allclose(surface.minima[0], expected, rtol=1e-10)
    assert surfaces[-1].dataset["columns"] == "length, weight"


def test_csv_logistic_with_bias_and_with_two_features():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 2))
    label = np.where(x[:, 0] + 0.5 * x[:, 1] + rng.normal(size=60) > 0, "1", "0")
    one = data_surface_from_csv("\n".join(f"{float(a)!r},{c}" for a, c in zip(x[:, 0], label, strict=True)), "logreg")
    two = data_surface_from_csv("\n".join(f"{float(a)!r},{float(b)!r},{c}" for (a, b), c in zip(x, label, strict=True)), "logreg")
    np.testing.assert_array_equal(one.columns[1], 1.0)  # weight and bias
    assert two.columns.shape == (2, 60)
    for surface in (one, two):
        assert len(surface.minima) == 1
        assert np.linalg.norm(surface.grad(surface.minima[0])) < 1e-10
        (xmin, xmax), (ymin, ymax) = surface.bounds
        assert xmin < surface.minima[0, 0] < xmax and ymin < surface.minima[0, 1] < ymax


def test_separable_classes_have_no_finite_minimum_and_still_run():
    surface = data_surface_from_csv("x,y\n-2,0\n-1,0\n1,1\n2,1\n", "logreg")
    assert surface.minima.shape == (0, 2)
    tr = run(get_optimizer("sgd", lr=1.0), surface, surface.default_start, steps=200, batch_size=2)
    assert np.all(np.isfinite(tr.points)) and tr.losses[-1, 0] < tr.losses[0, 0]


# --------------------------------------------------------------------------------------
# PyTorch: the same two-parameter models trained by torch.optim with the same batch order
# --------------------------------------------------------------------------------------


def torch_loss(torch, case, params, index):
    """The loss of ``case`` on the examples ``index``, written with torch operations."""
    import torch.nn.functional as F

    features, y = iris_data(case)
    columns = [torch.from_numpy(np.asarray(c)[index]) for c in features]
    target = torch.from_numpy(np.asarray(y)[index])
    a, b = params[0], params[1]
    kind = CASES[case][0]
    if kind == "data_linreg":
        return F.mse_loss(a * columns[0] + b, target)
    if kind == "data_logreg":
        l2 = CASES[case][1].get("l2", 0.0)
        return F.binary_cross_entropy_with_logits(a * columns[0] + b * columns[1], target) + 0.5 * l2 * (params * params).sum()
    return F.mse_loss(b * torch.tanh(a * columns[0]), target)


TORCH_RUNS = [
    ("linreg_raw", "momentum", {"lr": 0.01, "momentum": 0.9}, "SGD", 16),
    ("linreg_std", "adam", {"lr": 0.05}, "Adam", 32),
    ("logreg_l2", "momentum", {"lr": 0.5, "momentum": 0.8}, "SGD", 7),
    ("logreg", "adam", {"lr": 0.1, "betas": (0.8, 0.99)}, "Adam", 25),
    ("tanh", "momentum", {"lr": 0.05, "momentum": 0.9}, "SGD", 1),
    ("tanh", "adam", {"lr": 0.02}, "Adam", 12),
]


@pytest.mark.torch
@pytest.mark.parametrize("case, ours, hparams, torch_name, batch_size", TORCH_RUNS)
def test_training_equals_torch_with_the_same_batches(case, ours, hparams, torch_name, batch_size):
    torch = pytest.importorskip("torch")
    surface = surface_of(case)
    steps, seed = 120, 6
    starts = np.array([surface.default_start, [-0.5, 1.5], [1.2, -0.3]])
    tr = run(get_optimizer(ours, **hparams), surface, starts, steps=steps, batch_size=batch_size, seed=seed)
    batches = minibatch_indices(surface.n_examples, batch_size, steps, seed=seed, n_rows=len(starts))
    for row, start in enumerate(starts):
        params = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        kwargs = {"lr": hparams["lr"], **({"momentum": hparams["momentum"]} if "momentum" in hparams else {}),
                  **({"betas": hparams["betas"]} if "betas" in hparams else {})}
        opt = getattr(torch.optim, torch_name)([params], **kwargs)
        path = [start]
        for t in range(steps):
            opt.zero_grad()
            torch_loss(torch, case, params, batches[t][row]).backward()
            opt.step()
            path.append(params.detach().numpy().copy())
        np.testing.assert_allclose(tr.points[:, row], np.array(path), rtol=1e-10, atol=1e-10)
        assert np.abs(tr.points[-1, row] - start).max() > 0.1  # the run went somewhere
