"""The two stacks every undo history keeps: the steps to undo (newest last) and the steps undone
(the last undone on top), a step moving from one to the other on undo and back on redo. The label
edits' history (``core.undo.History``) and the rulers' and angles' (``app.measure_history``)
build on it; each adds its own push, bounds and clock."""

from __future__ import annotations

from collections.abc import MutableSequence
from typing import Generic, Optional, TypeVar

StepT = TypeVar("StepT")


class UndoStacks(Generic[StepT]):
    """``_undo`` (a list, or a deque where the oldest are forgotten) and ``_redo``."""

    def __init__(self, undo: Optional[MutableSequence[StepT]] = None) -> None:
        self._undo: MutableSequence[StepT] = [] if undo is None else undo
        self._redo: list[StepT] = []

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def pop_undo(self) -> Optional[StepT]:
        """The step to undo (moved to the redo stack), or ``None``."""
        if not self._undo:
            return None
        step = self._undo.pop()
        self._redo.append(step)
        return step

    def pop_redo(self) -> Optional[StepT]:
        """The step to redo (moved back to the undo stack), or ``None``."""
        if not self._redo:
            return None
        step = self._redo.pop()
        self._undo.append(step)
        return step
