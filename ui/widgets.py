"""One widget factory for every tunable number of the app: optimizer hyperparameters,
schedule parameters, the warm-up and surface parameters are all drawn from their specs.

A spec's ``ui_low..ui_high`` (or a surface parameter's ``min..max``) is the widget's range,
so an out-of-range value cannot be entered. Log-scaled specs get a slider over 1-1.5-2-3-5-7
values per decade, which reads like the numbers lecturers use (0.01, 0.03, 0.05 ...).
Values live in ``st.session_state[key]``: set there before the widget is drawn (defaults,
a preset, the URL) and read back from it, so no widget is created with both a default and
a state value (which Streamlit warns about).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

from optimizers import HyperParam
from scene.i18n import LANGUAGES, pick, t
from surfaces import SurfaceParam
from ui.plain import message

LOG_MANTISSAS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)


@dataclass(frozen=True)
class Knob:
    """What a widget needs to know about one parameter, whichever spec it came from."""

    name: str
    default: Any
    symbol: str
    help: Mapping[str, str]
    kind: str = "float"  # float, int, bool, choice, pair, ints
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: tuple[str, ...] = ()
    choice_help: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    title: Mapping[str, str] = field(default_factory=dict)  # shown instead of the name when given

    @staticmethod
    def of(spec: HyperParam | SurfaceParam, title_key: str = "") -> Knob:
        """The knob of a spec; ``title_key``: a catalogue key shown instead of the name."""
        if isinstance(spec, SurfaceParam):
            return Knob(spec.name, spec.default, spec.symbol, spec.help, "float", spec.min, spec.max, spec.log)
        title = {lang: t(title_key, lang) for lang in LANGUAGES} if title_key else {}
        return Knob(
            spec.name, spec.default, spec.symbol, spec.help, spec.kind, spec.ui_low, spec.ui_high,
            spec.log, tuple(spec.choices), spec.choice_help, title,
        )

    def offers(self, value: Any) -> bool:
        """Whether the widget's range holds ``value`` (a URL or the CLI may give more)."""
        low = -math.inf if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        return low <= value <= high


def log_choices(low: float, high: float, extra: Sequence[float] = ()) -> list[float]:
    """1-1.5-2-3-5-7 values per decade from ``low`` to ``high``, plus ``extra`` values in range
    (a default or a URL value that is not on the grid stays selectable)."""
    values = set()
    for exponent in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for mantissa in LOG_MANTISSAS:
            value = float(f"{mantissa}e{exponent}")
            if low * (1 - 1e-9) <= value <= high * (1 + 1e-9):
                values.add(value)
    values.update(float(v) for v in extra if low <= float(v) <= high)
    return sorted(values)


SNAP_LINEAR_STEPS = 20


def snap_values(low: float, high: float, log: bool, current: float) -> list[float]:
    """The values a live slider under the map snaps to while it is dragged (the map has
    each one's path at hand): on a log scale the sliders' own 1-1.5-2-3-5-7 per decade
    (:func:`log_choices`), else round steps of 1, 2 or 5 times a power of ten, at most
    :data:`SNAP_LINEAR_STEPS` of them; and the current value."""
    if log:
        return log_choices(low, high, extra=(current,))
    power = 10.0 ** math.floor(math.log10((high - low) / SNAP_LINEAR_STEPS))
    step = next(m * power for m in (1, 2, 5, 10) if (high - low) / (m * power) <= SNAP_LINEAR_STEPS)
    values = {float(f"{k * step:.10g}") for k in range(math.ceil(low / step), math.floor(high / step) + 1)}
    values |= {float(low), float(high)} | ({float(current)} if low <= current <= high else set())
    return sorted(values)


def linear_step(low: float, high: float, *values: float) -> float:
    """A slider step near 1/100 of the range that hits ``low``, ``high`` and ``values``."""
    step = 10.0 ** math.floor(math.log10((high - low) / 100)) if high > low else 1.0
    for _ in range(8):
        if all(abs(v / step - round(v / step)) < 1e-6 for v in (low, high, *values)):
            break
        step /= 10
    return step


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def number_text(value: float) -> str:
    return f"{value:.4g}"


def label_for(knob: Knob, lang: str, part: int | None = None) -> str:
    """``η lr``: the symbol students see in the update rule, then torch's name. Plain text,
    not ``$\\eta$``: a widget's label is also its accessible name, and a screen reader read
    out the LaTeX source."""
    symbols = [s.strip() for s in knob.symbol.split(",")] if knob.symbol else []
    base = pick(dict(knob.title), lang) if knob.title else knob.name
    name = base if part is None else f"{base}[{part}]"
    symbol = symbols[part] if part is not None and part < len(symbols) else (knob.symbol if part is None else "")
    return f"{symbol_text(symbol)} {name}" if symbol else name


_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ",
    "kappa": "κ", "lambda": "λ", "mu": "μ", "rho": "ρ", "sigma": "σ", "tau": "τ", "psi": "ψ",
}
_SUBSCRIPTABLE = "0123456789aeilmnstux"  # the characters Unicode has subscripts for
_SUBSCRIPTS = str.maketrans(_SUBSCRIPTABLE, "₀₁₂₃₄₅₆₇₈₉ₐₑᵢₗₘₙₛₜᵤₓ")


def symbol_text(latex: str) -> str:
    """A spec's symbol (a little LaTeX: ``\\eta_{max}``, ``\\beta_1``, ``T_w``) as Unicode text:
    ``ηₘₐₓ``, ``β₁``; a subscript Unicode cannot write stays ``_w``."""
    text = re.sub(r"\\([a-zA-Z]+)", lambda m: _GREEK.get(m.group(1), m.group(1)), latex)

    def subscript(match: re.Match) -> str:
        letters = match.group(1) or match.group(2)
        return letters.translate(_SUBSCRIPTS) if all(c in _SUBSCRIPTABLE for c in letters) else f"_{letters}"

    return re.sub(r"_(?:\{([^}]*)\}|([A-Za-z0-9]))", subscript, text)


def set_knob(knob: Knob, key: str, value: Any) -> None:
    """Put ``value`` into the widget state of ``knob`` (before the widget is drawn): how a
    preset, a URL or a clicked start point reaches the widgets."""
    if knob.kind == "pair":
        set_knob(Knob(knob.name, knob.default[0], knob.symbol, knob.help, "float", knob.low, knob.high), f"{key}.0", value[0])
        set_knob(Knob(knob.name, knob.default[1], knob.symbol, knob.help, "float", knob.low, knob.high), f"{key}.1", value[1])
    elif knob.kind == "ints":
        st.session_state[key] = ", ".join(str(int(v)) for v in value)
    elif knob.kind == "bool":
        st.session_state[key] = bool(value)
    elif knob.kind == "choice":
        st.session_state[key] = value if value in knob.choices else knob.default
    elif knob.kind == "int":
        st.session_state[key] = int(value)
    else:
        # Kept exactly, even beyond the slider's range (a URL's lr=20): the widget then
        # becomes a number box that says so, instead of moving the value to its end.
        st.session_state[key] = float(value)


def _log_options(knob: Knob, current: float | None = None) -> list[float]:
    extra = (*_defaults(knob), *(() if current is None else (current,)))
    return log_choices(knob.low, knob.high, extra=extra)


def knob_value(knob: Knob, key: str) -> Any:
    """The value of ``knob`` as its widget state stands, drawn or not (widgets keep their
    state while hidden: ``persist_state``); ValueError for an unreadable list of steps."""
    state = st.session_state
    if knob.kind == "pair":
        return tuple(float(state.get(f"{key}.{part}", knob.default[part])) for part in (0, 1))
    if key not in state:
        return tuple(knob.default) if knob.kind == "ints" else knob.default
    value = state[key]
    if knob.kind == "ints":
        return parse_steps(value)
    if knob.kind == "bool":
        return bool(value)
    if knob.kind == "int":
        return int(value)
    return value if knob.kind == "choice" else float(value)


def parse_steps(text: str) -> tuple[int, ...]:
    # Empty is a list too (no drop: the schedule stays constant), as the core accepts it.
    steps = [int(part) for part in str(text).replace("，", ",").split(",") if part.strip()]
    if steps != sorted(set(steps)) or (steps and steps[0] < 0):
        raise ValueError(text)
    return tuple(steps)


def knob_widget(knob: Knob, key: str, lang: str) -> None:
    """Draw the widget for ``knob`` under ``key`` (read its value with :func:`knob_value`).
    An unreadable list of steps gets a message under its text box."""
    help_text = pick(dict(knob.help), lang)
    if knob.kind == "pair":
        for part in (0, 1):
            _scalar(replace(knob, kind="float", default=knob.default[part]), f"{key}.{part}", lang, help_text, part)
        return
    if key not in st.session_state:
        set_knob(knob, key, knob.default)
    label = label_for(knob, lang)
    if knob.kind == "bool":
        st.toggle(label, key=key, help=help_text, persist_state="page")
    elif knob.kind == "choice":
        st.selectbox(
            label, knob.choices, key=key, help=help_text, persist_state="page",
            format_func=lambda c: _choice_text(knob, c, lang),
        )
    elif knob.kind == "ints":
        raw = st.text_input(label, key=key, help=help_text, persist_state="page")
        try:
            parse_steps(raw)
        except ValueError:
            st.error(message("app.bad_steps_list", lang, text=raw))
    else:
        _scalar(knob, key, lang, help_text)


def _choice_text(knob: Knob, choice: str, lang: str) -> str:
    explanation = knob.choice_help.get(choice)
    return f"{choice} — {pick(dict(explanation), lang)}" if explanation else choice


def _scalar(knob: Knob, key: str, lang: str, help_text: str, part: int | None = None) -> None:
    label = label_for(knob, lang, part)
    low, high = knob.low, knob.high
    if key not in st.session_state:
        set_knob(knob, key, knob.default)
    common = {"key": key, "help": help_text, "persist_state": "page"}
    if not knob.offers(st.session_state[key]):
        _beyond_range(knob, key, label, lang, common)
    elif low is None or high is None:
        st.number_input(label, step=1 if knob.kind == "int" else None, format=None if knob.kind == "int" else "%g", **common)
    elif knob.kind == "int" and knob.log and low > 0:
        # Batch sizes: powers of two.
        options = {2**k for k in range(int(math.log2(high)) + 1) if low <= 2**k <= high}
        st.select_slider(label, sorted(options | {int(knob.default), int(st.session_state[key])}), **common)
    elif knob.kind == "int" and high - low > 1000:
        # Long ranges (steps, total_iters) are typed: a slider that wide moves in jumps.
        st.number_input(label, int(low), int(high), step=10 ** max(0, math.floor(math.log10((high - low) / 100))), **common)
    elif knob.kind == "int":
        st.slider(label, int(low), int(high), step=1, **common)
    elif knob.log and low > 0:
        st.select_slider(label, _log_options(knob, st.session_state[key]), format_func=number_text, **common)
    else:
        step = linear_step(low, high, *_defaults(knob))
        st.slider(label, float(low), float(high), step=step, format=f"%.{_decimals(step)}f", **common)


def _beyond_range(knob: Knob, key: str, label: str, lang: str, common: dict) -> None:
    """A value beyond the slider's range (from a link or the CLI) is typed, and said; moving it
    back inside the range brings the slider back.

    The box has a key of its own and hands its value to ``key`` when it changes: had it shared
    the slider's key, the slider that replaces it would show its first stop (batch size 1)
    while the state said 64, and send that back on the next rerun (seen in Chromium)."""
    integer = knob.kind == "int"
    typed = f"{key}__typed"
    st.session_state[typed] = st.session_state[key]
    st.number_input(
        label, step=1 if integer else None, format=None if integer else "%g",
        **{**common, "key": typed, "persist_state": None}, on_change=_take_typed, args=(typed, key),
    )
    st.caption(t("app.beyond_slider", lang, value=number_text(st.session_state[key]),
                 low=number_text(knob.low), high=number_text(knob.high)))


def _take_typed(typed: str, key: str) -> None:
    st.session_state[key] = st.session_state[typed]


def _defaults(knob: Knob) -> tuple[float, ...]:
    if knob.kind == "pair":
        return tuple(float(v) for v in knob.default)
    return (float(knob.default),) if isinstance(knob.default, int | float) and not isinstance(knob.default, bool) else ()
