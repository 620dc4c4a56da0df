"""The one log-axis tick rule (viz.axes): short ranges labelled at 1, 2 and 5 in full, long
ones every decade or every few, never more than about seven labels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viz.axes import MAX_LABELS, log_axis, log_ticks, tick_text


def test_short_log_axes_write_their_ticks_in_full():
    # Plotly's "D2" printed a bare "5" for 0.5 and for 5.
    assert log_ticks(-0.5, 0.8) == {"tickvals": [0.5, 1.0, 2.0, 5.0], "ticktext": ["0.5", "1", "2", "5"]}
    assert log_ticks(-6.2, -5.5)["ticktext"] == ["10<sup>-6</sup>", "2·10<sup>-6</sup>"]


@pytest.mark.parametrize(
    ("low", "high", "dtick"),
    [(-6, 1, 1), (-14, 1, 3), (0, 2.5, 1), (-300, 300, 86)],
)
def test_long_log_axes_label_every_few_decades(low, high, dtick):
    assert log_ticks(low, high) == {"dtick": dtick}
    assert math.ceil((high - low) / dtick) <= MAX_LABELS


@pytest.mark.parametrize(("low", "high"), [(-0.5, 0.8), (-3.1, -1.0), (2.0, 4.4), (-0.01, 0.01)])
def test_short_ticks_lie_in_the_range_and_never_crowd(low, high):
    ticks = log_ticks(low, high)
    values = ticks.get("tickvals", [])
    assert all(low <= math.log10(v) <= high for v in values)
    assert len(values) <= 3 * math.ceil(high - low) + 1
    assert len(values) != 1  # one label says nothing about the scale


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.001, "0.001"), (0.5, "0.5"), (20.0, "20"), (5000.0, "5000"), (1e4, "10<sup>4</sup>"),
     (2e-4, "2·10<sup>-4</sup>"), (5e-7, "5·10<sup>-7</sup>"), (1e-6, "10<sup>-6</sup>")],
)
def test_tick_text(value, text):
    assert tick_text(value) == text


def test_log_axis_from_data():
    # Less than a decade of data: labels at 1, 2, 5 in full, a minor grid, powers of ten.
    axis = log_axis([0.021, 0.06, 0.17])
    assert axis["type"] == "log" and axis["exponentformat"] == "power"
    assert axis["ticktext"] == ["0.02", "0.05", "0.1", "0.2"]
    # Plotly's own minor ticks beside explicit labels are a dense mesh: 2..9 of a decade instead.
    assert axis["minor"]["tickvals"][:4] == pytest.approx([0.02, 0.03, 0.04, 0.05])
    # Eleven decades: every second decade, no minor grid; zeros and NaN are left out.
    axis = log_axis(np.array([0.0, np.nan, 1e-10, 3.0]))
    assert axis["dtick"] == 2 and "minor" not in axis
    # A fixed range (e.g. cell edges) gets no padding: 1..100 is two decades, short.
    assert log_axis([1.0, 100.0], autorange=False)["tickvals"][-1] == 100.0
    assert log_axis([]) == log_axis(None)
