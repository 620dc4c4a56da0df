"""NumPy optimizer core: torch.optim's update rules over a batch of 2-D starting points.

    from optimizers import get_optimizer, run
    opt = get_optimizer("adam", lr=0.01)
    tr = run(opt, surface, x0, steps=300)
"""

from .aliases import OptimizerInfo, fill_rule, get_optimizer, list_optimizers, optimizer_info
from .base import HyperParam, Optimizer, StepContext, Transform, chain
from .clipping import clip_by_norm, clip_by_value
from .noise import minibatch_noise_std
from .runner import MAX_BATCH_SIZE, MAX_RECORDED_BYTES, RUN_SPECS, Trajectory, recorded_bytes, run
from .schedules import (
    WARMUP_SPECS,
    Schedule,
    get_schedule,
    list_schedules,
    schedule_specs,
    schedule_title,
)

__all__ = [
    "MAX_BATCH_SIZE",
    "MAX_RECORDED_BYTES",
    "RUN_SPECS",
    "HyperParam",
    "Optimizer",
    "OptimizerInfo",
    "Schedule",
    "StepContext",
    "Trajectory",
    "Transform",
    "WARMUP_SPECS",
    "chain",
    "clip_by_norm",
    "clip_by_value",
    "fill_rule",
    "get_optimizer",
    "get_schedule",
    "list_optimizers",
    "list_schedules",
    "minibatch_noise_std",
    "optimizer_info",
    "recorded_bytes",
    "run",
    "schedule_specs",
    "schedule_title",
]
