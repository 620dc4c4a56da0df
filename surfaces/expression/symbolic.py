"""Exact derivatives and NumPy code for a built sympy expression.

The gradient and Hessian come from ``sympy.diff``, bounded in size because they grow fast
for long products; all three are compiled with ``sympy.lambdify(..., "numpy")`` into
functions that broadcast like the library surfaces. sympy is passed in as ``sp`` by the
caller, so importing this module does not import sympy.
"""

from __future__ import annotations

import ast
import itertools
import math
import time

import numpy as np

from ..base import pack_grad, pack_hessian, split_xy
from .domain import _follow_domain_of_f
from .whitelist import FUNCTIONS, _Builder

# Symbolic derivatives of long products grow like n^2 (gradient) and n^3 (Hessian); sympy
# needs 20 to 60 microseconds per node, so a formula at these limits builds in about 0.35 s
# on a loaded 2-core machine. The largest classic surfaces typed by hand stay far below
# them: Goldstein-Price has 328 gradient and 903 Hessian nodes, cross-in-tray 224 and 1656.
MAX_GRADIENT_NODES = 1000
MAX_HESSIAN_NODES = 6000


def _tree_size(sp, expr, limit: int) -> int:
    """Number of nodes of ``expr`` as a tree, counting at most ``limit + 1``."""
    return sum(1 for _ in itertools.islice(sp.preorder_traversal(expr), limit + 1))


def _too_complicated() -> ValueError:
    return ValueError("Formula is too complicated to differentiate quickly; simplify it")


# Every function and operator once: differentiating and compiling it imports what sympy
# imports lazily (printers, codegen), so no import happens while a time limit runs.
_WARM_UP_FORMULA = "+".join(
    f"{name}(x/9 + y/9)" for name in FUNCTIONS
) + " + (x - y)**3 / (2 + x**2) + pi*e"
_warmed_up = False


def _warm_up(sp) -> None:
    global _warmed_up
    if _warmed_up:
        return
    x, y = sp.symbols("x y", real=True)
    no_limit = math.inf
    expr = _Builder(sp, x, y, no_limit).build(ast.parse(_WARM_UP_FORMULA, mode="eval"))
    gradient, hessian_entries = _derivatives(sp, expr, x, y, no_limit)
    _compile(sp, expr, gradient, hessian_entries, x, y, no_limit)
    _warmed_up = True


def _derivatives(sp, expr, x, y, deadline: float):
    # sympy differentiates Abs(u) through re(u) and im(u) unless it can prove u real (it
    # cannot for x/y: y may be 0), leaving Derivative(re(u), x) that NumPy cannot print.
    # sqrt(u^2) has the same value and a plain derivative; for provably real u sympy turns
    # it straight back into Abs(u), whose derivative is sign(u).
    expr = expr.replace(sp.Abs, lambda arg: sp.sqrt(arg**2))
    gradient = [sp.diff(expr, x), sp.diff(expr, y)]
    if sum(_tree_size(sp, g, MAX_GRADIENT_NODES) for g in gradient) > MAX_GRADIENT_NODES:
        raise _too_complicated()
    hessian_entries = []
    size = 0
    for first, variable in ((0, x), (0, y), (1, y)):
        if time.thread_time() > deadline:
            raise _too_complicated()
        entry = sp.diff(gradient[first], variable)
        # d/dx sign(x) = 2 DiracDelta(x): zero except on a line, and NumPy has no delta.
        entry = entry.replace(sp.DiracDelta, lambda *args: sp.S.Zero)
        size += _tree_size(sp, entry, MAX_HESSIAN_NODES)
        if size > MAX_HESSIAN_NODES:
            raise _too_complicated()
        hessian_entries.append(entry)
    if any(part.has(sp.Derivative) for part in (*gradient, *hessian_entries)):
        raise ValueError("sympy cannot differentiate this formula; try writing it another way")
    return gradient, hessian_entries


def _compile(sp, expr, gradient, hessian_entries, x, y, deadline: float):
    compiled = []
    for part in (expr, gradient, hessian_entries):
        if time.thread_time() > deadline:
            raise _too_complicated()
        compiled.append(sp.lambdify((x, y), part, modules="numpy", cse=True))
    f_raw, grad_raw, hessian_raw = compiled

    def f(p):
        px, py = split_xy(p)
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(f_raw(px, py), dtype=np.float64), px.shape).copy()

    def grad(p):
        px, py = split_xy(p)
        with np.errstate(all="ignore"):
            out = pack_grad(*grad_raw(px, py), px.shape)
        return _follow_domain_of_f(out, f(p), extra_axes=1)

    def hessian(p):
        px, py = split_xy(p)
        with np.errstate(all="ignore"):
            hxx, hxy, hyy = hessian_raw(px, py)
            out = pack_hessian(hxx, hxy, hyy, px.shape)
        return _follow_domain_of_f(out, f(p), extra_axes=2)

    return f, grad, hessian
