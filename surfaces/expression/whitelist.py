"""The whitelist of a formula's syntax tree, and the walk that builds sympy from it.

Only numbers, x, y, ``CONSTANTS``, + - * / ** and the one-argument ``FUNCTIONS`` are
accepted; every other node is refused with a message that names it. Constant parts are
evaluated with ``math`` first, so exponents and numbers are bounded before sympy sees them.
The walk is the whitelist: it visits nothing it does not know, so it holds even if the
character filter in :mod:`.parse` is ever widened.
"""

from __future__ import annotations

import ast
import math
import time
from collections.abc import Callable

MAX_EXPONENT = 20
MAX_NUMBER = 1e15

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
        if time.thread_time() > self.deadline:
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
