"""Command line: ``python -m viz export --preset ravine --out ravine.gif``.

The file extension picks the format (.gif, .mp4, .html). Scene options override the
preset: ``--surface ravine --optimizer adam:lr=0.05 --optimizer sgd:lr=0.01,momentum=0.9
--steps 300 --start -2,1``. An ``--optimizer`` entry also takes the run settings of
:class:`scene.OptimizerEntry` (``scene.fields.ENTRY_FIELDS``): ``sgd:lr=0.02,noise=4,batch_size=16`` or
``adam:lr=0.1,schedule=step,step_size=50,gamma=0.5,warmup_iters=10,clip_norm=1``.
``python -m viz export --list`` lists the presets.
Every bad request ends with exit code 2 and one line on stderr, and leaves no file.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from scene import BOUNDS, SCENE_FIELDS
from scene.codecs import cli_pairs, cli_value, entry_from_cli, parse_start
from scene.i18n import t

from .export_options import LANGS, MAX_FPS, MAX_FRAMES, SIZES, TRAILS, VIEWS, ExportOptions

USAGE_ERROR = 2
STOPPED_BY_SIGINT = 130  # the shell's codes for a process ended by SIGINT / SIGTERM
STOPPED_BY_SIGTERM = 143
_DEFAULTS = ExportOptions()


class _OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (its default adds the usage text)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")




def _say(key: str, **values) -> str:
    """The command line's words, from the one catalogue (assets/i18n/cli.json)."""
    return t(f"cli.{key}", "en", **values)


def _schedules_help() -> str:
    from optimizers import list_schedules, schedule_specs

    listed = "; ".join(
        name + (f" ({', '.join(spec.name for spec in schedule_specs(name))})" if schedule_specs(name) else "")
        for name in list_schedules()
    )
    return textwrap.fill(_say("schedules_help", listed=listed), width=88)


def _build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="python -m viz", description=_say("description"))
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    export = commands.add_parser(
        "export", help=_say("export_help"),
        description=_say("export_description"),
        epilog=_say("optimizer_help", schedules=_schedules_help()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--list", action="store_true", help=_say("list_help"))
    export.add_argument("--preset", help=_say("preset_help"))
    export.add_argument("--out", help=_say("out_help"))
    scene = export.add_argument_group(_say("scene_group"))
    scene.add_argument("--surface", help=_say("surface_help"))
    scene.add_argument("--formula", help=_say("formula_help"))
    scene.add_argument("--surface-param", action="append", default=[], metavar="NAME=VALUE",
                       help=_say("surface_param_help"))
    scene.add_argument("--optimizer", action="append", default=[], metavar="NAME[:key=value,...]",
                       help=_say("optimizer_option_help"))
    scene.add_argument("--start", metavar="X,Y")
    scene.add_argument(f"--{BOUNDS.name}", metavar="|".join(BOUNDS.modes) + "|XMIN,XMAX,YMIN,YMAX", help=BOUNDS.__doc__.split(":")[0])
    for setting in SCENE_FIELDS:  # --steps, --seed: checked by the scene, as in a URL
        scene.add_argument(f"--{setting.name}", help=setting.spec.help_en)
    look = export.add_argument_group(_say("picture_group"), textwrap.fill(_say("picture_help"), width=88))
    look.add_argument("--view", choices=VIEWS, default="contour")
    look.add_argument("--size", help=_say("size_help", sizes=", ".join(SIZES), default=_DEFAULTS.size))
    look.add_argument("--fps", type=int, help=_say("fps_help", most=MAX_FPS, default=_DEFAULTS.fps))
    look.add_argument("--frames", type=int, help=_say("frames_help", most=MAX_FRAMES, default=_DEFAULTS.frames))
    look.add_argument("--hold", type=float, help=_say("hold_help", default=f"{_DEFAULTS.hold_seconds:g}"))
    look.add_argument("--trail", choices=TRAILS, help=_say("trail_help", default=_DEFAULTS.trail))
    look.add_argument("--title", help=_say("title_help"))
    look.add_argument("--subtitle", help=_say("subtitle_help"))
    look.add_argument("--lang", choices=LANGS, default="en")
    look.add_argument("--update-rule", action="store_true", help=_say("update_rule_help"))
    look.add_argument("--no-legend", action="store_true")
    look.add_argument("--no-counter", action="store_true", help=_say("no_counter_help"))
    look.add_argument("--orbit", type=float, metavar="DEGREES",
                      help=_say("orbit_help"))
    return parser


def _print_presets() -> None:
    from scene import PRESETS

    width = max(len(key) for key in PRESETS)
    for key, preset in PRESETS.items():
        print(f"{key:<{width}}  {preset.title['en']}  |  {preset.title['zh']}")


def _scene_and_texts(args: argparse.Namespace):
    """The scene to draw and its default title and subtitle."""
    from scene import CUSTOM_SURFACE, Scene, entry_to_dict, get_preset, scene_from_dict, to_dict

    preset = get_preset(args.preset) if args.preset else None
    base = preset.scene if preset else Scene()
    data = to_dict(base)
    if args.surface:
        data.update(surface=args.surface, surface_params={}, start=None)
    if args.formula:
        data.update(surface=CUSTOM_SURFACE, formula=args.formula, surface_params={}, start=None)
    for text in args.surface_param:
        data["surface_params"].update(cli_pairs(text, f"--surface-param {text!r}"))
    if args.optimizer:
        data["optimizers"] = [entry_to_dict(entry_from_cli(text)) for text in args.optimizer]
    if args.start is not None:
        data["start"] = parse_start(args.start)
    if getattr(args, BOUNDS.name) is not None:
        data[BOUNDS.name] = BOUNDS.from_text(getattr(args, BOUNDS.name))
    for setting in SCENE_FIELDS:
        if getattr(args, setting.name) is not None:
            data[setting.name] = cli_value(getattr(args, setting.name))
    scene = scene_from_dict(data)
    if scene == base:
        # Untouched preset: its own title and lesson; a changed scene may no longer show it.
        return scene, preset.title if preset else None, preset.description if preset else None
    return scene, None, None


def run_export(args: argparse.Namespace) -> int:
    from .export import export, format_for_path

    if not args.out:
        raise ValueError("--out FILE is required (or --list)")
    out = Path(args.out)
    fmt = format_for_path(out)
    _refuse_unused_options(args, fmt)
    scene, titles, descriptions = _scene_and_texts(args)
    given = {"size": args.size, "fps": args.fps, "frames": args.frames, "hold_seconds": args.hold, "orbit_degrees": args.orbit, "trail": args.trail}
    options = ExportOptions(
        view=args.view,
        title=args.title if args.title is not None else (titles or {}).get(args.lang),
        subtitle=args.subtitle if args.subtitle is not None else (descriptions or {}).get(args.lang),
        lang=args.lang, legend=not args.no_legend, step_counter=not args.no_counter,
        update_rule=args.update_rule, **{name: value for name, value in given.items() if value is not None},
    )
    started = time.perf_counter()
    export(scene, out, options, progress=_check_stop)
    seconds = time.perf_counter() - started
    print(_say("wrote", out=out, format=fmt, kb=f"{out.stat().st_size / 1e3:.0f}", seconds=f"{seconds:.1f}"))
    dropped = _replaced_run_settings(args, scene)
    if dropped:
        print(_say("dropped_settings", settings=", ".join(dropped)), file=sys.stderr)
    return 0


def _refuse_unused_options(args: argparse.Namespace, fmt: str) -> None:
    """ValueError for picture options the output would silently ignore."""
    given = [
        flag for flag, value in (
            ("--size", args.size), ("--fps", args.fps), ("--frames", args.frames), ("--hold", args.hold),
            ("--orbit", args.orbit), ("--trail", args.trail), ("--update-rule", args.update_rule or None),
            ("--no-legend", args.no_legend or None), ("--no-counter", args.no_counter or None),
        )
        if value is not None
    ]
    if fmt == "html":
        used = {"--frames"} if args.view != "surface3d" else set()
        unused = [flag for flag in given if flag not in used]
        if unused:
            key = "html_unused_3d" if args.view == "surface3d" else "html_unused"
            raise ValueError(_say(key + ("_one" if len(unused) == 1 else ""), flags=", ".join(unused)))
    elif "--orbit" in given and args.view != "surface3d":
        raise ValueError(_say("orbit_flat"))
    elif "--trail" in given and args.view == "surface3d":
        raise ValueError(_say("trail_3d"))


def _run_settings(entries) -> list[str]:
    """``key=value`` of every run setting that is not the default, as in the entries."""
    from scene import ENTRY_FIELDS

    found: list[str] = []
    for entry in entries:
        settings = [f"schedule={entry.schedule}"] if entry.schedule != "constant" else []
        settings += [f"{f.name}={getattr(entry, f.name)}" for f in ENTRY_FIELDS if getattr(entry, f.name) != f.default]
        settings += [f"{key}={value}" for key, value in entry.schedule_params]
        found += [setting for setting in settings if setting not in found]
    return found


def _replaced_run_settings(args: argparse.Namespace, scene) -> list[str]:
    """The preset's run settings (noise=4.0, schedule=step, ...) that --optimizer dropped."""
    from scene import get_preset

    if not (args.preset and args.optimizer):
        return []
    kept = _run_settings(scene.optimizers)
    return [setting for setting in _run_settings(get_preset(args.preset).scene.optimizers) if setting not in kept]


# Options whose value may start with "-" ("--start -2,1", "--formula -x**2+y**2"), which
# argparse would take for an option.
_VALUES_MAY_START_WITH_DASH = ("--start", "--formula", "--title", "--subtitle")


def _glued(argv: Sequence[str]) -> list[str]:
    argv, glued = list(argv), []
    while argv:
        arg = argv.pop(0)
        if arg in _VALUES_MAY_START_WITH_DASH and argv:
            arg = f"{arg}={argv.pop(0)}"
        glued.append(arg)
    return glued


class _Terminated(Exception):
    """SIGTERM, raised where the export is, so that its temporary file is removed."""


_stop_requested: list[type[BaseException]] = []  # set by a signal; checked again at each frame


def _raise_stop(signum, frame) -> NoReturn:
    stop = KeyboardInterrupt if signum == signal.SIGINT else _Terminated
    _stop_requested.append(stop)
    raise stop


def _check_stop(_fraction: float) -> None:
    """Raise again a stop whose first exception was swallowed (one that lands in a finalizer
    or a library's ``except`` is lost, and the export would go on to write the file)."""
    if _stop_requested:
        raise _stop_requested[0]


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(_glued(sys.argv[1:] if argv is None else argv))
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {stop: signal.signal(stop, _raise_stop) for stop in stops} if _in_main_thread() else {}
    try:
        if args.list:
            _print_presets()
            return 0
        return run_export(args)
    except ValueError as error:
        message = str(error)
    except OSError as error:
        message = _say("cannot_write", out=args.out, reason=error.strerror or error)
    except (KeyboardInterrupt, _Terminated) as stop:
        # The export's temporary file is gone by now (viz.export._replacing); say so in a line.
        print(_say("stopped"), file=sys.stderr)
        return STOPPED_BY_SIGINT if isinstance(stop, KeyboardInterrupt) else STOPPED_BY_SIGTERM
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
    one_line = re.sub(r"\s+", " ", message).strip()
    print(_say("error", message=one_line), file=sys.stderr)
    return USAGE_ERROR


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":
    sys.exit(main())
