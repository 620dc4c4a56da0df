"""Font families for exported figures: Latin text in DejaVu Sans, Chinese in a CJK font.

Matplotlib falls back glyph by glyph along a family list, so one list serves English and
Chinese titles. Fonts are chosen by family name, never by file path, so the same code works
on Debian (fonts-noto-cjk), macOS (PingFang) and Windows (Microsoft YaHei).
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

from matplotlib import font_manager

LATIN_FAMILY = "DejaVu Sans"
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK JP",
)
# File-name fragments of CJK fonts, to find fonts installed after matplotlib built its
# font cache (the cache is never refreshed by itself, so a fresh `apt-get install
# fonts-noto-cjk` is invisible until it is rebuilt).
_CJK_FILE_HINTS = ("cjk", "sourcehan", "wqy", "wenquanyi", "droidsansfallback", "pingfang", "msyh", "simhei")


def _known_families() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def _register_uncached_cjk_fonts() -> None:
    for path in font_manager.findSystemFonts():
        name = Path(path).name.lower()
        if any(hint in name for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # an unreadable font file is simply not a candidate


@cache
def cjk_family() -> str | None:
    """The first installed CJK family of :data:`CJK_FAMILIES`, or None (with a warning)."""
    known = _known_families()
    if not any(family in known for family in CJK_FAMILIES):
        _register_uncached_cjk_fonts()
        known = _known_families()
    for family in CJK_FAMILIES:
        if family in known:
            return family
    warnings.warn(
        "No CJK font found, Chinese text will show as boxes; install one, e.g. "
        "`apt-get install fonts-noto-cjk`",
        RuntimeWarning,
        stacklevel=2,
    )
    return None


def needs_cjk(*texts: str) -> bool:
    return any(ord(char) >= 0x2E80 for text in texts for char in text)


def font_families(cjk: bool) -> list[str]:
    """Family list for every text artist: Latin first (its digits and minus sign), then a
    CJK family when ``cjk``; left out otherwise, since a fallback font slows every layout."""
    family = cjk_family() if cjk else None
    return [LATIN_FAMILY] + ([family] if family else [])
