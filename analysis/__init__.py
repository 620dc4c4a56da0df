"""Analysis on top of the vectorized core: which minimum a run reaches, how fast, and
(see the submodules) basins of attraction, hyperparameter sweeps, noise ensembles and
fair learning-rate tuning. Pure NumPy; imports ``optimizers`` and ``surfaces`` only.

    from analysis import basin_map, hyperparameter_sweep, noise_ensemble, tune_learning_rate
"""

from .basins import (
    DIVERGED,
    LEFT_VIEW,
    MAX_RESOLUTION,
    NOT_CONVERGED,
    BasinMap,
    basin_map,
    basin_maps,
    classify_final_points,
    default_radius,
    start_grid,
)
from .ensembles import (
    Ensemble,
    ensembles_by_batch_size,
    noise_ensemble,
    settled_ensemble,
    sgd_noise_ball,
)
from .metrics import distance_to_nearest_minimum, reached_minimum, steps_to_tolerance
from .rowrates import RowRateOptimizer, run_rates
from .sweeps import (
    AxisSpec,
    SweepResult,
    SweepTheory,
    axis_values,
    hyperparameter_sweep,
    optimal_heavy_ball,
    quadratic_curvatures,
    stability_limit,
    stack_sweeps,
    sweep_axes,
    sweep_row,
    sweep_theory,
)
from .tuning import (
    CRITERIA,
    TuningResult,
    bracketed_tuning,
    extended_grid,
    learning_rate_grid,
    tune_each,
    tune_learning_rate,
)

__all__ = [
    "CRITERIA",
    "DIVERGED",
    "LEFT_VIEW",
    "MAX_RESOLUTION",
    "NOT_CONVERGED",
    "AxisSpec",
    "BasinMap",
    "Ensemble",
    "RowRateOptimizer",
    "SweepResult",
    "SweepTheory",
    "TuningResult",
    "axis_values",
    "basin_map",
    "basin_maps",
    "classify_final_points",
    "default_radius",
    "distance_to_nearest_minimum",
    "ensembles_by_batch_size",
    "hyperparameter_sweep",
    "learning_rate_grid",
    "noise_ensemble",
    "settled_ensemble",
    "optimal_heavy_ball",
    "quadratic_curvatures",
    "reached_minimum",
    "run_rates",
    "sgd_noise_ball",
    "stability_limit",
    "stack_sweeps",
    "start_grid",
    "steps_to_tolerance",
    "sweep_axes",
    "sweep_row",
    "sweep_theory",
    "tune_each",
    "bracketed_tuning",
    "extended_grid",
    "tune_learning_rate",
]
