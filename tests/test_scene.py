"""The scene model: one field table, one validation, the same verdict from every door.

A value reaches a scene through the Python API (``Scene``, ``OptimizerEntry``, the core's
``run``), a JSON dict (``scene_from_dict``), a URL (``scene_from_text``) or the command line
(``--optimizer NAME:key=value``). Each door must accept the same scenes and refuse the same
values with the same message.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers import get_optimizer, list_optimizers, optimizer_info, run
from scene import (
    ENTRY_FIELDS,
    OptimizerEntry,
    Scene,
    scene_from_dict,
    scene_from_text,
    scene_to_text,
    to_dict,
)
from surfaces import get_surface
from ui.widgets import Knob, log_choices
from viz.__main__ import _build_parser, _scene_and_texts


def _cli_text(value) -> str:
    if isinstance(value, list | tuple):
        return "(" + ",".join(_cli_text(v) for v in value) + ")"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return repr(value) if not isinstance(value, bool | str) else str(value).lower() if isinstance(value, bool) else value


def _cli_entry(raw: dict) -> str:
    pairs = {**raw.get("hparams", {}), **raw.get("schedule_params", {})}
    pairs.update({k: v for k, v in raw.items() if k not in ("name", "hparams", "schedule_params")})
    settings = ",".join(f"{k}={_cli_text(v)}" for k, v in pairs.items())
    return raw["name"] + (f":{settings}" if settings else "")


def _cli_argv(data: dict) -> list[str]:
    argv = ["export", "--out", "x.gif"]
    if "surface" in data:
        argv += ["--surface", data["surface"]]
    for key in ("steps", "seed"):
        if key in data:
            argv += [f"--{key}", str(data[key])]
    if data.get("start") is not None:
        argv += [f"--start={data['start'][0]!r},{data['start'][1]!r}"]
    for raw in data.get("optimizers", []):
        argv += ["--optimizer", _cli_entry(raw)]
    return argv


def verdicts(data: dict) -> dict[str, object]:
    """What each door makes of ``data``: the scene it builds, or its error message."""
    found = {}
    doors = {
        "json": lambda: scene_from_dict(json.loads(json.dumps(data))),
        "url": lambda: scene_from_text(json.dumps(data)),
        "cli": lambda: _scene_and_texts(_build_parser().parse_args(_cli_argv(data)))[0],
    }
    for door, build in doors.items():
        try:
            found[door] = build()
        except ValueError as error:
            found[door] = f"refused: {error}"
    return found


# ----------------------------------------------------------------------------- the table of invalid values

INVALID = [
    # (entry dict, message every door gives)
    ({"name": "sgd", "hparams": {"lr": 0.1}, "noise": -1}, "Invalid noise: -1 (must be a number >= 0)"),
    ({"name": "sgd", "hparams": {"lr": 0.1}, "clip_norm": -2}, "Invalid clip_norm: -2 (must be a positive number)"),
    ({"name": "sgd", "hparams": {"lr": 0.1}, "clip_value": 0}, "Invalid clip_value: 0 (must be a positive number)"),
    ({"name": "sgd", "hparams": {"lr": 0.1}, "batch_size": 0}, "Invalid batch_size: 0 (must be a whole number from 1 to 100000)"),
    ({"name": "sgd", "hparams": {"lr": 0.1}, "batch_size": 10**9}, "Invalid batch_size: 1000000000 (must be a whole number from 1 to 100000)"),
    ({"name": "sgd", "hparams": {"lr": -1}}, "Invalid learning rate: -1"),
    ({"name": "sgd", "hparams": {"lr": float("nan")}}, "Invalid learning rate: nan"),
    ({"name": "adamz", "hparams": {"lr": 0.1}}, "Unknown optimizer 'adamz'"),
    ({"name": "sgd", "hparams": {"lr": 0.1}, "schedule": "step", "schedule_params": {"gamma": 2}}, "Invalid gamma value: 2"),
    ({"name": "sgd", "hparams": {"lr": 0.1}, "warmup_iters": -3}, "Invalid warmup_iters value: -3"),
]


@pytest.mark.parametrize(("raw", "message"), INVALID, ids=[m for _, m in INVALID])
def test_an_invalid_value_gets_the_same_message_from_every_door(raw, message):
    found = verdicts({"surface": "three_minima", "optimizers": [raw]})
    for door, verdict in found.items():
        assert isinstance(verdict, str) and message in verdict, (door, verdict)
    # The Python API: the entry itself, and the core where the value is the core's.
    with pytest.raises(ValueError) as refused:
        OptimizerEntry(raw["name"], tuple(raw["hparams"].items()), raw.get("schedule", "constant"),
                       tuple(raw.get("schedule_params", {}).items()),
                       **{f.name: raw[f.name] for f in ENTRY_FIELDS if f.name in raw})
    assert message in str(refused.value)
    run_setting = next((f.name for f in ENTRY_FIELDS if f.name in raw and f.name != "warmup_iters"), None)
    if run_setting:
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            run(get_optimizer("sgd", lr=0.1), get_surface("three_minima"), [0.0, 0.0], steps=1, **{run_setting: raw[run_setting]})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"steps": 1e999}, "Invalid steps: inf"),
        ({"steps": 0}, "Invalid steps: 0 (must be a whole number from 1 to 5000)"),
        ({"steps": 2.5}, "Invalid steps: 2.5"),
        ({"seed": -1}, "Invalid seed: -1"),
        ({"surface": "nope"}, "Unknown surface 'nope'"),
        ({"start": [1e999, 0]}, "start x must be a finite number"),
        ({"start": [500, 0]}, "far outside the view"),
    ],
)
def test_scene_numbers_are_refused_alike(data, message):
    found = verdicts({"optimizers": [{"name": "sgd", "hparams": {"lr": 0.1}}], **data})
    for door in ("json", "url"):
        assert isinstance(found[door], str) and message in found[door], (door, found[door])
    if "start" not in data or all(math.isfinite(v) for v in data["start"]):
        assert isinstance(found["cli"], str) and message in found["cli"], found["cli"]


def test_json_refuses_what_it_does_not_know_instead_of_ignoring_it():
    with pytest.raises(ValueError, match="Unknown scene key 'stepz'"):
        scene_from_dict({"stepz": 3})
    with pytest.raises(ValueError, match="Unknown optimizer key 'nosie'"):
        scene_from_dict({"optimizers": [{"name": "sgd", "nosie": 1}]})
    with pytest.raises(ValueError, match="Invalid steps"):
        scene_from_text('{"steps": 1e999}')
    with pytest.raises(ValueError, match="Invalid seed"):
        scene_from_text('{"seed": Infinity}')
    with pytest.raises(ValueError, match="Invalid warmup_iters value: inf"):
        scene_from_text('{"optimizers": [{"name": "sgd", "warmup_iters": 1e999}]}')
    with pytest.raises(ValueError, match="Invalid steps"):
        scene_from_text('{"steps": 1' + "0" * 400 + "}")


# ----------------------------------------------------------------------------- property: every door agrees


def _value(spec):
    """Values a widget can produce, and a few it cannot (beyond the slider, or invalid)."""
    knob = Knob.of(spec)
    if knob.kind == "bool":
        return st.booleans()
    if knob.kind == "choice":
        return st.sampled_from(knob.choices)
    if knob.kind == "pair":
        return st.tuples(st.sampled_from([0.0, 0.5, 0.9, 0.99, 1.0]), st.sampled_from([0.9, 0.99, 0.999]))
    if knob.kind == "int":
        return st.integers(-2, 2000)
    if knob.log:
        return st.one_of(st.sampled_from(log_choices(knob.low, knob.high)), st.sampled_from([-1.0, 0.0, 20.0, 1e6]))
    return st.one_of(st.floats(knob.low, knob.high, allow_nan=False).map(lambda v: round(v, 3)), st.just(-0.5))


@st.composite
def entry_dicts(draw):
    name = draw(st.sampled_from(list_optimizers()))
    specs = optimizer_info(name).specs
    chosen = draw(st.lists(st.sampled_from(specs), unique_by=lambda s: s.name, max_size=3))
    raw = {"name": name, "hparams": {s.name: draw(_value(s)) for s in chosen}}
    for setting in draw(st.lists(st.sampled_from(ENTRY_FIELDS), unique_by=lambda f: f.name, max_size=2)):
        raw[setting.name] = draw(st.integers(-1, 3000) if setting.spec.kind == "int" else st.sampled_from([-2.0, 0.0, 0.5, 4.0]))
    return raw


@settings(max_examples=60, deadline=None)
@given(
    st.lists(entry_dicts(), min_size=1, max_size=3),
    st.sampled_from(["three_minima", "saddle", "rosenbrock", "beale"]),
    st.one_of(st.none(), st.tuples(st.floats(-2, 2).map(lambda v: round(v, 3)), st.floats(-2, 2).map(lambda v: round(v, 3)))),
    st.integers(-1, 6000),
    st.integers(-1, 3),
)
def test_every_door_accepts_and_refuses_the_same_scenes(entries, surface, start, steps, seed):
    data = {"surface": surface, "steps": steps, "seed": seed, "optimizers": entries}
    if start is not None:
        data["start"] = list(start)
    found = verdicts(data)
    assert found["json"] == found["url"] == found["cli"], found
    if isinstance(found["json"], Scene):
        scene = found["json"]
        assert scene_from_text(scene_to_text(scene)) == scene  # the URL round-trips
        assert scene_from_dict(to_dict(scene)) == scene


def test_two_ways_of_writing_the_same_settings_are_one_scene():
    explicit = OptimizerEntry.of("adam", lr=0.05, betas=[0.9, 0.999], eps=1e-8, amsgrad=False)
    assert explicit == OptimizerEntry.of("adam", lr=0.05)
    assert hash(explicit) == hash(OptimizerEntry.of("adam", lr=0.05))
    surface = get_surface("three_minima")
    assert Scene(start=tuple(surface.default_start)).start is None  # the default start
    assert scene_to_text(Scene()) == scene_to_text(scene_from_dict(to_dict(Scene())))


def test_the_default_scene_runs():
    scene = Scene()
    trajectory = scene.optimizers[0].run(scene.build_surface(), scene.start_point(), 5)
    assert np.isfinite(trajectory.points).all()


def test_imports_go_one_way():
    """ui -> viz -> {scene, analysis} -> {optimizers, surfaces}: each package imports only
    what lies below it (read from the source, so a lazy import inside a function counts)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    below = {
        "optimizers": set(),
        "surfaces": set(),
        "analysis": {"optimizers", "surfaces"},
        "scene": {"optimizers", "surfaces"},
        "viz": {"scene", "analysis", "optimizers", "surfaces"},
    }
    outside = {"streamlit", "plotly", "matplotlib"}
    for package, allowed in below.items():
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
                )
                for name in names:
                    top = name.split(".")[0]
                    if top in below or top == "ui":
                        assert top == package or top in allowed, f"{path.relative_to(root)} imports {name}"
                    if package != "viz":
                        assert top not in outside, f"{path.relative_to(root)} imports {name}"


def test_repeated_entries_are_numbered_in_order():
    from scene import entry_labels

    sgd, adam = OptimizerEntry.of("sgd", lr=0.01), OptimizerEntry.of("adam", lr=0.1)
    assert entry_labels([sgd, adam, sgd, sgd]) == [
        "SGD (lr=0.01) #1", "Adam (lr=0.1)", "SGD (lr=0.01) #2", "SGD (lr=0.01) #3",
    ]


def test_every_door_gives_the_same_start():
    scene = Scene(start=(0.1234567891, 0.5))
    assert scene.start == (0.123457, 0.5)  # what the sidebar shows and a URL carries
    with pytest.raises(ValueError, match="start x must be a finite number"):
        Scene(start=(10**400, 0))
    with pytest.raises(ValueError, match="name must be text"):
        OptimizerEntry(["sgd"])


BAD_BOUNDS = [
    ("junk", r"Invalid bounds 'junk': use auto, fit"),
    ([[1, 0], [0, 1]], r"bounds x: xmin must be less than xmax"),
    ([[0, 1], [2, 2]], r"bounds y: ymin must be less than ymax"),
    ([[0, float("nan")], [0, 1]], r"bounds x must be finite numbers"),
    ([[0, 1], [0, float("inf")]], r"bounds y must be finite numbers"),
    ([[0, 1e9], [0, 1]], r"bounds x \(0, 1e\+09\) reach too far; use coordinates within 15"),
    ([0, 1, 2, 3], r"Invalid bounds \[0, 1, 2, 3\]"),
    ([[0, True], [0, 1]], r"bounds x must be finite numbers, got True"),
]


@pytest.mark.parametrize(("bounds", "message"), BAD_BOUNDS)
def test_bad_bounds_are_refused_alike_by_every_door(bounds, message):
    with pytest.raises(ValueError, match=message):
        Scene(bounds=bounds)
    with pytest.raises(ValueError, match=message):
        scene_from_dict({"bounds": bounds})
    if not any(isinstance(v, float) and not math.isfinite(v) for pair in bounds if isinstance(pair, list) for v in pair):
        with pytest.raises(ValueError, match=message):
            scene_from_text(json.dumps({"bounds": bounds}))


@pytest.mark.parametrize("bounds", ["auto", "fit", ((-1.0, 2.0), (0.0, 3.0))])
def test_bounds_round_trip_through_json_url_and_command_line(bounds):
    scene = Scene("three_minima", bounds=bounds)
    assert scene_from_dict(to_dict(scene)) == scene
    assert scene_from_text(scene_to_text(scene)) == scene
    text = bounds if isinstance(bounds, str) else ",".join(str(v) for pair in bounds for v in pair)
    args = _build_parser().parse_args(["export", "--out", "x.gif", "--surface", "three_minima", f"--bounds={text}"])
    assert _scene_and_texts(args)[0].bounds == scene.bounds


def test_bounds_at_their_default_stay_out_of_the_url():
    assert "bounds" not in scene_to_text(Scene())
    assert json.loads(scene_to_text(Scene(bounds="fit")))["bounds"] == "fit"
    with pytest.raises(ValueError, match="--bounds must be auto, fit or xmin,xmax,ymin,ymax"):
        _scene_and_texts(_build_parser().parse_args(["export", "--out", "x.gif", "--bounds", "1,2,3"]))


def test_an_entry_reads_and_sets_one_hyperparameter_or_one_part_of_a_pair():
    adam = OptimizerEntry.of("adam", lr=0.05)
    assert adam.hparam("lr") == 0.05 and adam.hparam("betas", 0) == 0.9  # given, and the default
    changed = adam.with_hparam("betas", 0.5, part=0)
    assert changed.hparam("betas") == (0.5, 0.999) and changed.hparam("lr") == 0.05
    with pytest.raises(ValueError, match="Invalid beta parameter"):
        adam.with_hparam("betas", 1.5, part=0)


def test_an_entry_draws_samples_with_noise_or_mini_batches_of_data():
    from surfaces import get_surface

    bowl, data = get_surface("elongated_bowl"), get_surface("data_linreg")
    sgd = OptimizerEntry.of("sgd", lr=0.05)
    assert not sgd.draws_samples(bowl) and not sgd.draws_samples(data)  # the full batch
    assert OptimizerEntry("sgd", (("lr", 0.05),), noise=1.0).draws_samples(bowl)
    assert OptimizerEntry("sgd", (("lr", 0.05),), batch_size=8).draws_samples(data)
    assert not OptimizerEntry("sgd", (("lr", 0.05),), batch_size=8).draws_samples(bowl)  # no noise: no sampling
