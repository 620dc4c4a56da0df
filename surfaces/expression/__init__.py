"""A lecturer's own formula f(x, y) as a Surface, with exact symbolic gradient and Hessian.

The app runs on a public server, so the text is never evaluated. It is checked character
by character, parsed with ``ast.parse(text, mode="eval")`` and walked with a strict whitelist
(numbers, x, y, pi, e, + - * / ** and one-argument functions from ``FUNCTIONS``); the sympy
expression is built from the whitelisted nodes, differentiated with ``sympy.diff`` and
compiled with ``sympy.lambdify(..., "numpy")``. Everything else raises ValueError with a
message a student can act on. Size, nesting, exponents, constants, expression growth under
differentiation and total time are bounded, so hostile input is rejected quickly.

The pieces, one idea per module:

* :mod:`.parse`: the character filter and the size limits on the text, then ``ast.parse``;
* :mod:`.whitelist`: what the syntax tree may hold, and the walk that builds sympy from it;
* :mod:`.symbolic`: gradient, Hessian and NumPy code generation (and sympy's warm-up);
* :mod:`.time_limit`: the watchdog that stops a single sympy call that runs too long;
* :mod:`.domain`: the bounds of the view and the check that f is defined on it.
"""

from __future__ import annotations

import time

import numpy as np

from ..base import Bounds, Surface
from .domain import DEFAULT_BOUNDS, _check_domain, _checked_bounds
from .parse import _ALLOWED_CHARACTERS as _ALLOWED_CHARACTERS
from .parse import _parse
from .symbolic import _compile, _derivatives, _warm_up
from .time_limit import _OutOfTime as _OutOfTime
from .time_limit import _Watchdog as _Watchdog
from .time_limit import _within_time_limit
from .whitelist import FUNCTIONS as FUNCTIONS
from .whitelist import _Builder

# The public name. The ones imported `X as X` above are not used here: they stay reachable
# as surfaces.expression.X, where tests/test_expression.py looks for them.
__all__ = ["from_expression"]

# Seconds of CPU time for building, differentiating and compiling, enforced inside a single
# sympy call too (see time_limit._Watchdog): some formulas well within the size limits send
# sympy's assumption system into minutes of work before any size can be measured. Eleven
# terms like exp(sin(k*x)*cos(k*y)) take 0.85 s on a 2-core machine: 2 s leaves a legal
# formula room on a slower core and still bounds what one formula costs a shared server.
# It lives here, next to its only reader, because from_expression looks it up in this
# module on every call (tests lower it with monkeypatch.setattr(..., "TIME_LIMIT", ...)).
TIME_LIMIT = 2.0


def from_expression(text: str, bounds: Bounds | None = None) -> Surface:
    """A Surface for the formula ``text`` in x and y, e.g. ``"x**2 + 3*sin(y)"``.

    ``^`` means power. ``grad`` and ``hessian`` are the exact symbolic derivatives, with two
    conventions: where f is not finite (log of a negative number) they are NaN too, so an
    optimizer run stops there instead of walking on through undefined territory; where f is
    finite but a derivative is 0/0 (the gradient of ``sqrt(x^2 + y^2)`` at 0) it is 0, as for
    the library's Ackley surface. NumPy warnings are silenced inside the functions.

    Raises ValueError, with a message naming the offending character, name or limit, if the
    formula is not allowed, cannot be read, is too big, or f is not finite somewhere on a
    101 x 101 grid over ``bounds`` (default (-3, 3) x (-3, 3)).
    """
    if not isinstance(text, str):
        raise ValueError(f"The formula must be text, got {type(text).__name__}")
    bounds = _checked_bounds(DEFAULT_BOUNDS if bounds is None else bounds)
    tree, source = _parse(text)
    # Imported here, not at module level, so `import surfaces` stays light for the
    # optimizer core and notebooks that never type a formula. The clock starts after the
    # import and the warm-up: a first call on a busy machine must not fail because
    # importing took long.
    import sympy as sp

    _warm_up(sp)
    deadline = time.thread_time() + TIME_LIMIT  # the CPU clock the watchdog reads

    def symbolic():
        x, y = sp.symbols("x y", real=True)
        expr = _Builder(sp, x, y, deadline).build(tree)
        if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise ValueError("Division by zero in the formula")
        gradient, hessian_entries = _derivatives(sp, expr, x, y, deadline)
        if any(part.has(sp.I) for part in (expr, *gradient, *hessian_entries)):
            raise ValueError("The formula gives complex numbers (e.g. (-2)**x); f must be real")
        return expr, _compile(sp, expr, gradient, hessian_entries, x, y, deadline)

    expr, (f, grad, hessian) = _within_time_limit(symbolic, TIME_LIMIT, sp)
    _check_domain(f, bounds, expr, sp)
    (xmin, xmax), (ymin, ymax) = bounds
    return Surface(
        name="custom",
        f=f, grad=grad, hessian=hessian,
        bounds=bounds,
        minima=np.empty((0, 2)),
        default_start=(xmin + 0.2 * (xmax - xmin), ymax - 0.2 * (ymax - ymin)),
        title={"en": f"f(x, y) = {source}", "zh": f"自定义：f(x, y) = {source}"},
        description={
            "en": "Your own formula, with its exact symbolic gradient and Hessian.",
            "zh": "你输入的公式，梯度和 Hessian 由符号求导精确得到。",
        },
        latex=f"f(x, y) = {sp.latex(expr)}",
        params={"formula": source},
    )
