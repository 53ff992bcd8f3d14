"""The analysis pages keep their figures a minute: a second visit does not analyse the log again,
a visit after the minute does, and the cache never grows past its size."""

from __future__ import annotations

import pytest

from motcua.console import _cache
from motcua.console._cache import TtlCache


def test_figures_are_kept_for_their_time_then_computed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(_cache.time, "monotonic", lambda: clock[0])
    cache, computed = TtlCache(seconds=60, size=2), []

    def compute(name: str) -> str:
        computed.append(name)
        return f"figures of {name}"

    assert cache.get("a", lambda: compute("a")) == "figures of a"
    clock[0] += 59
    assert cache.get("a", lambda: compute("a")) == "figures of a"
    assert computed == ["a"]
    clock[0] += 2
    assert cache.get("a", lambda: compute("a")) == "figures of a"
    assert computed == ["a", "a"]
    cache.get("b", lambda: compute("b"))
    cache.get("c", lambda: compute("c"))  # a third key: the oldest ("a") goes
    cache.get("a", lambda: compute("a"))
    assert computed == ["a", "a", "b", "c", "a"]
