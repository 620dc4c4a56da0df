"""The Surface record, its parameter spec, and the numeric helpers all surfaces share.

A surface is plain data plus three vectorised functions over points of shape (..., 2):
``f`` -> (...), ``grad`` -> (..., 2), ``hessian`` -> (..., 2, 2). One implementation serves a
contour grid (H, W, 2), a batch of optimizer rows (B, 2) and a single point (2,).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

Bounds = tuple[tuple[float, float], tuple[float, float]]
PointFunction = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class SurfaceParam:
    """A user-changeable surface parameter: enough for a UI to generate its widget.

    Laid out like ``optimizers.base.HyperParam`` (``symbol``, ``help_en``/``help_zh``, ``log``)
    so one widget factory can serve both.
    """

    name: str
    default: float
    min: float
    max: float
    symbol: str
    help_en: str
    help_zh: str
    log: bool = False

    @property
    def help(self) -> dict[str, str]:
        return {"en": self.help_en, "zh": self.help_zh}

    def validate(self, value: object, surface: str) -> float:
        """Return ``value`` as a float, or raise ValueError saying what range is allowed."""
        is_number = isinstance(value, int | float | np.integer | np.floating)
        if isinstance(value, bool) or not is_number or not np.isfinite(value):
            raise ValueError(
                f"Parameter '{self.name}' of surface '{surface}' must be a finite number, "
                f"got {value!r}"
            )
        if not self.min <= value <= self.max:
            raise ValueError(
                f"Parameter '{self.name}' of surface '{surface}' must be between "
                f"{self.min:g} and {self.max:g}, got {value!r}"
            )
        return float(value)


@dataclass(frozen=True, eq=False, repr=False)
class Surface:
    """An analytic 2-D test function with everything a lesson needs to show it.

    ``minima`` holds known local minima, global first ((0, 2) when there are none, e.g. a
    saddle). ``params`` are the parameter values this instance was built with and
    ``param_specs`` describe the ones a user may change (``get_surface(name, **params)``).
    ``eq=False``: surfaces compare and hash by identity, since they hold functions and arrays.
    """

    name: str
    f: PointFunction
    grad: PointFunction
    hessian: PointFunction
    bounds: Bounds
    minima: np.ndarray
    default_start: np.ndarray
    title: Mapping[str, str]
    description: Mapping[str, str]
    latex: str
    log_levels: bool = False
    params: Mapping[str, object] = field(default_factory=dict)
    param_specs: tuple[SurfaceParam, ...] = ()
    axes: tuple[str, str] = ("x", "y")  # the names of the two coordinates (a data surface's w, b)

    def __post_init__(self) -> None:
        (xmin, xmax), (ymin, ymax) = self.bounds
        bounds = ((float(xmin), float(xmax)), (float(ymin), float(ymax)))
        if not (xmin < xmax and ymin < ymax and np.all(np.isfinite(bounds))):
            raise ValueError(f"Bounds must be finite with min < max, got {self.bounds}")
        minima = np.array(self.minima, dtype=np.float64).reshape(-1, 2)
        start = np.array(self.default_start, dtype=np.float64).reshape(2)
        # Shared by every caller of this surface (get_surface builds each once), so nobody
        # may change them in place.
        minima.flags.writeable = False
        start.flags.writeable = False
        for name in ("title", "description", "params"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        object.__setattr__(self, "bounds", bounds)
        object.__setattr__(self, "minima", minima)
        object.__setattr__(self, "default_start", start)

    def __repr__(self) -> str:
        return f"Surface({self.name!r}, params={dict(self.params)!r})"


def split_xy(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of points (..., 2) as two float64 arrays of shape (...)."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"Points must have shape (..., 2), got {p.shape}")
    return p[..., 0], p[..., 1]


def pack_grad(gx, gy, shape: tuple[int, ...]) -> np.ndarray:
    """Stack gradient components into (*shape, 2); scalar components are broadcast."""
    out = np.empty((*shape, 2))
    out[..., 0] = gx
    out[..., 1] = gy
    return out


def pack_hessian(hxx, hxy, hyy, shape: tuple[int, ...]) -> np.ndarray:
    """Symmetric (*shape, 2, 2) Hessian from its three entries; scalars are broadcast."""
    out = np.empty((*shape, 2, 2))
    out[..., 0, 0] = hxx
    out[..., 0, 1] = hxy
    out[..., 1, 0] = hxy
    out[..., 1, 1] = hyy
    return out


def refine_minima(
    grad: PointFunction, hessian: PointFunction, guesses, tol: float = 1e-10, max_iter: int = 50
) -> np.ndarray:
    """Newton-polish approximate minima until each gradient norm is at most ``tol``.

    Published minima (six-hump camel, Goldstein-Price, ...) carry 4-6 digits and Gaussian
    centres are not the minima of a sum of Gaussians, so every listed minimum goes through
    here. Raises RuntimeError if a point does not converge to a minimum (gradient too large
    or Hessian not positive semi-definite).
    """
    points = np.array(guesses, dtype=np.float64).reshape(-1, 2)
    for _ in range(max_iter):
        g = grad(points)
        if np.all(np.linalg.norm(g, axis=-1) <= tol):
            break
        points = points - np.linalg.solve(hessian(points), g[..., None])[..., 0]
    g_norm = np.linalg.norm(grad(points), axis=-1)
    curvature = np.linalg.eigvalsh(hessian(points))[:, 0]
    bad = (g_norm > tol) | ~(curvature >= 0)
    if np.any(bad):
        raise RuntimeError(
            f"Newton refinement did not reach a minimum from {np.asarray(guesses)[bad]}: "
            f"gradient norms {g_norm[bad]}, smallest curvatures {curvature[bad]}"
        )
    return points
