"""Optional: compare with torch.optim directly on random hyperparameters (runs where torch
is installed; the default suite uses the stored reference in test_torch_equivalence.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers import get_optimizer, run
from tests.reference.surface import STARTS, ReferenceSurface

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

STEPS = 30
SURFACE = ReferenceSurface()

# our name -> (torch class, strategies for the shared hyperparameters)
TORCH_OPTIMIZERS = {
    "sgd": ("SGD", {"lr": st.floats(1e-3, 0.1), "momentum": st.floats(0, 0.95), "dampening": st.floats(0, 0.9), "weight_decay": st.floats(0, 0.5)}),
    "adagrad": ("Adagrad", {"lr": st.floats(1e-3, 0.5), "lr_decay": st.floats(0, 0.1), "initial_accumulator_value": st.floats(0, 1), "eps": st.floats(1e-10, 1e-3)}),
    "rmsprop": ("RMSprop", {"lr": st.floats(1e-4, 0.05), "alpha": st.floats(0.5, 0.999), "momentum": st.floats(0, 0.9), "centered": st.booleans(), "weight_decay": st.floats(0, 0.1)}),
    "adadelta": ("Adadelta", {"lr": st.floats(0.1, 2), "rho": st.floats(0.5, 0.99), "eps": st.floats(1e-8, 1e-3)}),
    "adam": ("Adam", {"lr": st.floats(1e-3, 0.1), "betas": st.tuples(st.floats(0, 0.99), st.floats(0.5, 0.9999)), "amsgrad": st.booleans(), "weight_decay": st.floats(0, 0.1)}),
    "adamw": ("AdamW", {"lr": st.floats(1e-3, 0.1), "betas": st.tuples(st.floats(0, 0.99), st.floats(0.5, 0.9999)), "weight_decay": st.floats(0, 0.5)}),
    "adamax": ("Adamax", {"lr": st.floats(1e-3, 0.1), "betas": st.tuples(st.floats(0, 0.99), st.floats(0.5, 0.9999))}),
    "nadam": ("NAdam", {"lr": st.floats(1e-3, 0.1), "momentum_decay": st.floats(0, 0.05), "weight_decay": st.floats(0, 0.1), "decoupled_weight_decay": st.booleans()}),
}


def torch_points(torch_name, hparams):
    torch.set_default_dtype(torch.float64)
    params = [torch.tensor(start, dtype=torch.float64, requires_grad=True) for start in STARTS]
    opt = getattr(torch.optim, torch_name)(params, **hparams)
    points = [np.array(STARTS, dtype=float)]
    for _ in range(STEPS):
        # Our analytic gradient, so that only the optimizers are compared: near a kink of
        # the dynamics (e.g. Adamax with beta1 = 0) autograd's last-bit differences grow.
        for p in params:
            p.grad = torch.from_numpy(SURFACE.grad(p.detach().numpy()))
        opt.step()
        points.append(np.array([p.detach().numpy() for p in params]))
    return np.array(points)


@st.composite
def torch_case(draw):
    name = draw(st.sampled_from(sorted(TORCH_OPTIMIZERS)))
    torch_name, strategies = TORCH_OPTIMIZERS[name]
    return name, torch_name, {key: draw(strategy) for key, strategy in strategies.items()}


@settings(max_examples=60, deadline=None)
@given(torch_case())
def test_random_hyperparameters_match_torch(case):
    name, torch_name, hparams = case
    expected = torch_points(torch_name, hparams)
    ours = run(get_optimizer(name, **hparams), SURFACE, np.array(STARTS), steps=STEPS)
    np.testing.assert_allclose(ours.points, expected, rtol=1e-10, atol=1e-12)
