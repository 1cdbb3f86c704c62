"""The progress and cancel callables of the PACS entry points (:mod:`.dimse`, :mod:`.web`, the
package's ``retrieve`` and ``store``): plain callables, so the GUI, the CLI and tests drive them alike."""

from __future__ import annotations

from typing import Callable

Progress = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]


def no_progress(*_args) -> None:
    return None


def never_cancelled() -> bool:
    return False
