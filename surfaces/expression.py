"""A lecturer's own formula f(x, y) as a Surface, with exact symbolic gradient and Hessian.

The app runs on a public server, so the text is never evaluated. It is checked character
by character, parsed with ``ast.parse(text, mode="eval")`` and walked with a strict whitelist
(numbers, x, y, pi, e, + - * / ** and one-argument functions from ``FUNCTIONS``); the sympy
expression is built from the whitelisted nodes, differentiated with ``sympy.diff`` and
compiled with ``sympy.lambdify(..., "numpy")``. Everything else raises ValueError with a
message a student can act on. Size, nesting, exponents, constants, expression growth under
differentiation and total time are bounded, so hostile input is rejected quickly.
"""

from __future__ import annotations

import ast
import ctypes
import itertools
import math
import sys
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .base import Bounds, Surface, pack_grad, pack_hessian, split_xy

MAX_LENGTH = 300
MAX_NESTING = 30
MAX_NODES = 200
MAX_EXPONENT = 20
MAX_NUMBER = 1e15
# Symbolic derivatives of long products grow like n^2 (gradient) and n^3 (Hessian); sympy
# needs 20 to 60 microseconds per node, so a formula at these limits builds in about 0.35 s
# on a loaded 2-core machine. The largest classic surfaces typed by hand stay far below
# them: Goldstein-Price has 328 gradient and 903 Hessian nodes, cross-in-tray 224 and 1656.
MAX_GRADIENT_NODES = 1000
MAX_HESSIAN_NODES = 6000
# Seconds for building, differentiating and compiling, enforced inside a single sympy call
# too (see _Watchdog): some formulas well within the size limits send sympy's assumption
# system into minutes of work before any size can be measured.
TIME_LIMIT = 1.0
DEFAULT_BOUNDS: Bounds = ((-3.0, 3.0), (-3.0, 3.0))
# A view reaches at most this far from the origin: the domain grid, contour maps and
# optimizer runs all take differences of coordinates, which overflow near 1e308.
MAX_COORDINATE = 1e6
DOMAIN_GRID = 101  # odd, so the grid contains the centre of the view

_ALLOWED_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-*/^().,"
)
# Characters students paste from slides or a Chinese input method.
_CHARACTER_HINTS = {
    "×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "²": "**2", "³": "**3",
    "（": "(", "）": ")", "，": ",", "π": "pi", "[": "(", "]": ")", "{": "(", "}": ")",
}
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_FORBIDDEN_OPERATORS = {
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^",
}
_COMPREHENSION = "Comprehensions ('for ... in ...') are not allowed"
_COLLECTION = "Lists, sets and dicts are not allowed; group with ( )"
_FORBIDDEN_NODES = {
    ast.Attribute: "Attribute access with '.' is not allowed",
    ast.Compare: "Comparisons are not allowed",
    ast.BoolOp: "'and' / 'or' are not allowed",
    ast.IfExp: "'if ... else' is not allowed",
    ast.Tuple: "A comma is only allowed inside a function call, and functions take one argument",
    ast.Lambda: "'lambda' is not allowed",
    ast.GeneratorExp: _COMPREHENSION,
    ast.ListComp: _COMPREHENSION,
    ast.SetComp: _COMPREHENSION,
    ast.DictComp: _COMPREHENSION,
    ast.Await: "'await' is not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.Subscript: "Indexing with [...] is not allowed",
    ast.List: _COLLECTION,
    ast.Set: _COLLECTION,
    ast.Dict: _COLLECTION,
    ast.JoinedStr: "Text is not allowed in a formula",
}


def _sympy_function(name: str):
    return lambda sp, arg: getattr(sp, name)(arg)


# name -> (builds the sympy expression, evaluates a constant argument)
FUNCTIONS: dict[str, tuple[Callable, Callable[[float], float]]] = {
    "sin": (_sympy_function("sin"), math.sin),
    "cos": (_sympy_function("cos"), math.cos),
    "tan": (_sympy_function("tan"), math.tan),
    "arcsin": (_sympy_function("asin"), math.asin),
    "asin": (_sympy_function("asin"), math.asin),
    "arccos": (_sympy_function("acos"), math.acos),
    "acos": (_sympy_function("acos"), math.acos),
    "arctan": (_sympy_function("atan"), math.atan),
    "atan": (_sympy_function("atan"), math.atan),
    "sinh": (_sympy_function("sinh"), math.sinh),
    "cosh": (_sympy_function("cosh"), math.cosh),
    "tanh": (_sympy_function("tanh"), math.tanh),
    "exp": (_sympy_function("exp"), math.exp),
    "log": (_sympy_function("log"), math.log),
    "ln": (_sympy_function("log"), math.log),
    "log10": (lambda sp, arg: sp.log(arg, 10), math.log10),
    "log2": (lambda sp, arg: sp.log(arg, 2), math.log2),
    "sqrt": (_sympy_function("sqrt"), math.sqrt),
    "abs": (_sympy_function("Abs"), abs),
}
CONSTANTS = ("pi", "e")
_ALLOWED_NAMES_TEXT = f"use x, y, {', '.join(CONSTANTS)} and functions {', '.join(FUNCTIONS)}"


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
    deadline = time.monotonic() + TIME_LIMIT

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


def _parse(text: str) -> tuple[ast.Expression, str]:
    """Check characters, length and nesting on the raw text, then parse it.

    Returns the tree and the stripped source. Positions in messages count from 1 in the
    text as typed.
    """
    text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    lead = len(text) - len(text.lstrip())
    source = text.strip()
    if not source:
        raise ValueError("The formula is empty; type f(x, y), e.g. x**2 + 3*sin(y)")
    if len(source) > MAX_LENGTH:
        raise ValueError(f"Formula is too long ({len(source)} characters, at most {MAX_LENGTH})")
    depth = 0
    opened: list[int] = []
    for index, char in enumerate(source):
        position = lead + index + 1
        if char not in _ALLOWED_CHARACTERS:
            hint = _CHARACTER_HINTS.get(char)
            message = f"Unexpected character {char!r} at position {position}"
            raise ValueError(f"{message}; use {hint!r} instead" if hint else message)
        if char == "(":
            depth += 1
            opened.append(position)
            if depth > MAX_NESTING:
                raise ValueError(
                    f"Formula is nested too deeply (more than {MAX_NESTING} levels of parentheses)"
                )
        elif char == ")":
            if not opened:
                raise ValueError(f"Unbalanced parentheses: ')' at position {position} has no '('")
            depth -= 1
            opened.pop()
    if opened:
        raise ValueError(f"Unbalanced parentheses: '(' at position {opened[-1]} is never closed")

    # '^' is power for students; Python reads it as XOR with the wrong precedence.
    parsed = source.replace("^", "**")
    original_index = [i for i, char in enumerate(source) for _ in range(2 if char == "^" else 1)]
    try:
        # "2or x" only warns (invalid decimal literal) and parses as a boolean expression; as
        # an error it gets the same message as "2x", and no warning reaches the server log.
        with warnings.catch_warnings():
            warnings.simplefilter("error", SyntaxWarning)
            tree = ast.parse(parsed, mode="eval")
    except SyntaxError as error:
        raise ValueError(_syntax_message(source, error, original_index, lead)) from None
    except (RecursionError, MemoryError):
        raise ValueError("Formula is nested too deeply") from None
    nodes = sum(1 for node in ast.walk(tree) if isinstance(node, ast.expr))
    if nodes > MAX_NODES:
        raise ValueError(f"Formula has too many parts ({nodes}, at most {MAX_NODES}); simplify it")
    return tree, source


def _syntax_message(source: str, error: SyntaxError, original_index: list[int], lead: int) -> str:
    offset = (error.offset or 0) - 1
    if source[-1] in "+-*/^(,":
        return f"The formula ends with {source[-1]!r}; something is missing after it"
    if 0 <= offset < len(original_index):
        where = f"near position {lead + original_index[offset] + 1}"
    else:
        where = "at the end"
    detail = error.msg or "invalid syntax"
    if "literal" in detail:
        detail = "a number is followed by a letter; write 2*x, not 2x"
    elif "invalid syntax" in detail:
        detail = "an operator may be missing (write x*y, not x y) or be in the wrong place"
    return f"Could not read the formula {where}: {detail}"


class _Builder:
    """Builds the sympy expression from a whitelisted AST.

    Each visit returns (sympy expression, float value or None): constant sub-formulas are
    also evaluated with ``math`` first, so 9**9**9**9, exp(exp(exp(9))) or log(-1) are
    rejected before sympy is asked to build them.
    """

    def __init__(self, sp, x, y, deadline: float) -> None:
        self.sp = sp
        self.names = {"x": x, "y": y, "pi": sp.pi, "e": sp.E}
        self.values = {"pi": math.pi, "e": math.e}
        self.deadline = deadline

    def build(self, tree: ast.Expression):
        expr, _ = self.visit(tree.body)
        return expr

    def visit(self, node: ast.AST):
        if time.monotonic() > self.deadline:
            raise ValueError("Formula is too complicated to process quickly; simplify it")
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            expr, value = self.visit(node.operand)
            if isinstance(node.op, ast.USub):
                return -expr, None if value is None else -value
            return expr, value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise ValueError(self.forbidden(node))

    def constant(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float | complex):
            raise ValueError(f"{value!r} is not allowed in a formula; {_ALLOWED_NAMES_TEXT}")
        if isinstance(value, complex):
            raise ValueError("Complex numbers (like 1j) are not allowed")
        if not abs(value) <= MAX_NUMBER:  # also catches inf from 1e400
            raise ValueError(f"Number too large (at most {MAX_NUMBER:g} in absolute value)")
        expr = self.sp.Integer(value) if isinstance(value, int) else self.sp.Float(value)
        return expr, float(value)

    def name(self, name: str):
        if name in self.names:
            return self.names[name], self.values.get(name)
        if name in FUNCTIONS:
            raise ValueError(f"'{name}' is a function; write {name}(...)")
        raise ValueError(f"Name {name!r} is not allowed{_lower_case_hint(name)}; {_ALLOWED_NAMES_TEXT}")

    def binary(self, node: ast.BinOp):
        op = type(node.op)
        left, left_value = self.visit(node.left)
        right, right_value = self.visit(node.right)
        # Checked before sympy builds the power: 9**9**9**9 stops at 9**387420489.
        if op is ast.Pow and right_value is not None and abs(right_value) > MAX_EXPONENT:
            raise ValueError(
                f"Exponent too large ({right_value:g}; at most {MAX_EXPONENT} in absolute value)"
            )
        if op is ast.Div and right_value == 0:
            raise ValueError("Division by zero in the formula")
        value = None
        if left_value is not None and right_value is not None:
            value = self.evaluate(op, left_value, right_value)
        if op is ast.Add:
            return left + right, value
        if op is ast.Sub:
            return left - right, value
        if op is ast.Mult:
            return left * right, value
        if op is ast.Div:
            return left / right, value
        return left**right, value

    @staticmethod
    def evaluate(op, left: float, right: float) -> float:
        try:
            if op is ast.Add:
                value = left + right
            elif op is ast.Sub:
                value = left - right
            elif op is ast.Mult:
                value = left * right
            elif op is ast.Div:
                value = left / right
            else:
                value = left**right
        except ZeroDivisionError:
            raise ValueError("Division by zero in the formula") from None
        except OverflowError:
            raise ValueError("Number too large: a constant part of the formula overflows") from None
        if isinstance(value, complex):
            raise ValueError(
                f"({left:g})**{right:g} is not a real number (negative number to a fractional power)"
            )
        if not math.isfinite(value):
            raise ValueError("Number too large: a constant part of the formula overflows")
        return value

    def call(self, node: ast.Call):
        if isinstance(node.func, ast.Attribute):  # x.conjugate()
            raise ValueError(_FORBIDDEN_NODES[ast.Attribute])
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name in self.names or isinstance(node.func, ast.Constant):
            factor = name or ast.unparse(node.func)
            raise ValueError(f"To multiply, write {factor}*(...), not {factor}(...)")
        if name is None:
            raise ValueError(
                f"Only these functions may be called: {', '.join(FUNCTIONS)}; to multiply, use '*'"
            )
        if name not in FUNCTIONS:
            raise ValueError(
                f"Function {name!r} is not allowed{_lower_case_hint(name)}; "
                f"use one of: {', '.join(FUNCTIONS)}"
            )
        if node.keywords:
            raise ValueError(f"{name}() takes one argument without a name: write {name}(x), not {name}(x=...)")
        if len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ValueError(f"{name}() takes exactly one argument, e.g. {name}(x)")
        build, evaluate = FUNCTIONS[name]
        arg, arg_value = self.visit(node.args[0])
        value = None
        if arg_value is not None:
            try:
                value = float(evaluate(arg_value))
            except (ValueError, ZeroDivisionError):
                raise ValueError(f"{name}({arg_value:g}) is not defined") from None
            except OverflowError:
                raise ValueError(f"Number too large: {name}({arg_value:g}) overflows") from None
        return build(self.sp, arg), value

    @staticmethod
    def forbidden(node: ast.AST) -> str:
        if isinstance(node, ast.BinOp):
            symbol = _FORBIDDEN_OPERATORS.get(type(node.op), type(node.op).__name__)
            return f"Operator {symbol!r} is not allowed; use + - * / and ** (or ^)"
        if isinstance(node, ast.UnaryOp):
            return "Only '-' and '+' may stand in front of a term"
        for kind, message in _FORBIDDEN_NODES.items():
            if isinstance(node, kind):
                return message
        return f"{type(node).__name__} is not allowed in a formula; {_ALLOWED_NAMES_TEXT}"


def _lower_case_hint(name: str) -> str:
    if name != name.lower() and name.lower() in {"x", "y", *CONSTANTS, *FUNCTIONS}:
        return f" (names are lower case: did you mean '{name.lower()}'?)"
    return ""


def _tree_size(sp, expr, limit: int) -> int:
    """Number of nodes of ``expr`` as a tree, counting at most ``limit + 1``."""
    return sum(1 for _ in itertools.islice(sp.preorder_traversal(expr), limit + 1))


def _too_complicated() -> ValueError:
    return ValueError("Formula is too complicated to differentiate quickly; simplify it")


class _OutOfTime(BaseException):
    """Raised by :class:`_Watchdog` in the thread whose formula ran out of time. Not an
    Exception, so no ``except Exception`` inside sympy can swallow it."""


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    """Make ``exception`` pending in thread ``thread_id`` (None cancels a pending one);
    CPython raises it there between two bytecodes."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), None if exception is None else ctypes.py_object(exception)
    )


class _Watchdog:
    """Raises :class:`_OutOfTime` in thread ``target`` after ``seconds``, until stopped.

    Checking the clock between steps cannot stop one sympy call that runs for minutes (the
    derivative of a 130-node formula can); an exception raised asynchronously in the thread
    can. Three rules keep that safe:

    * never while the thread is inside importlib: an exception between its lock calls
      leaves the import lock taken and every later import in the process hangs (the
      first build also runs outside the clock, see :func:`_warm_up`, so sympy's lazy
      imports are done before any limit applies);
    * again every ``REFIRE_SECONDS`` while the work goes on: an exception that lands in a
      finalizer or a weakref callback is printed and dropped by CPython, and the work
      would run to its end (seen once: 58 s for a 1 s limit);
    * :meth:`stop` ends the firing under the lock and cancels whatever is still pending,
      so after ``stop`` returns nothing can surface later in the caller's code.
    """

    RETRY_SECONDS = 0.005
    REFIRE_SECONDS = 0.1

    def __init__(self, target: int, seconds: float) -> None:
        self._target = target
        self._seconds = seconds
        self._lock = threading.Lock()
        self._stopped = False
        self._done = threading.Event()
        self.fired = False

    def start(self) -> None:
        """Called in the target thread, inside the ``try`` whose ``finally`` calls :meth:`stop`."""
        if hasattr(ctypes, "pythonapi"):  # CPython; elsewhere only the checks between steps
            threading.Thread(target=self._watch, name="formula time limit", daemon=True).start()

    def _watch(self) -> None:
        timeout = self._seconds
        while not self._done.wait(timeout):
            with self._lock:
                if self._stopped:
                    return
                if _importing(self._target):
                    timeout = self.RETRY_SECONDS
                    continue
                self.fired = True
                _raise_in_thread(self._target, _OutOfTime)
            timeout = self.REFIRE_SECONDS

    def stop(self) -> None:
        """Called in the target thread; an exception may land in here, which is fine: once
        ``_stopped`` is set under the lock no other is raised, and the pending one is
        cancelled."""
        while True:
            try:
                with self._lock:
                    self._stopped = True
                if self.fired:
                    _raise_in_thread(self._target, None)
                self._done.set()
                return
            except _OutOfTime:
                continue


def _importing(thread_id: int) -> bool:
    """Whether the thread is running importlib code (the caller holds the GIL, so the
    thread stands still while its frames are read)."""
    frame = sys._current_frames().get(thread_id)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _within_time_limit(work: Callable[[], Any], seconds: float, sp) -> Any:
    """``work()``, or ValueError if it is still running after ``seconds``."""
    watchdog = _Watchdog(threading.get_ident(), seconds)
    try:
        try:
            watchdog.start()
            return work()
        finally:
            watchdog.stop()
    except _OutOfTime:
        pass
    # Interrupted sympy code may have cached half-deduced assumptions; start afresh.
    sp.core.cache.clear_cache()
    raise _too_complicated()


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
        if time.monotonic() > deadline:
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
        if time.monotonic() > deadline:
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
