"""Opening an image for editing, the part of :class:`~neuroview.ui.actions_edit.EditActions` that
starts its Session: the restore offer (the crash journal read in a worker, then *Restore* /
*Discard* in the notice bar; *Restore* replays the journal in a worker too, with the job bar's
progress and Cancel), an image another window edits (*Edit here* once it is free).

A base class of ``EditActions``, not used alone: it reads the window, the editor and the runner.
"""

from __future__ import annotations

import time

from ..app import workspace_lock
from ..app.case import Case, set_aside, workspace_for
from ..app.restore_offer import has_workspace, restore_offer, take_offer
from ..app.send_marker import cut_short_send, marked
from ..core.errors import NeuroviewError
from .compaction import compact_at_bound
from .edit_controller import waits_for_restore

ELSEWHERE = "This image is open for editing in another neuroview window"
"""The notice of an image shown without editing (the other window's), reworded once it is free."""
RESTORE_QUESTION = "restore"
"""The id of the *Restore* / *Discard* question (``NoticeBar.asking``)."""
EDIT_HERE_QUESTION = "edit here"
"""The id of the question of an image another window edits, or let go (*Edit here*)."""
READ_AGAIN_QUESTION = "read again"
"""The id of the question after reading the crash journal was cancelled (*Read again*)."""


class OpeningActions:
    """``volume_opened`` and what follows it until the image's case is edited."""

    @property
    def holder(self):
        """This window, as the holder of the workspace lock (``workspace_lock.hold``): another
        window of this process is another editor, as a window of another process is."""
        return self.window

    def volume_opened(self, volume, paths, again: bool = False) -> None:
        """A new image is on screen: start its Session, or ask first when there is work to restore.
        ``again``: the same image, at *Edit here* or *Read again*: its news (load warnings) stays."""
        window = self.window
        self.editor.set_case(None)
        self.stop_restoring()
        self.pending = self._look = self.offered = None
        self.editor.restore_pending = self.editor.restore_reading = False
        self.editor.edited_elsewhere = self.editor.restore_put_off = False
        self.elsewhere = None
        if again:
            window.notice_bar.drop_question()
        else:
            window.notices.image_changed()
        watched = window.training_actions.watched(paths)
        if watched != self.editor.watching:
            self.editor.watching = watched
            self.editor.watching_changed.emit(watched)
        if watched:   # a lead watching: no session, no workspace, no claim (read only)
            window.notices.with_the_image("Watching the worklist: this case is shown without editing "
                                          "and kept from nobody; only your marks (Mark done, Send "
                                          "back...) are written (File > Worklist > Open worklist "
                                          "folder... or CSV... to annotate).")
            left = window.training_actions.left_unsaved_watched(paths)
            if left:   # a killed annotator's half case
                window.notices.with_the_image(left)
            return
        workspace = workspace_for(volume)
        if workspace_lock.in_use_elsewhere(workspace, self.holder):
            # its journal is that window's: offered here as "an earlier session", Discard moved it
            # aside under the other window, Restore made two windows write one journal
            self.editor.edited_elsewhere = True
            self.elsewhere = (volume, paths, workspace)
            window.notices.ask(
                f"{ELSEWHERE}: its edits and their "
                "crash journal are that window's. Edit it there; here it is shown without editing. "
                "Close it there, then click Edit here.",
                [("Edit here", lambda: self._edit_here(volume, paths)), ("Dismiss", lambda: None)],
                question_id=EDIT_HERE_QUESTION)
            return
        edited, send_marked = has_workspace(workspace), marked(workspace)
        if not edited and not send_marked:   # never edited nor sent: nothing to read or offer
            self._start(volume, paths, workspace, restore=True)
            return
        # The offer reads the whole crash journal: in a worker (a long session's journal froze the
        # window here until session 26); editing waits for the offer, as it waits for the answer.
        # A send to a training set that a kill cut short is looked up there too (send_marker).
        self.editor.restore_pending = self.editor.restore_reading = True
        look = self._look = object()

        def read(_progress, cancel):   # the mark after the journal: read again if that stops
            offer = restore_offer(volume, workspace, cancel) if edited else None
            return offer, (cut_short_send(workspace) if send_marked else None)

        self.window.runner.start(
            read, on_done=lambda found: self._offer(look, volume, paths, workspace, *found),
            on_error=lambda message: self._unreadable(look, volume, paths, workspace, message),
            on_cancel=lambda: self._reading_cancelled(look, volume, paths),
            label="Reading this image's crash journal")

    def _looked(self, look, volume) -> bool:
        """The look ``look`` at ``volume``'s workspace is the last one started, and its image is
        still on screen (else its answer is for an image closed meanwhile: dropped)."""
        if look is not self._look or volume is not self.window.controller.volume:
            return False
        self._look = None
        self.editor.restore_pending = self.editor.restore_reading = False
        return True

    def _offer(self, look, volume, paths, workspace, offer, sent=None) -> None:
        """The workspace read: ask Restore / Discard, or start editing when it holds nothing;
        ``sent``: the line on a send to a training set that a kill cut short, news of the image,
        and the training set's case holding it (the worklist marks its case sent)."""
        if not self._looked(look, volume):
            return
        if sent:
            self.window.notices.with_the_image(sent[0])
            if sent[1]:
                self.window.training_actions.held_in_training_set(paths, sent[1])
        if offer is None:
            self._start(volume, paths, workspace, restore=True)
            return
        self.pending, self.offered = (volume, paths, workspace), offer
        self.editor.restore_pending = True
        self._ask(offer.question())   # news of this opening shown meanwhile (a load warning, a
                                      # time point) stays under it

    def _reading_cancelled(self, look, volume, paths) -> None:
        """Cancel while the journal was read for the offer: the image is shown without editing
        and without an offer now; nothing was written, so the journal is offered the next time
        (or at *Read again*). Asked above the news of the open (a load warning), which stays
        (``Notices.ask``; it replaced it until session 28)."""
        if not self._looked(look, volume):
            return
        self.editor.restore_put_off = True   # editing waits: a new journal would bury the old one
        self.window.notices.ask(
            "Reading this image's crash journal was cancelled: its earlier edits are kept and "
            "offered the next time it is opened; it is shown without editing until then. Read "
            "again reads the journal now.",
            [("Read again", lambda: self._edit_here(volume, paths)), ("Dismiss", lambda: None)],
            question_id=READ_AGAIN_QUESTION)

    def _ask(self, *lines: str) -> None:
        """The notice bar's Restore / Discard question (:attr:`pending` is what it is about),
        above the news shown (``Notices.ask``)."""
        self.window.notices.ask(
            "\n".join(filter(None, lines)),
            [("Restore", lambda: self.answer_restore(True)),
             ("Discard", lambda: self.answer_restore(False))], question_id=RESTORE_QUESTION)

    def _unreadable(self, look, volume, paths, workspace, message: str) -> None:
        """An unreadable or foreign workspace: kept aside, editing starts afresh."""
        if not self._looked(look, volume):
            return
        # what was not restored said with it: the edits, none of them (the labels last saved
        # stay in their file); the line said only that the workspace was kept aside
        self.window.show_error(f"{message}; its edits were not restored (labels you saved stay in "
                               "their files); the old workspace was kept aside")
        set_aside(workspace)
        self._start(volume, paths, workspace, restore=True)

    def holder_check(self) -> None:
        """The window's 3 s watch (``worklist_watch.WATCH_MS``): an image shown without editing
        because another window edits it, whose window has let it go (closed, or killed), is said
        to be free, once, offering *Edit here*: the user decides; it kept saying "open for editing
        in another window" until *Edit here* was clicked. It rewords that line, the image's load
        warnings under it kept (it replaced them all until session 28); dismissed, it is asked
        above the news shown. A question of another kind waiting in the notice bar is left alone
        (looked at again on the next tick)."""
        if self.elsewhere is None or not self.editor.edited_elsewhere:
            return
        bar = self.window.notice_bar
        if bar.isVisible() and bar.question and not bar.asking(EDIT_HERE_QUESTION):
            return
        volume, paths, workspace = self.elsewhere
        if volume is not self.window.controller.volume:   # no longer on screen
            self.elsewhere = None
            return
        if workspace_lock.in_use_elsewhere(workspace, self.holder):
            return
        self.elsewhere = None
        free = (f"The other neuroview window let this image go at {time.strftime('%H:%M')} (closed, "
                "or ended): Edit here edits it in this window; edits a crashed window left are "
                "offered back.")
        # it rewords the "open for editing in another window" line, the load warnings under it
        # and its Edit here kept; dismissed, it is asked above the news shown (``Notices.ask``)
        if not bar.replace_line((ELSEWHERE,), free):
            self.window.notices.ask(free, [("Edit here", lambda: self._edit_here(volume, paths)),
                                           ("Dismiss", lambda: None)], question_id=EDIT_HERE_QUESTION)

    def _edit_here(self, volume, paths) -> None:
        """*Edit here*: the other window closed (or was killed): start editing, or say it again."""
        if volume is self.window.controller.volume:
            self.volume_opened(volume, paths, again=True)

    def answer_restore(self, restore: bool) -> None:
        if self.pending is None:
            return
        volume, paths, workspace = self.pending
        self.pending = None
        if self.window.notice_bar.asking(RESTORE_QUESTION):   # answered otherwise than by a button
            self.window.notice_bar.drop_question()   # the image's news under it stays
        if restore:
            self._restore(volume, paths, workspace, self.offered)
            return
        self.editor.restore_pending = False
        self._start(volume, paths, workspace, restore)

    # -- Restore: the journal replayed in a worker ------------------------------------------------
    def _restore(self, volume, paths, workspace, offer) -> None:
        """*Restore*: the case opened with its journal replayed in a worker (10,000 strokes froze
        the window for 8.2 s here until session 27, on a loaded machine); editing waits, as for the offer."""
        if volume is not self.window.controller.volume:
            return
        self.editor.restore_pending = self.editor.restore_running = True
        restoring = self.restoring = self.window.runner.start(
            lambda progress, cancel: take_offer(volume, workspace, offer, paths, progress, cancel,
                                                self.holder),
            on_done=lambda case: self._restored(restoring, volume, case),
            on_error=lambda message: self._restore_failed(restoring, volume, message),
            on_cancel=lambda: self._restore_cancelled(restoring, volume, paths, workspace, offer),
            label="Restoring this image's earlier edits")

    def _replayed(self, job, volume) -> bool:
        """``job`` is the restore under way, and its image is still on screen."""
        if job is not self.restoring:
            return False
        self.restoring = None
        self.editor.restore_pending = self.editor.restore_running = False
        return volume is self.window.controller.volume

    def _restored(self, job, volume, case) -> None:
        if not self._replayed(job, volume):   # the image or window was closed meanwhile: the
            case.close()                      # journal stays, offered the next time
            return
        self._edit(case, restore=True)

    def _restore_failed(self, job, volume, message: str) -> None:
        if self._replayed(job, volume):
            self.window.show_error(f"cannot open the workspace: {message}")

    def _restore_cancelled(self, job, volume, paths, workspace, offer) -> None:
        """Cancel: the image as before *Restore* (nothing replayed, the journal as it was), and
        the question asked again."""
        if not self._replayed(job, volume):
            return
        self.pending, self.offered = (volume, paths, workspace), offer
        self.editor.restore_pending = True
        self._ask(offer.question() if offer is not None else "",
                  "The restore was cancelled: nothing was changed; the crash journal is kept.")

    def stop_restoring(self) -> None:
        """The image is closed (another opened, the window closed): a restore under way stops,
        and a case it opened anyway is closed as it comes back (:meth:`_restored`)."""
        if self.restoring is not None:
            self.restoring.cancel()
            self.restoring = None
            self.editor.restore_pending = self.editor.restore_running = False

    def _start(self, volume, paths, workspace, restore: bool) -> None:
        if volume is not self.window.controller.volume:
            return  # another image was opened meanwhile
        try:
            case = Case.open(volume, workspace, restore=restore, source_paths=paths,
                             holder=self.holder)
        except NeuroviewError as exc:
            self.window.show_error(f"cannot open the workspace: {exc}")
            return
        self._edit(case, restore)

    def _edit(self, case, restore: bool) -> None:
        """Edit ``case`` (just opened), and say what its restore gave back in the notice bar: a
        damaged journal's notice, then the edits back, each a line under the image's other news
        and its question (the open's warnings, the cases *Next case* passed over, the worklist's
        "load labels?" asked as the case is set), which they never replace (``Notices``). The
        notice replaced them until session 28 (a journal whose every edit was lost is restored
        with no question: the bar then held the notice alone); it went into the Measurements
        list, among the user's rulers and statistics, before."""
        self.editor.set_case(case)
        compact_at_bound(self.window, case.session)   # off the GUI thread, as after a save
        if waits_for_restore(self.window.message_bar.text):   # what it waited for is done: the
            self.window.message_bar.hide()   # red "answer the restore question" stayed after it
        session = case.session
        line = session.restored_line() if restore and session.restored_steps else ""
        for text in (session.restore_notice if restore else "", line[:1].upper() + line[1:]):
            if text:
                self.window.notices.with_the_image(text)
        self.restored_shown = (session, line[:1].upper() + line[1:], len(session.history.undo_steps),
                               len(session.history.redo_steps)) if line else None
        if line and not getattr(self, "_follows_restore", False):
            self.editor.history_changed.connect(self._restored_line_follows)
            self._follows_restore = True

    def _restored_line_follows(self) -> None:
        """The restore's line tells what Ctrl+Z and Ctrl+Y do to the edits that came back; after
        an edit, an undo or a redo that is no longer so (Ctrl+Z undid the newer edit, and the line
        still said "Ctrl+Z undoes them" three strokes and an AI click later): it keeps what came
        back only."""
        shown = getattr(self, "restored_shown", None)
        if shown is None:
            return
        session, text, undo, redo = shown
        if self.editor.session is session and (len(session.history.undo_steps),
                                               len(session.history.redo_steps)) == (undo, redo):
            return
        self.restored_shown = None
        kept = text.split(" (Ctrl+Z")[0].split("; Ctrl+Y")[0].removesuffix(" to undo") + "."
        self.window.notice_bar.replace_line((text,), kept)
