"""``plural(1, "case")`` is "1 case", ``plural(2, "case")`` "2 cases": counts in messages.

"batch of 1 cases" and "1 lesions" were printed where a count can be one."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """``count`` and the noun that goes with it (``many`` for irregular plurals: "study",
    "studies"; default ``one + "s"``)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
