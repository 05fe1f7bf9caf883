"""Timing and memory helpers shared by the benchmark modules.

Time and memory are measured in separate runs: ``tracemalloc`` slows Python
allocations, so it never wraps a timed run. numpy and pandas report their
buffers to ``tracemalloc``, so its peak covers array memory too.
"""

from __future__ import annotations

import gc
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_time(fn: Callable[[], T], *, repeat: int = 3) -> tuple[float, T]:
    """Best wall-clock seconds of ``repeat`` runs, and the last result."""
    best = float("inf")
    result: T
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def best_cpu(fn: Callable[[], object], *, repeat: int) -> float:
    """Best CPU seconds of this process over ``repeat`` runs (unaffected by other processes)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def peak_bytes(fn: Callable[[], object]) -> int:
    """Peak bytes allocated (above the starting level) while ``fn`` runs."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - base


def max_rss_bytes() -> int:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def frame_bytes(*frames: object) -> int:
    """Deep memory usage of pandas frames."""
    total = 0
    for f in frames:
        total += int(f.memory_usage(deep=True).sum())  # type: ignore[attr-defined]
    return total


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"
