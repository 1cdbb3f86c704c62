"""``core.same_object.Same``: an object in a kept key by identity, never by ``id()``: a key made
for a freed object does not match a new one given its memory (asserted)."""

from __future__ import annotations

from neuroview.core.same_object import Same
from tests.freed_id import made_at, with_neighbours


class Thing:
    pass


def test_the_very_same_object_only():
    a, b = Thing(), Thing()
    assert Same(a) == Same(a) and Same(None) == Same(None)
    assert Same(a) != Same(b) and Same(a) != Same(None) and Same(None) != Same(a)
    assert Same(a) != id(a)


def test_a_key_of_a_freed_object_matches_no_new_one():
    old, beside = with_neighbours(Thing, Thing)
    key, old_id = Same(old), id(old)
    del old
    new = made_at(old_id, Thing)                # the new object has the freed one's id
    assert key != Same(new)                     # an id() key matched it
    assert key != key                           # nor itself: its object is gone
