"""Script runs take turns in arrival order (ui.turns)."""

from __future__ import annotations

import threading
import time

from ui.turns import Turns


def _queue_up(turns: Turns, count: int) -> list[int]:
    """``count`` threads ask for a turn one after another while the first turn is held;
    returns the order in which they got it."""
    served = []

    def worker(number: int) -> None:
        with turns.turn():
            served.append(number)

    with turns.turn():
        threads = []
        for number in range(count):
            thread = threading.Thread(target=worker, args=(number,))
            thread.start()
            while turns.waiting < number + 1:  # each in line before the next arrives
                time.sleep(0.001)
            threads.append(thread)
    for thread in threads:
        thread.join(5)
    return served


def test_first_come_first_served():
    assert _queue_up(Turns(1), 12) == list(range(12))


def test_one_at_a_time():
    turns, inside, most = Turns(1), [0], [0]
    lock = threading.Lock()

    def worker() -> None:
        with turns.turn():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.005)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert most[0] == 1


def test_two_at_once_with_two_turns():
    turns = Turns(2)
    both = threading.Barrier(2, timeout=2)

    def worker() -> None:
        with turns.turn():
            both.wait()  # would time out (BrokenBarrierError) if the second had to wait

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert not both.broken


def test_reentrant_in_one_thread():
    turns = Turns(1, max_wait_s=0.2)
    started = time.perf_counter()
    with turns.turn():
        with turns.turn():  # a fragment drawn inside the page's run
            pass
        assert turns.waiting == 0
    assert time.perf_counter() - started < 0.1  # no wait for its own turn


def test_a_hung_turn_delays_but_never_stops_the_others():
    turns = Turns(1, max_wait_s=0.1)
    went = threading.Event()

    def worker() -> None:
        with turns.turn():
            went.set()

    with turns.turn():  # held and never given back in time
        thread = threading.Thread(target=worker)
        thread.start()
        assert went.wait(2)
        thread.join(2)
    assert turns.waiting == 0
    with turns.turn():  # the turn is free again afterwards
        pass


def test_an_exception_gives_the_turn_back():
    turns = Turns(1, max_wait_s=0.5)
    try:
        with turns.turn():
            raise RuntimeError("a failing run")
    except RuntimeError:
        pass
    started = time.perf_counter()
    with turns.turn():
        pass
    assert time.perf_counter() - started < 0.1
