"""The readers' plans applied to a case, following its undo history: ``Case.adjudication`` is
the plan of the newest *Apply to label map* that Ctrl+Z has not taken back (an earlier Apply's
when the last one is undone, none when every one is), so *Save SEG*, *Send* and *Add to
training set* call the label map adjudicated only while its voxels are the adjudicated ones.
Ctrl+Y of the Apply brings its plan back; a new edit after the undo forgets it, as it forgets
the step. Until session 38 the plan stayed on the case after Ctrl+Z: a SEG of the model's lesion
as it was before went out as the adjudicator's version, readers named.

An Apply's step forgotten at the bottom of a long history (``core.undo.History``'s bounds) is
still in force: only an undo, or a step removing the segment it filled (:attr:`AppliedPlans.live`),
takes a plan back.
"""

from __future__ import annotations

import copy
from typing import Callable, Optional

from .edit_event import EditEvent


class AppliedPlans:
    """The plans applied to one case, keyed by their Apply's step id; -N to -1: the Applies kept
    with a compacted journal's base, oldest first, in force from the base on
    (``adjudication_record.applied_tokens``); ``None``: an Apply that made no step of its own,
    after them."""

    def __init__(self) -> None:
        self._plans: dict[Optional[int], object] = {}
        self._undone: set[Optional[int]] = set()
        self.live: Callable[[Optional[int]], bool] = lambda key: True
        """Whether the Apply of a key still marks its segment (``Case``: a step since removed
        the segment; a segment drawn next with the freed value was saved and sent as the
        adjudicated one until session 40)."""

    def add(self, step_id: Optional[int], plan, undone: bool = False) -> None:
        """``plan`` applied by the step ``step_id``; ``undone``: that step is undone (a restore
        whose journal ended after its undo)."""
        self._plans[step_id] = plan
        self._undone.discard(step_id)
        if undone:
            self._undone.add(step_id)

    def freeze(self, plan) -> None:
        """``plan`` is about to be applied again (the dialog's one plan, changed): each earlier
        Apply of it keeps its own choices and result, as a copy (Ctrl+Z of the new Apply gave the
        new record back as the earlier Apply's until session 39)."""
        for key, kept in self._plans.items():
            if kept is plan:
                frozen = copy.copy(plan)
                frozen.choices = dict(plan.choices)
                frozen.copy_of = plan
                self._plans[key] = frozen

    def clear(self) -> None:
        self._plans.clear()
        self._undone.clear()

    def in_force(self):
        """The plan of the newest Apply not undone, ``None`` without one."""
        standing = [key for key in self._plans if key not in self._undone and self.live(key)]
        if not standing:
            return None
        return self._plans[max(standing, key=lambda key: 0 if key is None else key)]

    def in_force_of(self, plan):
        """The plan in force when it is ``plan`` or an earlier Apply's copy of it (:meth:`freeze`:
        the same lesions applied again, then Ctrl+Z), else ``None``: what the readers dialog
        showing ``plan`` may save, send or add (its buttons were greyed out after that Ctrl+Z)."""
        kept = self.in_force()
        return kept if kept is not None and self._of(kept, plan) else None

    def removed(self, plan) -> bool:
        """Whether an Apply of ``plan`` (or of an earlier copy) is not undone but its segment was
        removed since (:attr:`live`)."""
        return any(key not in self._undone and not self.live(key) and self._of(kept, plan)
                   for key, kept in self._plans.items())

    @staticmethod
    def _of(kept, plan) -> bool:
        return kept is plan or getattr(kept, "copy_of", None) is plan

    def redoable(self, plan) -> bool:
        """Whether an Apply of ``plan`` (or of an earlier copy of it) is undone and Ctrl+Y can
        apply it again (a new step since forgets it)."""
        return any(key in self._undone and self._of(kept, plan) for key, kept in self._plans.items())

    def follow(self, event: EditEvent) -> None:
        """An undo takes its Apply's plan back, a redo brings it back; a new step forgets the
        plans undone (the history forgets their steps)."""
        key = event.step.step_id if event.step is not None else None
        if event.kind == "undo" and key in self._plans:
            self._undone.add(key)
        elif event.kind == "redo":
            self._undone.discard(key)
        elif event.kind == "commit":
            for gone in self._undone:
                self._plans.pop(gone, None)
            self._undone.clear()
