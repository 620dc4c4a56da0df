"""From a dataset and a model to the fields of a :class:`DataSurface`: its minima, the view
around them and a start. Shared by the library's iris surfaces and by user CSV files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..base import refine_minima
from .surface import BLOCK_ELEMENTS, DataModel, DataSurface, data_functions

NEWTON_TOL = 1e-12
# A logistic fit whose weights pass this norm is separating the classes: its loss has no
# minimum at a finite point (it keeps falling towards 0 as |p| grows).
RUNAWAY_NORM = 1e3
FLAT_CURVATURE = 1e-8


def _glm_minimum(f, grad, hessian) -> np.ndarray:
    """The minimum of a convex model (mse or logistic) by damped Newton from the origin;
    (0, 2) if there is none at a finite point (separable classes without penalty)."""
    p = np.zeros(2)
    with np.errstate(all="ignore"):
        for _ in range(200):
            g = grad(p)
            if np.linalg.norm(g) <= NEWTON_TOL * (1.0 + abs(f(p))):
                # Separable classes: the gradient also vanishes far out, where every example
                # is classified with certainty and the floor is flat; that is no minimum.
                flat = np.linalg.eigvalsh(hessian(p))[0] <= FLAT_CURVATURE
                return np.empty((0, 2)) if flat else p[None, :]
            try:
                step = np.linalg.solve(hessian(p), g)
            except np.linalg.LinAlgError:
                return np.empty((0, 2))
            t, value = 1.0, f(p)
            while t > 1e-10 and not f(p - t * step) <= value:
                t *= 0.5
            p = p - t * step
            if not np.all(np.isfinite(p)) or np.linalg.norm(p) > RUNAWAY_NORM:
                return np.empty((0, 2))
    return np.empty((0, 2))


def _tanh_minima(f, grad, hessian, x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Minima of mean (b tanh(a x) - y)^2 + (l2/2)|p|^2, global first.

    For fixed a the loss is quadratic in b, minimised by b*(a) = 2 mean(t y) / (2 mean(t^2)
    + l2) with t = tanh(a x); the local minima of the profile a -> f(a, b*(a)) over a > 0 are
    polished by Newton's method, and each minimum (a, b) has its mirror (-a, -b).
    """
    scale = float(np.max(np.abs(x)))
    a = np.linspace(0.0, 40.0 / scale, 2001)[1:]
    b = np.empty_like(a)
    rows = max(1, BLOCK_ELEMENTS // len(x))
    for start in range(0, len(a), rows):
        t = np.tanh(a[start:start + rows, None] * x)
        b[start:start + rows] = 2.0 * (t * y).mean(axis=1) / (2.0 * (t * t).mean(axis=1) + l2)
    profile = f(np.stack([a, b], axis=-1))
    interior = np.flatnonzero((profile[1:-1] < profile[:-2]) & (profile[1:-1] <= profile[2:])) + 1
    found = []
    for guess in np.stack([a[interior], b[interior]], axis=-1):
        try:
            found.append(refine_minima(grad, hessian, guess, tol=NEWTON_TOL * (1.0 + abs(f(guess))))[0])
        except RuntimeError:
            continue
    if not found:
        return np.empty((0, 2))
    points = np.array(found)
    points = points[np.argsort(f(points), kind="stable")]
    unique = [q for i, q in enumerate(points) if all(np.linalg.norm(q - r) > 1e-6 for r in points[:i])]
    return np.array([q for p in unique for q in (p, -p)])


def _nice(value: float) -> float:
    """Round up to a multiple of 0.5."""
    return math.ceil(value * 2.0) / 2.0


def parameter_names(dataset: Mapping[str, str]) -> tuple[str, str]:
    """The two parameters as the axes show them: ``"w1, w2"`` becomes ("w₁", "w₂")."""
    names = [name.strip().translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")) for name in dataset.get("parameters", "").split(",")]
    return (names[0], names[1]) if len(names) == 2 and all(names) else ("x", "y")


def data_surface_fields(
    kind: str,
    columns: np.ndarray,
    targets: np.ndarray,
    l2: float = 0.0,
    *,
    title: Mapping[str, str],
    description: Mapping[str, str],
    latex: str,
    dataset: Mapping[str, str],
    log_levels: bool = True,
) -> dict[str, Any]:
    """Every field of a :class:`DataSurface` but its name and parameters.

    Log-spaced levels by default: a dataset's loss is nearly flat over the region around its
    minimum and steep far from it (logistic: 0.11 to 1.5 over the view, half of it below
    0.16), so evenly spaced levels would leave the floor blank.

    The view: for ``tanh``, symmetric about the saddle at the origin and holding the mirror
    minima with 40 % to spare; otherwise a square holding the origin (where training
    starts) and the minimum, centred half-way between them, half-width at least 2.5, rounded
    to halves. The start: 70 % of the half-width down and left of the view's centre (mse,
    logistic); up and left of the saddle (tanh).
    """
    model = DataModel(kind)
    columns = np.array(columns, dtype=np.float64, ndmin=2)
    targets = np.array(targets, dtype=np.float64)
    f, grad, hessian = data_functions(model, columns, targets, l2)
    if kind == "tanh":
        minima = _tanh_minima(f, grad, hessian, columns[0], targets, l2)
        reach = np.abs(minima).max(axis=0) if len(minima) else np.ones(2)
        half = np.array([_nice(max(1.4 * reach[0], 1.0)), _nice(max(1.4 * reach[1], 1.0))])
        bounds = ((-half[0], half[0]), (-half[1], half[1]))
        start = np.array([-0.6 * half[0], 0.75 * half[1]])
    else:
        minima = _glm_minimum(f, grad, hessian)
        # Training starts at 0: show the origin and the minimum.
        centre = np.round(minima[0]) / 2.0 if len(minima) else np.zeros(2)
        half = _nice(max(2.5, 1.2 * float(np.abs(centre).max())))
        bounds = ((centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half))
        start = centre + half * np.array([-0.7, -0.7])
    return dict(
        f=f, grad=grad, hessian=hessian, bounds=bounds, minima=minima, default_start=start,
        title=title, description=description, latex=latex, log_levels=log_levels, axes=parameter_names(dataset),
        model=model, columns=columns, targets=targets, l2=float(l2), dataset=dataset,
        surface_class=DataSurface,
    )
