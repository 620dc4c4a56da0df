"""The legend of an export: per run a colour swatch, its label, a status line that follows
the frames (its loss, or where it diverged) and, when they fit, its update rule."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch

from ..picture import figure_text as _text
from .data import Run, _format_loss
from .layout import Page, Rect
from .moving import MovingArtists
from .style import (
    BACKGROUND_COLOR,
    LABEL_PT,
    MIN_LEGEND_PT,
    MUTED_TEXT_COLOR,
    RULE_PT,
    SPINE_COLOR,
    STATUS_PT,
    TEXT_COLOR,
)


def entry_points(runs: Sequence[Run]) -> float:
    """Height of one legend entry in points."""
    rules = max((len(r.rule_lines) for r in runs), default=0)
    return LABEL_PT * 1.35 + STATUS_PT * 1.4 + rules * RULE_PT * 1.55 + 10


def widest_status(lang: str, total_steps: int) -> str:
    """The longest status line a run can show."""
    return max(_text("diverged", lang, step=total_steps), _text("final_loss", lang, value="-0.0001234"), key=len)


def legend_column_width(page: Page, runs: Sequence[Run], lang: str, total_steps: int) -> float:
    """Pixels one legend column needs at full font size: swatch, then the widest text."""
    worst_status = widest_status(lang, total_steps)
    widths = [page.text_width(run.label, LABEL_PT) for run in runs]
    widths += [page.text_width(worst_status, STATUS_PT, weight="bold")]
    widths += [page.text_width(rule, RULE_PT, math=True) for run in runs for rule in run.rule_lines]
    return page.px(34) + max(widths) + page.px(10)


def without_rules_unless_they_fit(page: Page, runs: list[Run], available_height: float, columns: int) -> list[Run]:
    """Update-rule captions are a bonus: they go when they would squeeze the legend
    below 80 % of its font size."""
    rows = math.ceil(len(runs) / columns)
    if page.px(rows * entry_points(runs)) * 0.8 > available_height:
        return [replace(run, rule_lines=()) for run in runs]
    return runs


def status_update(run: Run, status, lang: str):
    """The update that sets a run's status line at a step: its loss, or where it diverged."""
    def update(step: int) -> None:
        if 0 <= run.diverged_at <= step:
            status.set_text(run.diverged_text)
            status.set_color(run.color)
            status.set_weight("bold")
        else:
            status.set_text(_text("final_loss", lang, value=_format_loss(run.losses[step])))
            status.set_color(MUTED_TEXT_COLOR)
            status.set_weight("normal")
    return update


def legend_height(page: Page, runs: Sequence[Run], columns: int) -> float:
    """Pixels the legend needs at full font size."""
    return page.px(math.ceil(len(runs) / columns) * entry_points(runs))


def draw_backdrop(page: Page, box: Rect, pad: float) -> None:
    """A light box behind a legend that sits on a map, so the contours do not cross its text."""
    left, bottom, width, height = box
    x, y, w, h = page.fraction((left - pad, bottom - pad, width + 2 * pad, height + 2 * pad))
    page.figure.patches.append(FancyBboxPatch(
        (x, y), w, h, boxstyle="round,pad=0,rounding_size=0.006", transform=page.figure.transFigure,
        facecolor=BACKGROUND_COLOR, edgecolor=SPINE_COLOR, linewidth=0.8, alpha=0.88, zorder=1,
    ))


def draw_legend(page: Page, runs: Sequence[Run], moving: MovingArtists, lang: str, box: Rect, columns: int) -> None:
    left, bottom, width, height = box
    column_width = width / columns
    rows = math.ceil(len(runs) / columns)
    # Shrink every legend font alike when the entries do not fit the box.
    fit = min(1.0, height / max(page.px(rows * entry_points(runs)), 1e-9))
    label_pt, status_pt, rule_pt = (max(MIN_LEGEND_PT, p * fit) for p in (LABEL_PT, STATUS_PT, RULE_PT))
    top = bottom + height
    texts = []
    for index, run in enumerate(runs):
        row, col = divmod(index, columns)
        x = left + col * column_width
        y = top - page.px(row * entry_points(runs) * fit)
        swatch_y = (y - page.px(label_pt * 0.6)) / page.size[1]
        page.figure.add_artist(Line2D([x / page.size[0], (x + page.px(26)) / page.size[0]], [swatch_y, swatch_y],
                                      color=run.color, linewidth=5, solid_capstyle="butt",
                                      transform=page.figure.transFigure, zorder=3))
        text_x = x + page.px(34)
        texts.append(page.text(text_x, y, run.label, label_pt, va="top", color=TEXT_COLOR))
        y -= page.px(label_pt * 1.35)
        status = page.text(text_x, y, "", status_pt, animated=True, va="top", color=MUTED_TEXT_COLOR)
        moving.texts.append(status)
        y -= page.px(status_pt * 1.4)
        for rule in run.rule_lines:
            texts.append(page.text(text_x, y, rule, rule_pt, va="top", color=MUTED_TEXT_COLOR))
            y -= page.px(rule_pt * 1.55)

        moving.updates.append(status_update(run, status, lang))
    page.shrink_to_width(texts, [left + (i % columns + 1) * column_width for i in range(len(texts))])
