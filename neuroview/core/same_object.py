"""An object in a cache key, by identity: :class:`Same` equals another only for the very same
object, which it holds weakly (a key kept does not keep a picture's label map or image alive).

An ``id()`` in a kept key outlives its object: CPython gives a new object the freed one's
memory, and so its ``id``, and the key matched an object it was never made for."""

from __future__ import annotations

import weakref


class Same:
    """``obj`` (or ``None``) in a key: equal to another ``Same`` of the very same object, or of
    ``None`` when both are; never to one whose object was freed (its memory given to another)."""

    __slots__ = ("_ref",)

    def __init__(self, obj) -> None:
        self._ref = None if obj is None else weakref.ref(obj)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Same):
            return NotImplemented
        if self._ref is None or other._ref is None:
            return self._ref is other._ref
        mine = self._ref()
        return mine is not None and mine is other._ref()

    __hash__ = None   # compared, never a dict key: an object's identity is not its value

    def __repr__(self) -> str:
        obj = None if self._ref is None else self._ref()
        return f"Same({type(obj).__name__ if obj is not None else None})"
