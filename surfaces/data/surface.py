"""Data surfaces: the mean loss of a two-parameter model over a dataset, as a Surface.

A data surface is an ordinary :class:`surfaces.Surface` (f, grad, hessian over points
(..., 2)) whose value at the parameters ``p = (a, b)`` is the mean over the N examples of a
per-example loss plus an optional L2 penalty::

    f(p) = (1/N) sum_i l_i(p)  +  (lambda / 2) |p|^2

It also knows its examples, so a mini-batch gradient is the real thing, not a noise model:

    g_I(p) = (1/|I|) sum_{i in I} grad l_i(p)  +  lambda p        (I a set of example indices)

With I drawn uniformly without replacement, ``E g_I = grad f`` and
``Cov g_I = (1/b) (N - b)/(N - 1) Sigma(p)``, Sigma the population covariance
``(1/N) sum_i (grad l_i - grad f)(grad l_i - grad f)^T`` of the per-example gradients:
zero at b = N (see :meth:`DataSurface.batch_gradient_covariance`).

Two model families, each written once with broadcasting over (..., n) arrays:

* ``glm``: a model linear in the parameters, ``z_i = a u_i + b v_i`` with design columns
  (u, v) = (x, 1) (weight and bias on one feature) or (x1, x2) (two weights, no bias), and a
  link: ``mse``, ``l_i = (z_i - y_i)^2`` (``torch.nn.functional.mse_loss``), or
  ``logistic``, ``l_i = log(1 + e^{z_i}) - y_i z_i`` with y_i in {0, 1}
  (``binary_cross_entropy_with_logits``). With d_i = dl/dz and d2_i = d^2 l/dz^2
  (``2 (z - y)`` and ``2`` for mse, ``s(z) - y`` and ``s(z)(1 - s(z))`` for logistic, s the
  sigmoid): ``grad l_i = d_i (u_i, v_i)``, ``hess l_i = d2_i (u_i, v_i)(u_i, v_i)^T``.
* ``tanh``: the smallest neural network, ``y_i ~ b tanh(a x_i)`` (inner weight a, outer
  weight b), ``l_i = r_i^2`` with ``r_i = b t_i - y_i``, ``t_i = tanh(a x_i)``. With
  ``t'_i = dt_i/da = x_i (1 - t_i^2)`` and ``t''_i = -2 x_i t_i t'_i``:
  ``dl/da = 2 r b t'``, ``dl/db = 2 r t``, ``d2l/da2 = 2 (b^2 t'^2 + r b t'')``,
  ``d2l/dadb = 2 t' (b t + r)``, ``d2l/db2 = 2 t^2``. f(a, b) = f(-a, -b), so minima come in
  mirror pairs, and the origin is a saddle (Hessian [[0, -2m], [-2m, 0]], m = mean x y).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from ..base import Surface, pack_grad, pack_hessian, split_xy

# Elements of one (points x examples) block; bounds the memory of f on a contour grid.
BLOCK_ELEMENTS = 1 << 20

MODELS = ("mse", "logistic", "tanh")


def _sigmoid(z):
    """1 / (1 + e^-z) without overflow: exp(-log(1 + e^-z))."""
    return np.exp(-np.logaddexp(0.0, -z))


@dataclass(frozen=True)
class DataModel:
    """A per-example loss of two parameters (a, b); ``kind`` is one of :data:`MODELS`.

    ``columns`` is ``(u, v)`` for the linear-in-parameters models (``v`` all ones for a
    bias) and ``(x,)`` for ``tanh``; ``targets`` is y. The methods take the parameters as
    arrays ``a, b`` of shape (..., 1) and the data as arrays broadcastable to (..., n), and
    return per-example values of shape (..., n).
    """

    kind: str

    def __post_init__(self) -> None:
        if self.kind not in MODELS:
            raise ValueError(f"Unknown model {self.kind!r}. Valid models: {', '.join(MODELS)}")

    def loss(self, a, b, columns, y):
        if self.kind == "tanh":
            (x,) = columns
            r = b * np.tanh(a * x) - y
            return r * r
        z = a * columns[0] + b * columns[1]
        if self.kind == "mse":
            return (z - y) ** 2
        return np.logaddexp(0.0, z) - y * z

    def grad(self, a, b, columns, y):
        if self.kind == "tanh":
            (x,) = columns
            t = np.tanh(a * x)
            r = b * t - y
            return 2.0 * r * b * x * (1.0 - t * t), 2.0 * r * t
        u, v = columns
        z = a * u + b * v
        d = 2.0 * (z - y) if self.kind == "mse" else _sigmoid(z) - y
        return d * u, d * v

    def hessian(self, a, b, columns, y):
        if self.kind == "tanh":
            (x,) = columns
            t = np.tanh(a * x)
            r = b * t - y
            dt = x * (1.0 - t * t)
            ddt = -2.0 * x * t * dt
            return 2.0 * (b * b * dt * dt + r * b * ddt), 2.0 * dt * (b * t + r), 2.0 * t * t
        u, v = columns
        if self.kind == "mse":
            d2 = np.full(np.broadcast_shapes(np.shape(a * u), np.shape(b * v)), 2.0)
        else:
            s = _sigmoid(a * u + b * v)
            d2 = s * (1.0 - s)
        return d2 * u * u, d2 * u * v, d2 * v * v


@dataclass(frozen=True, eq=False, repr=False)
class DataSurface(Surface):
    """A :class:`Surface` made from a dataset (see the module docstring for the math).

    ``columns`` (k, N) are the model's inputs as it sees them (standardized if asked),
    ``targets`` (N,) the y values, ``l2`` the penalty lambda, ``dataset`` a few words on where
    the data come from (``source``, ``licence``, column names ...). Beside f, grad and
    hessian it offers the per-example view a mini-batch needs: ``n_examples``,
    :meth:`example_grads`, :meth:`batch_grad` and :meth:`batch_gradient_covariance`.
    """

    model: DataModel | None = None
    columns: np.ndarray | None = None
    targets: np.ndarray | None = None
    l2: float = 0.0
    dataset: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.model is None or self.columns is None or self.targets is None:
            raise ValueError("A data surface needs a model, columns and targets")
        columns = np.array(self.columns, dtype=np.float64, ndmin=2)
        targets = np.array(self.targets, dtype=np.float64).reshape(-1)
        if columns.shape[1] != targets.shape[0] or targets.shape[0] < 2:
            raise ValueError(f"Columns {columns.shape} and targets {targets.shape} do not match")
        columns.flags.writeable = False
        targets.flags.writeable = False
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "dataset", MappingProxyType(dict(self.dataset)))

    @property
    def n_examples(self) -> int:
        """N, the number of examples; the runner's mini-batches index 0 .. N-1."""
        return int(self.targets.shape[0])

    def _data(self, index):
        if index is None:
            return tuple(self.columns), self.targets
        return tuple(column[index] for column in self.columns), self.targets[index]

    def example_losses(self, p, index=None) -> np.ndarray:
        """Per-example losses l_i(p) (penalty excluded): (..., N) or, with ``index`` of shape
        (..., b) (batch dimensions matching p's), (..., b)."""
        a, b = split_xy(p)
        columns, y = self._data(index)
        return self.model.loss(a[..., None], b[..., None], columns, y)

    def example_grads(self, p, index=None) -> np.ndarray:
        """Per-example gradients ``grad l_i(p) + lambda p``: (..., N, 2), or (..., b, 2) for
        the examples ``index`` (..., b). Their mean over examples is :attr:`grad`."""
        a, b = split_xy(p)
        columns, y = self._data(index)
        ga, gb = self.model.grad(a[..., None], b[..., None], columns, y)
        out = np.empty((*np.broadcast_shapes(ga.shape, gb.shape), 2))
        out[..., 0] = ga + self.l2 * a[..., None]
        out[..., 1] = gb + self.l2 * b[..., None]
        return out

    def batch_grad(self, p, index) -> np.ndarray:
        """The mini-batch gradient ``g_I(p)``: the mean of the per-example gradients of the
        examples ``index``. ``p`` (B, 2) and ``index`` (B, b) integers: row r's gradient uses
        row r's batch. (B, 2). Computed in blocks of rows, so memory stays bounded."""
        p = np.asarray(p, dtype=np.float64)
        index = np.asarray(index)
        if p.ndim != 2 or index.ndim != 2 or index.shape[0] != p.shape[0]:
            raise ValueError(f"batch_grad needs p (B, 2) and index (B, b), got {p.shape} and {index.shape}")
        out = np.empty(p.shape)
        rows = max(1, BLOCK_ELEMENTS // max(index.shape[1], 1))
        for start in range(0, p.shape[0], rows):
            block = slice(start, start + rows)
            out[block] = self.example_grads(p[block], index[block]).mean(axis=-2)
        return out

    def gradient_covariance(self, p) -> np.ndarray:
        """Sigma(p): the population covariance (1/N) sum_i (g_i - g)(g_i - g)^T of the
        per-example gradients at points (..., 2) -> (..., 2, 2)."""
        g = self.example_grads(p)
        centred = g - g.mean(axis=-2, keepdims=True)
        return np.einsum("...ni,...nj->...ij", centred, centred) / self.n_examples

    def batch_gradient_covariance(self, p, batch_size: int) -> np.ndarray:
        """Covariance of the mini-batch gradient for a batch of ``batch_size`` examples drawn
        without replacement: ``(1/b) (N - b)/(N - 1) Sigma(p)`` (finite-population
        correction; zero at b = N). ``batch_size`` above N means the full batch."""
        n, b = self.n_examples, min(int(batch_size), self.n_examples)
        if b < 1:
            raise ValueError(f"Invalid batch_size: {batch_size} (must be a whole number >= 1)")
        return (n - b) / (b * (n - 1)) * self.gradient_covariance(p)


def data_functions(model: DataModel, columns: np.ndarray, targets: np.ndarray, l2: float):
    """f, grad and hessian of ``(1/N) sum_i l_i + (lambda/2)|p|^2`` over points (..., 2).

    For ``mse`` the loss is a quadratic in (a, b) and the mean is expanded into the data's
    second moments, so a point costs O(1) instead of O(N). Otherwise points are taken in blocks of at most BLOCK_ELEMENTS / N, so a contour grid over a large
    dataset stays in bounded memory; each point's sum over examples is one reduction over
    the same N numbers, so a point's value does not depend on which other points it is
    evaluated with.
    """
    columns = tuple(np.asarray(columns, dtype=np.float64))
    targets = np.asarray(targets, dtype=np.float64)
    if model.kind == "mse":
        return _quadratic_functions(columns, targets, l2)
    n = targets.shape[0]
    rows = max(1, BLOCK_ELEMENTS // n)

    def blocked(p, per_example, width):
        a, b = split_xy(p)
        shape = a.shape
        a, b = a.reshape(-1, 1), b.reshape(-1, 1)
        out = np.empty((a.shape[0], width))
        for start in range(0, a.shape[0], rows):
            block = slice(start, start + rows)
            values = per_example(a[block], b[block], columns, targets)
            for k, value in enumerate(values):
                out[block, k] = np.broadcast_to(value, (out[block].shape[0], n)).mean(axis=-1)
        return out.reshape(*shape, width), a.reshape(shape), b.reshape(shape)

    def f(p):
        out, a, b = blocked(p, lambda *args: (model.loss(*args),), 1)
        return out[..., 0] + 0.5 * l2 * (a * a + b * b)

    def grad(p):
        out, a, b = blocked(p, model.grad, 2)
        return pack_grad(out[..., 0] + l2 * a, out[..., 1] + l2 * b, a.shape)

    def hessian(p):
        out, a, _ = blocked(p, model.hessian, 3)
        return pack_hessian(out[..., 0] + l2, out[..., 1], out[..., 2] + l2, a.shape)

    return f, grad, hessian


def _quadratic_functions(columns, targets, l2: float):
    """f, grad, hessian of the mean squared error through the second moments of the data:
    with E the mean over examples,

        f(a, b) = a^2 E[u^2] + 2 a b E[u v] + b^2 E[v^2] - 2 a E[u y] - 2 b E[v y] + E[y^2]
        grad f  = 2 (a E[u^2] + b E[u v] - E[u y],  a E[u v] + b E[v^2] - E[v y])
        hess f  = 2 [[E[u^2], E[u v]], [E[u v], E[v^2]]]

    (each plus its share of the penalty (l2/2)(a^2 + b^2))."""
    u, v = columns
    y = targets
    uu, uv, vv, uy, vy, yy = (float(np.mean(w)) for w in (u * u, u * v, v * v, u * y, v * y, y * y))

    def f(p):
        a, b = split_xy(p)
        return a * a * uu + 2.0 * a * b * uv + b * b * vv - 2.0 * (a * uy + b * vy) + yy + 0.5 * l2 * (a * a + b * b)

    def grad(p):
        a, b = split_xy(p)
        return pack_grad(2.0 * (a * uu + b * uv - uy) + l2 * a, 2.0 * (a * uv + b * vv - vy) + l2 * b, a.shape)

    def hessian(p):
        a, _ = split_xy(p)
        return pack_hessian(2.0 * uu + l2, 2.0 * uv, 2.0 * vv + l2, a.shape)

    return f, grad, hessian
