"""The timer the benchmarks share: the median of repeated runs (machines here are shared and noisy)."""

from __future__ import annotations

import statistics
import time


def median_seconds(function, repeats: int = 3, clock=time.perf_counter) -> float:
    """Median seconds of ``repeats`` calls of ``function`` by ``clock`` (wall time by default;
    ``time.process_time`` for this process's CPU time)."""
    times = []
    for _ in range(repeats):
        start = clock()
        function()
        times.append(clock() - start)
    return statistics.median(times)
