"""Log axes that students can read: the one tick rule of every plotly figure (the app's
loss, distance and step-size panels and the analysis views).

Over a short range (less than 2.5 decades) the labels sit at 1, 2 and 5 of each decade,
written out in full: Plotly's own "D2" prints a bare "5" for 0.5 and 5 alike. Over a long
range, one label per decade, or every few decades, so that there are never more than about
seven. Powers of ten, never SI prefixes (100µ, 10f).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

SHORT_SPAN = 2.5  # decades: below this, labels at 1, 2 and 5 of each decade
MAX_LABELS = 7
MINOR_GRID_SPAN = 4  # decades: light grid lines at 2..9 of each decade up to this span
MINOR_GRID_COLOR = "#EEEEEE"
# Plotly pads an autoranged axis a little beyond the data: candidate ticks reach this far
# (in decades) past it, so the padding gets its labels too (ticks outside the range are
# simply not drawn).
AUTORANGE_PAD = 0.1


def log_ticks(low_exponent: float, high_exponent: float) -> dict:
    """Tick settings for a log axis spanning 10**low .. 10**high (``dtick``, or
    ``tickvals`` with their ``ticktext``); the axis's ``type`` and range stay the caller's.
    A range too short to hold two of 1, 2 and 5 gets no settings: Plotly's own ticks."""
    span = high_exponent - low_exponent
    if span >= SHORT_SPAN:
        return {"dtick": max(1, math.ceil(span / MAX_LABELS))}
    values = _multiples((1, 2, 5), low_exponent, high_exponent)
    if len(values) < 2:
        return {}
    return {"tickvals": values, "ticktext": [tick_text(value) for value in values]}


def log_tick_values(low_exponent: float, high_exponent: float) -> list[float]:
    """The tick values :func:`log_ticks` asks for, written out (for a painter that places
    its own ticks): 1, 2 and 5 of each decade over a short range, else every decade or every
    few, never more than about :data:`MAX_LABELS`."""
    span = high_exponent - low_exponent
    if span < SHORT_SPAN:
        values = _multiples((1, 2, 5), low_exponent, high_exponent)
        if len(values) >= 2:
            return values
    every = max(1, math.ceil(span / MAX_LABELS))
    first = math.ceil(low_exponent / every) * every
    return [10.0**exponent for exponent in range(first, math.floor(high_exponent) + 1, every)]


def tick_text(value: float) -> str:
    """A tick label: plain digits from 0.001 to 9999, ``2·10<sup>-6</sup>`` beyond."""
    if 1e-3 <= value < 1e4:
        return f"{value:g}"
    exponent = math.floor(math.log10(value) + 1e-9)
    mantissa = round(value / 10.0**exponent)
    power = f"10<sup>{exponent}</sup>"
    return power if mantissa == 1 else f"{mantissa}·{power}"


def log_axis(values: Any = None, *, autorange: bool = True) -> dict[str, Any]:
    """Settings of a whole log axis over the positive finite ``values`` (plotly
    ``update_xaxes(**log_axis(values))``): log type, powers of ten, the ticks of
    :func:`log_ticks` and a light minor grid over a few decades. ``autorange``: the axis
    fits itself to the data (ticks are offered a little beyond it); otherwise ``values``
    span the axis's range exactly."""
    data = np.asarray(values if values is not None else [], dtype=float).ravel()
    data = data[np.isfinite(data) & (data > 0)]
    low, high = (math.log10(data.min()), math.log10(data.max())) if len(data) else (0.0, 1.0)
    pad = AUTORANGE_PAD if autorange else 0.0
    low, high = low - pad, high + pad
    settings: dict[str, Any] = dict(type="log", exponentformat="power", **log_ticks(low, high))
    if high - low <= MINOR_GRID_SPAN:
        settings["minor"] = dict(showgrid=True, gridcolor=MINOR_GRID_COLOR)
        if "tickvals" in settings:
            # Plotly's own minor ticks beside explicit labels come out as a dense grey mesh.
            settings["minor"].update(tickmode="array", tickvals=_multiples(range(1, 10), low, high))
    return settings


def _multiples(mantissas, low_exponent: float, high_exponent: float) -> list[float]:
    """``mantissas`` times each power of ten, within 10**low .. 10**high, increasing."""
    return [
        mantissa * 10.0**exponent
        for exponent in range(math.floor(low_exponent), math.ceil(high_exponent) + 1)
        for mantissa in mantissas
        if low_exponent <= math.log10(mantissa) + exponent <= high_exponent
    ]
