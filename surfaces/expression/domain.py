"""Where a formula is defined: the view's bounds and the checks of f on them.

Bounds are checked for shape, order and size before anything is built; after building, f
is evaluated on a grid over the view and refused with an example point where it is not
finite. The compiled gradient and Hessian follow f's domain (NaN where f is not finite, 0
for a 0/0 at a kink).
"""

from __future__ import annotations

import numpy as np

from ..base import Bounds

DEFAULT_BOUNDS: Bounds = ((-3.0, 3.0), (-3.0, 3.0))
# A view reaches at most this far from the origin: the domain grid, contour maps and
# optimizer runs all take differences of coordinates, which overflow near 1e308.
MAX_COORDINATE = 1e6
DOMAIN_GRID = 101  # odd, so the grid contains the centre of the view


def _checked_bounds(bounds) -> Bounds:
    try:
        array = np.asarray(bounds, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.shape != (2, 2) or not np.all(np.isfinite(array)):
        raise ValueError(f"Bounds must be ((xmin, xmax), (ymin, ymax)), got {bounds!r}")
    if not (array[0, 0] < array[0, 1] and array[1, 0] < array[1, 1]):
        raise ValueError(f"Bounds need min < max on both axes, got {bounds!r}")
    if np.abs(array).max() > MAX_COORDINATE:
        raise ValueError(f"Bounds must lie within -{MAX_COORDINATE:g} to {MAX_COORDINATE:g} on both axes, got {bounds!r}")
    return ((array[0, 0], array[0, 1]), (array[1, 0], array[1, 1]))


def _follow_domain_of_f(values: np.ndarray, f_values: np.ndarray, extra_axes: int) -> np.ndarray:
    """NaN where f is not finite; 0 instead of a 0/0 NaN where f is finite (a kink)."""
    defined = np.isfinite(f_values).reshape(f_values.shape + (1,) * extra_axes)
    values[np.isnan(values) & defined] = 0.0
    values[~np.broadcast_to(defined, values.shape)] = np.nan
    return values


def _check_domain(f, bounds: Bounds, expr, sp) -> None:
    (xmin, xmax), (ymin, ymax) = bounds
    grid = np.stack(
        np.meshgrid(np.linspace(xmin, xmax, DOMAIN_GRID), np.linspace(ymin, ymax, DOMAIN_GRID)),
        axis=-1,
    )
    values = f(grid)
    undefined = np.isnan(values)
    bad = undefined if undefined.any() else ~np.isfinite(values)
    if not bad.any():
        return
    # Report the bad point nearest the middle of the bad region: for log(x) that is
    # (-1.50, 0.00) rather than a corner.
    bad_points = grid[bad]
    example = bad_points[np.argmin(np.linalg.norm(bad_points - bad_points.mean(axis=0), axis=-1))]
    if undefined.any():
        causes = []
        if expr.has(sp.log):
            causes.append("log of zero or a negative number")
        powers = expr.atoms(sp.Pow)
        if any(power.exp.is_integer is not True for power in powers):
            causes.append("square root or fractional power of a negative number")
        if any(power.exp.is_negative for power in powers):
            causes.append("0/0")
        if expr.has(sp.asin, sp.acos):
            causes.append("arcsin/arccos outside [-1, 1]")
        hint = " or ".join(causes) or "undefined operation"
    else:
        hint = "division by zero, or a value too large"
    raise ValueError(
        f"f is not defined everywhere in the view: e.g. at (x, y) = "
        f"({example[0]:.2f}, {example[1]:.2f}) ({hint}?)"
    )
