"""Analysis on top of the vectorized core: which minimum a run reaches, how fast, and
(see the submodules) basins of attraction, hyperparameter sweeps, noise ensembles and
fair learning-rate tuning. Pure NumPy; imports ``optimizers`` and ``surfaces`` only.
"""

from .metrics import distance_to_nearest_minimum, reached_minimum, steps_to_tolerance

__all__ = ["distance_to_nearest_minimum", "reached_minimum", "steps_to_tolerance"]
