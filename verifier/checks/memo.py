"""`seedable`: the per-text memo of the checks' extractors, into which stored results can be put.

A check reads each statement's figures, dates and names through `_extract` functions memoized per text.
An index can store what they return for its statements (`verifier/checks/stored.py`); the check stage
then *seeds* the memo with the stored result before the checks run, so a statement met for the first
time costs a read instead of an extraction. `functools.lru_cache` cannot be given a value, hence this
small wrapper: an `lru_cache` for what is computed and a bounded dict, consulted first, for what is seeded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache, update_wrapper
from typing import Any, Callable, Hashable


class Seedable:
    def __init__(self, fn: Callable[..., Any], maxsize: int):
        self._computed = lru_cache(maxsize=maxsize)(fn)
        self._seeded: OrderedDict[tuple, Any] = OrderedDict()
        self._maxsize = maxsize
        self._lock = threading.Lock()
        update_wrapper(self, fn)

    def __call__(self, *args: Hashable) -> Any:
        found = self._seeded.get(args)  # one dict read under the GIL: safe beside `seed` in another thread
        return found if found is not None else self._computed(*args)

    def seed(self, args: tuple, value: Any) -> None:
        """Make `self(*args)` return `value` (what the function returns for `args`, read from a store)."""
        with self._lock:
            self._seeded[args] = value
            self._seeded.move_to_end(args)
            while len(self._seeded) > self._maxsize:
                self._seeded.popitem(last=False)

    def cache_clear(self) -> None:
        with self._lock:
            self._seeded.clear()
        self._computed.cache_clear()

    def cache_info(self):
        return self._computed.cache_info()

    def cache_parameters(self) -> dict[str, Any]:
        return {"maxsize": self._maxsize, "typed": False}


def seedable(maxsize: int) -> Callable[[Callable[..., Any]], Seedable]:
    """Like `functools.lru_cache(maxsize)`, with `seed(args, value)` besides."""
    return lambda fn: Seedable(fn, maxsize)
