"""The one catalogue: English and Chinese text for every label, help text and message of
the app, the figures, the exports and the command line.

Each feature keeps its strings in its own file ``assets/i18n/<feature>.json`` as
``{"key": {"en": "...", "zh": "..."}}``; keys are used as ``"<feature>.<key>"``. Streamlit-free,
so the figures and the GIF writer translate through the same lookup as the app.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
_FOLDER = Path(__file__).resolve().parent.parent / "assets" / "i18n"


@cache
def _table() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for path in sorted(_FOLDER.glob("*.json")):
        for key, texts in json.loads(path.read_text(encoding="utf-8")).items():
            table[f"{path.stem}.{key}"] = texts
    return table


def t(key: str, lang: str, **values: Any) -> str:
    """The text for ``key`` in ``lang`` (English if missing), formatted with ``values``.

    An unknown key raises KeyError: a missing translation should fail a test, not show a key.
    """
    texts = _table()[key]
    text = texts.get(lang) or texts["en"]
    return text.format(**values) if values else text


def pick(texts: dict[str, str], lang: str) -> str:
    """The ``lang`` entry of an {"en": ..., "zh": ...} dict from the core (titles, help)."""
    return texts.get(lang) or texts.get("en", "")


def all_keys() -> list[str]:
    return sorted(_table())


def translator(feature: str, lang: str):
    """``text(key, **values)`` for one feature's keys in one language (what a figure takes);
    ``text.lang`` is that language, for the names it shows beside the text."""

    def text(key: str, **values: Any) -> str:
        return t(f"{feature}.{key}", lang, **values)

    text.lang = lang
    return text
