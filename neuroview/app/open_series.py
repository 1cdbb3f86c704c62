"""The one series ``Session.open(path)`` opens, said when the path held several.

``neuroview segment`` and ``snapshot`` name the series they took from a folder of several on
stderr; ``Session.open("study/")`` took the most confident, then largest, without a word, so a
script could go on with the localiser or the other contrast unaware. It now warns (a
``UserWarning``, which a script can turn into an error with ``warnings.simplefilter``).
"""

from __future__ import annotations

import os
import warnings
from typing import Optional

from ..core.volume import Volume
from ..io.candidates import BEST_RULE


def load_one_series(path, series: Optional[int] = None) -> Volume:
    """Series ``series`` of ``path`` (1-based, as ``neuroview info`` numbers them), else the best,
    with a warning naming it when ``path`` held several."""
    from ..io import scan
    from ..io.registry import choose

    result = scan(path)
    candidate = choose(result, series)
    if series is None and len(result.candidates) > 1:
        number = result.candidates.index(candidate) + 1
        warnings.warn(f"{os.fspath(path)}: {len(result.candidates)} series found; opened [{number}] "
                      f"{candidate.describe()} ({BEST_RULE}); pick another "
                      "with series=N, as 'neuroview info' numbers them", UserWarning, stacklevel=3)
    return candidate.load()
