"""Script runs take turns, first come first served.

Streamlit runs every session's script in a thread of its own, and Python threads share one
core (the GIL). With a class moving sliders at once, 60 runs of ~0.1 s CPU each are then
sliced together and every one of them ends together, after ~6 s: processor sharing makes the
median wait as long as the longest. Taking turns in arrival order serves the first student
after 0.1 s and the median one after ~3 s, for the same total work (bench_load measures it).

A run waits at most ``MAX_WAIT_S`` for its turn, then goes ahead anyway: a run that hangs
(or a flood of them) slows the others down, as without turns, but never stops them.
``OTV_CONCURRENT_RUNS`` sets how many runs go at once in one process (default 1: the GIL
runs one at a time anyway; several processes behind a proxy use several cores, see
scripts/serve_class.sh). Re-entrant: a fragment drawn inside a page's run is part of it.
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
from collections.abc import Iterator

MAX_WAIT_S = 20.0


def _concurrency() -> int:
    try:
        return max(1, int(os.environ.get("OTV_CONCURRENT_RUNS", "1")))
    except ValueError:
        return 1


class Turns:
    """A first-come-first-served semaphore for ``concurrent`` holders at once, re-entrant per
    thread, with a bounded wait."""

    def __init__(self, concurrent: int = 1, max_wait_s: float = MAX_WAIT_S) -> None:
        self.concurrent = concurrent
        self.max_wait_s = max_wait_s
        self._lock = threading.Lock()
        self._active = 0
        self._waiting: collections.deque[threading.Event] = collections.deque()
        self._depth = threading.local()

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        depth = getattr(self._depth, "value", 0)
        if depth:  # this thread already holds a turn
            self._depth.value = depth + 1
            try:
                yield
            finally:
                self._depth.value = depth
            return
        held = self._acquire()
        self._depth.value = 1
        try:
            yield
        finally:
            self._depth.value = 0
            if held:
                self._release()

    def _acquire(self) -> bool:
        """True once this thread holds a turn; False if it went ahead after the longest wait."""
        with self._lock:
            if self._active < self.concurrent and not self._waiting:
                self._active += 1
                return True
            ready = threading.Event()
            self._waiting.append(ready)
        if ready.wait(self.max_wait_s):
            return True  # the releasing thread passed its turn to this one
        with self._lock:
            if ready.is_set():  # handed over just as the wait ran out
                return True
            self._waiting.remove(ready)
        return False

    def _release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()  # the turn passes on; _active stays
            else:
                self._active -= 1

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)


TURNS = Turns(_concurrency())
