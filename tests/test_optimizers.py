"""Optimizer core: validation table, lecture conventions, clipping, noise, schedules, divergence."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optimizers import (
    clip_by_norm,
    clip_by_value,
    get_optimizer,
    get_schedule,
    list_optimizers,
    list_schedules,
    optimizer_info,
    run,
)
from tests.reference.surface import STARTS, ReferenceSurface

SURFACE = ReferenceSurface()
STARTS = np.array(STARTS)

# ----------------------------------------------------------------------------- errors

# (optimizer, kwargs, error regex): torch's wording, one row per check (torch common_optimizers style)
ERROR_CASES = [
    ("sgd", {"lr": -1}, r"^Invalid learning rate: -1$"),
    ("sgd", {"lr": float("nan")}, r"^Invalid learning rate: nan$"),
    ("sgd", {"lr": float("inf")}, r"^Invalid learning rate: inf$"),
    ("sgd", {"lr": "0.1"}, r"^Invalid learning rate: 0.1$"),
    ("sgd", {"momentum": -0.5}, r"^Invalid momentum value: -0.5$"),
    ("sgd", {"weight_decay": -1e-3}, r"^Invalid weight_decay value: -0.001$"),
    ("sgd", {"nesterov": True}, r"^Nesterov momentum requires a momentum and zero dampening$"),
    ("sgd", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, r"^Nesterov momentum requires a momentum and zero dampening$"),
    ("nesterov", {"momentum": 0.0}, r"^Nesterov momentum requires a momentum and zero dampening$"),
    ("momentum", {"convention": "keras", "dampening": 0.5}, r"^dampening applies only to the torch convention, not 'keras'$"),
    ("momentum", {"convention": "pytorch"}, r"Invalid convention value: 'pytorch'; choose one of torch, keras, ema"),
    ("adam", {"lr": -0.01}, r"^Invalid learning rate: -0.01$"),
    ("adam", {"eps": -1e-8}, r"^Invalid epsilon value: -1e-08$"),
    ("adam", {"betas": (1.0, 0.999)}, r"^Invalid beta parameter at index 0: 1.0$"),
    ("adam", {"betas": (0.9, -0.1)}, r"^Invalid beta parameter at index 1: -0.1$"),
    ("adam", {"betas": 0.9}, r"Invalid betas value: 0.9 \(expected two numbers\)"),
    ("adam", {"weight_decay": -1}, r"^Invalid weight_decay value: -1$"),
    ("adam", {"amsgrad": "yes"}, r"Invalid amsgrad value: yes"),
    ("adamw", {"betas": (0.9, 1.5)}, r"^Invalid beta parameter at index 1: 1.5$"),
    ("adamax", {"eps": -1}, r"^Invalid epsilon value: -1$"),
    ("nadam", {"momentum_decay": -1}, r"^Invalid momentum_decay value: -1$"),
    ("rmsprop", {"alpha": -0.9}, r"^Invalid alpha value: -0.9$"),
    ("rmsprop", {"momentum": -1}, r"^Invalid momentum value: -1$"),
    ("adagrad", {"lr_decay": -1}, r"^Invalid lr_decay value: -1$"),
    ("adagrad", {"initial_accumulator_value": -1}, r"^Invalid initial_accumulator_value value: -1$"),
    ("adadelta", {"rho": 1.1}, r"^Invalid rho value: 1.1$"),
    ("adadelta", {"eps": -1}, r"^Invalid epsilon value: -1$"),
    ("newton", {"damping": -1}, r"^Invalid damping value: -1$"),
    ("adam", {"momentum": 0.9}, r"Unknown hyperparameter 'momentum' for adam; valid: lr, betas"),
    ("lion", {}, r"Unknown optimizer 'lion'; valid names: sgd, momentum"),
]


@pytest.mark.parametrize("name, kwargs, message", ERROR_CASES)
def test_invalid_hyperparameters_raise_with_torch_wording(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        get_optimizer(name, **kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"steps": -1}, r"Invalid steps: -1"),
        ({"steps": 2.5}, r"Invalid steps: 2.5"),
        ({"clip_norm": 0}, r"Invalid clip_norm: 0"),
        ({"clip_value": -1}, r"Invalid clip_value: -1"),
        ({"noise": -0.1}, r"Invalid noise: -0.1"),
        ({"batch_size": 0}, r"Invalid batch_size: 0"),
        ({"record_every": -2}, r"Invalid record_every: -2"),
    ],
)
def test_invalid_run_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        run(get_optimizer("sgd"), SURFACE, [1.0, 1.0], **{"steps": 5, **kwargs})


@pytest.mark.parametrize(
    "name, kwargs, message",
    [
        ("step", {"step_size": 0}, r"Invalid step_size value: 0"),
        ("multistep", {"milestones": (20, 10)}, r"steps must increase"),
        ("exponential", {"gamma": 1.5}, r"Invalid gamma value: 1.5"),
        ("cyclic", {"max_lr": -1}, r"Invalid max_lr value: -1"),
        ("warm", {}, r"Unknown schedule 'warm'"),
        ("constant", {"warmup_iters": 5, "warmup_start_factor": 0.0}, r"Invalid warmup_start_factor value: 0.0"),
    ],
)
def test_invalid_schedules(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        get_schedule(name, **kwargs)


def test_a_start_where_f_is_undefined_is_refused():
    class LogSurface:
        bounds = ((-3, 3), (-3, 3))

        def f(self, p):
            return np.log(p[..., 0]) + p[..., 1] ** 2

        def grad(self, p):
            return np.stack([1 / p[..., 0], 2 * p[..., 1]], -1)

    with pytest.raises(ValueError, match=r"f is not defined at the start point \(-1, 0\.5\)"):
        run(get_optimizer("sgd"), LogSurface(), [[1.0, 0.5], [-1.0, 0.5]], steps=3)


def test_far_start_is_not_mistaken_for_divergence():
    # the escape radius grows with the start, per row
    tr = run(get_optimizer("sgd", lr=0.05), SURFACE, [[40.0, 0.0], [0.5, 0.5]], steps=300)
    np.testing.assert_array_equal(tr.diverged_at, [-1, -1])
    assert np.abs(tr.points[-1]).max() < 1.0


def test_bad_start_shape():
    with pytest.raises(ValueError, match=r"x0 must have shape \(2,\) or \(B, 2\)"):
        run(get_optimizer("sgd"), SURFACE, [1.0, 2.0, 3.0], steps=3)


# ----------------------------------------------------------------------------- specs


@pytest.mark.parametrize("name", list_optimizers())
def test_specs_are_complete_and_defaults_valid(name):
    info = optimizer_info(name)
    assert info.title["en"] and info.title["zh"] and info.description["zh"]
    assert info.specs[0].name == "lr"
    for spec in info.specs:
        assert spec.help["en"] and spec.help["zh"], spec.name
        if spec.kind in ("float", "int"):
            # the slider's range is inside the valid range, so the UI cannot make an error
            assert spec.ui_low is not None and spec.ui_high is not None, spec.name
            spec.validate(spec.ui_low)
            spec.validate(spec.ui_high)
    opt = get_optimizer(name)
    assert opt.update_rule.startswith(r"\begin{aligned}")


def test_defaults_follow_torch():
    assert get_optimizer("sgd").hparams == {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False}
    assert get_optimizer("adam").hparams["betas"] == (0.9, 0.999)
    assert get_optimizer("adam").hparams["eps"] == 1e-8
    assert get_optimizer("adamw").hparams["weight_decay"] == 1e-2
    assert get_optimizer("adagrad").hparams["eps"] == 1e-10
    assert get_optimizer("rmsprop").hparams["alpha"] == 0.99
    assert get_optimizer("adadelta").hparams["lr"] == 1.0
    assert get_optimizer("adamax").hparams["lr"] == 2e-3
    assert get_optimizer("nadam").hparams["momentum_decay"] == 4e-3


# ----------------------------------------------------------------------------- seed conventions
# Each lecture convention against its seed's pseudocode, transcribed as a plain loop.


def seed_loop(step_fn, state, steps=40, x0=STARTS):
    x = np.array(x0, dtype=float)
    for t in range(1, steps + 1):
        x, state = step_fn(x, SURFACE.grad(x), state, t)
    return x


def ours(name, steps=40, **hparams):
    return run(get_optimizer(name, **hparams), SURFACE, STARTS, steps=steps).final_points


def test_keras_momentum_matches_seed_001():
    # m = beta*m - eta*g; theta = theta + m
    def step(x, g, m, t):
        m = 0.9 * m - 0.02 * g
        return x + m, m

    np.testing.assert_allclose(ours("momentum", lr=0.02, convention="keras"), seed_loop(step, 0.0), rtol=1e-12)


def test_ema_momentum_matches_seed_002():
    # v = beta*v + (1-beta)*g; theta = theta - eta*v
    def step(x, g, v, t):
        v = 0.8 * v + 0.2 * g
        return x - 0.1 * v, v

    np.testing.assert_allclose(ours("momentum", lr=0.1, momentum=0.8, convention="ema"), seed_loop(step, 0.0), rtol=1e-12)


def test_seed_000_momentum_is_torch_momentum():
    # CS231n: vx = rho*vx + dx; x -= lr*vx
    def step(x, g, v, t):
        v = 0.9 * v + g
        return x - 0.02 * v, v

    np.testing.assert_allclose(ours("momentum", lr=0.02), seed_loop(step, 0.0), rtol=1e-12)


def test_seed_000_nesterov_form():
    # old_v = v; v = rho*v - lr*dx; x += -rho*old_v + (1+rho)*v
    def step(x, g, v, t):
        old_v = v
        v = 0.9 * v - 0.02 * g
        return x - 0.9 * old_v + 1.9 * v, v

    np.testing.assert_allclose(ours("nesterov", lr=0.02, convention="keras"), seed_loop(step, 0.0), rtol=1e-12)
    # ... which, for a constant rate, is the same path as torch's nesterov
    np.testing.assert_allclose(ours("nesterov", lr=0.02, convention="keras"), ours("nesterov", lr=0.02), rtol=1e-9)


def test_keras_nag_is_seed_000_nesterov_in_shifted_variable():
    # Keras NAG: m = beta*m - eta*grad(theta + beta*m); theta += m. With x = theta + beta*m
    # it becomes seed 000's form, so x-trajectories agree.
    theta = STARTS.copy()
    m = np.zeros_like(theta)
    for _ in range(30):
        m = 0.9 * m - 0.02 * SURFACE.grad(theta + 0.9 * m)
        theta = theta + m
    np.testing.assert_allclose(theta + 0.9 * m, ours("nesterov", steps=30, lr=0.02, convention="keras"), rtol=1e-10)


def test_adagrad_seed_000_eps_inside():
    # grad_squared += dx*dx; x -= lr*dx/(sqrt(grad_squared + 1e-7))
    def step(x, g, s, t):
        s = s + g * g
        return x - 0.3 * g / np.sqrt(s + 1e-7), s

    np.testing.assert_allclose(
        ours("adagrad", lr=0.3, eps=1e-7, eps_inside_sqrt=True), seed_loop(step, 0.0), rtol=1e-12
    )


def test_rmsprop_seed_002_eps_inside():
    # S = beta*S + (1-beta)*g^2; theta -= eta*g/sqrt(S + eps)
    def step(x, g, s, t):
        s = 0.9 * s + 0.1 * g * g
        return x - 0.01 * g / np.sqrt(s + 1e-6), s

    np.testing.assert_allclose(
        ours("rmsprop", lr=0.01, alpha=0.9, eps=1e-6, eps_inside_sqrt=True), seed_loop(step, 0.0), rtol=1e-12
    )


def test_adam_almost_seed_000():
    # no bias correction: x -= lr * m / (sqrt(v) + 1e-7)
    def step(x, g, mv, t):
        m, v = mv
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        return x - 0.05 * m / (np.sqrt(v) + 1e-7), (m, v)

    np.testing.assert_allclose(
        ours("adam", lr=0.05, eps=1e-7, bias_correction=False), seed_loop(step, (0.0, 0.0)), rtol=1e-12
    )


def test_adam_full_seed_000_and_eps_inside_seed_003():
    def full(x, g, mv, t):
        m, v = mv
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        return x - 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-7), (m, v)

    def inside(x, g, mv, t):
        m, v = mv
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        return x - 0.05 / np.sqrt(v / (1 - 0.999**t) + 1e-7) * (m / (1 - 0.9**t)), (m, v)

    np.testing.assert_allclose(ours("adam", lr=0.05, eps=1e-7), seed_loop(full, (0.0, 0.0)), rtol=1e-12)
    np.testing.assert_allclose(
        ours("adam", lr=0.05, eps=1e-7, eps_inside_sqrt=True), seed_loop(inside, (0.0, 0.0)), rtol=1e-12
    )


def test_bias_correction_matters_at_the_start():
    """The lesson of "why Adam needs bias correction": without it the first steps are tiny."""
    with_bc = run(get_optimizer("adam", lr=0.1), SURFACE, STARTS, steps=1).points
    without = run(get_optimizer("adam", lr=0.1, bias_correction=False), SURFACE, STARTS, steps=1).points
    step_with = np.linalg.norm(with_bc[1] - with_bc[0], axis=-1)
    step_without = np.linalg.norm(without[1] - without[0], axis=-1)
    # first step of Adam is lr*sign(g) per coordinate; uncorrected is (1-b1)/sqrt(1-b2) ~ 3.16x larger
    np.testing.assert_allclose(step_with, 0.1 * math.sqrt(2), rtol=1e-6)
    np.testing.assert_allclose(step_without / step_with, 0.1 / math.sqrt(0.001), rtol=1e-5)


# ----------------------------------------------------------------------------- Newton


def test_newton_solves_a_quadratic_in_one_step_and_runs_to_a_saddle():
    class Saddle:
        bounds = ((-2, 2), (-2, 2))

        def f(self, p):
            return p[..., 0] ** 2 - p[..., 1] ** 2

        def grad(self, p):
            return np.stack([2 * p[..., 0], -2 * p[..., 1]], -1)

        def hessian(self, p):
            h = np.zeros(p.shape + (2,))
            h[..., 0, 0], h[..., 1, 1] = 2.0, -2.0
            return h

    start = np.array([[1.0, 0.5], [-1.5, 0.01]])
    tr = run(get_optimizer("newton"), Saddle(), start, steps=1)
    np.testing.assert_allclose(tr.points[1], 0.0, atol=1e-15)  # straight onto the saddle
    free = run(get_optimizer("newton", lr=0.5, saddle_free=True), Saddle(), start, steps=5)
    assert (np.abs(free.points[-1, :, 1]) > np.abs(start[:, 1])).all()  # saddle-free: escapes along y
    # damping interpolates toward gradient descent: (H + gamma I)^-1 g
    damped = run(get_optimizer("newton", damping=3.0), Saddle(), start, steps=1)
    np.testing.assert_allclose(damped.points[1], start * [1 - 2 / 5, 1 + 2 / 1])
    # H + gamma I singular (gamma = 2 cancels the -2 curvature): a clean divergence report
    singular = run(get_optimizer("newton", damping=2.0), Saddle(), start, steps=3)
    np.testing.assert_array_equal(singular.diverged_at, [1, 1])
    np.testing.assert_array_equal(singular.points[-1], start)


def test_newton_with_weight_decay_is_newton_on_the_decayed_objective():
    class ShiftedBowl:
        """f = (x-1)^2 + 2(y+1)^2; with decay lambda the minimum of f + lambda/2 |theta|^2
        is (2/(2+lambda), -4/(4+lambda)), one exact Newton step from anywhere."""

        bounds = ((-3, 3), (-3, 3))

        def f(self, p):
            return (p[..., 0] - 1) ** 2 + 2 * (p[..., 1] + 1) ** 2

        def grad(self, p):
            return np.stack([2 * (p[..., 0] - 1), 4 * (p[..., 1] + 1)], -1)

        def hessian(self, p):
            return np.broadcast_to(np.diag([2.0, 4.0]), p.shape[:-1] + (2, 2))

    tr = run(get_optimizer("newton", weight_decay=1.0), ShiftedBowl(), [[2.5, 1.0], [-1.0, -2.0]], steps=1)
    np.testing.assert_allclose(tr.points[1], [[2 / 3, -4 / 5]] * 2, rtol=1e-14)


# ----------------------------------------------------------------------------- clipping (seed 001)


def test_seed_001_clipping_example():
    g = np.array([[0.9, 100.0]])
    np.testing.assert_array_equal(clip_by_value(g, 1.0), [[0.9, 1.0]])
    clipped = clip_by_norm(g, 1.0)
    # to the digits the seed prints
    assert round(float(clipped[0, 0]), 8) == 0.00899964
    assert round(float(clipped[0, 1]), 7) == 0.9999595
    np.testing.assert_array_equal(clip_by_norm(np.array([[0.3, 0.4]]), 1.0), [[0.3, 0.4]])  # short: untouched


def test_clip_norm_is_per_row():
    g = np.array([[0.9, 100.0], [0.03, 0.04]])
    clipped = clip_by_norm(g, 1.0)
    np.testing.assert_allclose(clipped[1], g[1])
    assert abs(np.linalg.norm(clipped[0]) - 1.0) < 1e-5


# ----------------------------------------------------------------------------- schedules


def test_schedule_values_by_hand():
    np.testing.assert_allclose(get_schedule("step", step_size=2, gamma=0.5).lrs(1.0, 6), [1, 1, 0.5, 0.5, 0.25, 0.25])
    np.testing.assert_allclose(get_schedule("multistep", milestones=(1, 3), gamma=0.1).lrs(1.0, 5), [1, 0.1, 0.1, 0.01, 0.01])
    np.testing.assert_allclose(get_schedule("exponential", gamma=0.5).lrs(2.0, 3), [2, 1, 0.5])
    np.testing.assert_allclose(get_schedule("inv", gamma=1.0, power=1.0).lrs(1.0, 4), [1, 1 / 2, 1 / 3, 1 / 4])
    np.testing.assert_allclose(get_schedule("poly", total_iters=4, power=1.0).lrs(1.0, 6), [1, 0.75, 0.5, 0.25, 0, 0])
    np.testing.assert_allclose(get_schedule("cyclic", max_lr=1.0, step_size_up=2).lrs(0.0, 6), [0, 0.5, 1, 0.5, 0, 0.5])
    np.testing.assert_allclose(get_schedule("cosine_restarts", T_0=2, T_mult=1).lrs(1.0, 4), [1, 0.5, 1, 0.5])
    np.testing.assert_allclose(get_schedule("constant", warmup_iters=4, warmup_start_factor=0.2).lrs(1.0, 6), [0.2, 0.4, 0.6, 0.8, 1, 1])


@pytest.mark.parametrize("name", list_schedules())
def test_trajectory_records_the_scheduled_rate(name):
    schedule = get_schedule(name)
    tr = run(get_optimizer("sgd", lr=0.01), SURFACE, STARTS, steps=30, schedule=schedule)
    np.testing.assert_array_equal(tr.lrs, schedule.lrs(0.01, 30))
    assert tr.lrs.shape == (30,)


# ----------------------------------------------------------------------------- noise


def test_noise_is_reproducible_by_seed_and_shrinks_with_batch_size():
    opt = get_optimizer("sgd", lr=0.01)
    a = run(opt, SURFACE, STARTS, steps=20, noise=1.0, seed=3)
    b = run(opt, SURFACE, STARTS, steps=20, noise=1.0, seed=3)
    c = run(opt, SURFACE, STARTS, steps=20, noise=1.0, seed=4)
    np.testing.assert_array_equal(a.points, b.points)
    assert not np.array_equal(a.points, c.points)

    clean = run(opt, SURFACE, [1.0, 1.0], steps=1).points[1, 0]
    spreads = []
    for batch_size in (1, 16, 256):
        many = run(opt, SURFACE, np.tile([1.0, 1.0], (4000, 1)), steps=1, noise=2.0, batch_size=batch_size)
        deviation = many.points[1] - clean
        spreads.append(deviation.std())
        np.testing.assert_allclose(deviation.std(), 0.01 * 2.0 / math.sqrt(batch_size), rtol=0.05)
    assert spreads[0] > spreads[1] > spreads[2]


# ----------------------------------------------------------------------------- divergence


def test_divergence_is_frozen_and_reported_without_warnings():
    starts = np.array([[0.1, 0.1], [2.5, 1.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = run(get_optimizer("sgd", lr=2.0), SURFACE, starts, steps=200)
    assert (tr.diverged_at > 0).all()
    assert np.isfinite(tr.points).all() and np.isfinite(tr.losses).all()
    for row, step in enumerate(tr.diverged_at):
        # frozen at the last finite point: nothing moves from step-1 on
        np.testing.assert_array_equal(tr.points[step - 1 :, row], np.broadcast_to(tr.points[step - 1, row], tr.points[step - 1 :, row].shape))


class Quartic:
    """f = (x^4 + y^4) / 4: SGD with lr 0.5 converges from 0.5 and explodes from 3."""

    bounds = ((-3, 3), (-3, 3))

    def f(self, p):
        return (p[..., 0] ** 4 + p[..., 1] ** 4) / 4

    def grad(self, p):
        return p**3

    def hessian(self, p):
        return 3 * p[..., :, None] ** 2 * np.eye(2)


def test_only_the_diverging_row_is_stopped():
    starts = np.array([[0.5, -0.5], [3.0, 0.2]])
    tr = run(get_optimizer("sgd", lr=0.5), Quartic(), starts, steps=50)
    assert tr.diverged_at[0] == -1 and tr.diverged_at[1] > 0
    assert np.abs(tr.points[-1, 0]).max() < 0.3
    for row, start in enumerate(starts):
        one = run(get_optimizer("sgd", lr=0.5), Quartic(), start, steps=50)
        np.testing.assert_array_equal(tr.points[:, row], one.points[:, 0])
        assert tr.diverged_at[row] == one.diverged_at[0]


def test_record_every_keeps_every_kth_and_the_last():
    tr = run(get_optimizer("adam", lr=0.05), SURFACE, STARTS, steps=25, record_every=10)
    np.testing.assert_array_equal(tr.step_index, [0, 10, 20, 25])
    full = run(get_optimizer("adam", lr=0.05), SURFACE, STARTS, steps=25)
    np.testing.assert_array_equal(tr.points, full.points[[0, 10, 20, 25]])
    final_only = run(get_optimizer("adam", lr=0.05), SURFACE, STARTS, steps=25, record_every=0)
    np.testing.assert_array_equal(final_only.points, full.points[[0, 25]])


def test_internals_are_recorded_for_teaching():
    tr = run(get_optimizer("adam", lr=0.05), SURFACE, STARTS, steps=10, record_internals=True)
    assert tr.grads.shape == tr.updates.shape == (10, 3, 2)
    np.testing.assert_allclose(tr.updates, np.diff(tr.points, axis=0))
    np.testing.assert_allclose(tr.grads[0], SURFACE.grad(STARTS))
    # Adam's update is -step_size * momentum (bias-corrected m over the denominator)
    np.testing.assert_allclose(tr.updates, -tr.internals["step_size"] * tr.internals["momentum"], rtol=1e-12)
    sgd = run(get_optimizer("sgd", lr=0.05, momentum=0.9), SURFACE, STARTS, steps=10, record_internals=True)
    np.testing.assert_allclose(sgd.updates, -0.05 * sgd.internals["momentum"], rtol=1e-12)


def test_fill_rule_puts_numbers_in_the_update_rule():
    from optimizers import fill_rule

    opt = get_optimizer("momentum", lr=0.05, momentum=0.8)
    filled = fill_rule(opt.update_rule, opt.hparams)
    assert r"\eta" not in filled and r"\mu" not in filled
    assert "{0.05}" in filled and "{0.8}" in filled


# ----------------------------------------------------------------------------- properties

def spec_strategy(spec):
    """Every value a generated widget can produce for this spec."""
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    if spec.kind == "pair":
        return st.tuples(st.floats(spec.ui_low, spec.ui_high), st.floats(spec.ui_low, spec.ui_high))
    if spec.kind == "int":
        return st.integers(int(spec.ui_low), int(spec.ui_high))
    return st.floats(spec.ui_low, spec.ui_high)


@st.composite
def optimizer_and_starts(draw):
    name = draw(st.sampled_from(list_optimizers()))
    specs = optimizer_info(name).specs
    hparams = {spec.name: draw(spec_strategy(spec)) for spec in specs if spec.name != "nesterov"}
    starts = draw(st.lists(st.tuples(st.floats(-3, 3), st.floats(-3, 3)), min_size=1, max_size=4))
    return name, hparams, np.array(starts, dtype=float)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(optimizer_and_starts())
def test_any_valid_run_is_finite_or_cleanly_diverged_and_batch_equals_rows(case):
    name, hparams, starts = case
    try:
        opt = get_optimizer(name, **hparams)
    except ValueError as error:
        # the only refusals of in-range values are the documented cross-parameter rules
        assert "dampening" in str(error), error
        assume(False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = run(opt, SURFACE, starts, steps=25)
    assert tr.points.shape == (26, len(starts), 2)
    assert np.isfinite(tr.points).all() and np.isfinite(tr.losses).all()
    assert ((tr.diverged_at == -1) | ((tr.diverged_at >= 1) & (tr.diverged_at <= 25))).all()
    for row, start in enumerate(starts):
        one = run(opt, SURFACE, start, steps=25)
        np.testing.assert_array_equal(tr.points[:, row], one.points[:, 0])
        assert tr.diverged_at[row] == one.diverged_at[0]


def test_a_run_that_leaves_ten_times_the_view_is_reported_diverged():
    # lr above 2/lambda_max: |y| grows by about 1.2x per step; the view is [-3, 3]^2
    tr = run(get_optimizer("sgd", lr=0.55), SURFACE, [0.0, 1.5], steps=200)
    step = int(tr.diverged_at[0])
    assert step > 0
    free = run(get_optimizer("sgd", lr=0.55), SURFACE, [0.0, 1.5], steps=step, escape_radius=1e12)
    assert np.abs(free.points[step - 1, 0]).max() <= 30.0 < np.abs(free.points[step, 0]).max()
