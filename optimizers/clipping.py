"""Gradient clipping, per starting point (row), branch-free as torch's ``clip_grad_norm_``."""

from __future__ import annotations

import numpy as np


def clip_by_value(grads: np.ndarray, clip_value: float) -> np.ndarray:
    """Clamp each coordinate to ``[-clip_value, clip_value]`` (Keras ``clipvalue``).

    Seed 001: ``[0.9, 100.0]`` with 1.0 gives ``[0.9, 1.0]``; the direction changes.
    """
    return np.clip(grads, -clip_value, clip_value)


def clip_by_norm(grads: np.ndarray, max_norm: float) -> np.ndarray:
    """Scale each row so its 2-norm is at most ``max_norm``; the direction is kept.

    As torch: ``coef = max_norm / (norm + 1e-6)`` clamped to 1. Seed 001: ``[0.9, 100.0]``
    with 1.0 gives ``[0.00899964, 0.9999595]``.
    """
    norm = np.linalg.norm(grads, axis=-1, keepdims=True)
    coef = np.minimum(max_norm / (norm + 1e-6), 1.0)
    return grads * coef
