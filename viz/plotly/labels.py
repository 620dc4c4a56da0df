"""The words of the figures: strings from the one catalogue, and a legend label per optimizer."""

from __future__ import annotations

from typing import Any

from scene import Scene
from scene.i18n import t
from scene.labels import entry_labels as labels_of


def text(key: str, lang: str, **values: Any) -> str:
    """A figure string from the one catalogue (assets/i18n/figure.json)."""
    return t(f"figure.{key}", lang, **values)


def entry_labels(scene: Scene, lang: str = "en") -> list[str]:
    """Legend text per optimizer (``scene.labels``: the same in every view and export)."""
    return labels_of(scene.optimizers, lang)
