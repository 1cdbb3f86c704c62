"""One series out of an input that may hold several (a study folder, a DICOMDIR), for the verbs
that work on one image (``segment``, ``snapshot``): ``--series N`` as ``neuroview info`` numbers
them, else the best one (most confident, then largest), named on stderr so the user knows which
series the result came from and how to pick another. Where a wrong guess would be stored as data
(``dataset add``: an image and the mask drawn on it), :func:`load_named_series` refuses to guess."""

from __future__ import annotations

import sys

from ..io.candidates import BEST_RULE


def load_series(source, series: int | None, progress=None, verb: str = "used", name=None,
                counted: list | None = None):
    """Series ``series`` of ``source`` (a path, or paths scanned together), else the best one,
    named on stderr as from ``name`` (default ``source``) when there were several; ``counted``
    gets how many series ``source`` holds."""
    from ..io import scan
    from ..io.registry import choose

    result = scan(source, progress=progress)
    if counted is not None:
        counted.append(len(result.candidates))
    candidate = choose(result, series)
    if series is None and len(result.candidates) > 1:
        say_chosen(result, candidate, name or source, verb)
    return candidate.load(progress=progress)


def say_chosen(result, candidate, name, verb: str = "used") -> None:
    """One stderr line naming the series picked out of several (as the window's series chooser
    selects it first: :meth:`ScanResult.best`) and how to pick another."""
    number = result.candidates.index(candidate) + 1
    print(f"note: {name}: {len(result.candidates)} series found; {verb} [{number}] "
          f"{candidate.describe()} ({BEST_RULE}); pick another with "
          "--series N, as 'neuroview info' numbers them", file=sys.stderr)


def load_named_series(source, series: int | None, progress=None, what: str = "the one wanted"):
    """Series ``series`` of ``source`` (``--series N``), or its only series; several and no
    ``series`` is a :class:`LoadError` naming ``source`` and how to choose ``what``."""
    from ..core.errors import LoadError
    from ..io import scan
    from ..io.registry import choose

    result = scan(source, progress=progress)
    if series is None and len(result.candidates) > 1:
        raise LoadError(f"{len(result.candidates)} series found; choose {what} with --series N, "
                        "as 'neuroview info' numbers them", path=source)
    return choose(result, series).load(progress=progress)
