"""A time limit that can stop a single long sympy call, by an asynchronous exception.

See :class:`_Watchdog` for the three rules that keep interrupting a thread safe; the git
history of ``surfaces/expression.py`` (this code's home before it became a package)
tells how each was learnt.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from .symbolic import _too_complicated


class _OutOfTime(BaseException):
    """Raised by :class:`_Watchdog` in the thread whose formula ran out of time. Not an
    Exception, so no ``except Exception`` inside sympy can swallow it."""


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> None:
    """Make ``exception`` pending in thread ``thread_id`` (None cancels a pending one);
    CPython raises it there between two bytecodes."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), None if exception is None else ctypes.py_object(exception)
    )


def _cpu_clock(thread_id: int) -> Callable[[], float]:
    """Seconds of CPU time thread ``thread_id`` has used so far (wall time where the system
    has no per-thread clock).

    The limit counts the formula's own work, not the wall clock: on a server busy with a
    class, or a CI machine running a browser beside the tests, a legal formula that needs
    0.85 s of CPU was refused after 1 s of wall time while it waited for the CPU."""
    try:
        clock = time.pthread_getcpuclockid(thread_id)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock)


class _Watchdog:
    """Raises :class:`_OutOfTime` in thread ``target`` once it has used ``seconds`` of CPU
    time, until stopped.

    Checking the clock between steps cannot stop one sympy call that runs for minutes (the
    derivative of a 130-node formula can); an exception raised asynchronously in the thread
    can. Three rules keep that safe:

    * never while the thread is inside importlib: an exception between its lock calls
      leaves the import lock taken and every later import in the process hangs (the
      first build also runs outside the clock, see :func:`.symbolic._warm_up`, so
      sympy's lazy imports are done before any limit applies);
    * again every ``REFIRE_SECONDS`` while the work goes on: an exception that lands in a
      finalizer or a weakref callback is printed and dropped by CPython, and the work
      would run to its end (seen once: 58 s for a 1 s limit);
    * :meth:`stop` ends the firing under the lock and cancels whatever is still pending,
      so after ``stop`` returns nothing can surface later in the caller's code.
    """

    RETRY_SECONDS = 0.005
    REFIRE_SECONDS = 0.1

    def __init__(self, target: int, seconds: float) -> None:
        self._target = target
        self._seconds = seconds
        self._lock = threading.Lock()
        self._stopped = False
        self._done = threading.Event()
        self._cpu_time = _cpu_clock(target)
        self._cpu_at_start = self._cpu_time()
        self.fired = False

    def start(self) -> None:
        """Called in the target thread, inside the ``try`` whose ``finally`` calls :meth:`stop`."""
        if hasattr(ctypes, "pythonapi"):  # CPython; elsewhere only the checks between steps
            threading.Thread(target=self._watch, name="formula time limit", daemon=True).start()

    def _watch(self) -> None:
        timeout = self._seconds  # a thread uses at most one second of CPU per second
        while not self._done.wait(timeout):
            with self._lock:
                if self._stopped:  # else the target is alive (stop takes this lock), so
                    return  # its clock can be read
                left = self._seconds - (self._cpu_time() - self._cpu_at_start)
                if left > 0 and not self.fired:
                    timeout = max(left, self.RETRY_SECONDS)
                    continue
                if _importing(self._target):
                    timeout = self.RETRY_SECONDS
                    continue
                self.fired = True
                _raise_in_thread(self._target, _OutOfTime)
            timeout = self.REFIRE_SECONDS

    def stop(self) -> None:
        """Called in the target thread; an exception may land in here, which is fine: once
        ``_stopped`` is set under the lock no other is raised, and the pending one is
        cancelled."""
        while True:
            try:
                with self._lock:
                    self._stopped = True
                if self.fired:
                    _raise_in_thread(self._target, None)
                self._done.set()
                return
            except _OutOfTime:
                continue


def _importing(thread_id: int) -> bool:
    """Whether the thread is running importlib code (the caller holds the GIL, so the
    thread stands still while its frames are read)."""
    frame = sys._current_frames().get(thread_id)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _within_time_limit(work: Callable[[], Any], seconds: float, sp) -> Any:
    """``work()``, or ValueError if it is still running after ``seconds`` of this thread's
    CPU time."""
    watchdog = _Watchdog(threading.get_ident(), seconds)
    try:
        try:
            watchdog.start()
            return work()
        finally:
            watchdog.stop()
    except _OutOfTime:
        pass
    # Interrupted sympy code may have cached half-deduced assumptions; start afresh.
    sp.core.cache.clear_cache()
    raise _too_complicated()
