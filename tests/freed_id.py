"""An object made at a freed object's ``id``: CPython gives a new object of the same size the
memory of one just freed, so a cache keyed by ``id()`` matches it. Shared by the tests of caches
that once were (``Volume``'s CT guess and keys, ``Same``, a slice view's picture)."""

from __future__ import annotations


def made_at(old_id: int, make, tries: int = 256):
    """An object ``make()`` returned at ``old_id`` (``tries`` are made and kept, so each gets
    new memory); ``AssertionError`` when none is."""
    made = [make() for _ in range(tries)]
    found = next((m for m in made if id(m) == old_id), None)
    assert found is not None, "no new object got the freed one's id"
    return found
