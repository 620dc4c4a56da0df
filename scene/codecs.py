"""A scene as plain data: a JSON-friendly dict, the URL's ``s`` text, and the command line's
``--optimizer NAME:key=value,...`` entries.

Every codec ends in the same constructors (``Scene``, ``OptimizerEntry``), so a value is
accepted or refused alike by all of them, with the same message. Keys the table does not
know are refused, never ignored.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from optimizers import list_schedules, optimizer_info, schedule_specs

from .fields import BOUNDS, ENTRY_FIELDS, SCENE_FIELDS
from .model import OptimizerEntry, Scene

MAX_URL_SCENE_CHARS = 20_000  # a lesson's scene is ~300 characters; more is junk
_ENTRY_STRUCTURE = ("name", "hparams", "schedule", "schedule_params")
_SCENE_STRUCTURE = ("surface", "surface_params", "formula", "start", "optimizers", BOUNDS.name)
_ALWAYS_WRITTEN = ("surface", "steps", "optimizers")  # a URL names these even at defaults


def _json_value(value: Any) -> Any:
    return [_json_value(v) for v in value] if isinstance(value, tuple) else value


def entry_to_dict(entry: OptimizerEntry, compact: bool = False) -> dict[str, Any]:
    data = {
        "name": entry.name,
        "hparams": {k: _json_value(v) for k, v in entry.hparams},
        "schedule": entry.schedule,
        "schedule_params": {k: _json_value(v) for k, v in entry.schedule_params},
        **{f.name: getattr(entry, f.name) for f in ENTRY_FIELDS},
    }
    if compact:
        defaults = {"hparams": {}, "schedule": "constant", "schedule_params": {}, **{f.name: f.default for f in ENTRY_FIELDS}}
        data = {k: v for k, v in data.items() if k == "name" or v != defaults[k]}
    return data


def to_dict(scene: Scene, compact: bool = False) -> dict[str, Any]:
    """JSON-friendly form (lists, numbers, strings), the inverse of :func:`scene_from_dict`;
    ``compact`` leaves out what is at its default (the URL form)."""
    data = {
        "surface": scene.surface,
        "surface_params": dict(scene.surface_params),
        "formula": scene.formula,
        "start": list(scene.start) if scene.start is not None else None,
        **{f.name: getattr(scene, f.name) for f in SCENE_FIELDS},
        "optimizers": [entry_to_dict(e, compact) for e in scene.optimizers],
        BOUNDS.name: BOUNDS.to_plain(scene.bounds),
    }
    if compact:
        defaults = {
            "surface_params": {}, "formula": "", "start": None, BOUNDS.name: BOUNDS.default,
            **{f.name: f.default for f in SCENE_FIELDS},
        }
        data = {k: v for k, v in data.items() if k in _ALWAYS_WRITTEN or v != defaults[k]}
    return data


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a mapping, got {value!r}")
    return {str(k): tuple(v) if isinstance(v, list) else v for k, v in value.items()}


def _known_keys(data: dict, known: tuple[str, ...], what: str) -> None:
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ValueError(f"Unknown {what} key {unknown[0]!r}; valid: {', '.join(known)}")


def entry_from_dict(raw: Any) -> OptimizerEntry:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise ValueError(f"each optimizer needs a name, got {raw!r}")
    _known_keys(raw, (*_ENTRY_STRUCTURE, *(f.name for f in ENTRY_FIELDS)), "optimizer")
    return OptimizerEntry(
        name=raw["name"],
        hparams=tuple(sorted(_mapping(raw.get("hparams", {}), "hparams").items())),
        schedule=str(raw.get("schedule", "constant")),
        schedule_params=tuple(sorted(_mapping(raw.get("schedule_params", {}), "schedule_params").items())),
        **{f.name: raw.get(f.name, f.default) for f in ENTRY_FIELDS},
    )


def scene_from_dict(data: Any) -> Scene:
    """Validate a plain dict into a Scene. Every problem raises ValueError saying what."""
    if not isinstance(data, dict):
        raise ValueError("A scene must be a mapping")
    _known_keys(data, (*_SCENE_STRUCTURE, *(f.name for f in SCENE_FIELDS)), "scene")
    default = Scene()
    raw_entries = data.get("optimizers")
    if raw_entries is not None and not isinstance(raw_entries, list):
        raise ValueError(f"optimizers must be a list, got {raw_entries!r}")
    entries = default.optimizers if raw_entries is None else tuple(entry_from_dict(raw) for raw in raw_entries)
    return Scene(
        surface=str(data.get("surface", default.surface)),
        surface_params=tuple(sorted(_mapping(data.get("surface_params", {}), "surface_params").items())),
        formula=str(data.get("formula", "")),
        start=data.get("start"),
        optimizers=entries,
        bounds=data.get(BOUNDS.name, BOUNDS.default),
        **{f.name: data.get(f.name, f.default) for f in SCENE_FIELDS},
    )


# ----------------------------------------------------------------------------- URL


def scene_to_text(scene: Scene) -> str:
    """Compact JSON of the scene for the URL's ``s``, fields at their defaults left out."""
    return json.dumps(to_dict(scene, compact=True), separators=(",", ":"), ensure_ascii=False)


def scene_from_text(text: str) -> Scene:
    """The scene of a URL's ``s`` parameter; ValueError with the reason for anything else."""
    if len(text) > MAX_URL_SCENE_CHARS:
        raise ValueError(f"longer than {MAX_URL_SCENE_CHARS} characters")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    try:
        return scene_from_dict(data)
    except (TypeError, KeyError, RecursionError, OverflowError) as error:
        raise ValueError(str(error)) from None


# ----------------------------------------------------------------------------- command line


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split at ``separator`` outside brackets, so ``betas=(0.9,0.99),lr=0.1`` has two parts."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += char in "(["
        depth -= char in ")]"
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def cli_value(text: str) -> Any:
    """A value typed on the command line: number, tuple, true/false, or the text itself."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text.strip()
    return tuple(value) if isinstance(value, list) else value


def cli_pairs(text: str, what: str) -> dict[str, Any]:
    """``a=1,b=(2,3)`` -> {"a": 1, "b": (2, 3)}."""
    pairs = {}
    for part in split_top_level(text):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{what}: expected name=value, got {part!r}")
        pairs[key.strip()] = cli_value(value)
    return pairs


def entry_from_cli(text: str) -> OptimizerEntry:
    """``adam:lr=0.05,betas=(0.9,0.99),schedule=step,step_size=50,noise=1`` -> an entry.

    The entry fields (``scene.fields.ENTRY_FIELDS``) and ``schedule`` are run settings; with
    ``schedule=NAME`` that schedule's parameters are keys too; every other key is a
    hyperparameter of the optimizer (its factory names the valid ones).
    """
    name, _, settings = text.partition(":")
    what = f"--optimizer {text!r}"
    if not name.strip():
        raise ValueError(f"{what}: expected NAME or NAME:param=value,...")
    raw: dict[str, Any] = {"name": name.strip(), "hparams": {}, "schedule_params": {}}
    pairs = cli_pairs(settings, what)
    schedule = str(pairs["schedule"]) if "schedule" in pairs else None
    schedule_keys = [spec.name for spec in schedule_specs(schedule)] if schedule else []
    hyperparameters = {spec.name for spec in optimizer_info(raw["name"]).specs}
    for key, value in pairs.items():
        if key == "schedule" or key in {f.name for f in ENTRY_FIELDS}:
            raw[key] = str(value) if key == "schedule" else value
        elif key in hyperparameters and key in schedule_keys:
            raise ValueError(f"{what}: {key!r} is both a hyperparameter of {raw['name']} and a parameter of schedule {schedule}")
        elif key in schedule_keys:
            raw["schedule_params"][key] = value
        elif key not in hyperparameters:
            _refuse_schedule_key(what, key, value, schedule, schedule_keys)
            raw["hparams"][key] = value  # unknown: the optimizer's factory says which are valid
        else:
            raw["hparams"][key] = value
    return entry_from_dict(raw)


def _refuse_schedule_key(what: str, key: str, value: Any, schedule: str | None, schedule_keys: list[str]) -> None:
    owners = [s for s in list_schedules() if key in {spec.name for spec in schedule_specs(s)}]
    if owners and schedule:
        raise ValueError(f"{what}: schedule {schedule} has no parameter {key!r}; its parameters: {', '.join(schedule_keys) or 'none'}")
    if owners:
        raise ValueError(
            f"{what}: {key!r} is a parameter of the {' / '.join(owners)} schedule; "
            f"name the schedule too, e.g. schedule={owners[0]},{key}={value}"
        )


def parse_start(text: str) -> list[float]:
    """``-2,1`` or ``(-2, 1)`` -> [-2.0, 1.0]."""
    parts = split_top_level(text.strip("()[] "))
    try:
        start = [float(p) for p in parts]
    except ValueError:
        start = []
    if len(start) != 2:
        raise ValueError(f"--start must be two numbers like -2,1, got {text!r}")
    return start
