"""The worklist's state file follows the edits of the case on screen: ``corrected`` from its first
edit by hand, what it was again once Ctrl+Z takes every edit back or its edits are discarded. A
base of :class:`~neuroview.ui.worklist_moves.WorklistMoves`.

Until session 36 the status was written only when the user left the case: after the window was
killed, another annotator opening the worklist saw the case ``new`` while its edits waited in the
crash journal (as MONAI Label's and ITK-SNAP's workflows would not: a case being labelled is
marked so when the labelling starts)."""

from __future__ import annotations

from ..core.errors import NeuroviewError

NO_CORRECTION = frozenset({"model", "segments.add", "segments.show", "segments.hide", "segments.lock",
                           "segments.recolor"})
"""Undo steps that correct no voxel: a model's result (``proposed``), a segment added empty (also
the one a first stroke or AI click makes, left empty when Esc cancels it), shown, hidden, locked
or recoloured. Each of them made the case ``corrected``, so ``dataset rank`` passed over it."""


def model_mask_loaded(step) -> bool:
    """Whether ``step`` loaded a model's mask from its file (every segment of the file a model's
    as it made it, as ``neuroview segment`` writes them): the model's proposal, ``proposed`` as
    after *Segment with a model*; the load wrote ``corrected`` until session 42."""
    after = step.segments_after
    return step.name == "load_labels" and bool(after) and all(
        s.get("origin") == "model" and not s.get("drawn") for s in after)


def proposes(step) -> bool:
    """A model's result, or a model's mask loaded from its file."""
    return step.name == "model" or model_mask_loaded(step)


class WorklistEdits:
    """What the state file is told of the edits of the case on screen."""

    edit_recorded = None
    """(case, worklist, case id, status replaced, labels file then) of the case on screen once it
    holds an edit by hand (the status ``None`` when its first edit wrote nothing: it was
    ``corrected`` or further, or is no worklist case), else ``None``."""

    def hand_edited(self) -> bool:
        """Whether the labels on screen hold an edit by hand that Ctrl+Z has not taken back: the
        case is then ``corrected``. A model's result alone is ``proposed``, a ruler no correction
        (either made a case left ``corrected``), nor a step of :data:`NO_CORRECTION`."""
        session = self.editor.session
        return session is not None and any(step.name not in NO_CORRECTION and not model_mask_loaded(step)
                                           for step in session.history.undo_steps)

    def record_edits(self) -> None:
        """A stroke, undo or redo: the first edit by hand of the case on screen writes
        ``corrected``, the last one taken back writes what it was (``proposed`` when a model's
        result stays); once each way, not at every stroke (nor when it was ``corrected`` before:
        nothing then to write or take back)."""
        case, recorded, edited = self.editor.case, self.edit_recorded, self.hand_edited()
        if case is None or (recorded is not None and recorded[0] is not case):
            return
        if edited and recorded is None:
            case_id, replaced = self.worklist_id, None   # ("": an image that is no case of it)
            try:
                replaced = self.worklist.edited(case_id) if case_id else None
            except NeuroviewError as exc:   # not tried again at each stroke: leaving the case does
                self.window.show_error(str(exc))
            self.edit_recorded = (case, self.worklist, case_id, *(replaced or (None, "")))
        elif not edited and recorded is not None:
            self._take_back()
        elif not edited and self.worklist_id and case.session.history.undo_steps \
                and model_mask_loaded(case.session.history.undo_steps[-1]):
            self._advance_to_proposed()

    def _advance_to_proposed(self) -> None:
        """A model's mask just loaded: ``proposed``, unless that far or further now."""
        try:
            self.worklist.advance(self.worklist_id, "proposed")
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
        self.show_worklist()   # its row at once

    def edits_left(self) -> None:
        """Another case (or none) replaced the one whose first edit wrote ``corrected``: its
        edits kept (saved, or waiting in its workspace) leave it so; discarded (the user answered
        Discard), it is what it was again."""
        recorded = self.edit_recorded
        if recorded is None or recorded[0] is self.editor.case:
            return
        discarded = self.window.edit_actions.discarded
        if discarded is not None and discarded[0] is recorded[0]:
            self._take_back()
        self.edit_recorded = None

    def _take_back(self) -> None:
        """The state file says again what the case was before its first edit (when that wrote it)."""
        case, worklist, case_id, status, labels = self.edit_recorded
        self.edit_recorded = None
        if status is None:
            return
        if status == "new" and any(proposes(step) for step in case.session.history.undo_steps):
            status = "proposed"   # segmented after the first edit: the model's result stays
        try:
            worklist.take_back(case_id, status, labels)
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
