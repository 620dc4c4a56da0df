"""The words of the figures: strings from the one catalogue, and a legend label per optimizer."""

from __future__ import annotations

from scene import Scene
from scene.labels import entry_labels as labels_of

from ..picture import figure_text

text = figure_text  # the figures' words, from the one catalogue


def entry_labels(scene: Scene, lang: str = "en") -> list[str]:
    """Legend text per optimizer (``scene.labels``: the same in every view and export)."""
    return labels_of(scene.optimizers, lang)
