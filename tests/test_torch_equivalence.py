"""Trajectories equal torch.optim's, step for step, in float64.

The reference numbers were produced by PyTorch itself (tests/reference/make_torch_reference.py),
never by this code; this module needs no torch.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from optimizers import get_optimizer, get_schedule, run
from tests.reference.cases import CASES, STEPS
from tests.reference.surface import STARTS, ReferenceSurface

REFERENCE = json.loads((Path(__file__).parent / "reference" / "torch_trajectories.json").read_text())


def our_run(name, hparams, run_kwargs):
    kwargs = dict(run_kwargs)
    if "schedule" in kwargs:
        schedule_name, params = kwargs.pop("schedule")
        warmup = kwargs.pop("warmup", (0, 1 / 3))
        kwargs["schedule"] = get_schedule(
            schedule_name, warmup_iters=warmup[0], warmup_start_factor=warmup[1], **params
        )
    return run(get_optimizer(name, **hparams), ReferenceSurface(), np.array(STARTS), steps=STEPS, **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_trajectory_equals_torch(case):
    case_id, name, hparams, run_kwargs, *_ = case
    expected = REFERENCE["cases"][case_id]
    tr = our_run(name, hparams, run_kwargs)
    np.testing.assert_allclose(tr.lrs, expected["lrs"], rtol=1e-12, atol=0)
    np.testing.assert_allclose(tr.points, np.array(expected["points"]), rtol=1e-10, atol=1e-12)
    assert (tr.diverged_at == -1).all()


def test_reference_cases_move():
    """Guard against a vacuous comparison: every case actually travels."""
    for case_id, case in REFERENCE["cases"].items():
        points = np.array(case["points"])
        assert np.abs(points[-1] - points[0]).max() > 0.1, case_id
