"""The field tables: every setting of a scene and of an optimizer entry, written once.

A :class:`Field` is a row: its key (the attribute, and the key in JSON, in the URL's ``s`` and
in a CLI ``--optimizer`` entry), the spec that validates it (the core's own
``optimizers.RUN_SPECS`` and ``WARMUP_SPECS`` where the core has one, so the message is the
core's, in torch's wording) and gives a widget its range, symbol and help, and the catalogue
key of the widget's title. The scene model, the codecs and the sidebar all loop over these
tables; none of them names a setting by hand.

The structural parts (the surface and its parameters, the optimizer's name and
hyperparameters, the schedule and its parameters) are validated by their own factories
(``get_surface``, ``get_optimizer``, ``get_schedule``), whose specs are the tables for them.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

from optimizers import RUN_SPECS, WARMUP_SPECS, HyperParam

from .i18n import t

CUSTOM_SURFACE = "custom"  # the surface name of a typed formula
UPLOAD_SURFACE = "upload"  # the surface name of a user's CSV (its fingerprint is the scene's formula)
MAX_STEPS = 5000
MAX_SEED = 2**31 - 1
MAX_OPTIMIZERS = 8
START_LIMIT = 5.0  # a start beyond five views is off any picture a lesson draws
FIT_MARGIN = 0.08  # a fitted view leaves this much of its extent around the paths and minima


@dataclass(frozen=True)
class Field:
    """One setting. ``optional``: ``None`` switches it off (clipping; mini-batches, whose
    ``None`` is the full batch); the spec's default is then the value offered when it is
    switched on. ``off_word``: a word every door accepts for ``None`` (a command line's
    ``batch_size=full``), ``off_text`` what it means."""

    spec: HyperParam
    title_key: str
    optional: bool = False
    off_word: str = ""
    off_text: str = ""  # what the off word means, for the message

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def default(self) -> Any:
        return None if self.optional else self.spec.default

    def validate(self, value: Any) -> Any:
        """The value normalised (int or float), or ValueError with the spec's message."""
        if self.optional and (value is None or (self.off_word and value == self.off_word)):
            return None
        try:
            return self.spec.validate(value)
        except ValueError as error:
            if not self.off_word:
                raise
            raise ValueError(f"{error}, or {self.off_word!r} for {self.off_text}") from None

    def title(self, lang: str) -> str:
        return t(self.title_key, lang)


def _whole_number(name: str, default: int, symbol: str, help_key: str, low: int, high: int) -> HyperParam:
    return HyperParam(
        name, default, symbol, t(help_key, "en"), t(help_key, "zh"), kind="int",
        valid_low=low, valid_high=high, ui_low=low, ui_high=high,
        error=f"Invalid {name}: {{value}} (must be a whole number from {low} to {high})",
    )


# The settings of one optimizer entry besides its name, hyperparameters and schedule.
ENTRY_FIELDS: tuple[Field, ...] = (
    Field(WARMUP_SPECS[0], "app.warmup"),
    Field(RUN_SPECS["clip_value"], "app.clip_threshold", optional=True),
    Field(RUN_SPECS["clip_norm"], "app.clip_threshold", optional=True),
    Field(RUN_SPECS["noise"], "app.noise"),
    # None (the default, or "full"): no mini-batches. On a data surface every step takes the
    # full batch (batch gradient descent); on an analytic one the noise model's sigma is
    # the per-step noise. A number b: mini-batches of b examples (b >= N on a data surface is
    # the full batch again), and the noise model's sigma shrinks to sigma / sqrt(b).
    Field(RUN_SPECS["batch_size"], "app.batch", optional=True, off_word="full", off_text="the full batch"),
)

# The numbers of a scene besides its surface, start and optimizers.
SCENE_FIELDS: tuple[Field, ...] = (
    Field(_whole_number("steps", 300, "T", "app.steps_help", 1, MAX_STEPS), "app.steps"),
    Field(_whole_number("seed", 0, "", "app.seed_help", 0, MAX_SEED), "app.seed"),
)


@dataclass(frozen=True)
class BoundsField:
    """Which part of the plane a picture shows: ``auto`` (the surface's own view, widened to
    hold the start), ``fit`` (the paths, the start and the minima in view, framed with a
    margin of ``FIT_MARGIN``) or explicit ``((xmin, xmax), (ymin, ymax))``. Its key is
    ``bounds`` everywhere (JSON, the URL's ``s``, the command line's ``--bounds``); an
    export's ``view`` is the kind of plot (contour, side by side, 3-D), a different thing."""

    name: str = "bounds"
    modes: tuple[str, ...] = ("auto", "fit")
    default: str = "auto"

    def validate(self, value: Any, reach: float) -> str | tuple[tuple[float, float], tuple[float, float]]:
        """``auto``, ``fit`` or two increasing pairs of finite numbers within ``reach`` of
        the origin (the reach of a start, ``scene.model.start_reach``); ValueError if not."""
        if isinstance(value, str):
            if value in self.modes:
                return value
            raise ValueError(f"Invalid bounds {value!r}: use {', '.join(self.modes)} or ((xmin, xmax), (ymin, ymax))")
        pairs = value if isinstance(value, list | tuple) and len(value) == 2 else None
        if pairs is None or not all(isinstance(pair, list | tuple) and len(pair) == 2 for pair in pairs):
            raise ValueError(f"Invalid bounds {value!r}: use {', '.join(self.modes)} or ((xmin, xmax), (ymin, ymax))")
        checked = []
        for (low, high), axis in zip(pairs, "xy", strict=True):
            for number in (low, high):
                if isinstance(number, bool) or not isinstance(number, numbers.Real) or not math.isfinite(number):
                    raise ValueError(f"bounds {axis} must be finite numbers, got {number!r}")
            if not low < high:
                raise ValueError(f"bounds {axis}: {axis}min must be less than {axis}max, got ({low:g}, {high:g})")
            if max(abs(low), abs(high)) > reach:
                raise ValueError(f"bounds {axis} ({low:g}, {high:g}) reach too far; use coordinates within {reach:g}")
            checked.append((float(low), float(high)))
        return tuple(checked)

    def to_plain(self, value: str | tuple) -> str | list:
        """The JSON form: the mode, or [[xmin, xmax], [ymin, ymax]]."""
        return value if isinstance(value, str) else [list(pair) for pair in value]

    def from_text(self, text: str) -> str | list:
        """A command line's ``--bounds``: ``auto``, ``fit`` or ``xmin,xmax,ymin,ymax``."""
        if text.strip() in self.modes:
            return text.strip()
        try:
            numbers = [float(part) for part in text.replace("(", " ").replace(")", " ").replace(",", " ").split()]
        except ValueError:
            numbers = []
        if len(numbers) != 4:
            raise ValueError(f"--bounds must be {', '.join(self.modes)} or xmin,xmax,ymin,ymax, got {text!r}")
        return [numbers[:2], numbers[2:]]


BOUNDS = BoundsField()
