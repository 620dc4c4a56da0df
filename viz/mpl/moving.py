"""What changes between frames: the moving artists, the updates that put them at a step,
and the order they are drawn in."""

from __future__ import annotations


class MovingArtists:
    """The artists that change between frames, by kind (lines, heads, marks, texts: among
    equal zorders they are drawn in that order), and the ``updates`` that set them to a step."""

    def __init__(self) -> None:
        self.lines: list = []
        self.heads: list = []
        self.marks: list = []
        self.texts: list = []
        self.updates: list = []

    def in_drawing_order(self) -> list:
        """Everything that changes between frames, in drawing order (by zorder)."""
        return sorted(self.lines + self.heads + self.marks + self.texts, key=lambda a: a.get_zorder())


def layer(index: int, count: int, base: float) -> float:
    """zorder of a run's artist: lines below heads below marks, and among runs the first
    on top, as in a list of layers, so where runs share a path (SGD and momentum into a
    saddle) the legend's first entry is the one that shows."""
    return base + 0.01 * (count - index)
