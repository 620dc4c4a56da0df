"""Mini-batch gradient noise (seeds 002 and 003), seeded and reproducible.

A mini-batch gradient is the full gradient plus the mean of ``batch_size`` independent
per-example deviations, each with standard deviation ``noise`` per coordinate. Its
variance is ``noise**2 / batch_size``: a batch k times larger has k times less variance,
which is why it tolerates a larger learning rate (the linear scaling rule).
"""

from __future__ import annotations

import math

import numpy as np


def minibatch_noise_std(noise: float, batch_size: int) -> float:
    """Standard deviation per coordinate of the mini-batch gradient's error."""
    return noise / math.sqrt(batch_size)


def sample_gradient_noise(rng: np.random.Generator, shape: tuple[int, ...], noise: float, batch_size: int) -> np.ndarray:
    """One draw of mini-batch noise for a (B, 2) gradient."""
    return minibatch_noise_std(noise, batch_size) * rng.standard_normal(shape)
