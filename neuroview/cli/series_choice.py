"""One series out of an input that may hold several (a study folder, a DICOMDIR), for the verbs
that work on one image (``segment``, ``snapshot``): ``--series N`` as ``neuroview info`` numbers
them, else the best one (most confident, then largest), named on stderr so the user knows which
series the result came from and how to pick another."""

from __future__ import annotations

import sys


def load_series(source, series: int | None, progress=None, verb: str = "used"):
    from ..io import scan
    from ..io.registry import choose

    result = scan(source, progress=progress)
    candidate = choose(result, series)
    if series is None and len(result.candidates) > 1:
        number = result.candidates.index(candidate) + 1
        print(f"{source}: {len(result.candidates)} series found; {verb} [{number}] "
              f"{candidate.describe()} (the most confident, then largest); pick another with "
              "--series N, as 'neuroview info' numbers them", file=sys.stderr)
    return candidate.load(progress=progress)
