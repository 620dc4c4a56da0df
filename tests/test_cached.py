"""ui.cached.shared: the process-wide caches of runs, map data, fans and tables."""

from __future__ import annotations

import pytest

from ui.cached import cache_key, shared


def test_an_entry_is_built_once_per_key_and_shared():
    built = []

    @shared(max_entries=4)
    def square(key, value):
        built.append(key)
        return [value * value]

    first = square(cache_key(3), 3)
    assert square(cache_key(3), 3) is first  # shared, not copied
    # Only the key names an entry: the other arguments are not looked at.
    assert square(cache_key(3), 99) is first
    assert built == [cache_key(3)]


def test_the_least_recently_used_entry_goes_first():
    built = []

    @shared(max_entries=2)
    def echo(key):
        built.append(key)
        return key

    echo("a"), echo("b"), echo("a"), echo("c")  # "b" is the least recently used
    echo("a")
    echo("b")
    assert built == ["a", "b", "c", "b"]
    echo.clear()
    echo("a")
    assert built[-1] == "a" and len(built) == 5


def test_an_exception_is_not_cached():
    calls = []

    @shared(max_entries=2)
    def flaky(key):
        calls.append(key)
        if len(calls) == 1:
            raise ValueError("first time")
        return "ok"

    with pytest.raises(ValueError, match="first time"):
        flaky("k")
    assert flaky("k") == "ok"
    assert calls == ["k", "k"]
