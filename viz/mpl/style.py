"""The look of an export: sizes in points and colours.

Sizes are in points on a figure of a fixed area (that of 12.8 x 7.2 inches) whatever the
pixel size, so text keeps the same share of the picture at 960x540 and 1920x1080, square
or portrait, and stays readable on a projector.
"""

from __future__ import annotations

import math

from ..style import CONTOUR_LINE_COLOR, LANDSCAPE_COLORS

DESIGN_SIDE_INCHES = math.sqrt(12.8 * 7.2)  # 100 dpi at 1280x720
TITLE_PT, SUBTITLE_PT, COUNTER_PT = 22, 14, 18
LABEL_PT, STATUS_PT, RULE_PT, TICK_PT, PANEL_TITLE_PT = 15, 13, 12, 12, 14
MIN_TEXT_PX = 14  # no text smaller than this at 1280x720, where a point is 100 / 72 pixels
MIN_LEGEND_PT = MIN_TEXT_PX * 72 / 100  # legend text shrinks to fit, down to this
LINE_WIDTH_PT = 2.6
TEXT_COLOR = "#1a1a1a"
MUTED_TEXT_COLOR = "#555555"
SPINE_COLOR = "#999999"
BACKGROUND_COLOR = "#ffffff"
# Thin greys are few pixels each, so a palette fitted to pixel counts would shift them
# (a grey frame came out mauve); a GIF palette keeps these exact.
DESIGN_COLORS = (TEXT_COLOR, MUTED_TEXT_COLOR, CONTOUR_LINE_COLOR, SPINE_COLOR, BACKGROUND_COLOR, *LANDSCAPE_COLORS)
