"""User text shown back as plain text, never as Markdown.

Streamlit renders the body of ``st.error``, ``st.warning``, ``st.markdown`` and ``st.caption``
as Markdown: a crafted link (``?lang=[Log in](https://evil.example)``) would become a real
link inside the app's own warning, and ``![x](http://host/track.png)`` an image every
visitor's browser fetches. Every value that came from a user (URL, formula, names, typed
lists, error messages that quote them) goes through :func:`plain` before it joins Markdown:
it becomes an inline code span, whose content CommonMark shows character for character (no
link, image, emphasis, HTML, math, directive, and no GFM autolink: a bare
``https://evil.example`` stays text; backslash escapes do not stop autolinks, as measured in
Chromium), line breaks become spaces, and a long value is cut with an ellipsis.
"""

from __future__ import annotations

import re
from typing import Any

from scene.i18n import t

MAX_ECHO = 200  # characters of a user's text shown back; a 100 kB URL value is not a message


def plain(value: Any, limit: int = MAX_ECHO) -> str:
    """``value`` as a Markdown code span that shows it literally, cut to ``limit`` characters."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if not text:
        return ""
    # The fence is one backtick longer than any run inside; a space keeps an edge backtick apart.
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def message(key: str, lang: str, **values: Any) -> str:
    """The catalogue's text for ``key`` with every text value shown as plain text (numbers
    are the app's own and read better as numbers)."""
    return t(key, lang, **{name: value if isinstance(value, int | float) else plain(value) for name, value in values.items()})
