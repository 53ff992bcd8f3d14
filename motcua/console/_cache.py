"""A short-lived cache of the analysis pages' figures.

Analysing the event log takes seconds on a large read model (``motcua bottlenecks`` and
``motcua kpis`` pay the same), while several people may open the same page in the same minute.
The figures are kept for :data:`SECONDS` and each page says as of when they are; the dossiers
waiting right now are always read afresh.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

SECONDS = 60.0
_T = TypeVar("_T")


class TtlCache:
    """Results by key, each kept ``seconds``; at most ``size`` of them (the oldest go first)."""

    def __init__(self, seconds: float = SECONDS, size: int = 32) -> None:
        self.seconds, self.size = seconds, size
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()  # pages compute in the thread pool

    def get(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """The result kept for ``key``, or ``compute()``'s, kept from now on."""
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and now - found[0] < self.seconds:
                value: _T = found[1]
                return value
        value = compute()  # outside the lock: two first requests may both compute, no harm
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value
