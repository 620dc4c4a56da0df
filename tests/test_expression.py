"""User-typed formulas: hostile and malformed input is rejected fast with a clear message;
accepted formulas get exact derivatives, broadcast like library surfaces, and never warn."""

import ast
import contextlib
import importlib
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surfaces.expression as expression_module
from surfaces import Surface, from_expression

# Issue 3: hostile input is rejected "in well under a second". Most of the table takes a few
# milliseconds and the size limits answer within about 0.35 s, so 1 s leaves a margin for a
# loaded machine.
REJECT_WITHIN_SECONDS = 1.0


@pytest.fixture(scope="module", autouse=True)
def _sympy_imported_and_warm():
    """The first formula of a process imports sympy and warms it up, outside the time limit
    (about a second); done here, it stays out of the measured calls and audited events."""
    from_expression("x")

HOSTILE = [
    ("__import__('os')", r"Unexpected character '_' at position 1"),
    ("__import__('os').system('echo hacked')", r"Unexpected character '_' at position 1"),
    ("x.__class__", r"Unexpected character '_' at position 3"),
    ("x.real", r"Attribute access with '\.' is not allowed"),
    ("x.conjugate()", r"Attribute access with '\.' is not allowed"),
    ("lambda: 1", r"Unexpected character ':' at position 7"),
    ("[i for i in x]", r"Unexpected character '\[' at position 1"),
    ("9**9**9**9", r"Exponent too large"),
    ("9^9^9^9", r"Exponent too large"),
    ("2**(10**10)", r"Exponent too large"),
    ("x**y**100", r"Exponent too large"),
    ("(1e15**20)**20", r"Number too large"),
    ("exp(exp(exp(exp(exp(10)))))", r"Number too large"),
    ("1e400", r"Number too large"),
    ("+".join(["x"] * 100000), r"Formula is too long \(199999 characters, at most 300\)"),
    ("(" * 1000 + "x" + ")" * 1000, r"Formula is too long \(2001 characters"),
    ("(" * 100 + "x" + ")" * 100, r"nested too deeply \(more than 30 levels"),
    ("sin(" * 40 + "x" + ")" * 40, r"nested too deeply"),
    ("-" * 299 + "x", r"too many parts \(300, at most 200\)"),
    ("*".join(f"sin({k}*x+y)" for k in range(1, 25)), r"too complicated to differentiate"),
    ("*".join(f"(x+{k}*y)**20" for k in range(1, 20)), r"too complicated to differentiate"),
    # Accepted under the earlier size limits, in up to 0.9 s on a loaded machine.
    ("*".join(f"sin({k}*x+y)" for k in range(1, 13)), r"too complicated to differentiate"),
    ("*".join(f"(x+{k}*y)**20" for k in range(1, 11)), r"too complicated to differentiate"),
    ("os", r"Name 'os' is not allowed; use x, y, pi, e and functions sin, cos"),
    ("eval(x)", r"Function 'eval' is not allowed; use one of: sin, cos"),
    ("open(x)", r"Function 'open' is not allowed"),
    ("'x'", r"""Unexpected character "'" at position 1"""),
    ('"x" * 3', r"Unexpected character '\"' at position 1"),
    ("sin(x=1)", r"Unexpected character '=' at position 6"),
    ("sin(*x)", r"sin\(\) takes exactly one argument"),
    ("sin(x, y)", r"sin\(\) takes exactly one argument"),
    ("sin()", r"sin\(\) takes exactly one argument"),
    ("x if y else 1", r"'if \.\.\. else' is not allowed"),
    ("x and y", r"'and' / 'or' are not allowed"),
    ("not x", r"Only '-' and '\+' may stand in front of a term"),
    ("x, y", r"A comma is only allowed inside a function call"),
    ("x < y", r"Unexpected character '<' at position 3"),
    ("x % 2", r"Unexpected character '%' at position 3"),
    ("x // y", r"Operator '//' is not allowed"),
    ("x @ y", r"Unexpected character '@' at position 3"),
    ("x;y", r"Unexpected character ';' at position 2"),
    ("True", r"True is not allowed"),
    ("None", r"None is not allowed"),
    ("1j", r"Complex numbers"),
]

MALFORMED = [
    ("", r"The formula is empty"),
    ("   ", r"The formula is empty"),
    ("x y", r"Could not read the formula near position 3: an operator may be missing"),
    ("x +", r"The formula ends with '\+'; something is missing after it"),
    ("x^", r"ends with '\^'"),
    ("2x", r"write 2\*x, not 2x"),
    ("2or x", r"write 2\*x, not 2x"),
    ("2(x + 1)", r"To multiply, write 2\*\(\.\.\.\), not 2\(\.\.\.\)"),
    ("x(y)", r"To multiply, write x\*\(\.\.\.\)"),
    ("(x", r"'\(' at position 1 is never closed"),
    ("x)", r"'\)' at position 2 has no '\('"),
    ("sin", r"'sin' is a function; write sin\(\.\.\.\)"),
    ("Sin(x)", r"did you mean 'sin'\?"),
    ("X**2", r"did you mean 'x'\?"),
    ("z + 1", r"Name 'z' is not allowed"),
    ("x²", r"Unexpected character '²' at position 2; use '\*\*2' instead"),
    ("x×y", r"use '\*' instead"),
    ("sin（x）", r"use '\(' instead"),
    ("1/0", r"Division by zero"),
    ("x/(y - y)", r"Division by zero"),
    ("0**(-1)", r"Division by zero"),
    ("log(-1)", r"log\(-1\) is not defined"),
    ("(-8)**(1/3)", r"not a real number"),
    ("(-2)**x", r"complex numbers"),
    (42, r"The formula must be text"),
]


@pytest.mark.parametrize("text, error", HOSTILE + MALFORMED, ids=lambda value: repr(value)[:40])
def test_rejected_quickly_with_a_clear_message(text, error):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=error):
        from_expression(text)
    assert time.perf_counter() - start < REJECT_WITHIN_SECONDS


def test_hostile_text_runs_nothing(tmp_path):
    marker = tmp_path / "hacked"
    for text in (
        f"__import__('os').system('touch {marker}')",
        f"open('{marker}', 'w')",
        "exec('import os')",
    ):
        with pytest.raises(ValueError):
            from_expression(text)
    assert not marker.exists()


_audited: list[list[str]] = []  # the event lists being recorded, with the thread recording them


def _audit(event: str, args) -> None:
    for events, thread in _audited:
        if thread == threading.get_ident():
            events.append(event)


@contextlib.contextmanager
def _audit_events():
    """The audit events (PEP 578: exec, import, open, os.system, ...) raised in this thread
    inside the block. Hooks cannot be removed, so one is added once and records only here."""
    if not getattr(_audit_events, "hooked", False):
        sys.addaudithook(_audit)
        _audit_events.hooked = True
    record = ([], threading.get_ident())
    _audited.append(record)
    try:
        yield record[0]
    finally:
        _audited.remove(record)


# Code that passes the character filter, so the AST whitelist alone has to refuse it.
WHITELIST = [
    ("x.conjugate()", r"Attribute access with '\.' is not allowed"),
    ("sin(x).real", r"Attribute access with '\.' is not allowed"),
    ("(x for x in y)", r"Comprehensions \('for \.\.\. in \.\.\.'\) are not allowed"),
    ("await x", r"'await' is not allowed"),
    ("sin(*x)", r"sin\(\) takes exactly one argument"),
    ("x if y else 1", r"'if \.\.\. else' is not allowed"),
    ("x and y", r"'and' / 'or' are not allowed"),
    ("x or y", r"'and' / 'or' are not allowed"),
    ("x in y", r"Comparisons are not allowed"),
    ("x is y", r"Comparisons are not allowed"),
    ("not x", r"Only '-' and '\+' may stand in front of a term"),
    ("sin", r"'sin' is a function; write sin\(\.\.\.\)"),
    ("sin(x)(y)", r"Only these functions may be called: sin, cos"),
    ("e(x)", r"To multiply, write e\*\(\.\.\.\), not e\(\.\.\.\)"),
    ("pi(1)", r"To multiply, write pi\*\(\.\.\.\), not pi\(\.\.\.\)"),
    ("x, y", r"A comma is only allowed inside a function call"),
    ("...", r"Ellipsis is not allowed"),
]


@pytest.mark.parametrize("text, error", WHITELIST, ids=[row[0] for row in WHITELIST])
def test_the_whitelist_refuses_code_that_passes_the_character_filter(text, error):
    assert set(text) <= expression_module._ALLOWED_CHARACTERS
    with _audit_events() as events, pytest.raises(ValueError, match=error):
        from_expression(text)
    # ast.parse is the only audited action: nothing imported, opened, run or executed.
    assert set(events) <= {"compile"}, events


def test_the_audit_hook_sees_execution():
    # The control for the test above: an accepted formula is compiled by lambdify (exec).
    with _audit_events() as events:
        from_expression("x**2 + 3*y")
    assert "exec" in events


# Code the character filter already refuses; the builder, given the parsed tree directly,
# refuses it too, so the whitelist holds even if the filter is ever widened.
BEHIND_THE_FILTER = [
    ("sin(x=1)", r"sin\(\) takes one argument without a name"),
    ("x < y", r"Comparisons are not allowed"),
    ("[x]", r"Lists, sets and dicts are not allowed"),
    ("{x}", r"Lists, sets and dicts are not allowed"),
    ("{x: 1}", r"Lists, sets and dicts are not allowed"),
    ("x[0]", r"Indexing with \[\.\.\.\] is not allowed"),
    ("lambda: 1", r"'lambda' is not allowed"),
    ("[i for i in x]", r"Comprehensions"),
    ("{i: 1 for i in x}", r"Comprehensions"),
    ("(y := x)", r"':=' is not allowed"),
    ("f'{x}'", r"Text is not allowed"),
    ("'os'", r"'os' is not allowed in a formula"),
    ("~x", r"Only '-' and '\+' may stand in front of a term"),
    ("x % 2", r"Operator '%' is not allowed"),
    ("x @ y", r"Operator '@' is not allowed"),
]


@pytest.mark.parametrize("text, error", BEHIND_THE_FILTER, ids=[row[0] for row in BEHIND_THE_FILTER])
def test_the_whitelist_holds_without_the_character_filter(text, error):
    import sympy as sp

    with pytest.raises(ValueError, match="Unexpected character"):
        from_expression(text)
    x, y = sp.symbols("x y", real=True)
    builder = expression_module._Builder(sp, x, y, time.monotonic() + 10)
    tree = ast.parse(text, mode="eval")
    with _audit_events() as events, pytest.raises(ValueError, match=error):
        builder.build(tree)
    assert events == []


def test_the_module_never_evaluates_or_sympifies_text():
    # Every module of the package, not only its __init__.py (surfaces/expression/ was one file).
    paths = sorted(Path(expression_module.__file__).parent.glob("*.py"))
    assert len(paths) > 1
    trees = [ast.parse(path.read_text()) for path in paths]
    called = {
        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert not called & {"eval", "exec", "compile", "sympify", "parse_expr", "__import__", "S"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("xy0123456789.+-*/^()e, sincoqrtlgpab_'[]"), max_size=40))
def test_any_text_gives_a_surface_or_a_value_error(text):
    start = time.perf_counter()
    try:
        surface = from_expression(text)
    except ValueError:
        pass
    else:
        assert isinstance(surface, Surface)
    assert time.perf_counter() - start < REJECT_WITHIN_SECONDS


def _hessian(hxx, hxy, hyy):
    return lambda x, y: np.array([[hxx(x, y), hxy(x, y)], [hxy(x, y), hyy(x, y)]])


# (formula, f, gradient, Hessian) with the derivatives worked out by hand.
HAND_DERIVED = [
    (
        "x**2 + 3*sin(y)",
        lambda x, y: x**2 + 3 * np.sin(y),
        lambda x, y: (2 * x, 3 * np.cos(y)),
        _hessian(lambda x, y: 2.0, lambda x, y: 0.0, lambda x, y: -3 * np.sin(y)),
    ),
    (
        "log(1 + x^2) + 0.5*y^2",
        lambda x, y: np.log(1 + x**2) + 0.5 * y**2,
        lambda x, y: (2 * x / (1 + x**2), y),
        _hessian(lambda x, y: (2 - 2 * x**2) / (1 + x**2) ** 2, lambda x, y: 0.0, lambda x, y: 1.0),
    ),
    (
        "x*y",
        lambda x, y: x * y,
        lambda x, y: (y, x),
        _hessian(lambda x, y: 0.0, lambda x, y: 1.0, lambda x, y: 0.0),
    ),
    (
        "exp(-(x^2 + y^2))",
        lambda x, y: np.exp(-(x**2 + y**2)),
        lambda x, y: (-2 * x * np.exp(-(x**2 + y**2)), -2 * y * np.exp(-(x**2 + y**2))),
        _hessian(
            lambda x, y: (4 * x**2 - 2) * np.exp(-(x**2 + y**2)),
            lambda x, y: 4 * x * y * np.exp(-(x**2 + y**2)),
            lambda x, y: (4 * y**2 - 2) * np.exp(-(x**2 + y**2)),
        ),
    ),
    (
        "tanh(x) * cos(2*y)",
        lambda x, y: np.tanh(x) * np.cos(2 * y),
        lambda x, y: ((1 - np.tanh(x) ** 2) * np.cos(2 * y), -2 * np.tanh(x) * np.sin(2 * y)),
        _hessian(
            lambda x, y: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2) * np.cos(2 * y),
            lambda x, y: -2 * (1 - np.tanh(x) ** 2) * np.sin(2 * y),
            lambda x, y: -4 * np.tanh(x) * np.cos(2 * y),
        ),
    ),
    (
        "sqrt(1 + x^2 + y^2) + arctan(x)",
        lambda x, y: np.sqrt(1 + x**2 + y**2) + np.arctan(x),
        lambda x, y: (x / np.sqrt(1 + x**2 + y**2) + 1 / (1 + x**2), y / np.sqrt(1 + x**2 + y**2)),
        _hessian(
            lambda x, y: (1 + y**2) / (1 + x**2 + y**2) ** 1.5 - 2 * x / (1 + x**2) ** 2,
            lambda x, y: -x * y / (1 + x**2 + y**2) ** 1.5,
            lambda x, y: (1 + x**2) / (1 + x**2 + y**2) ** 1.5,
        ),
    ),
]


@pytest.mark.parametrize("text, f, gradient, hessian", HAND_DERIVED, ids=[row[0] for row in HAND_DERIVED])
@settings(max_examples=25, deadline=None)
@given(x=st.floats(-3, 3), y=st.floats(-3, 3))
def test_derivatives_equal_hand_derived_ones(text, f, gradient, hessian, x, y):
    surface = _cached(text)
    point = np.array([x, y])
    np.testing.assert_allclose(surface.f(point), f(x, y), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(surface.grad(point), gradient(x, y), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(surface.hessian(point), hessian(x, y), rtol=1e-12, atol=1e-12)


_SURFACES: dict[str, Surface] = {}


def _cached(text: str) -> Surface:
    if text not in _SURFACES:
        _SURFACES[text] = from_expression(text)
    return _SURFACES[text]


def test_caret_means_power():
    points = np.random.default_rng(0).uniform(-3, 3, (20, 2))
    np.testing.assert_array_equal(from_expression("x^2 + y^3").f(points), from_expression("x**2 + y**3").f(points))


@pytest.mark.parametrize("text", ["3", "pi*e", "x", "y**2", "x*y"])
def test_results_broadcast_to_the_input_shape(text):
    surface = from_expression(text)
    for shape in [(), (7,), (3, 4)]:
        points = np.random.default_rng(1).uniform(-2, 2, (*shape, 2))
        for function, tail in [(surface.f, ()), (surface.grad, (2,)), (surface.hessian, (2, 2))]:
            result = function(points)
            assert result.shape == (*shape, *tail) and result.dtype == np.float64
            assert result.flags.writeable
    np.testing.assert_array_equal(from_expression("3").grad(np.ones((5, 2))), np.zeros((5, 2)))


def test_surface_fields():
    surface = from_expression("  x**2 + 3*sin(y) ")
    assert surface.name == "custom"
    assert surface.latex == r"f(x, y) = x^{2} + 3 \sin{\left(y \right)}"
    assert surface.params == {"formula": "x**2 + 3*sin(y)"}
    assert surface.bounds == ((-3.0, 3.0), (-3.0, 3.0))
    assert surface.minima.shape == (0, 2)
    assert set(surface.title) == set(surface.description) == {"en", "zh"}
    (xmin, xmax), (ymin, ymax) = surface.bounds
    assert xmin < surface.default_start[0] < xmax and ymin < surface.default_start[1] < ymax


@pytest.mark.parametrize(
    "text, error",
    [
        ("log(x)", r"f is not defined everywhere in the view: e\.g\. at \(x, y\) = \(-1\.\d\d, 0\.00\) \(log of zero or a negative number\?\)"),
        ("sqrt(y - 1)", r"at \(x, y\) = \(0\.00, -1\.\d\d\) \(square root or fractional power of a negative number\?\)"),
        ("arcsin(x)", r"arcsin/arccos outside \[-1, 1\]"),
        ("1/x", r"at \(x, y\) = \(0\.00, 0\.00\) \(division by zero, or a value too large\?\)"),
        ("exp(exp(exp(x)))", r"division by zero, or a value too large"),
    ],
)
def test_domain_errors_are_clear(text, error):
    with pytest.raises(ValueError, match=error):
        from_expression(text)


def test_custom_bounds_avoid_the_domain_error():
    surface = from_expression("log(x) + y^2", bounds=((0.5, 3), (-1, 1)))
    assert surface.bounds == ((0.5, 3.0), (-1.0, 1.0))
    np.testing.assert_allclose(surface.grad(np.array([2.0, 0.5])), [0.5, 1.0])
    # Outside the domain of f the derivatives are NaN too (d/dx log x = 1/x would not be),
    # so an optimizer run stops there.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(surface.f(np.array([-1.0, 0.0])))
        assert np.all(np.isnan(surface.grad(np.array([-1.0, 0.0]))))
        assert np.all(np.isnan(surface.hessian(np.array([[-1.0, 0.0], [1.0, 0.0]]))[0]))
        assert np.all(np.isfinite(surface.hessian(np.array([[-1.0, 0.0], [1.0, 0.0]]))[1]))


@pytest.mark.parametrize(
    "bounds, message",
    [
        (((1, 0), (0, 1)), "min < max"),
        (((0, 1),), r"\(\(xmin, xmax\), \(ymin, ymax\)\)"),
        ("abc", r"\(\(xmin, xmax\), \(ymin, ymax\)\)"),
        (((0, np.inf), (0, 1)), r"\(\(xmin, xmax\), \(ymin, ymax\)\)"),
        (((0, np.nan), (0, 1)), r"\(\(xmin, xmax\), \(ymin, ymax\)\)"),
        (((0, 1), (2, 2)), "min < max"),
        # Finite, but its width overflows: the domain check met NaN and blamed the formula.
        (((-1e308, 1e308), (-1, 1)), r"within -1e\+06 to 1e\+06"),
        (((0, 1), (0, 2e6)), r"within -1e\+06 to 1e\+06"),
    ],
)
def test_bad_bounds(bounds, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=f"^Bounds .*{message}"):
            from_expression("x", bounds=bounds)


def test_wide_bounds_within_the_limit():
    surface = from_expression("x + y", bounds=((-1e6, 1e6), (-1, 1)))
    assert surface.bounds == ((-1e6, 1e6), (-1.0, 1.0))


def test_kinks_get_zero_derivatives_instead_of_nan():
    cone = from_expression("sqrt(x^2 + y^2)")
    absolute = from_expression("abs(x) + y^2")
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        np.testing.assert_array_equal(cone.grad(np.zeros(2)), [0.0, 0.0])
        assert np.all(np.isfinite(cone.hessian(np.zeros((3, 2)))))
        np.testing.assert_array_equal(absolute.grad(np.array([0.0, 1.0])), [0.0, 2.0])
        np.testing.assert_array_equal(absolute.grad(np.array([-2.0, 1.0])), [-1.0, 2.0])
        np.testing.assert_array_equal(absolute.hessian(np.array([0.0, 1.0])), [[0.0, 0.0], [0.0, 2.0]])


def test_no_numpy_warnings_escape():
    surface = from_expression("1/(x - 0.123) + y", bounds=((1, 3), (-1, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isinf(surface.f(np.array([0.123, 0.0])))
        surface.grad(np.array([[0.123, 0.0], [2.0, 0.0]]))
        surface.hessian(np.array([0.123, 0.0]))


def test_a_heavy_but_legal_formula_builds_within_the_time_limit():
    # About 0.85 s of CPU on a 2-core machine. The limit counts this thread's CPU time, so a
    # busy machine (a CI run failed here when the limit was 1 s of wall time) cannot refuse it.
    text = "+".join(f"exp(sin({k}*x)*cos({k}*y))" for k in range(1, 12))
    start = time.thread_time()
    surface = from_expression(text)
    assert time.thread_time() - start < expression_module.TIME_LIMIT
    assert np.isfinite(surface.hessian(np.zeros(2))).all()


def _interrupted_after(limit: float, wait, busy_until: float):
    """Under a watchdog of ``limit`` CPU seconds: ``wait()``, then work until ``busy_until``
    seconds from the start. Returns the watchdog and the seconds at which ``wait()`` returned
    and at which the interruption arrived (None if it did not)."""
    watchdog = expression_module._Watchdog(threading.get_ident(), limit)
    start = time.monotonic()
    waited = arrived = None
    try:
        try:
            watchdog.start()
            wait()
            waited = time.monotonic() - start
            while time.monotonic() - start < busy_until:
                pass
        finally:
            watchdog.stop()
    except expression_module._OutOfTime:
        arrived = time.monotonic() - start
    return watchdog, waited, arrived


def test_the_limit_counts_the_formulas_cpu_time_not_the_wall_clock():
    # Waiting (here: sleeping, as a thread waits for the CPU on a loaded server) uses none
    # of the budget; work does.
    watchdog, slept, arrived = _interrupted_after(0.1, lambda: time.sleep(0.4), busy_until=3)
    assert watchdog.fired
    assert slept is not None and slept >= 0.4
    assert arrived is not None and slept + 0.1 <= arrived < 2


# Small by every size limit (127 nodes), but sympy's assumption system spends over 30 s on
# its gradient alone (found by fuzzing random formulas): only the time limit stops it.
SYMPY_BLOWUP = (
    "((x+y)+tanh(((abs((x*y)^6*(7*x+x))+x*y*(x+y)*y*x*(exp(x*y)+y^2))*((x-2*y)*(y+x*y)*((x-2*y)+x*y)"
    "+log(log(y^2)*y)))^6)*cos(abs(cosh((9*x+x))*log(tan((x+y)))))*(y)^4*exp(tan((sqrt(x*y)+x)"
    "*sqrt((y^2+(x-2*y)))))*(x*y+(((x-2*y)*x*y*y^2*(x+y)+y*tan(x*y))+y^2)))"
)


def test_the_time_limit_stops_a_single_long_sympy_call():
    start, cpu_start = time.perf_counter(), time.thread_time()
    with pytest.raises(ValueError, match="too complicated to differentiate quickly"):
        from_expression(SYMPY_BLOWUP)
    # The limit plus the latency of the interruption, in this thread's CPU time; the wall
    # clock only bounds it loosely, as a loaded machine stretches it. Unstopped, this
    # formula takes more than 30 s.
    assert time.thread_time() - cpu_start < expression_module.TIME_LIMIT + 1.0
    assert time.perf_counter() - start < 20
    _nothing_pending_and_sympy_still_works()


def _nothing_pending_and_sympy_still_works():
    end = time.monotonic() + 0.2
    while time.monotonic() < end:  # a stray interruption would be raised in here
        pass
    surface = from_expression("x**2 + sin(x*y)")
    np.testing.assert_allclose(surface.grad(np.array([1.0, 0.5])), [2 + 0.5 * np.cos(0.5), np.cos(0.5)])


def test_the_time_limit_never_leaks_an_interruption(monkeypatch):
    # Limits around the build time of a small formula, so the interruption lands anywhere:
    # in sympy, in the clean-up, or just after the work is done. Each call must give a
    # surface or a ValueError, and nothing may surface afterwards.
    outcomes = set()
    for limit in np.linspace(0.0, 0.08, 24):
        monkeypatch.setattr(expression_module, "TIME_LIMIT", float(limit))
        try:
            surface = from_expression("exp(-x^2) * cos(3*y) + x*y")
        except ValueError as error:
            assert "too complicated" in str(error)
            outcomes.add("interrupted")
        else:
            np.testing.assert_allclose(surface.f(np.zeros(2)), 1.0)
            outcomes.add("built")
    monkeypatch.undo()
    assert "interrupted" in outcomes
    _nothing_pending_and_sympy_still_works()


def test_the_watchdog_waits_until_an_import_is_done(tmp_path, monkeypatch):
    # Raised inside importlib, the interruption would leave the import lock taken and hang
    # every later import of the server (a stress test of from_expression did exactly that).
    (tmp_path / "slow_module_for_the_watchdog.py").write_text("import time\ntime.sleep(0.3)\n")
    monkeypatch.syspath_prepend(tmp_path)
    monkeypatch.delitem(sys.modules, "slow_module_for_the_watchdog", raising=False)
    try:
        watchdog, imported, arrived = _interrupted_after(
            0.05, lambda: importlib.import_module("slow_module_for_the_watchdog"), busy_until=2
        )
    finally:
        sys.modules.pop("slow_module_for_the_watchdog", None)
    assert watchdog.fired
    assert imported is not None and imported >= 0.3
    assert arrived is not None and imported <= arrived < 1


def test_abs_of_an_expression_sympy_cannot_prove_real():
    # x/y may be 0/0 as far as sympy knows, so Abs(x/y) is differentiated via sqrt((x/y)^2).
    # Hand-derived: for x < 0 < y, f = -x/y, f_xy = 1/y^2, f_yy = -2x/y^3.
    surface = from_expression("abs(x/y)", bounds=((-3, 3), (0.5, 3)))
    assert surface.latex == r"f(x, y) = \left|{\frac{x}{y}}\right|"
    np.testing.assert_allclose(surface.grad(np.array([1.0, 2.0])), [0.5, -0.25], rtol=1e-12)
    np.testing.assert_allclose(
        surface.hessian(np.array([-1.0, 2.0])), [[0.0, 0.25], [0.25, 0.25]], rtol=1e-12
    )


def _formulas(depth: int = 4):
    leaves = st.sampled_from(["x", "y", "pi", "e", "0", "1", "2", "0.5", "-1", "1e-3", "10"])

    def extend(inner):
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "^"]), inner).map(
            lambda parts: f"({parts[0]}){parts[1]}({parts[2]})"
        )
        call = st.tuples(st.sampled_from(sorted(expression_module.FUNCTIONS)), inner).map(
            lambda parts: f"{parts[0]}({parts[1]})"
        )
        return binary | call | inner.map(lambda text: f"-({text})")

    return st.recursive(leaves, extend, max_leaves=8)


@settings(max_examples=40, deadline=None)
@given(_formulas())
def test_random_formulas_give_a_working_surface_or_a_value_error(text):
    try:
        surface = from_expression(text)
    except ValueError:
        return
    points = np.random.default_rng(0).uniform(-3, 3, (16, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(surface.f(points)).all()  # the domain check passed on this view
        assert surface.grad(points).shape == (16, 2)
        assert surface.hessian(points).shape == (16, 2, 2)
