"""``python -m viz export``: listing, an end-to-end export, overrides, and one-line errors
with exit code 2 that leave no file. Most cases call ``main`` in-process (fast); two run
the real command line in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from scene import PRESETS, OptimizerEntry
from scene.codecs import entry_from_cli, parse_start, split_top_level
from viz.__main__ import _build_parser, _scene_and_texts, main

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["--size", "480x270", "--frames", "6", "--steps", "20"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "viz", "export", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_list_prints_every_preset_with_both_titles():
    result = _run("--list")
    assert result.returncode == 0, result.stderr
    for key, preset in PRESETS.items():
        line = next(line for line in result.stdout.splitlines() if line.startswith(key + " "))
        assert preset.title["en"] in line and preset.title["zh"] in line


def test_end_to_end_gif_export(tmp_path):
    out = tmp_path / "saddle.gif"
    result = _run("--preset", "saddle", "--out", str(out), "--lang", "zh", *SMALL)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout
    with Image.open(out) as image:
        assert image.size == (480, 270)
        assert image.n_frames == 6


def test_overrides_build_the_scene_asked_for(tmp_path, capsys):
    out = tmp_path / "ravine.gif"
    code = main([
        "export", "--surface", "ravine", "--optimizer", "adam:lr=0.05,betas=(0.8,0.99)",
        "--optimizer", "sgd:lr=0.01,momentum=0.9", "--start", "-2,1", "--view", "side_by_side",
        "--out", str(out), *SMALL,
    ])
    assert code == 0, capsys.readouterr().err
    with Image.open(out) as image:
        assert image.n_frames == 6


def test_values_may_start_with_a_dash(tmp_path, capsys):
    # argparse takes "-x**2..." for an option unless the value is glued to its flag.
    out = tmp_path / "formula.gif"
    code = main(["export", "--formula", "-x**2+y**2+x**4", "--start", "-1,0.5", "--out", str(out), *SMALL])
    assert code == 0, capsys.readouterr().err
    with Image.open(out) as image:
        assert image.n_frames == 6


def test_optimizer_entries_take_run_settings():
    args = _build_parser().parse_args([
        "export", "--preset", "bigger_batch",
        "--optimizer", "sgd:lr=0.02,noise=4,batch_size=16",
        "--optimizer", "adam:lr=0.1,schedule=step,step_size=50,gamma=0.5,warmup_iters=10,clip_norm=1",
        "--optimizer", "momentum:clip_value=0.5,schedule=multistep,milestones=(10,20)",
    ])
    scene, _, _ = _scene_and_texts(args)
    assert scene.optimizers == (
        OptimizerEntry("sgd", (("lr", 0.02),), noise=4.0, batch_size=16),
        OptimizerEntry(
            "adam", (("lr", 0.1),), schedule="step", schedule_params=(("gamma", 0.5), ("step_size", 50)),
            warmup_iters=10, clip_norm=1.0,
        ),
        OptimizerEntry("momentum", schedule="multistep", schedule_params=(("milestones", (10, 20)),), clip_value=0.5),
    )


def test_replacing_a_presets_optimizers_says_which_settings_went(tmp_path, capsys):
    out = tmp_path / "batch.gif"
    assert main(["export", "--preset", "bigger_batch", "--optimizer", "sgd:lr=0.02", "--out", str(out), *SMALL]) == 0
    err = capsys.readouterr().err
    assert err.startswith("note: --optimizer replaced") and "noise=4.0" in err and "batch_size=16" in err
    assert main(["export", "--preset", "bigger_batch", "--optimizer", "sgd:lr=0.02,noise=4,batch_size=16",
                 "--out", str(out), *SMALL]) == 0
    # noise=4.0 and batch_size=16 are kept; the preset's other runs had batch_size=1 and 64
    # (1 is not the default: that is the full batch).
    assert "their batch_size=1, batch_size=64;" in capsys.readouterr().err
    assert main(["export", "--preset", "saddle", "--optimizer", "sgd:lr=0.02", "--out", str(out), *SMALL]) == 0
    assert capsys.readouterr().err == ""  # plain optimizers: nothing replaced but the optimizers


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "nope"], "Unknown preset 'nope'"),
        (["--optimizer", "adamz:lr=0.1"], "Unknown optimizer 'adamz'"),
        (["--optimizer", "adam:lr=-1"], "Invalid learning rate: -1"),
        (["--optimizer", "adam:lrr=1"], "Unknown hyperparameter 'lrr'"),
        (["--optimizer", "adam:lr"], "expected name=value"),
        (["--optimizer", "adam:lr=0.1,gamma=0.5"], "'gamma' is a parameter of the step / multistep / exponential / inv schedule; name the schedule too"),
        (["--optimizer", "adam:schedule=step,power=2"], "schedule step has no parameter 'power'; its parameters: step_size, gamma"),
        (["--optimizer", "adam:schedule=nope"], "Unknown schedule 'nope'"),
        (["--optimizer", "adam:schedule=step,step_size=0"], "Invalid step_size value: 0"),
        (["--optimizer", "sgd:noise=-1"], "Invalid noise"),
        (["--optimizer", "sgd:batch_size=0"], "Invalid batch_size: 0 (must be a whole number from 1 to 100000)"),
        (["--optimizer", "sgd:warmup_iters=-2"], "Invalid warmup_iters value: -2"),
        (["--surface", "nope"], "Unknown surface 'nope'"),
        (["--formula", "import os"], "formula"),
        (["--start", "1"], "--start must be two numbers"),
        (["--steps", "0"], "Invalid steps: 0 (must be a whole number from 1 to 5000)"),
        (["--size", "99999x10"], "out of range"),
        (["--size", "enormous"], "Unknown size"),
        (["--frames", "100000"], "frames must be"),
        (["--fps", "500"], "fps must be"),
        (["--view", "4d"], "invalid choice"),
    ],
)
def test_bad_requests_exit_2_with_one_line_and_no_file(tmp_path, capsys, args, message):
    out = tmp_path / "scene.gif"
    assert _exit_code(["export", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("out", "args", "message"),
    [
        # The 3-D HTML file is one still figure: an orbit or a frame count would be ignored.
        ("scene.html", ["--view", "surface3d", "--orbit", "90"], "--orbit shapes GIF and MP4 only; an HTML file is a still 3-D figure"),
        ("scene.html", ["--view", "surface3d", "--frames", "30"], "--frames shapes GIF and MP4 only"),
        ("scene.html", ["--size", "square", "--fps", "10"], "--size, --fps shape GIF and MP4 only"),
        ("scene.html", ["--no-legend"], "--no-legend shapes GIF and MP4 only"),
        ("scene.gif", ["--orbit", "30"], "--orbit turns the camera of --view surface3d"),
        ("scene.gif", ["--view", "surface3d", "--trail", "fade"], "--trail fades the paths of a flat view"),
        ("scene.html", ["--trail", "fade"], "--trail shapes GIF and MP4 only"),
    ],
)
def test_options_the_output_would_ignore_are_refused(tmp_path, capsys, out, args, message):
    assert _exit_code(["export", "--preset", "saddle", "--out", str(tmp_path / out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_html_takes_frames_in_2d_and_nothing_else_needed_in_3d(tmp_path, capsys):
    assert main(["export", "--preset", "saddle", "--steps", "20", "--frames", "5", "--out", str(tmp_path / "a.html")]) == 0
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    frames, _ = json.JSONDecoder().raw_decode(html, html.index("[", html.index("Plotly.addFrames(")))
    assert len(frames) == 5
    assert main(["export", "--preset", "saddle", "--steps", "20", "--view", "surface3d", "--out", str(tmp_path / "b.html")]) == 0
    assert capsys.readouterr().err == ""


def _exit_code(argv: list[str]) -> int:
    """``main``'s return code, or the code argparse exits with on a usage error."""
    try:
        return main(argv)
    except SystemExit as exit_:
        return exit_.code


def test_unknown_extension_and_unwritable_place(tmp_path, capsys):
    assert main(["export", "--preset", "saddle", "--out", str(tmp_path / "scene.png")]) == 2
    assert "Unknown file type '.png'" in capsys.readouterr().err
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    assert main(["export", "--preset", "saddle", "--out", str(blocker / "scene.gif"), *SMALL]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["a_file"]


def test_subprocess_error_has_no_traceback(tmp_path):
    result = _run("--preset", "saddle", "--optimizer", "adamz", "--out", str(tmp_path / "x.gif"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert not (tmp_path / "x.gif").exists()


def test_parsers():
    assert split_top_level("lr=0.1,betas=(0.9,0.99),eps=1e-8") == ["lr=0.1", "betas=(0.9,0.99)", "eps=1e-8"]
    assert entry_from_cli("adam:lr=0.05,betas=(0.8,0.99),amsgrad=true") == OptimizerEntry.of(
        "adam", lr=0.05, betas=(0.8, 0.99), amsgrad=True
    )
    assert entry_from_cli("sgd") == OptimizerEntry("sgd")
    assert entry_from_cli("sgd:lr=0.1,schedule=exponential,gamma=0.9,noise=2,batch_size=4") == OptimizerEntry(
        "sgd", (("lr", 0.1),), "exponential", (("gamma", 0.9),), noise=2.0, batch_size=4
    )
    assert parse_start("-2,1") == [-2.0, 1.0]
    assert parse_start("(-2, 1.5)") == [-2.0, 1.5]
