"""What an export looks like: view, size, timing, text. Plain values, checked on creation."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

VIEWS = ("contour", "side_by_side", "surface3d")
TRAILS = ("full", "fade")  # a path drawn whole, or fading with age (Radford's GIFs)
SIZES: dict[str, tuple[int, int]] = {
    "slide": (1280, 720),
    "slide_small": (960, 540),
    "square": (720, 720),
    "social": (1080, 1350),
}
LANGS = ("en", "zh")

MIN_SIDE, MAX_SIDE = 240, 2560
MAX_FPS = 50  # GIF delays are whole centiseconds and browsers slow anything under 2 cs
MIN_FRAMES, MAX_FRAMES = 2, 600
MAX_HOLD_SECONDS = 10.0


def parse_size(size: str | tuple[int, int]) -> tuple[int, int]:
    """A named size (``slide``, ...) or ``WIDTHxHEIGHT`` / (width, height) in pixels."""
    if isinstance(size, str):
        if size in SIZES:
            return SIZES[size]
        match = re.fullmatch(r"\s*(\d+)\s*[xX*]\s*(\d+)\s*", size)
        if not match:
            named = ", ".join(f"{k} ({w}x{h})" for k, (w, h) in SIZES.items())
            raise ValueError(f"Unknown size {size!r}; use one of {named} or WIDTHxHEIGHT")
        width, height = int(match[1]), int(match[2])
    else:
        try:
            width, height = (int(v) for v in size)
        except (TypeError, ValueError):
            raise ValueError(f"Size must be a name or (width, height), got {size!r}") from None
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ValueError(
            f"Size {width}x{height} is out of range: each side must be {MIN_SIDE} to {MAX_SIDE} pixels"
        )
    if width % 2 or height % 2:
        raise ValueError(f"Size {width}x{height} must have even sides (video encoders need them)")
    return width, height


@dataclass(frozen=True)
class ExportOptions:
    """How to draw an export.

    ``view``: ``contour`` (all runs over one contour map), ``side_by_side`` (one panel per
    optimizer) or ``surface3d`` (``orbit_degrees`` turns the camera over the animation).
    ``frames`` is the number of distinct pictures; long runs are decimated, and the last
    picture is held ``hold_seconds`` longer (up to ``MAX_HOLD_SECONDS``, for the end to sink
    in on a slide). ``trail``: ``full`` draws each path whole, ``fade`` lets its older part
    fade (2-D views). ``title`` None means the surface's title.

    GIF and MP4 use every option. An HTML file is the app's interactive Plotly figure: it
    uses ``view``, ``title``, ``subtitle``, ``lang`` and, in the 2-D views, ``frames`` (its
    animation frames); the 3-D HTML figure is still and the viewer turns it with the mouse,
    so ``frames`` and ``orbit_degrees`` do not apply to it, nor do ``size``, ``fps``,
    ``hold_seconds``, ``legend``, ``step_counter``, ``update_rule`` and ``trail`` to any HTML file
    (the command line refuses them for HTML rather than ignore them).
    """

    view: str = "contour"
    size: str | tuple[int, int] = "slide"
    fps: int = 20
    frames: int = 120
    hold_seconds: float = 1.0
    title: str | None = None
    subtitle: str | None = None
    lang: str = "en"
    legend: bool = True
    step_counter: bool = True
    update_rule: bool = False
    orbit_degrees: float = 0.0
    trail: str = "full"

    def __post_init__(self) -> None:
        if isinstance(self.size, list):  # from JSON: keep the options hashable (cache keys)
            object.__setattr__(self, "size", tuple(self.size))
        if self.view not in VIEWS:
            raise ValueError(f"Unknown view {self.view!r}; valid: {', '.join(VIEWS)}")
        parse_size(self.size)
        if self.trail not in TRAILS:
            raise ValueError(f"Unknown trail {self.trail!r}; valid: {', '.join(TRAILS)}")
        if self.lang not in LANGS:
            raise ValueError(f"Unknown language {self.lang!r}; valid: {', '.join(LANGS)}")
        if isinstance(self.fps, bool) or not isinstance(self.fps, int) or not 1 <= self.fps <= MAX_FPS:
            raise ValueError(f"fps must be a whole number from 1 to {MAX_FPS}, got {self.fps!r}")
        frames = self.frames
        if isinstance(frames, bool) or not isinstance(frames, int) or not MIN_FRAMES <= frames <= MAX_FRAMES:
            raise ValueError(f"frames must be a whole number from {MIN_FRAMES} to {MAX_FRAMES}, got {frames!r}")
        hold = self.hold_seconds
        if not isinstance(hold, int | float) or not math.isfinite(hold) or not 0 <= hold <= MAX_HOLD_SECONDS:
            raise ValueError(f"hold_seconds must be from 0 to {MAX_HOLD_SECONDS:g}, got {hold!r}")
        if not isinstance(self.orbit_degrees, int | float) or not abs(self.orbit_degrees) <= 720:
            raise ValueError(f"orbit_degrees must be from -720 to 720, got {self.orbit_degrees!r}")

    @property
    def pixel_size(self) -> tuple[int, int]:
        return parse_size(self.size)
