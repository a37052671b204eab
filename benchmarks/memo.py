"""Helpers the benchmarks share: emptying the checks' memo caches so a timed run starts cold."""

from __future__ import annotations

import functools
import sys

from verifier.checks.memo import Seedable


def clear_memo_caches() -> None:
    """Empty the checks' per-text memo caches (not the one-time tables: gazetteer, unit registry)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith(("verifier.checks", "verifier.verdict")):
            continue
        for value in vars(module).values():
            if isinstance(value, (functools._lru_cache_wrapper, Seedable)) and value.cache_parameters()["maxsize"] not in (0, 1):
                value.cache_clear()
