"""An optimizer's update rule as lines matplotlib's mathtext can draw (the legend's captions)."""

from __future__ import annotations

import re

from matplotlib.mathtext import MathTextParser

_MATHTEXT = MathTextParser("path")
_LATEX_FOR_MATHTEXT = (
    (r"\tfrac", r"\frac"),
    (r"\dfrac", r"\frac"),
    (r"\lVert", r"\Vert"),
    (r"\rVert", r"\Vert"),
    (r"\left", ""),
    (r"\right", ""),
    ("&", ""),
)


def update_rule_lines(latex: str) -> list[str]:
    """The rows of an optimizer's ``aligned`` update rule as single-line mathtext.

    mathtext has no ``aligned`` environment, so each row becomes its own line; the row
    ``g_t = \\nabla f(\\theta_t)`` is the same for all and is left out. A row mathtext cannot
    parse is dropped, so an odd rule costs a caption line, never the export.
    """
    body = re.sub(r"\\(begin|end)\{aligned\}", "", latex)
    lines = []
    for row in re.split(r"\\\\", body):
        row = row.strip()
        for old, new in _LATEX_FOR_MATHTEXT:
            row = row.replace(old, new)
        row = re.sub(r"\\(text|operatorname)\{([^}]*)\}", r"\\mathrm{\2}", row)
        if not row or re.fullmatch(r"g_t\s*=\s*\\nabla f\(\\theta_t\)", row):
            continue
        try:
            _MATHTEXT.parse(f"${row}$", 72)
        except (ValueError, RuntimeError):
            continue
        lines.append(f"${row}$")
    return lines
