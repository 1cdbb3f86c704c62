"""Undo and redo in the segment editor: one history over the label steps (the Session's) and the
ruler and angle steps (the viewer's, :mod:`neuroview.app.measure_history`), the newest undone
first; the stroke, AI click prompt or preview in progress before either.

A part of :class:`~neuroview.ui.edit_controller.EditController` (its base class), not used alone,
as :mod:`.edit_preview` is: it reads the controller's session, viewer, AI click tool and signals
(``error``, ``history_changed``).
"""

from __future__ import annotations


class EditHistory:
    """Undo/redo commands of :class:`~neuroview.ui.edit_controller.EditController`."""

    def _measure_recorded(self) -> None:
        """A ruler or angle drawn, moved or deleted: the label steps undone can no longer be
        redone (one history, as after a new label edit)."""
        if self.session is not None:
            self._guard(self.session.drop_redo)
        self.history_changed.emit()

    def undo(self) -> None:
        """Ctrl+Z: the stroke, AI click prompt or preview in progress, else the newest step, a
        label edit or a ruler or angle step (:mod:`..app.measure_history`)."""
        if self.viewer.cancel_move():   # a ruler's point held: put back, nothing else undone
            self.history_changed.emit()
            return
        session = self.session
        if session is not None:
            stroking, self._stroking = self._stroking, False
            if self.ai_click is not None and self.ai_click.undo_prompt():
                self.history_changed.emit()
                return
            if self.preview is not None:      # shown: dropped as Esc does, the next Ctrl+Z undoes
                self.discard_preview()        # the seed stroke (one being computed is undone past)
                self.history_changed.emit()
                return
            step = session.history.next_undo
            if stroking or not self.viewer.measure_history.measure_first(step and step.step_id):
                self._guard(session.undo)
                return
        if self.viewer.undo_measure() is not None:
            self.history_changed.emit()

    def redo(self) -> None:
        """Ctrl+Y: the step undone last, a label edit or a ruler or angle step."""
        session = self.session
        step = None if session is None else session.history.next_redo
        if session is not None and not self.viewer.measure_history.redo_measure_first(
                step and step.step_id):
            in_progress = self.ai_click is not None and self.ai_click.can_undo_prompt()
            if in_progress and self.session.history.can_redo:
                # the step redone changes the labels under the object: that dropped it and its
                # prompts without a word (Ctrl+Z takes back its prompts; Ctrl+Y has none to redo)
                self.error.emit("the AI click object is not accepted yet: press Enter (Apply) to keep "
                                "it or Esc (Cancel) to discard it before Ctrl+Y")
                return
            self._guard(self.session.redo)
        elif self.viewer.redo_measure() is not None:
            self.history_changed.emit()

    def can_undo(self) -> bool:
        return self.viewer.measure_history.can_undo or self.session is not None and (
            self.session.history.can_undo or self.preview is not None
            or (self.ai_click is not None and self.ai_click.can_undo_prompt()))

    def can_redo(self) -> bool:
        return self.viewer.measure_history.can_redo or (
            self.session is not None and self.session.history.can_redo)
