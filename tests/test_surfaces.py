"""Library surfaces: derivatives against finite differences and an independent symbolic
reference, listed minima, shapes, registry errors, and the lecture scenes' promises."""

import dataclasses
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surfaces import DataSurface, Surface, SurfaceParam, from_expression, get_surface, list_surfaces

NAMES = list_surfaces()
SURFACES = {name: get_surface(name) for name in NAMES}
# Data surfaces have their own reference (a loop over the examples) in test_data_surfaces.py.
ANALYTIC = [name for name in NAMES if not isinstance(SURFACES[name], DataSurface)]
LECTURE_FOUR = ["saddle", "elongated_bowl", "three_minima", "ravine"]
CLASSICS = [
    "rosenbrock", "beale", "himmelblau", "rastrigin", "ackley", "booth", "six_hump_camel",
    "styblinski_tang", "goldstein_price", "monkey_saddle", "plateau",
]
# Points where a surface is not differentiable; finite differences are skipped near them.
KINKS = {"ackley": [(0.0, 0.0)]}
KINK_RADIUS = 0.05
FD_STEP = 1e-5


def points_in_bounds(surface: Surface, n: int, seed: int = 0) -> np.ndarray:
    (xmin, xmax), (ymin, ymax) = surface.bounds
    rng = np.random.default_rng(seed)
    points = np.stack([rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)], axis=-1)
    for kink in KINKS.get(surface.name, []):
        points = points[np.linalg.norm(points - kink, axis=-1) > KINK_RADIUS]
    return points


def central_difference(function, points: np.ndarray) -> np.ndarray:
    """d function / dp by central differences: shape (*function(points).shape, 2)."""
    steps = FD_STEP * np.eye(2)
    return np.stack(
        [(function(points + step) - function(points - step)) / (2 * FD_STEP) for step in steps],
        axis=-1,
    )


def assert_derivatives_match(surface: Surface, points: np.ndarray) -> None:
    f, g, h = surface.f(points), surface.grad(points), surface.hessian(points)
    # Truncation error ~ step^2 f''' and rounding ~ eps |f| / step, both far below this.
    scale = 1.0 + np.abs(f)[..., None] + np.abs(g)
    np.testing.assert_array_less(np.abs(central_difference(surface.f, points) - g), 1e-6 * scale)
    h_scale = 1.0 + np.abs(g)[..., None] + np.abs(h)
    np.testing.assert_array_less(np.abs(central_difference(surface.grad, points) - h), 1e-6 * h_scale)


def test_lecture_four_first_then_classics():
    assert NAMES[:4] == LECTURE_FOUR
    assert set(CLASSICS) | {"saddle_quartic"} <= set(NAMES)
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_gradient_and_hessian_match_finite_differences(name):
    assert_derivatives_match(SURFACES[name], points_in_bounds(SURFACES[name], 500))


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None)
@given(u=st.floats(0, 1), v=st.floats(0, 1))
def test_derivatives_match_finite_differences_anywhere_in_view(name, u, v):
    surface = SURFACES[name]
    (xmin, xmax), (ymin, ymax) = surface.bounds
    point = np.array([xmin + u * (xmax - xmin), ymin + v * (ymax - ymin)])
    if any(np.linalg.norm(point - kink) <= KINK_RADIUS for kink in KINKS.get(name, [])):
        return
    assert_derivatives_match(surface, point)


# The same functions typed as formulas: sympy differentiates them independently of the
# hand-derived NumPy code (default parameters).
REFERENCE_FORMULAS = {
    "saddle": "(x**2 - y**2)/2",
    "elongated_bowl": "(x**2 + 10*y**2)/2",
    "three_minima": (
        "0.06*(x**2 + y**2) - 1.5*exp(-((x - 1.3)**2 + (y + 1)**2)/(2*0.7**2))"
        " - 1.2*exp(-((x + 1.4)**2 + (y + 0.9)**2)/(2*0.7**2))"
        " - 0.9*exp(-(x**2 + (y - 1.4)**2)/(2*0.7**2))"
    ),
    "ravine": "20/2*(y - sin(x))**2 + 0.1/2*(x - 2)**2",
    "saddle_quartic": "(x**2 - y**2)/2 + 0.5/4*y**4",
    "rosenbrock": "(1 - x)**2 + 100*(y - x**2)**2",
    "beale": "(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
    "himmelblau": "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "rastrigin": "20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)",
    "ackley": "-20*exp(-0.2*sqrt(0.5*(x**2 + y**2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
    "booth": "(x + 2*y - 7)**2 + (2*x + y - 5)**2",
    "six_hump_camel": "(4 - 2.1*x**2 + x**4/3)*x**2 + x*y + (-4 + 4*y**2)*y**2",
    "styblinski_tang": "(x**4 - 16*x**2 + 5*x + y**4 - 16*y**2 + 5*y)/2",
    "goldstein_price": (
        "(1 + (x + y + 1)**2*(19 - 14*x + 3*x**2 - 14*y + 6*x*y + 3*y**2))"
        "*(30 + (2*x - 3*y)**2*(18 - 32*x + 12*x**2 + 48*y - 36*x*y + 27*y**2))"
    ),
    "monkey_saddle": "x**3 - 3*x*y**2",
    "plateau": "1 - exp(-(x**2 + y**2)/(2*0.7**2))",
}


def test_every_surface_has_a_reference_formula():
    assert set(REFERENCE_FORMULAS) == set(ANALYTIC)
    assert set(NAMES) - set(ANALYTIC) == {"data_linreg", "data_logreg", "data_tanh"}


@pytest.mark.parametrize("name", ANALYTIC)
def test_matches_symbolic_reference(name):
    surface = SURFACES[name]
    reference = from_expression(REFERENCE_FORMULAS[name], bounds=surface.bounds)
    points = points_in_bounds(surface, 300, seed=1)
    for ours, theirs in [
        (surface.f, reference.f), (surface.grad, reference.grad), (surface.hessian, reference.hessian)
    ]:
        expected = theirs(points)
        np.testing.assert_allclose(ours(points), expected, rtol=1e-9, atol=1e-9 * (1 + np.abs(expected).max()))


@pytest.mark.parametrize("name", NAMES)
def test_listed_minima_are_minima_with_the_global_first(name):
    surface = SURFACES[name]
    minima = surface.minima
    assert minima.ndim == 2 and minima.shape[1] == 2 and minima.dtype == np.float64
    if len(minima) == 0:
        assert name in {"saddle", "monkey_saddle"}
        return
    values = surface.f(minima)
    assert np.all(np.linalg.norm(surface.grad(minima), axis=-1) <= 1e-9 * (1 + np.abs(values)))
    assert np.all(np.linalg.eigvalsh(surface.hessian(minima)) >= -1e-9)
    assert np.all(values[0] <= values[1:] + 1e-9 * (1 + np.abs(values[1:])))
    (xmin, xmax), (ymin, ymax) = surface.bounds
    assert np.all((xmin < minima[:, 0]) & (minima[:, 0] < xmax))
    assert np.all((ymin < minima[:, 1]) & (minima[:, 1] < ymax))
    distances = np.linalg.norm(minima[:, None] - minima[None], axis=-1) + np.eye(len(minima))
    assert distances.min() > 1e-3, "a minimum is listed twice"


@pytest.mark.parametrize(
    "name, count",
    [("three_minima", 3), ("himmelblau", 4), ("six_hump_camel", 6), ("styblinski_tang", 4),
     ("goldstein_price", 4), ("saddle_quartic", 2), ("rastrigin", 1), ("ackley", 1)],
)
def test_number_of_listed_minima(name, count):
    assert len(SURFACES[name].minima) == count


def test_six_hump_camel_lists_its_two_global_minima_first():
    values = SURFACES["six_hump_camel"].f(SURFACES["six_hump_camel"].minima)
    np.testing.assert_allclose(values[:2], -1.031628453489877, rtol=1e-12)
    assert values[2] > values[1] + 0.5


def test_three_minima_has_exactly_three_basins():
    """Gradient descent from a grid over the view ends in one of the three listed minima."""
    surface = SURFACES["three_minima"]
    axis = np.linspace(-3, 3, 25)
    points = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    for _ in range(3000):
        points = points - 0.2 * surface.grad(points)
    nearest = np.linalg.norm(points[:, None] - surface.minima[None], axis=-1).min(axis=1)
    assert nearest.max() < 1e-6
    reached = np.linalg.norm(points[:, None] - surface.minima[None], axis=-1).argmin(axis=1)
    assert set(reached) == {0, 1, 2}


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_three_minima_keeps_three_minima_over_its_parameter_ranges(data):
    specs = get_surface("three_minima").param_specs
    params = {spec.name: data.draw(st.floats(spec.min, spec.max), label=spec.name) for spec in specs}
    surface = get_surface("three_minima", **params)
    assert surface.minima.shape == (3, 2)
    values = surface.f(surface.minima)
    assert np.all(np.diff(values) >= 0)
    assert np.all(np.linalg.eigvalsh(surface.hessian(surface.minima)) > 0)
    distances = np.linalg.norm(surface.minima[:, None] - surface.minima[None], axis=-1)
    assert distances[np.triu_indices(3, 1)].min() > 1.0


def test_three_minima_are_not_the_gaussian_centres():
    minima = SURFACES["three_minima"].minima
    centres = np.array([(1.3, -1.0), (-1.4, -0.9), (0.0, 1.4)])
    assert np.linalg.norm(minima[:, None] - centres[None], axis=-1).min() > 1e-3
    assert np.all(np.linalg.norm(SURFACES["three_minima"].grad(minima), axis=-1) <= 1e-10)


def test_saddle_stalls_plain_gradient_descent_from_the_default_start():
    surface = SURFACES["saddle"]
    np.testing.assert_array_equal(surface.grad(np.zeros(2)), [0.0, 0.0])
    np.testing.assert_array_equal(np.linalg.eigvalsh(surface.hessian(np.zeros(2))), [-1.0, 1.0])
    start = surface.default_start
    assert start[0] < -1 and 0 < abs(start[1]) <= 1e-2
    point = start.copy()
    for _ in range(30):
        point = point - 0.1 * surface.grad(point)
    assert np.linalg.norm(point) < 0.1, "30 SGD steps bring the run to the saddle and it stays"


def test_saddle_quartic_is_bounded_below():
    surface = SURFACES["saddle_quartic"]
    axis = np.linspace(-50, 50, 201)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1)
    assert surface.f(grid).min() >= surface.f(surface.minima[0]) - 1e-12
    np.testing.assert_array_equal(surface.grad(np.zeros(2)), [0.0, 0.0])


@pytest.mark.parametrize("condition, angle", [(10.0, 0.0), (50.0, 30.0), (1000.0, -75.0), (1.0, 45.0)])
def test_elongated_bowl_hessian_is_constant_and_sets_the_stable_learning_rate(condition, angle):
    surface = get_surface("elongated_bowl", condition=condition, angle=angle)
    theta = np.deg2rad(angle)
    long_axis = np.array([np.cos(theta), np.sin(theta)])
    hessians = surface.hessian(points_in_bounds(surface, 50))
    np.testing.assert_array_equal(hessians, np.broadcast_to(hessians[0], hessians.shape))
    np.testing.assert_allclose(np.linalg.eigvalsh(hessians[0]), [1.0, condition], rtol=1e-12)
    np.testing.assert_allclose(hessians[0] @ long_axis, long_axis, atol=1e-12 * condition)

    def gradient_descent(lr, steps=400):
        point = surface.default_start.copy()
        for _ in range(steps):
            point = point - lr * surface.grad(point)
        return np.linalg.norm(point)

    if condition > 1:
        # The long axis shrinks by (1 - lr) per step: about condition / 2 steps per e-fold.
        assert gradient_descent(0.98 * 2 / condition, steps=int(15 * condition) + 50) < 1e-3
        assert gradient_descent(1.02 * 2 / condition) > 1e3


def test_ravine_is_a_narrow_valley_with_one_minimum():
    surface = SURFACES["ravine"]
    curvatures = np.linalg.eigvalsh(surface.hessian(surface.minima[0]))
    assert curvatures[1] / curvatures[0] > 100
    # The valley floor y = sin x curves: the lowest point of each column follows it.
    axis_x, axis_y = np.linspace(-2.5, 2.5, 11), np.linspace(-2, 2, 4001)
    grid = np.stack(np.meshgrid(axis_x, axis_y), axis=-1)
    floor_y = axis_y[surface.f(grid).argmin(axis=0)]
    np.testing.assert_allclose(floor_y, np.sin(axis_x), atol=2e-3)


def test_ackley_has_zero_gradient_and_finite_hessian_at_its_cone_tip():
    surface = SURFACES["ackley"]
    with np.errstate(all="raise", under="ignore"):
        np.testing.assert_array_equal(surface.grad(np.zeros(2)), [0.0, 0.0])
        tiny = np.array([[0.0, 0.0], [1e-300, 0.0], [1e-160, -1e-160], [1e-100, 1e-100], [-1e-8, 0.0]])
        assert np.all(np.isfinite(surface.grad(tiny)))
        assert np.all(np.isfinite(surface.hessian(tiny)))
        assert np.all(np.isfinite(surface.f(tiny)))


def test_plateau_is_flat_at_the_default_start_but_not_stationary():
    surface = SURFACES["plateau"]
    slope = np.linalg.norm(surface.grad(surface.default_start))
    assert 0 < slope < 1e-3


@pytest.mark.parametrize("name", NAMES)
def test_default_start_is_in_view_and_not_stationary(name):
    surface = SURFACES[name]
    (xmin, xmax), (ymin, ymax) = surface.bounds
    x, y = surface.default_start
    assert surface.default_start.shape == (2,)
    assert xmin < x < xmax and ymin < y < ymax
    assert np.linalg.norm(surface.grad(surface.default_start)) > 1e-12


@pytest.mark.parametrize("name", NAMES)
def test_shapes_and_batches_agree(name):
    surface = SURFACES[name]
    grid = points_in_bounds(surface, 12, seed=3)[:12].reshape(3, 4, 2)
    batch = grid.reshape(-1, 2)
    for function, tail in [(surface.f, ()), (surface.grad, (2,)), (surface.hessian, (2, 2))]:
        single = function(batch[5])
        assert single.shape == tail and single.dtype == np.float64
        assert function(batch).shape == (12, *tail)
        assert function(grid).shape == (3, 4, *tail)
        np.testing.assert_array_equal(function(grid).reshape(12, *tail), function(batch))
        np.testing.assert_array_equal(function(batch)[5], single)
        np.testing.assert_array_equal(function(batch[5].tolist()), single)
        assert function(np.empty((0, 2))).shape == (0, *tail)
    hessians = surface.hessian(batch)
    np.testing.assert_array_equal(hessians, np.swapaxes(hessians, -1, -2))


def test_points_must_have_two_coordinates():
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        SURFACES["booth"].f(np.zeros((4, 3)))


@pytest.mark.parametrize("name", NAMES)
def test_no_numpy_warnings_in_and_around_the_view(name):
    surface = SURFACES[name]
    (xmin, xmax), (ymin, ymax) = surface.bounds
    cx, cy, wx, wy = (xmin + xmax) / 2, (ymin + ymax) / 2, xmax - xmin, ymax - ymin
    axis_x = np.linspace(cx - 1.5 * wx, cx + 1.5 * wx, 121)
    axis_y = np.linspace(cy - 1.5 * wy, cy + 1.5 * wy, 121)
    grid = np.stack(np.meshgrid(axis_x, axis_y), axis=-1)
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        for function in (surface.f, surface.grad, surface.hessian):
            assert np.all(np.isfinite(function(grid)))


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name):
    surface = SURFACES[name]
    assert surface.name == name
    for text in (surface.title, surface.description):
        assert set(text) == {"en", "zh"} and all(text.values())
    assert surface.latex and isinstance(surface.log_levels, bool)
    assert list(surface.params) == [spec.name for spec in surface.param_specs]
    for spec in surface.param_specs:
        assert isinstance(spec, SurfaceParam)
        assert spec.min <= spec.default <= spec.max
        assert surface.params[spec.name] == spec.default
        assert set(spec.help) == {"en", "zh"} and all(spec.help.values())


def test_log_levels_where_values_span_orders_of_magnitude():
    assert SURFACES["goldstein_price"].log_levels and SURFACES["rosenbrock"].log_levels
    assert not SURFACES["rastrigin"].log_levels


def test_surfaces_are_frozen():
    surface = SURFACES["booth"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        surface.name = "other"
    with pytest.raises(ValueError):
        surface.minima[0, 0] = 5.0
    with pytest.raises(ValueError):
        surface.default_start[0] = 5.0


def test_parameters_change_the_surface():
    default, changed = get_surface("rosenbrock"), get_surface("rosenbrock", a=1.2, b=10)
    assert changed.params == {"a": 1.2, "b": 10.0}
    np.testing.assert_allclose(changed.minima, [[1.2, 1.44]])
    assert default.f(np.array([0.0, 1.0])) != changed.f(np.array([0.0, 1.0]))
    assert get_surface("elongated_bowl", condition=np.float64(20), angle=np.int64(10)).params == {
        "condition": 20.0, "angle": 10.0,
    }


@pytest.mark.parametrize(
    "name, params, error",
    [
        ("three_minimum", {}, r"Unknown surface 'three_minimum'\. Valid names: saddle, elongated_bowl, three_minima, ravine, .*plateau"),
        ("", {}, r"Unknown surface ''"),
        (None, {}, r"Unknown surface None"),
        ("elongated_bowl", {"kappa": 5}, r"Unknown parameter 'kappa' for surface 'elongated_bowl'\. Valid parameters: condition, angle"),
        ("booth", {"a": 1}, r"Valid parameters: none"),
        ("elongated_bowl", {"condition": 0.5}, r"'condition' of surface 'elongated_bowl' must be between 1 and 1000, got 0\.5"),
        ("elongated_bowl", {"angle": float("nan")}, r"must be a finite number"),
        ("rosenbrock", {"b": "100"}, r"must be a finite number, got '100'"),
        ("rosenbrock", {"b": True}, r"must be a finite number, got True"),
        ("three_minima", {"width": 5.0}, r"between 0\.5 and 0\.75"),
    ],
)
def test_get_surface_errors(name, params, error):
    with pytest.raises(ValueError, match=error):
        get_surface(name, **params)


def test_core_imports_stay_light():
    """surfaces imports no plotting, no Streamlit, no optimizers, and sympy only for formulas."""
    code = (
        "import sys, surfaces; [surfaces.get_surface(n).f([0.5, 0.5]) for n in surfaces.list_surfaces()]; "
        "print(sorted(m for m in ('streamlit', 'plotly', 'matplotlib', 'optimizers', 'sympy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.stdout.strip() == "[]"


def test_three_minima_default_start_sends_plain_descent_to_the_shallowest_low():
    """The start is on the ridge above the deepest low: greedy descent ends in the shallow one."""
    surface = SURFACES["three_minima"]
    point = surface.default_start.copy()
    for _ in range(2000):
        point = point - 0.05 * surface.grad(point)
    np.testing.assert_allclose(point, surface.minima[2], atol=1e-6)
