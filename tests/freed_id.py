"""An object made at a freed object's ``id``: CPython gives a new object of the same size the
memory of one just freed, so a cache keyed by ``id()`` matches it. Shared by the tests of caches
that once were (``Volume``'s CT guess and keys, ``Same``, a slice view's picture)."""

from __future__ import annotations

import gc


def with_neighbours(make_old, make, count: int = 64) -> tuple:
    """``(make_old(), objects make() returned just before and after it)``: while these live,
    the old object's block of memory is not the last in use of its pool, which freed would go
    back to the allocator for blocks of any size (and the id never come back)."""
    before = [make() for _ in range(count)]
    old = make_old()
    return old, before + [make() for _ in range(count)]


def made_at(old_id: int, make, tries: int = 4096):
    """An object ``make()`` returned at ``old_id``: up to ``tries`` are made, and kept till one
    is (so each gets new memory); ``AssertionError`` when none is. Make what ``make`` needs,
    and ``gc.collect()``, before the object is freed: what is made or collected after takes or
    frees memory of that size first. The collector is off meanwhile, and the list of those made
    is made after the first."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        found = make()
        made = [found]
        while id(found) != old_id:
            if len(made) == tries:
                raise AssertionError(f"none of {tries} new objects got the freed one's id")
            found = make()
            made.append(found)
        return found
    finally:
        if enabled:
            gc.enable()
