"""The surface library: the four lecture scenes, then the classic optimisation test functions.

Every surface is a builder registered with ``@_register(name, *param_specs)``. A builder takes
the surface's parameters as keyword arguments and returns the remaining ``Surface`` fields;
``get_surface`` validates the parameters and assembles the ``Surface``. f, grad and hessian
are hand-derived NumPy (no sympy at call time): the optimizer runner calls them hundreds of
times on up to 65536 points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .base import Surface, SurfaceParam, pack_grad, pack_hessian, refine_minima, split_xy
from .data.catalog import DATA_SURFACES


@dataclass(frozen=True)
class _Entry:
    build: Callable[..., dict[str, Any]]
    specs: tuple[SurfaceParam, ...]


_REGISTRY: dict[str, _Entry] = {}


def _register(name: str, *specs: SurfaceParam):
    def decorator(build: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        _REGISTRY[name] = _Entry(build, specs)
        return build

    return decorator


def list_surfaces() -> list[str]:
    """Names of the library surfaces: the four lecture scenes first, then the classics, then
    the data surfaces (``data_linreg``, ``data_logreg``, ``data_tanh``)."""
    return list(_REGISTRY)


def get_surface(name: str, **params: float) -> Surface:
    """The library surface ``name``, with any of its parameters changed.

    >>> dict(get_surface("elongated_bowl", condition=50, angle=30).params)
    {'condition': 50.0, 'angle': 30.0}

    An unknown name or parameter, or a value outside the parameter's range, raises
    ValueError naming what is allowed.
    """
    entry = _REGISTRY.get(name) if isinstance(name, str) else None
    if entry is None:
        raise ValueError(f"Unknown surface {name!r}. Valid names: {', '.join(_REGISTRY)}")
    by_name = {spec.name: spec for spec in entry.specs}
    unknown = sorted(set(params) - set(by_name))
    if unknown:
        valid = ", ".join(by_name) if by_name else "none (this surface has no parameters)"
        raise ValueError(
            f"Unknown parameter {unknown[0]!r} for surface '{name}'. Valid parameters: {valid}"
        )
    values = {
        spec.name: spec.validate(params[spec.name], name) if spec.name in params else spec.default
        for spec in entry.specs
    }
    return _built(name, tuple(values.items()))


@lru_cache(maxsize=256)
def _built(name: str, values: tuple[tuple[str, float], ...]) -> Surface:
    # Built once per parameter set: building refines the minima by Newton's method, and the
    # app asks for a surface many times per rerun. Surfaces are immutable (read-only arrays),
    # so callers can share one.
    entry = _REGISTRY[name]
    fields = entry.build(**dict(values))
    surface_class = fields.pop("surface_class", Surface)  # data surfaces: DataSurface
    return surface_class(name=name, params=dict(values), param_specs=entry.specs, **fields)


def _text(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def _gaussian_bumps(x, y, centres, heights, width: float, order: int):
    """Sum of h_i exp(-|p - c_i|^2 / (2 width^2)), or its gradient (order 1) or Hessian (2).

    Far from every centre the exponentials underflow to 0 silently (NumPy ignores underflow),
    which is the right value.
    """
    # All centres at once along a last axis (for one start, ~25 NumPy calls become ~8: the
    # app runs one start per optimizer). Each term is computed as before and the sum runs
    # over the centres in order, so the values are the same to the last bit.
    inv_var = 1.0 / width**2
    centres = np.asarray(centres, dtype=float).reshape(-1, 2)
    dx, dy = np.subtract.outer(x, centres[:, 0]), np.subtract.outer(y, centres[:, 1])
    bump = np.asarray(heights, dtype=float).reshape(-1) * np.exp(-0.5 * inv_var * (dx * dx + dy * dy))
    if order == 0:
        return bump.sum(axis=-1)
    if order == 1:
        return -(inv_var * dx * bump).sum(axis=-1), -(inv_var * dy * bump).sum(axis=-1)
    return (
        (inv_var * (inv_var * dx * dx - 1.0) * bump).sum(axis=-1),
        (inv_var * inv_var * dx * dy * bump).sum(axis=-1),
        (inv_var * (inv_var * dy * dy - 1.0) * bump).sum(axis=-1),
    )


# --------------------------------------------------------------------------------------
# The four lecture scenes
# --------------------------------------------------------------------------------------

_SADDLE_A = SurfaceParam(
    "a", 1.0, 0.1, 5.0, "a",
    "Curvature along x (upward): the direction that leads into the saddle.",
    "x 方向的曲率（向上弯）：沿这个方向会走进鞍点。",
)
_SADDLE_B = SurfaceParam(
    "b", 1.0, 0.1, 5.0, "b",
    "Curvature along y (downward): the escape direction.",
    "y 方向的曲率（向下弯）：逃离鞍点的方向。",
)
# On the stable manifold y = 0 exactly, every gradient method walks into the saddle and
# stays; a tiny offset lets the unstable direction grow, slowly for SGD (a factor 1 + lr*b
# per step) and at once for sign-like methods (Adam, RMSProp).
_SADDLE_START = (-1.5, 1e-3)


@_register("saddle", _SADDLE_A, _SADDLE_B)
def _saddle(a: float, b: float) -> dict[str, Any]:
    """f(x, y) = (a x^2 - b y^2) / 2. Hessian diag(a, -b); no minimum (f -> -inf along y)."""

    def f(p):
        x, y = split_xy(p)
        return 0.5 * (a * x * x - b * y * y)

    def grad(p):
        x, y = split_xy(p)
        return pack_grad(a * x, -b * y, x.shape)

    def hessian(p):
        x, _ = split_xy(p)
        return pack_hessian(a, 0.0, -b, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        minima=np.empty((0, 2)),
        default_start=_SADDLE_START,
        title=_text("Saddle point", "鞍点曲面"),
        description=_text(
            "Zero gradient that is not a minimum: plain SGD stalls near it, momentum and "
            "adaptive methods escape.",
            "梯度为零却不是极小值：普通 SGD 在附近停滞，动量和自适应方法能逃离。",
        ),
        latex=r"f(x, y) = \tfrac{1}{2}\left(a x^2 - b y^2\right)",
    )


_ELONGATED_CONDITION = SurfaceParam(
    "condition", 10.0, 1.0, 1000.0, r"\kappa",
    "Condition number: ratio of the steepest to the flattest curvature.",
    "条件数：最陡曲率与最平缓曲率之比。",
    log=True,
)
_ELONGATED_ANGLE = SurfaceParam(
    "angle", 0.0, -90.0, 90.0, r"\theta",
    "Rotation of the long axis from the x axis, in degrees.",
    "长轴相对 x 轴的旋转角（度）。",
)


@_register("elongated_bowl", _ELONGATED_CONDITION, _ELONGATED_ANGLE)
def _elongated_bowl(condition: float, angle: float) -> dict[str, Any]:
    """f(p) = p^T A p / 2 with A = R(angle) diag(1, condition) R(angle)^T.

    The curvatures are 1 along the long axis and ``condition`` across it, so plain gradient
    descent is stable exactly for lr < 2 / condition while the long axis shrinks by (1 - lr)
    per step: the condition number alone sets how slow the best stable run is. The Hessian
    is the constant matrix A.
    """
    theta = np.deg2rad(angle)
    c, s = np.cos(theta), np.sin(theta)
    rotation = np.array([[c, -s], [s, c]])
    matrix = rotation @ np.diag([1.0, condition]) @ rotation.T
    axx, axy, ayy = matrix[0, 0], 0.5 * (matrix[0, 1] + matrix[1, 0]), matrix[1, 1]

    def f(p):
        x, y = split_xy(p)
        return 0.5 * (axx * x * x + ayy * y * y) + axy * x * y

    def grad(p):
        x, y = split_xy(p)
        return pack_grad(axx * x + axy * y, axy * x + ayy * y, x.shape)

    def hessian(p):
        x, _ = split_xy(p)
        return pack_hessian(axx, axy, ayy, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-3.0, 3.0), (-3.0, 3.0)),
        minima=[(0.0, 0.0)],
        # Same place relative to the valley whatever the angle.
        default_start=rotation @ np.array([-2.5, 1.0]),
        title=_text("Elongated bowl", "狭长碗形曲面"),
        description=_text(
            "Ill-conditioned quadratic: the steep direction limits the learning rate, the "
            "flat one makes progress slow.",
            "病态二次函数：陡峭方向限制学习率，平缓方向让进展缓慢。",
        ),
        latex=(
            r"f(\mathbf{p}) = \tfrac{1}{2}\,\mathbf{p}^\top R_\theta"
            r"\begin{pmatrix}1 & 0\\ 0 & \kappa\end{pmatrix}R_\theta^\top\mathbf{p}"
        ),
        log_levels=True,
    )


_THREE_MINIMA_WIDTH = SurfaceParam(
    "width", 0.7, 0.5, 0.75, r"\sigma",
    "Width of each low (Gaussian sigma): wider lows have wider basins.",
    "每处低地的宽度（高斯 sigma）：越宽，吸引域越大。",
)
_THREE_MINIMA_BOWL = SurfaceParam(
    "bowl", 0.06, 0.02, 0.12, "c",
    "Strength of the gentle bowl that keeps runs in view.",
    "外围缓碗的强度，让轨迹留在视野内。",
)


def _depth_param(where: str, where_zh: str, default: float, symbol: str) -> SurfaceParam:
    return SurfaceParam(
        f"depth_{where}", default, 0.8, 2.0, symbol,
        f"Depth of the {where} low.", f"{where_zh}低地的深度。",
    )


_THREE_MINIMA_CENTRES = ((1.3, -1.0), (-1.4, -0.9), (0.0, 1.4))


@_register(
    "three_minima",
    _depth_param("right", "右侧", 1.5, "d_1"),
    _depth_param("left", "左侧", 1.2, "d_2"),
    _depth_param("top", "上方", 0.9, "d_3"),
    _THREE_MINIMA_WIDTH,
    _THREE_MINIMA_BOWL,
)
def _three_minima(
    depth_right: float, depth_left: float, depth_top: float, width: float, bowl: float
) -> dict[str, Any]:
    """f(p) = c |p|^2 - sum_i d_i exp(-|p - c_i|^2 / (2 sigma^2)), three lows of depth d_i.

    Centres c_i: right (1.3, -1.0), left (-1.4, -0.9), top (0, 1.4). The minima are not the
    centres (the bowl and the other lows pull on them); they are found by Newton's method
    and sorted deepest first. The parameter ranges keep exactly three minima.
    """
    depths = (depth_right, depth_left, depth_top)

    def f(p):
        x, y = split_xy(p)
        return bowl * (x * x + y * y) - _gaussian_bumps(x, y, _THREE_MINIMA_CENTRES, depths, width, 0)

    def grad(p):
        x, y = split_xy(p)
        gx, gy = _gaussian_bumps(x, y, _THREE_MINIMA_CENTRES, depths, width, 1)
        return pack_grad(2 * bowl * x - gx, 2 * bowl * y - gy, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        hxx, hxy, hyy = _gaussian_bumps(x, y, _THREE_MINIMA_CENTRES, depths, width, 2)
        return pack_hessian(2 * bowl - hxx, -hxy, 2 * bowl - hyy, x.shape)

    minima = refine_minima(grad, hessian, _THREE_MINIMA_CENTRES)
    minima = minima[np.argsort(f(minima), kind="stable")]
    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-3.0, 3.0), (-3.0, 3.0)),
        minima=minima,
        # On the ridge above the deepest low: plain gradient descent slides into the shallow
        # top low, heavy-ball momentum tends to carry on to the left one, and sign-like steps
        # (Adam, RMSProp) head down to the deepest.
        default_start=(2.6, 1.4),
        title=_text("Three minima", "三处低地的曲面"),
        description=_text(
            "Three lows of different depth: which one a run ends in depends on the optimizer "
            "and the start.",
            "三处深浅不同的低地：最终落入哪一处取决于优化器和起点。",
        ),
        latex=(
            r"f(\mathbf{p}) = c\,\lVert\mathbf{p}\rVert^2 - \sum_{i=1}^{3} d_i\,"
            r"e^{-\lVert\mathbf{p}-\mathbf{c}_i\rVert^2 / (2\sigma^2)}"
        ),
    )


_RAVINE_STEEPNESS = SurfaceParam(
    "steepness", 20.0, 2.0, 100.0, "s",
    "Curvature across the valley: steeper walls make SGD zig-zag.",
    "横跨峡谷的曲率：谷壁越陡，SGD 越容易来回振荡。",
    log=True,
)
_RAVINE_BEND = SurfaceParam(
    "bend", 1.0, 0.0, 1.5, "A",
    "Amplitude of the valley's S-bend (0: a straight valley).",
    "峡谷 S 形弯曲的幅度（0 为直谷）。",
)
_RAVINE_FLOOR = SurfaceParam(
    "floor", 0.1, 0.01, 1.0, "g",
    "Curvature along the valley floor: smaller is flatter and slower.",
    "谷底方向的曲率：越小越平，进展越慢。",
    log=True,
)
_RAVINE_MIN_X = 2.0


@_register("ravine", _RAVINE_STEEPNESS, _RAVINE_BEND, _RAVINE_FLOOR)
def _ravine(steepness: float, bend: float, floor: float) -> dict[str, Any]:
    """f(x, y) = s (y - A sin x)^2 / 2 + g (x - 2)^2 / 2: a narrow S-shaped valley.

    The valley floor is the curve y = A sin x, descending gently (curvature g) towards its
    only minimum (2, A sin 2); across it the curvature is s (s / g = 200 by default). The
    only critical point is that minimum: df/dy = 0 puts a point on the floor, where
    df/dx = g (x - 2).
    """

    def f(p):
        x, y = split_xy(p)
        across = y - bend * np.sin(x)
        return 0.5 * steepness * across * across + 0.5 * floor * (x - _RAVINE_MIN_X) ** 2

    def grad(p):
        x, y = split_xy(p)
        across = y - bend * np.sin(x)
        slope = bend * np.cos(x)
        gx = -steepness * across * slope + floor * (x - _RAVINE_MIN_X)
        return pack_grad(gx, steepness * across, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        sin_x = np.sin(x)
        across = y - bend * sin_x
        slope = bend * np.cos(x)
        hxx = steepness * (slope * slope + across * bend * sin_x) + floor
        return pack_hessian(hxx, -steepness * slope, steepness, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-3.0, 3.0), (-2.0, 2.0)),
        minima=[(_RAVINE_MIN_X, bend * np.sin(_RAVINE_MIN_X))],
        # Below the floor, where the first steps head along the valley, not out of the view.
        default_start=(-2.5, bend * np.sin(-2.5) - 0.6),
        title=_text("Ravine", "峡谷地貌"),
        description=_text(
            "A long, narrow, curved valley: SGD zig-zags between the walls, momentum and "
            "adaptive methods follow the floor.",
            "狭长弯曲的峡谷：SGD 在两壁间来回振荡，动量和自适应方法沿谷底前进。",
        ),
        latex=r"f(x, y) = \tfrac{s}{2}\left(y - A\sin x\right)^2 + \tfrac{g}{2}(x - 2)^2",
        log_levels=True,
    )


_SADDLE_WALL = SurfaceParam(
    "wall", 0.5, 0.2, 5.0, "w",
    "Strength of the quartic wall that stops the escape along y.",
    "四次墙的强度：阻止沿 y 方向无限下滑。",
)


@_register("saddle_quartic", _SADDLE_A, _SADDLE_B, _SADDLE_WALL)
def _saddle_quartic(a: float, b: float, wall: float) -> dict[str, Any]:
    """f(x, y) = (a x^2 - b y^2) / 2 + w y^4 / 4: the saddle with a bounded far field.

    Same saddle at the origin, but the quartic wall turns the escape direction into two
    equal minima (0, +-sqrt(b / w)) with f = -b^2 / (4 w), so escaping runs stay in view.
    The one on the side of the default start (y > 0) is listed first.
    """

    def f(p):
        x, y = split_xy(p)
        y2 = y * y
        return 0.5 * (a * x * x - b * y2) + 0.25 * wall * y2 * y2

    def grad(p):
        x, y = split_xy(p)
        return pack_grad(a * x, y * (wall * y * y - b), x.shape)

    def hessian(p):
        x, y = split_xy(p)
        return pack_hessian(a, 0.0, 3.0 * wall * y * y - b, x.shape)

    escape = np.sqrt(b / wall)
    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        minima=[(0.0, escape), (0.0, -escape)],
        default_start=_SADDLE_START,
        title=_text("Saddle with a quartic wall", "带四次墙的鞍点曲面"),
        description=_text(
            "The same saddle, but escaping runs settle in one of two minima instead of "
            "leaving the view.",
            "同样的鞍点，但逃离后会停在两个极小值之一，不会跑出视野。",
        ),
        latex=r"f(x, y) = \tfrac{1}{2}\left(a x^2 - b y^2\right) + \tfrac{w}{4} y^4",
    )


# --------------------------------------------------------------------------------------
# Classic test functions
# --------------------------------------------------------------------------------------

_ROSENBROCK_A = SurfaceParam(
    "a", 1.0, 0.5, 1.5, "a", "Position of the minimum (a, a^2).", "极小值位置 (a, a^2)。",
)
_ROSENBROCK_B = SurfaceParam(
    "b", 100.0, 1.0, 200.0, "b",
    "Steepness of the valley walls.", "谷壁的陡峭程度。",
    log=True,
)


@_register("rosenbrock", _ROSENBROCK_A, _ROSENBROCK_B)
def _rosenbrock(a: float, b: float) -> dict[str, Any]:
    """f(x, y) = (a - x)^2 + b (y - x^2)^2, minimum (a, a^2)."""

    def f(p):
        x, y = split_xy(p)
        return (a - x) ** 2 + b * (y - x * x) ** 2

    def grad(p):
        x, y = split_xy(p)
        across = y - x * x
        return pack_grad(-2.0 * (a - x) - 4.0 * b * x * across, 2.0 * b * across, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        return pack_hessian(2.0 - 4.0 * b * y + 12.0 * b * x * x, -4.0 * b * x, 2.0 * b, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-2.0, 2.0), (-1.0, 3.0)),
        minima=[(a, a * a)],
        default_start=(-1.2, 1.0),
        title=_text("Rosenbrock", "Rosenbrock 函数"),
        description=_text(
            "A curved banana valley: easy to find, slow to follow to its minimum.",
            "弯曲的香蕉形山谷：谷底容易找到，沿谷走到极小值却很慢。",
        ),
        latex=r"f(x, y) = (a - x)^2 + b\,(y - x^2)^2",
        log_levels=True,
    )


_BEALE_C = (1.5, 2.25, 2.625)


@_register("beale")
def _beale() -> dict[str, Any]:
    """f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2, min (3, 0.5).

    Written as sum_k t_k^2 with t_k = c_k - x + x y^k.
    """

    def terms(x, y):
        """(t_k, dt_k/dx, dt_k/dy, d2t_k/dxdy, d2t_k/dy2) for k = 1, 2, 3."""
        y_pow = (1.0, y, y * y, y * y * y)
        for k, c in enumerate(_BEALE_C, start=1):
            yield (
                c + x * (y_pow[k] - 1.0), y_pow[k] - 1.0, k * x * y_pow[k - 1], k * y_pow[k - 1],
                k * (k - 1) * x * y_pow[max(k - 2, 0)],
            )

    def f(p):
        x, y = split_xy(p)
        y2 = y * y
        return sum((c + x * (y_k - 1.0)) ** 2 for c, y_k in zip(_BEALE_C, (y, y2, y2 * y), strict=True))

    def grad(p):
        x, y = split_xy(p)
        gx = gy = 0.0
        for t, tx, ty, _, _ in terms(x, y):
            gx = gx + 2.0 * t * tx
            gy = gy + 2.0 * t * ty
        return pack_grad(gx, gy, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        hxx = hxy = hyy = 0.0
        for t, tx, ty, txy, tyy in terms(x, y):
            hxx = hxx + 2.0 * tx * tx
            hxy = hxy + 2.0 * (tx * ty + t * txy)
            hyy = hyy + 2.0 * (ty * ty + t * tyy)
        return pack_hessian(hxx, hxy, hyy, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-4.5, 4.5), (-4.5, 4.5)),
        minima=[(3.0, 0.5)],
        default_start=(1.0, 1.5),
        title=_text("Beale", "Beale 函数"),
        description=_text(
            "Flat plateaus next to steep ridges: gradients span orders of magnitude.",
            "平坦的高原紧挨陡峭的山脊：梯度大小相差几个数量级。",
        ),
        latex=(
            r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"
        ),
        log_levels=True,
    )


@_register("himmelblau")
def _himmelblau() -> dict[str, Any]:
    """f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2: four minima, all with f = 0."""

    def f(p):
        x, y = split_xy(p)
        return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2

    def grad(p):
        x, y = split_xy(p)
        u, v = x * x + y - 11.0, x + y * y - 7.0
        return pack_grad(4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        u, v = x * x + y - 11.0, x + y * y - 7.0
        return pack_hessian(4.0 * u + 8.0 * x * x + 2.0, 4.0 * (x + y), 4.0 * v + 8.0 * y * y + 2.0, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        minima=refine_minima(grad, hessian, [
            (3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126),
        ]),
        default_start=(-0.3, -0.9),
        title=_text("Himmelblau", "Himmelblau 函数"),
        description=_text(
            "Four equally deep minima: the start and the optimizer decide which one is found.",
            "四个同样深的极小值：起点和优化器决定找到哪一个。",
        ),
        latex=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        log_levels=True,
    )


_RASTRIGIN_A = SurfaceParam(
    "amplitude", 10.0, 0.0, 20.0, "A",
    "Height of the ripples (0: a plain bowl).", "波纹的高度（0 为普通碗形）。",
)


@_register("rastrigin", _RASTRIGIN_A)
def _rastrigin(amplitude: float) -> dict[str, Any]:
    """f(x, y) = 2A + x^2 - A cos(2 pi x) + y^2 - A cos(2 pi y): a bowl covered in ripples."""
    two_pi = 2.0 * np.pi

    def f(p):
        x, y = split_xy(p)
        return 2.0 * amplitude + x * x + y * y - amplitude * (np.cos(two_pi * x) + np.cos(two_pi * y))

    def grad(p):
        x, y = split_xy(p)
        ripple = two_pi * amplitude
        return pack_grad(2.0 * x + ripple * np.sin(two_pi * x), 2.0 * y + ripple * np.sin(two_pi * y), x.shape)

    def hessian(p):
        x, y = split_xy(p)
        ripple = two_pi * two_pi * amplitude
        return pack_hessian(2.0 + ripple * np.cos(two_pi * x), 0.0, 2.0 + ripple * np.cos(two_pi * y), x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-5.12, 5.12), (-5.12, 5.12)),
        minima=[(0.0, 0.0)],
        default_start=(-4.2, 4.6),
        title=_text("Rastrigin", "Rastrigin 函数"),
        description=_text(
            "A regular grid of local minima on a bowl: gradient methods stop in the nearest one.",
            "碗面上布满规则排列的局部极小值：梯度方法停在最近的一个。",
        ),
        latex=r"f(x, y) = 2A + \sum_{v \in \{x, y\}} \left(v^2 - A\cos 2\pi v\right)",
    )


_ACKLEY_A, _ACKLEY_B, _ACKLEY_C = 20.0, 0.2, 2.0 * np.pi
# Below this radius the cone term's gradient and Hessian are taken as 0 (see _ackley).
_CONE_TIP = 1e-150


@_register("ackley")
def _ackley() -> dict[str, Any]:
    """f = -20 exp(-0.2 sqrt((x^2 + y^2) / 2)) - exp((cos 2 pi x + cos 2 pi y) / 2) + 20 + e.

    The first term is a cone at the origin: its gradient and Hessian are undefined there.
    We return the subgradient 0 for its gradient and 0 for its Hessian at r < 1e-150, so the
    global minimum has gradient exactly 0 and no NaN ever appears.
    """
    k = _ACKLEY_B / np.sqrt(2.0)  # cone term is -a exp(-k r)

    def polar(x, y):
        r = np.sqrt(x * x + y * y)
        tip = r < _CONE_TIP
        safe_r = np.where(tip, 1.0, r)
        return r, tip, safe_r

    def ripple(x, y):
        return np.exp(0.5 * (np.cos(_ACKLEY_C * x) + np.cos(_ACKLEY_C * y)))

    def f(p):
        x, y = split_xy(p)
        r = np.sqrt(x * x + y * y)
        return -_ACKLEY_A * np.exp(-k * r) - ripple(x, y) + _ACKLEY_A + np.e

    def grad(p):
        x, y = split_xy(p)
        r, tip, safe_r = polar(x, y)
        cone = np.where(tip, 0.0, _ACKLEY_A * k * np.exp(-k * r) / safe_r)
        wave = 0.5 * _ACKLEY_C * ripple(x, y)
        gx = cone * x + wave * np.sin(_ACKLEY_C * x)
        return pack_grad(gx, cone * y + wave * np.sin(_ACKLEY_C * y), x.shape)

    def hessian(p):
        x, y = split_xy(p)
        r, tip, safe_r = polar(x, y)
        ux, uy, inv_r = x / safe_r, y / safe_r, 1.0 / safe_r
        # cone: a k e^{-kr} [(I - u u^T) / r - k u u^T], with u = p / r
        cone = np.where(tip, 0.0, _ACKLEY_A * k * np.exp(-k * r))
        # ripple: e (c^2 / 2) [diag(cos c x, cos c y) - s s^T / 2], with s = (sin c x, sin c y)
        wave = 0.5 * _ACKLEY_C * _ACKLEY_C * ripple(x, y)
        sx, sy = np.sin(_ACKLEY_C * x), np.sin(_ACKLEY_C * y)
        return pack_hessian(
            cone * ((1.0 - ux * ux) * inv_r - k * ux * ux) + wave * (np.cos(_ACKLEY_C * x) - 0.5 * sx * sx),
            -cone * ux * uy * (inv_r + k) - 0.5 * wave * sx * sy,
            cone * ((1.0 - uy * uy) * inv_r - k * uy * uy) + wave * (np.cos(_ACKLEY_C * y) - 0.5 * sy * sy),
            x.shape,
        )

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        minima=[(0.0, 0.0)],
        default_start=(-4.0, 3.3),
        title=_text("Ackley", "Ackley 函数"),
        description=_text(
            "Many shallow local minima on a nearly flat plain around one deep funnel.",
            "几乎平坦的平原上有许多浅的局部极小值，中间是一个深漏斗。",
        ),
        latex=(
            r"f(x, y) = -20\,e^{-0.2\sqrt{(x^2 + y^2)/2}} - e^{(\cos 2\pi x + \cos 2\pi y)/2}"
            r" + 20 + e"
        ),
    )


@_register("booth")
def _booth() -> dict[str, Any]:
    """f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2, minimum (1, 3); constant Hessian."""

    def f(p):
        x, y = split_xy(p)
        return (x + 2.0 * y - 7.0) ** 2 + (2.0 * x + y - 5.0) ** 2

    def grad(p):
        x, y = split_xy(p)
        u, v = x + 2.0 * y - 7.0, 2.0 * x + y - 5.0
        return pack_grad(2.0 * u + 4.0 * v, 4.0 * u + 2.0 * v, x.shape)

    def hessian(p):
        x, _ = split_xy(p)
        return pack_hessian(10.0, 8.0, 10.0, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-10.0, 10.0), (-10.0, 10.0)),
        minima=[(1.0, 3.0)],
        default_start=(-8.0, 8.0),
        title=_text("Booth", "Booth 函数"),
        description=_text(
            "A tilted quadratic bowl (curvatures 2 and 18): the simplest non-round case.",
            "倾斜的二次碗（曲率 2 和 18）：最简单的非圆形情形。",
        ),
        latex=r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2",
        log_levels=True,
    )


@_register("six_hump_camel")
def _six_hump_camel() -> dict[str, Any]:
    """f(x, y) = (4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (4 y^2 - 4) y^2: six local minima."""

    def f(p):
        x, y = split_xy(p)
        x2, y2 = x * x, y * y
        return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (4.0 * y2 - 4.0) * y2

    def grad(p):
        x, y = split_xy(p)
        x2 = x * x
        return pack_grad(
            x * (8.0 - 8.4 * x2 + 2.0 * x2 * x2) + y, x + y * (16.0 * y * y - 8.0), x.shape
        )

    def hessian(p):
        x, y = split_xy(p)
        x2 = x * x
        return pack_hessian(8.0 - 25.2 * x2 + 10.0 * x2 * x2, 1.0, 48.0 * y * y - 8.0, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-2.0, 2.0), (-1.2, 1.2)),
        minima=refine_minima(grad, hessian, [
            (0.0898, -0.7126), (-0.0898, 0.7126),
            (-1.7036, 0.7961), (1.7036, -0.7961),
            (1.6071, 0.5687), (-1.6071, -0.5687),
        ]),
        default_start=(-1.5, -1.0),
        title=_text("Six-hump camel", "六峰驼背函数"),
        description=_text(
            "Six local minima, two of them global: a small multimodal landscape.",
            "六个局部极小值，其中两个是全局最小：小型多峰地形。",
        ),
        latex=r"f(x, y) = \left(4 - 2.1x^2 + \tfrac{x^4}{3}\right)x^2 + xy + (4y^2 - 4)\,y^2",
    )


@_register("styblinski_tang")
def _styblinski_tang() -> dict[str, Any]:
    """f(x, y) = ((x^4 - 16 x^2 + 5 x) + (y^4 - 16 y^2 + 5 y)) / 2: four minima."""

    def f(p):
        x, y = split_xy(p)
        x2, y2 = x * x, y * y
        return 0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y)

    def grad(p):
        x, y = split_xy(p)
        return pack_grad(2.0 * x * x * x - 16.0 * x + 2.5, 2.0 * y * y * y - 16.0 * y + 2.5, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        return pack_hessian(6.0 * x * x - 16.0, 0.0, 6.0 * y * y - 16.0, x.shape)

    low, high = -2.903534, 2.746803
    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-5.0, 5.0), (-5.0, 5.0)),
        minima=refine_minima(grad, hessian, [(low, low), (low, high), (high, low), (high, high)]),
        default_start=(0.3, 0.3),
        title=_text("Styblinski-Tang", "Styblinski-Tang 函数"),
        description=_text(
            "Four minima of different depth in the corners: greedy descent picks the nearest.",
            "四角各有一个深浅不同的极小值：贪心下降只会选最近的。",
        ),
        latex=r"f(x, y) = \tfrac{1}{2}\sum_{v \in \{x, y\}} \left(v^4 - 16v^2 + 5v\right)",
    )


@_register("goldstein_price")
def _goldstein_price() -> dict[str, Any]:
    """f = [1 + (x+y+1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)]
         * [30 + (2x-3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)], minimum f(0, -1) = 3.

    Each factor is c + w^2 q with w linear and q quadratic, so the derivatives follow from
    the product rule on two such factors (see ``_line_squared_times_quadratic``).
    """

    def factors(x, y, order):
        first = _line_squared_times_quadratic(
            x, y, 1.0, (1.0, 1.0, 1.0), (19.0, -14.0, -14.0, 3.0, 6.0, 3.0), order
        )
        second = _line_squared_times_quadratic(
            x, y, 30.0, (2.0, -3.0, 0.0), (18.0, -32.0, 48.0, 12.0, -36.0, 27.0), order
        )
        return first, second

    def f(p):
        x, y = split_xy(p)
        (a,), (b,) = factors(x, y, 0)
        return a * b

    def grad(p):
        x, y = split_xy(p)
        (a, (ax, ay)), (b, (bx, by)) = factors(x, y, 1)
        return pack_grad(ax * b + a * bx, ay * b + a * by, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        (a, (ax, ay), (axx, axy, ayy)), (b, (bx, by), (bxx, bxy, byy)) = factors(x, y, 2)
        return pack_hessian(
            axx * b + 2.0 * ax * bx + a * bxx,
            axy * b + ax * by + ay * bx + a * bxy,
            ayy * b + 2.0 * ay * by + a * byy,
            x.shape,
        )

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-2.0, 2.0), (-2.0, 2.0)),
        minima=refine_minima(grad, hessian, [(0.0, -1.0), (-0.6, -0.4), (1.8, 0.2), (1.2, 0.8)]),
        default_start=(-1.5, 1.5),
        title=_text("Goldstein-Price", "Goldstein-Price 函数"),
        description=_text(
            "Values from 3 to a million: without log-spaced contours the minima are invisible.",
            "函数值从 3 到一百万：不用对数等高线就看不见极小值。",
        ),
        latex=(
            r"f(x, y) = \left[1 + (x+y+1)^2(19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\right]"
            r"\left[30 + (2x-3y)^2(18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\right]"
        ),
        log_levels=True,
    )


def _line_squared_times_quadratic(x, y, constant, line, quadratic, order):
    """F = constant + w^2 q with w = l_x x + l_y y + l_0 and
    q = q_0 + q_x x + q_y y + q_xx x^2 + q_xy x y + q_yy y^2; returns F and its derivatives
    up to ``order`` as (F,), (F, grad), (F, grad, hessian entries)."""
    lx, ly, l0 = line
    q0, qx, qy, qxx, qxy, qyy = quadratic
    w = lx * x + ly * y + l0
    q = q0 + qx * x + qy * y + qxx * x * x + qxy * x * y + qyy * y * y
    value = constant + w * w * q
    if order == 0:
        return (value,)
    dqx, dqy = qx + 2.0 * qxx * x + qxy * y, qy + qxy * x + 2.0 * qyy * y
    grad = (w * (2.0 * lx * q + w * dqx), w * (2.0 * ly * q + w * dqy))
    if order == 1:
        return value, grad
    hessian = (
        2.0 * lx * lx * q + 4.0 * w * lx * dqx + w * w * 2.0 * qxx,
        2.0 * lx * ly * q + 2.0 * w * (lx * dqy + ly * dqx) + w * w * qxy,
        2.0 * ly * ly * q + 4.0 * w * ly * dqy + w * w * 2.0 * qyy,
    )
    return value, grad, hessian


@_register("monkey_saddle")
def _monkey_saddle() -> dict[str, Any]:
    """f(x, y) = x^3 - 3 x y^2: a degenerate saddle (gradient and Hessian both vanish at 0)."""

    def f(p):
        x, y = split_xy(p)
        return x * (x * x - 3.0 * y * y)

    def grad(p):
        x, y = split_xy(p)
        return pack_grad(3.0 * (x * x - y * y), -6.0 * x * y, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        return pack_hessian(6.0 * x, -6.0 * y, -6.0 * x, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-1.5, 1.5), (-1.5, 1.5)),
        minima=np.empty((0, 2)),
        default_start=(1.2, 0.05),
        title=_text("Monkey saddle", "猴鞍面"),
        description=_text(
            "A flat saddle with three downhill valleys: curvature vanishes too, so even "
            "second-order methods crawl.",
            "有三条下坡谷的平坦鞍点：曲率也为零，连二阶方法都走得很慢。",
        ),
        latex=r"f(x, y) = x^3 - 3xy^2",
    )


_PLATEAU_WIDTH = SurfaceParam(
    "width", 0.7, 0.3, 2.0, r"\sigma",
    "Width of the well: the plateau starts about 3 sigma from the centre.",
    "井的宽度：离中心约 3 sigma 处就是平台。",
)


@_register("plateau", _PLATEAU_WIDTH)
def _plateau(width: float) -> dict[str, Any]:
    """f(x, y) = 1 - exp(-(x^2 + y^2) / (2 sigma^2)): a narrow well in a flat plateau.

    Beyond about 3 sigma the gradient is below 1e-2 and falls off like exp(-r^2): gradient
    steps vanish, while methods that normalise the step (Adam, RMSProp) keep moving.
    """
    centre, depth = ((0.0, 0.0),), (1.0,)

    def f(p):
        x, y = split_xy(p)
        return 1.0 - _gaussian_bumps(x, y, centre, depth, width, 0)

    def grad(p):
        x, y = split_xy(p)
        gx, gy = _gaussian_bumps(x, y, centre, depth, width, 1)
        return pack_grad(-gx, -gy, x.shape)

    def hessian(p):
        x, y = split_xy(p)
        hxx, hxy, hyy = _gaussian_bumps(x, y, centre, depth, width, 2)
        return pack_hessian(-hxx, -hxy, -hyy, x.shape)

    return dict(
        f=f, grad=grad, hessian=hessian,
        bounds=((-3.0, 3.0), (-3.0, 3.0)),
        minima=[(0.0, 0.0)],
        default_start=(2.5, 2.0),
        title=_text("Plateau", "平台曲面"),
        description=_text(
            "A flat plateau where gradients vanish: SGD stands still, Adam keeps walking.",
            "梯度几乎为零的平台：SGD 原地不动，Adam 仍能前进。",
        ),
        latex=r"f(x, y) = 1 - e^{-(x^2 + y^2) / (2\sigma^2)}",
    )


# --------------------------------------------------------------------------------------
# Data surfaces (surfaces/data): the mean loss of a two-parameter model over a dataset
# --------------------------------------------------------------------------------------

for _name, (_build, _specs) in DATA_SURFACES.items():
    _register(_name, *_specs)(_build)
