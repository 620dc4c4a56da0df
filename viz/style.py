"""Colours and markers shared by every figure, so the app, the GIFs and the HTML agree."""

from __future__ import annotations

# Okabe-Ito, readable for colour-blind viewers and on a projector; black is kept for minima.
PALETTE = (
    "#E69F00",  # orange
    "#0072B2",  # blue
    "#009E73",  # green
    "#CC79A7",  # purple
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#7F7F7F",  # grey
)
MINIMUM_COLOR = "#000000"
# The landscape under every map: light and low in contrast so the optimizer colours stay
# the strongest thing on screen; lows a little darker, so basins read as basins.
LANDSCAPE_COLORS = ("#b9c8d8", "#dfe6ee", "#f7f7f5")
CONTOUR_LINE_COLOR = "#8c8c8c"
# The 3-D surface: the same blue-greys, deeper, so shading shows the relief.
RELIEF_COLORS = ("#8fa6bf", "#c9d5e2", "#eef1f4")
START_COLOR = "#FFFFFF"
DIVERGED_MARK = "x"


def color_for(index: int) -> str:
    """Colour of the index-th optimizer of a scene (the same optimizer may appear twice)."""
    return PALETTE[index % len(PALETTE)]
