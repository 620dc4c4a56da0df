"""Which recorded steps become animation frames: long runs are decimated, the last step kept."""

from __future__ import annotations

import numpy as np


def frame_indices(n_points: int, max_frames: int) -> np.ndarray:
    """Indices into a trajectory of ``n_points`` points, at most ``max_frames`` of them,
    evenly spaced, always including the first and the last point."""
    if n_points <= 0:
        return np.zeros(0, dtype=int)
    if max_frames < 2 or n_points <= max_frames:
        return np.arange(n_points) if max_frames >= n_points else np.array([n_points - 1])
    return np.unique(np.linspace(0, n_points - 1, max_frames).round().astype(int))
