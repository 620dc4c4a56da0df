"""Server CPU per slider move, in-process (Streamlit's AppTest runs the page as the server does,
without the websocket).

    python -m benchmarks.bench_server_cpu [--sessions 3]

Session 1 moves Adam's learning rate through eight values (its runs are computed); the next
sessions make the same moves (a class: someone already computed them). The baseline, in the
same run, is a rerun that changes no figure (the results table's tolerance buttons). Prints the
CPU milliseconds per move (process time, so another busy core does not count) and the ratio
to the baseline. The websocket load benchmark (bench_load) measures the whole server.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

VALUES = (0.03, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7)
TOLERANCES = (1e-2, 1e-3) * 4


def _session() -> tuple[AppTest, str]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return at, f"opt{at.session_state['entry_ids'][3]}_adam_lr"


def _cpu_ms_per_move(at: AppTest, key: str, values) -> float:
    started = time.process_time()
    for value in values:
        at.session_state[key] = value
        at.run()
    return (time.process_time() - started) / len(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3, help="sessions repeating the first one's moves")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # AppTest's "no runtime" notices
    first = _cpu_ms_per_move(*_session(), VALUES)
    again = [_cpu_ms_per_move(*_session(), VALUES) for _ in range(args.sessions)]
    baseline_session, _ = _session()
    baseline = _cpu_ms_per_move(baseline_session, "tolerance", TOLERANCES)
    repeated = statistics.median(again)
    print("server CPU per move of Adam's lr slider, default scene (4 optimizers x 300 steps)")
    print(f"first session (runs computed):          {first:6.0f} ms")
    print(f"same moves in another session (median): {repeated:6.0f} ms  (of {args.sessions} sessions)")
    print(f"baseline, a rerun with no figure change: {baseline:5.0f} ms")
    print(f"ratio first / baseline {first / baseline:.1f}, repeated / baseline {repeated / baseline:.1f}")


if __name__ == "__main__":
    main()
