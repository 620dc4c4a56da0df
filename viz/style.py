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
START_COLOR = "#FFFFFF"
DIVERGED_MARK = "x"


def color_for(index: int) -> str:
    """Colour of the index-th optimizer of a scene (the same optimizer may appear twice)."""
    return PALETTE[index % len(PALETTE)]
