"""A class at once: N students open the app and move a slider, through Streamlit's own
websocket protocol (no browser), against one app process and against K processes behind
nginx (scripts/serve_class.sh), in the same run.

    python -m benchmarks.bench_load                     # 30 and 60 sessions, K = 2
    python -m benchmarks.bench_load --sessions 60 --processes 2 --spread 5
    python -m benchmarks.bench_load --env STREAMLIT_RUNNER_POST_SCRIPT_GC=false   # a setting to try
    python -m benchmarks.bench_load --profile 30        # where a move's CPU goes (py-spy)

Each session does what a browser does: GET the page (nginx's routing cookie comes with it),
GET /_stcore/health and /_stcore/host-config, open /_stcore/stream, send the BackMsg that
runs the script with the page's query string, and wait for ``script_finished``. Then it
opens Adam's settings (the 4th optimizer's expander, a stateful widget) and moves Adam's
learning-rate select_slider three times, each a ``rerun_script`` BackMsg carrying the
changed widget state, waiting for each run to finish. Like the browser it reports the hashes
of the cacheable messages it holds, so the server may send a reference instead of an
element it already sent; it follows the URL the app writes (``page_info_changed``).

The sessions go step by step together: all open the page, then all open the settings, then
all make their first move, and so on; ``--spread S`` starts each session's step at a random
moment within S seconds instead of all at the same instant (0: the worst case, a class told
"now move the slider"). The learning rates differ between sessions (session i's first move
goes i + 1 stops up the slider), so the per-optimizer run cache does not answer every
session alike.

Printed per setup and N: latency medians and maxima of opening the page and of a move (from
sending the BackMsg to ``script_finished``), failures, the server's CPU seconds per
interaction (user + system time of the app processes from /proc, and of nginx), memory (RSS
of the app processes with N sessions open), and the ratios of the K-process setup to the
one-process one. The client runs on the same machine and its CPU time is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from tests.conftest import free_port, stop_process, streamlit_server  # noqa: E402
from ui.state import entry_key, hparam_key  # noqa: E402

ADAM = 3  # the default scene's 4th optimizer is Adam (entry id 3)
EXPANDER_KEY = entry_key(ADAM, "box")
SLIDER_KEY = hparam_key(ADAM, "adam", "lr")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class SessionError(RuntimeError):
    pass


# ----------------------------------------------------------------------------- one session


@dataclass
class Session:
    """One student's browser tab, reduced to its websocket and widget states."""

    index: int
    base_url: str
    query: str
    timeout: float
    spread: float
    rng: random.Random
    cookie: str = ""
    ws: object = None
    widgets: dict[str, WidgetState] = field(default_factory=dict)  # widget id -> last value sent
    ids: dict[str, str] = field(default_factory=dict)  # user key -> widget id
    protos: dict[str, object] = field(default_factory=dict)  # user key -> latest element proto
    cached: set[str] = field(default_factory=set)  # hashes of cacheable messages received
    start: int | None = None  # the slider's stop before the first move
    times: dict[str, float] = field(default_factory=dict)  # step -> seconds
    error: str | None = None
    page_errors: int = 0  # exception elements and error alerts shown on the page
    refs: int = 0  # elements the server sent by reference
    received: int = 0  # bytes

    async def step(self, name: str, action) -> None:
        if self.error is not None:
            return
        if self.spread:
            await asyncio.sleep(self.rng.uniform(0, self.spread))
        try:
            self.times[name] = await asyncio.wait_for(action(), self.timeout)
        except Exception as error:  # noqa: BLE001 - a failed session is counted, not raised
            self.error = f"{name}: {type(error).__name__}: {error}"[:300]

    async def open(self) -> float:
        started = time.perf_counter()
        page = await asyncio.to_thread(_get, f"{self.base_url}/{'?' + self.query if self.query else ''}", "")
        self.cookie = "; ".join(c.split(";", 1)[0] for c in page.get_all("Set-Cookie") or [])
        for path in ("_stcore/health", "_stcore/host-config"):
            await asyncio.to_thread(_get, f"{self.base_url}/{path}", self.cookie)
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await connect(
            ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None,
            ping_interval=None, open_timeout=self.timeout,
        )
        await self.run_script()
        return time.perf_counter() - started

    async def set_widget(self, key: str, **value) -> float:
        if key not in self.ids:
            raise SessionError(f"no widget with the key {key!r} on the page")
        state = WidgetState(id=self.ids[key], **value)
        self.widgets[state.id] = state
        started = time.perf_counter()
        await self.run_script()
        return time.perf_counter() - started

    async def open_settings(self) -> float:
        return await self.set_widget(EXPANDER_KEY, bool_value=True)

    async def move(self, k: int) -> float:
        """The k-th move: session i's first move goes i + 1 stops up from the value the page
        showed (modulo the slider's length, never back to that value), then one stop a move."""
        slider = self.protos.get(SLIDER_KEY)
        if slider is None:
            raise SessionError(f"{SLIDER_KEY} was not drawn")
        options = list(slider.options)
        if self.start is None:  # the value the app gave the widget (session state), else its default
            self.start = options.index(slider.raw_value[0]) if slider.set_value else int(slider.default[0])
        offset = self.index % max(1, len(options) - 3)
        value = options[(self.start + 1 + offset + k) % len(options)]
        return await self.set_widget(SLIDER_KEY, string_array_value={"data": [value]})

    async def run_script(self) -> None:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.widget_states.widgets.extend(self.widgets.values())
        state.cached_message_hashes.extend(sorted(self.cached))
        await self.ws.send(message.SerializeToString())
        started = False
        while True:
            data = await self.ws.recv()
            self.received += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                started = True
            elif kind == "delta":
                self._note_delta(msg)
            elif kind == "ref_hash":
                self.refs += 1
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished" and started:
                if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise SessionError(f"script finished with {ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)}")
                return

    def _note_delta(self, msg: ForwardMsg) -> None:
        if msg.metadata.cacheable:
            self.cached.add(msg.hash)
        delta = msg.delta
        kind = delta.WhichOneof("type")
        if kind == "new_element":
            element = delta.new_element
            inner = element.WhichOneof("type")
            if inner == "exception" or (inner == "alert" and element.alert.format == Alert.ERROR):
                self.page_errors += 1
            proto = getattr(element, inner) if inner else None
            self._note_id(getattr(proto, "id", ""), proto)
        elif kind == "add_block":
            block = delta.add_block
            self._note_id(block.expandable.id if block.HasField("expandable") else block.id, block)

    def _note_id(self, widget_id: str, proto) -> None:
        # Keyed element ids end with "-<user key>" (streamlit.elements.lib.utils).
        if widget_id and widget_id.startswith("$$ID-"):
            key = widget_id.split("-", 2)[2]
            self.ids[key] = widget_id
            self.protos[key] = proto

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()


def _get(url: str, cookie: str):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as answer:
        answer.read()
        return answer.headers


# ----------------------------------------------------------------------------- the server's side


def _proc_stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()  # fields from 3 (state) on


def cpu_seconds(pids: list[int]) -> float:
    """User + system time of the processes (their own threads), in seconds."""
    total = 0
    for pid in pids:
        fields = _proc_stat(pid)
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / CLOCK_TICKS


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/statm") as statm:
            total += int(statm.read().split()[1]) * PAGE_SIZE
    return total / 2**20


def sockets(pid: int) -> int:
    """Open sockets of a process: with the sessions connected, mostly their websockets."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
    return count


def _processes() -> Iterator[tuple[int, int, str]]:
    """(pid, session id, command line) of every process we may read."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            sid = int(_proc_stat(int(entry))[3])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                yield int(entry), sid, cmdline.read().replace(b"\0", b" ").decode(errors="replace")


def app_pids_on_port(port: int) -> list[int]:
    """The streamlit process serving ``port`` (tests.conftest.streamlit_server keeps its PID)."""
    return [pid for pid, _, cmd in _processes() if "streamlit run" in cmd and f"--server.port {port} " in cmd + " "]


@dataclass
class Setup:
    name: str
    url: str
    app_pids: list[int]
    proxy_pids: list[int] = field(default_factory=list)


@contextlib.contextmanager
def one_process() -> Iterator[Setup]:
    with streamlit_server() as url:
        port = int(url.rsplit(":", 1)[1])
        yield Setup("1 process", url, app_pids_on_port(port))


@contextlib.contextmanager
def behind_nginx(processes: int) -> Iterator[Setup]:
    """scripts/serve_class.sh with ``processes`` app processes on free ports, ended by its PID
    (it stops nginx and its app processes itself)."""
    app_port, port = _free_run(processes), free_port()
    command = ["bash", str(ROOT / "scripts" / "serve_class.sh"), "--processes", str(processes),
               "--app-port", str(app_port), "--port", str(port)]
    script = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "PYTHON": sys.executable}, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        line = script.stdout.readline()  # the "Serving ..." line comes once everything is up
        if not line.startswith("Serving"):
            raise RuntimeError(f"serve_class.sh did not start: {line}{script.stdout.read()[-2000:]}")
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as answer:
            assert answer.status == 200
        mine = [(pid, cmd) for pid, sid, cmd in _processes() if sid == script.pid]
        apps = [pid for pid, cmd in mine if "streamlit run" in cmd]
        proxies = [pid for pid, cmd in mine if cmd.startswith("nginx")]
        assert len(apps) == processes and proxies, mine
        yield Setup(f"{processes} processes + nginx", url, apps, proxies)
    finally:
        stop_process(script, group=False, timeout=20)  # the script stops what it started


def _free_run(count: int) -> int:
    """The first of ``count`` consecutive free ports."""
    for _ in range(100):
        first = free_port()
        if first + count < 65536 and all(_is_free(first + i) for i in range(count)):
            return first
    raise RuntimeError("no run of free ports")


def _is_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# ----------------------------------------------------------------------------- a class


@dataclass
class Result:
    setup: str
    sessions: int
    open_times: list[float]
    settings_times: list[float]
    move_times: list[float]
    failures: list[str]
    page_errors: int
    refs: int
    cpu_open: float  # server CPU seconds per page opening
    cpu_settings: float
    cpu_move: float
    proxy_cpu: float  # nginx CPU seconds per interaction
    rss_before: float
    rss_loaded: float
    client_cpu: float
    wall: float
    received_mib: float
    cpu_shares: list[float]  # of the app processes' CPU, per process
    websockets: list[int]  # per app process: the sessions' websockets it held


async def drive_class(setup: Setup, sessions: int, moves: int, query: str, timeout: float, spread: float, seed: int) -> Result:
    rng = random.Random(seed)
    class_ = [Session(i, setup.url, query, timeout, spread, random.Random(rng.random())) for i in range(sessions)]
    rss_before = rss_mib(setup.app_pids)
    each_before = [cpu_seconds([pid]) for pid in setup.app_pids]
    client_started, wall_started = time.process_time(), time.perf_counter()
    steps = [("open", lambda s: s.open)] + [("settings", lambda s: s.open_settings)]
    steps += [(f"move{k}", lambda s, k=k: (lambda: s.move(k))) for k in range(moves)]
    cpu, proxy = {}, {}
    for name, action in steps:
        before, proxy_before = cpu_seconds(setup.app_pids), cpu_seconds(setup.proxy_pids)
        await asyncio.gather(*(s.step(name, action(s)) for s in class_))
        cpu[name] = cpu_seconds(setup.app_pids) - before
        proxy[name] = cpu_seconds(setup.proxy_pids) - proxy_before
    rss_loaded = rss_mib(setup.app_pids)
    sockets_loaded = [sockets(pid) for pid in setup.app_pids]
    each = [cpu_seconds([pid]) - b for pid, b in zip(setup.app_pids, each_before, strict=True)]
    wall = time.perf_counter() - wall_started
    client_cpu = time.process_time() - client_started
    await asyncio.gather(*(s.close() for s in class_))
    await asyncio.sleep(1.0)
    # The websockets each process held: the sockets that closed with the sessions (the
    # proxy's idle keep-alive connections stay open).
    websockets = [n - sockets(pid) for pid, n in zip(setup.app_pids, sockets_loaded, strict=True)]

    def done(name: str) -> list[float]:
        return [s.times[name] for s in class_ if name in s.times]

    def per(name_prefix: str) -> float:
        names = [n for n, _ in steps if n.startswith(name_prefix)]
        count = sum(len(done(n)) for n in names)
        return sum(cpu[n] for n in names) / max(1, count)

    interactions = sum(len(s.times) for s in class_)
    return Result(
        setup.name, sessions, done("open"), done("settings"), [t for k in range(moves) for t in done(f"move{k}")],
        [s.error for s in class_ if s.error], sum(s.page_errors for s in class_), sum(s.refs for s in class_),
        per("open"), per("settings"), per("move"), sum(proxy.values()) / max(1, interactions),
        rss_before, rss_loaded, client_cpu, wall, sum(s.received for s in class_) / 2**20,
        [c / max(1e-9, sum(each)) for c in each], websockets,
    )


def _warm_up(setup: Setup, query: str, timeout: float) -> None:
    """One session per app process opens the page and moves once, so the first measured
    sessions do not pay the imports and the first figure (a browser tab per process)."""
    result = asyncio.run(drive_class(setup, 4 * len(setup.app_pids), 1, query, timeout, 0.0, seed=12345))
    if result.failures:
        raise SystemExit(f"warm-up failed on {setup.name}: {result.failures[0]}")


def _stats(times: list[float]) -> str:
    if not times:
        return "     -        -   "
    return f"{statistics.median(times):6.2f} s {max(times):6.2f} s"


def report(result: Result) -> None:
    print(f"  {result.setup:<22} {result.sessions:>3} sessions  open {_stats(result.open_times)}"
          f"  settings {_stats(result.settings_times)}  move {_stats(result.move_times)}"
          f"  failures {len(result.failures)}")
    print(f"  {'':<22} server CPU per open {result.cpu_open:.3f} s, per move {result.cpu_move:.3f} s"
          f" (settings {result.cpu_settings:.3f} s, nginx {result.proxy_cpu * 1000:.1f} ms/interaction);"
          f" RSS {result.rss_before:.0f} -> {result.rss_loaded:.0f} MiB"
          f" ({(result.rss_loaded - result.rss_before) / result.sessions:.1f} MiB/session);"
          f" {result.received_mib:.1f} MiB received, {result.refs} elements by reference;"
          f" wall {result.wall:.0f} s, client CPU {result.client_cpu:.1f} s")
    if len(result.cpu_shares) > 1:
        print(f"  {'':<22} per app process: share of the CPU {', '.join(f'{s:.0%}' for s in result.cpu_shares)};"
              f" websockets {', '.join(str(n) for n in result.websockets)}")
    if result.page_errors:
        print(f"  {'':<22} error elements on the pages: {result.page_errors}")
    for failure in result.failures[:3]:
        print(f"  {'':<22} failure: {failure}")


# ----------------------------------------------------------------------------- where a move's CPU goes

PROJECT = ("ui/", "viz/", "scene/", "optimizers/", "surfaces/", "analysis/")


async def _profile_moves(setup: Setup, moves: int, out: Path, query: str, timeout: float) -> tuple[float, float]:
    """One session (nothing else running) opens the page and Adam's settings, then moves the
    learning rate ``moves`` times while py-spy samples the thread holding the GIL. Returns
    (server CPU seconds per move, median latency)."""
    if shutil.which("py-spy") is None:
        raise SystemExit("--profile needs py-spy: pip install py-spy")
    session = Session(0, setup.url, query, timeout, 0.0, random.Random(0))
    await session.open()
    await session.open_settings()
    pid = setup.app_pids[0]
    spy = subprocess.Popen(
        ["py-spy", "record", "--pid", str(pid), "--rate", "500", "--gil", "--nonblocking",
         "--format", "raw", "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    await asyncio.sleep(1.0)  # py-spy attaches
    before = cpu_seconds([pid])
    times = [await session.move(k) for k in range(moves)]
    per_move = (cpu_seconds([pid]) - before) / moves
    spy.send_signal(signal.SIGINT)
    if spy.wait(timeout=60) != 0 and not out.exists():
        raise SystemExit(f"py-spy failed: {spy.stderr.read()[-1000:]}")
    await session.close()
    return per_move, statistics.median(times)


def print_profile(path: Path, per_move: float, top: int = 15) -> None:
    """The samples in ms of server CPU per move (samples are scaled to the measured CPU time):
    the project's functions with what they call, the library calls the project makes, and the
    functions where the time is spent (a C call such as gc.collect shows as its caller's line)."""
    inclusive, calls, own, own_line = {}, {}, {}, {}
    total = 0

    def name(frame: str) -> str:  # "function (file:line)" -> "function (file)"
        return frame.rsplit(":", 1)[0] + ")" if frame.endswith(")") and ":" in frame else frame

    def ours(frame: str) -> bool:
        return any(f"({p}" in frame for p in PROJECT)

    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames, n = stack.split(";"), int(count)
        total += n
        for frame in {name(f) for f in frames}:
            inclusive[frame] = inclusive.get(frame, 0) + n
        last = max((i for i, f in enumerate(frames) if ours(f)), default=None)
        callee = [f for f in frames[last + 1:] if "gather_metrics" not in f] if last is not None else []
        if callee:  # st.* calls go through streamlit's metrics wrapper: name the call itself
            call = f"{name(frames[last]).split(' (')[0]} -> {name(callee[0])}"
            calls[call] = calls.get(call, 0) + n
        leaf = name(frames[-1])
        own[leaf] = own.get(leaf, 0) + n
        lines = own_line.setdefault(leaf, {})
        lines[frames[-1]] = lines.get(frames[-1], 0) + n
    scale = 1000 * per_move / max(1, total)

    def show(title: str, counts: dict[str, int], label=lambda key: key) -> None:
        print(title)
        for key, n in sorted(counts.items(), key=lambda item: -item[1])[:top]:
            print(f"  {n * scale:6.1f}  {label(key)}")

    print(f"{total} samples of the thread holding the GIL, scaled to {1000 * per_move:.0f} ms of CPU per move")
    show("project code, with what it calls (ms per move):", {f: n for f, n in inclusive.items() if ours(f)})
    show("library calls made by project code, with what they call:", calls)
    show("where the time is spent (innermost Python function, and its busiest line):", own,
         lambda key: max(own_line[key], key=own_line[key].get) if key else "(no Python frame)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[30, 60], help="class sizes (default 30 60)")
    parser.add_argument("--processes", type=int, default=2, help="app processes behind nginx (default 2)")
    parser.add_argument("--moves", type=int, default=3, help="slider moves per session (default 3)")
    parser.add_argument("--spread", type=float, default=0.0,
                        help="each session starts a step at a random moment within this many seconds (default 0)")
    parser.add_argument("--query", default="", help="the page's query string (default: the default scene)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one step may take (default 300)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", type=int, default=0, metavar="MOVES",
                        help="instead: profile MOVES moves of one session on one process with py-spy (pip install py-spy)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment of every app process, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false (repeatable)")
    args = parser.parse_args()
    for setting in args.env:  # the servers inherit the environment (serve_class.sh passes it on)
        name, _, value = setting.partition("=")
        os.environ[name] = value
    if args.profile:
        with one_process() as setup:
            _warm_up(setup, args.query, args.timeout)
            out = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_load_profile_{os.getpid()}.txt"
            per_move, latency = asyncio.run(_profile_moves(setup, args.profile, out, args.query, args.timeout))
        print(f"one session, {args.profile} moves of Adam's learning rate: {1000 * per_move:.0f} ms server CPU"
              f" per move, latency median {1000 * latency:.0f} ms{'; ' + ' '.join(args.env) if args.env else ''}")
        print_profile(out, per_move)
        print(f"raw samples (flamegraph.pl / speedscope): {out}")
        return
    print(f"{os.cpu_count()} cores; each session: open the page, open Adam's settings, move its learning rate "
          f"{args.moves} times; spread {args.spread:g} s; times are medians and maxima;"
          f" load average before {os.getloadavg()[0]:.2f}{'; ' + ' '.join(args.env) if args.env else ''}")
    results: dict[tuple[str, int], Result] = {}
    setups = [("one", one_process), ("many", lambda: behind_nginx(args.processes))]
    for tag, make in setups:
        with make() as setup:
            _warm_up(setup, args.query, args.timeout)
            for sessions in args.sessions:
                result = asyncio.run(drive_class(setup, sessions, args.moves, args.query, args.timeout, args.spread, args.seed))
                results[tag, sessions] = result
                report(result)
    print(f"load average after {os.getloadavg()[0]:.2f} (other work on the machine skews the numbers)")
    print(f"ratios, {args.processes} processes + nginx / 1 process (below 1: better):")
    for sessions in args.sessions:
        one, many = results["one", sessions], results["many", sessions]
        ratio = lambda a, b: f"{a / b:.2f}" if b else "-"  # noqa: E731
        print(f"  {sessions:>3} sessions: open median {ratio(statistics.median(many.open_times or [0]), statistics.median(one.open_times or [0]))}"
              f", max {ratio(max(many.open_times or [0]), max(one.open_times or [0]))}"
              f"; move median {ratio(statistics.median(many.move_times or [0]), statistics.median(one.move_times or [0]))}"
              f", max {ratio(max(many.move_times or [0]), max(one.move_times or [0]))}"
              f"; CPU per move {ratio(many.cpu_move, one.cpu_move)}; RSS {ratio(many.rss_loaded, one.rss_loaded)}")


if __name__ == "__main__":
    main()
