"""Regenerate torch_trajectories.json from PyTorch (float64): python -m tests.reference.make_torch_reference

Needs torch (pip install torch); the test suite itself only reads the JSON.
"""

import json
from pathlib import Path

import torch

from .cases import CASES, STEPS
from .surface import STARTS, torch_f

OUT = Path(__file__).with_name("torch_trajectories.json")


def torch_trajectory(torch_name, torch_kwargs, scheduler, run_kwargs):
    params = [torch.tensor(start, dtype=torch.float64, requires_grad=True) for start in STARTS]
    opt = getattr(torch.optim, torch_name)(params, **torch_kwargs)
    sched = None
    if scheduler:
        name, kwargs = scheduler
        if name == "Chained":
            parts = [getattr(torch.optim.lr_scheduler, n)(opt, **k) for n, k in kwargs]
            sched = torch.optim.lr_scheduler.ChainedScheduler(parts)
        else:
            sched = getattr(torch.optim.lr_scheduler, name)(opt, **kwargs)
    points = [[list(map(float, p.detach())) for p in params]]
    lrs = []
    for _ in range(STEPS):
        opt.zero_grad()
        for p in params:
            torch_f(p).backward()
            # clipping per starting point: each start is its own parameter tensor
            if "clip_value" in run_kwargs:
                torch.nn.utils.clip_grad_value_([p], run_kwargs["clip_value"])
            if "clip_norm" in run_kwargs:
                torch.nn.utils.clip_grad_norm_([p], run_kwargs["clip_norm"])
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if sched is not None:
            sched.step()
        points.append([list(map(float, p.detach())) for p in params])
    return points, lrs


def main():
    torch.set_default_dtype(torch.float64)
    data = {"torch_version": torch.__version__, "steps": STEPS, "starts": STARTS, "cases": {}}
    for case_id, _, _, run_kwargs, torch_name, torch_kwargs, scheduler in CASES:
        points, lrs = torch_trajectory(torch_name, torch_kwargs, scheduler, run_kwargs)
        data["cases"][case_id] = {"points": points, "lrs": lrs}
    OUT.write_text(json.dumps(data, indent=None))
    print(f"wrote {OUT.name}: {len(CASES)} cases, torch {torch.__version__}")


if __name__ == "__main__":
    main()
