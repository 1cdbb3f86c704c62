"""Moving through the annotation worklist in the window: *Next case* (Ctrl+N), *Previous case*
(Ctrl+Shift+N), and *Mark done* (Ctrl+D) / *Mark not done* (Ctrl+Shift+D) of the case on screen.
A base of :class:`~neuroview.ui.actions_worklist.WorklistActions`, which opens the cases.

*Previous case* goes back in list order, done cases included (to look at one again), as CVAT's
previous job or frame does; both ask before unsaved edits are thrown away. A case counted done only
once sent or saved to PACS: *Mark done* says so of a case checked and left as it was (*Next case*
passes over it, for every annotator), *Mark not done* takes a case back."""

from __future__ import annotations

from ..core.errors import NeuroviewError
from ..dataset.worklist_counts import note_text, shown_cases, status_words, summary
from .worklist_edits import WorklistEdits
from .worklist_tips import set_worklist_tips

OPEN_ONE = ("open a worklist first: File > Worklist > Open worklist folder... or File > Worklist > "
            "Open worklist CSV...")


def opened_text(worklist, case, edited: bool = False) -> str:
    """The status line once ``case`` is on screen: its place, status and mark, the worklist's
    counts as the state file held them (the other annotators' work included; ``edited``: the case
    holds edits, counted ``corrected`` as the Worklist panel counts it), and who has which case
    open."""
    ids = [c.case_id for c in worklist.cases]
    cases = shown_cases(worklist, case.case_id, edited)
    case = cases[ids.index(case.case_id)]
    others = ", ".join(f"{user} has {held}" for user, held in sorted(worklist.others.items())
                       if held in ids)
    status = status_words(case) + (f", marked {case.mark}" if case.mark else "")
    # the counts as the Worklist panel says them (they were counted apart and disagreed)
    return (f"Worklist case {ids.index(case.case_id) + 1} of {len(ids)} ({case.case_id}, {status}) "
            f"opened: {summary(cases)}" + (f"; {others} open" if others else ""))


def passed_text(worklist, moved: str = "") -> str:
    """``moved`` ("Next case" or "Previous case") and the cases it passed over because another
    window has them open ("" for none)."""
    if not moved or not worklist.passed_over:   # (who: named just before, among the cases open)
        return ""
    passed = worklist.passed_over
    return (f"; {moved} passed over {', '.join(passed)} (open in "
            + ("another window)" if len(passed) == 1 else "other windows)"))


class WorklistMoves(WorklistEdits):
    """*Next case*, *Previous case*, *Mark done* and *Mark not done*."""

    def next_case(self) -> None:
        """The next case not done, past those the training set holds already
        (``worklist_sent_check``)."""
        if self.worklist is None:
            self.window.show_error(OPEN_ONE)
            return
        if not self._leave_asked():
            return   # Cancel: stay on this case, the worklist does not move
        self.sent_check.then(lambda: self._move(forward=True, asked=True))

    def _leave_asked(self) -> bool:
        """Save / Discard / Cancel before the case on screen is left with unsaved edits (False:
        Cancel); not again where Discard was answered for these edits at *Mark done*."""
        edit, case = self.window.edit_actions, self.editor.case
        if case is not None and edit.discarded == (case, case.version) and not self.editor.has_preview():
            return True
        return edit.confirm_replace()

    def previous_case(self) -> None:
        self._move(forward=False)

    def go_to_case(self, case_id: str) -> None:
        """Open the worklist case ``case_id`` (the Worklist panel's row double-clicked), asking
        first about unsaved edits as *Next case* does; the case on screen is left as it is."""
        if self.worklist is None or case_id == (self.worklist_id or self._case_at(self.shown_paths)):
            return
        self._move(forward=True, to=case_id)

    def _move(self, forward: bool, to: str = "", asked: bool = False) -> None:
        """Leave the case on screen for the next (or previous) one, or the case ``to``, asking first
        about unsaved edits (*Cancel*: the worklist does not move; ``asked``: asked already); an
        edited case whose edits are kept becomes ``corrected``."""
        if self.worklist is None:
            self.window.show_error(OPEN_ONE)
            return
        if not asked and not self._leave_asked():
            return   # Cancel: stay on this case, the worklist does not move
        # the case on screen, also while its restore question waits (no case is edited then)
        current = self.worklist_id or self._case_at(self.shown_paths)
        discarded = self.window.edit_actions.discarded is not None   # the edits are dropped
        try:
            if current and self.hand_edited() and not discarded:
                self.worklist.advance(current, "corrected")   # unless done meanwhile (another annotator)
            back = self._position()
            if to:
                following = self.worklist.open_case(to)
            else:
                following = self.worklist.next_case() if forward else self.worklist.previous_case()
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
            return
        if not forward and following is None:
            self._none_before(current)
            return
        if following is not None and current and following.case_id == current:
            self._only_this_case_left(following)
            return
        if to:
            self._open(following, back)
            return
        self._open(following, back, go_on=forward, moved="Next case" if forward else "Previous case")

    def _stays(self, case_id: str) -> str:
        """The case on screen staying as it is, in words (the edits stay too: a Discard answered
        to the question before is void, nothing replaced them)."""
        self.window.edit_actions.discarded = None
        ids = [c.case_id for c in self.worklist.cases]
        where = f"case {ids.index(case_id) + 1} of {len(ids)} ({case_id})" if case_id in ids else "the image"
        return f"{where}, on screen, stays as it is"

    def _only_this_case_left(self, case) -> None:
        """*Next case* found no case but the one on screen: it stays as it is (it was opened
        again, its view reset), and the notice says why."""
        worklist = self.worklist
        ids = [c.case_id for c in worklist.cases]
        held = sorted(f"{user} has {held}" for user, held in worklist.others.items()
                      if held in ids and held != case.case_id and not worklist.case(held).done)
        why = (f"the others not done are open in other windows ({'; '.join(held)})" if held
               else "it is the last one not done")
        self.window.notice_bar.tell(" ".join([   # under a question waiting (restore?), which stays
            *self.skipped,   # the cases the training set holds, passed over
            f"No other case of the worklist is left to open: {self._stays(case.case_id)}; {why}."]))
        self.skipped = []

    def _none_before(self, current: str) -> None:
        """*Previous case* on the first case (or with only unreadable cases, or cases other windows
        have open, before it): nothing opens, and the notice says why."""
        passed = self.worklist.passed_over
        if passed:
            why = "the cases before it are open in other windows (" + "; ".join(
                f"{who} has {case_id}" for case_id, who in passed.items()) + ")"
        elif current and self._index(current) > 0:
            why = "the cases before it could not be read (marked unreadable)"
        else:
            why = "it is the first one"
        self.window.notice_bar.tell(
            f"No case before this one in the worklist: {self._stays(current)}; {why}.")

    def _index(self, case_id: str) -> int:
        return [c.case_id for c in self.worklist.cases].index(case_id)

    def skip_case(self) -> None:
        """*Skip case...*: *Mark done* with the reason asked."""
        from .worklist_notes import SKIP, ask_note

        note = ask_note(self.window, SKIP)
        if note is not None:
            self.mark_done(True, note)

    def send_back(self) -> None:
        """*Send back...*: *Mark not done* with what to fix, asked."""
        from .worklist_notes import SEND_BACK, ask_note

        note = ask_note(self.window, SEND_BACK)
        if note is not None:
            self.mark_done(False, note)

    def mark_done(self, done: bool = True, note: str = "") -> None:
        """*Mark done* (``done``) / *Mark not done* of the worklist case on screen, for every
        annotator (kept in the worklist's state file, with ``note``: why skipped, what to fix);
        the status line says it with the count."""
        worklist = self.worklist
        if worklist is None:
            self.window.show_error(OPEN_ONE)
            return
        case_id = self.worklist_id
        if not case_id:
            self.window.show_error("the image on screen is no case of the worklist: Next case or "
                                   "Previous case opens one")
            return
        if done and not self.window.edit_actions.confirm_mark_done():
            return   # Cancel (or the save did not happen): not marked
        try:
            case = worklist.mark_done(case_id, done, note)
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
            return
        then = "Next case passes over it" if case.done else "Next case offers it again"
        self.show_worklist()
        self.window.notices.status(   # the counts as the Worklist panel says them
            f"{'Marked done' if done else 'Marked not done'}: worklist case {self._index(case_id) + 1} "
            f"of {len(worklist.cases)} ({case_id}, {status_words(case)}); {summary(worklist.cases)}. "
            f"{then}{'; ' + note_text(case) if case.note else ''}.")

    def mark_not_done(self) -> None:
        self.mark_done(done=False)

    def show_worklist(self) -> None:
        """The Worklist panel shows the worklist's state as last read (``None``: emptied), and
        *Mark done* / *Mark not done* are enabled as they apply to the case on screen."""
        self._enable_marks()
        if self.panel is not None and self.worklist is not None:
            case_id = self.worklist_id
            self.shown_edited = bool(case_id) and self.hand_edited()
            self.panel.show_worklist(self.worklist, case_id, self.shown_edited)
            self._restate_opened(case_id)

    def _restate_opened(self, case_id: str) -> None:
        """The status line's word on the case opened, while it is up, follows the panel: the
        case's status and the counts as they are now (after an edit, a send, a mark, another
        annotator's work). They were those of the moment the case opened until session 33."""
        said, tail, said_of = self.said_opened
        if not said or not case_id or case_id != said_of:
            return
        new = f"{opened_text(self.worklist, self.worklist.case(case_id), self.shown_edited)}{tail}"
        if new != said and self.window.notices.restate(said, new):
            self.said_opened = (new, tail, case_id)

    def edits_changed(self) -> None:
        """A stroke, undo or redo: the case on screen's row says ``corrected`` from its first
        edit by hand, as leaving records it (it said "new" until the user left the case), and
        what it was once every edit is undone; the state file follows (``record_edits``)."""
        if self.worklist is None:
            return
        self.record_edits()
        if self.hand_edited() != self.shown_edited:
            self.show_worklist()

    def enable_worklist_actions(self, enabled: bool) -> None:
        """*Previous case*, *Next case*, *Mark done* and *Mark not done*: greyed out until a
        worklist is open."""
        for action in self.worklist_actions:
            action.setEnabled(enabled)
        self._enable_marks()

    def _enable_marks(self) -> None:
        """*Mark done* only for a worklist case on screen not done yet, *Mark not done* only for
        one done (marked, sent or in the training set): each enabled only where it changes
        something (both were enabled whatever the case's state, or with no worklist case shown)."""
        worklist = self.worklist
        case_id = self.worklist_id if worklist is not None else ""
        case = worklist.case(case_id) if case_id else None
        for action, done in ((self.mark_done_action, False), (self.skip_action, False),
                             (self.mark_not_done_action, True), (self.send_back_action, True)):
            action.setEnabled(case is not None and case.done == done)
        set_worklist_tips(self.worklist_actions, case_id if case is not None else "",
                          None if worklist is None else case is not None and case.done, worklist)
