"""User text shown back as plain text, never as Markdown.

Streamlit renders the body of ``st.error``, ``st.warning``, ``st.markdown`` and ``st.caption``
as Markdown: a crafted link (``?lang=[Log in](https://evil.example)``) would become a real
link inside the app's own warning, and ``![x](http://host/track.png)`` an image every
visitor's browser fetches. Every value that came from a user (URL, formula, names, typed
lists, error messages that quote them) goes through :func:`plain` before it joins Markdown:
every ASCII punctuation character is backslash-escaped (CommonMark renders an escaped
character as itself, so links, images, emphasis, HTML, math and Streamlit's ``:icon:``
directives all fall apart into their characters), line breaks become spaces, and a long
value is cut with an ellipsis.
"""

from __future__ import annotations

import re
from typing import Any

from scene.i18n import t

MAX_ECHO = 200  # characters of a user's text shown back; a 100 kB URL value is not a message
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(value: Any, limit: int = MAX_ECHO) -> str:
    """``value`` as text that Markdown shows literally, at most ``limit`` characters."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _PUNCTUATION.sub(r"\\\1", text)


def message(key: str, lang: str, **values: Any) -> str:
    """The catalogue's text for ``key`` with every value shown as plain text."""
    return t(key, lang, **{name: plain(value) for name, value in values.items()})
