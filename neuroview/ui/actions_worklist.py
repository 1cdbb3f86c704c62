"""The annotation worklist in the window: File > Worklist > Open worklist folder / CSV, *Next case*
(Ctrl+N) and File > Worklist > Rank cases to annotate; the worklist resumes where the user stopped. A base of
:class:`~neuroview.ui.actions_training.TrainingActions`, which holds the window, the editor, the
*Next case* action and the worklist (``dataset.worklist.Worklist``, or ``None``)."""

from __future__ import annotations

import contextlib
import os

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..app.last_dataset import remembered_dataset
from ..app.reader_name import remembered_reader
from ..app.save_folder import safe_file_name
from ..app.saved_labels import remember_saved_labels, saved_labels_for
from ..app.shown_time import shown_time
from ..core.errors import NeuroviewError
from ..core.plural import plural
from ..dataset.provenance import now_iso
from ..dataset.worklist_counts import note_text
from .actions_labels import SAVED_LABELS_QUESTION
from .dialog_parts import show_focused
from .plain_text import plain_tooltip
from .worklist_moves import WorklistMoves, opened_text, passed_text
from .worklist_panel import show_dock
from .worklist_watch import holders_text

MANY_CASES = 500
"""A worklist folder of more entries than this (each a case) is opened only once the user says so:
a folder of one series' 2,000 DICOM files, or of every study, opened as that many cases."""
UNREADABLE_NOTE = "marked unreadable in the worklist, Next case passes over it."
"""The notice's word on a case Next case passed over because it could not be read."""


class WorklistActions(WorklistMoves):
    """Opening worklist cases, and what the worklist is told of the case on screen."""

    @property
    def worklist_id(self) -> str:
        """The worklist case on screen: the one whose path the open image was opened from ("" for
        an image that is no worklist case). Not the case being opened: one that fails to open
        leaves the case before it on screen, and that is the case Send, Segment or Save to PACS
        mark. The worklist's current case is preferred when a path is listed twice."""
        case = self.editor.case
        if case is None and self.editor.watching:   # a watched case, shown without editing
            return self._case_at(self.shown_paths)
        return self._case_at(case.source_paths) if case is not None else ""

    def held_in_training_set(self, paths, training_case: str) -> None:
        """The image opened from ``paths`` is in the training set as ``training_case`` (a send
        that a kill cut short after it was written): its worklist case is marked so, as after a
        send that finished (it read ``corrected``, and *Next case* came back to it)."""
        case_id = self._case_at(paths)
        if not case_id or self.worklist.case(case_id).status == "in_training_set":
            return
        try:
            self.worklist.set_status(case_id, "in_training_set", training_case)
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
        self.show_worklist()

    def _case_at(self, paths) -> str:
        """The worklist case opened from ``paths`` ("" for none), the current one when a path is
        listed twice."""
        if self.worklist is None or not paths or len(paths) != 1:
            return ""
        matches = self.worklist.cases_at(paths[0])
        if self.worklist.current in matches:
            return self.worklist.current
        return matches[0] if matches else ""

    def image_shown(self, paths) -> None:
        """An image opened from ``paths`` is on screen: the worklist claims it when it is one of
        its cases (opened by *Next case*, or by hand: a case marked unreadable loses its mark),
        and gives up its claim when it is not (the case it held is no longer open here)."""
        self.shown_paths = list(paths)
        if self.opening is not None and self._case_at(paths) == self.opening[2]:
            case_id, self.opening = self.opening[2], None   # the case being opened is on screen
            if self.skipped:      # the cases Next case passed over on its way here
                self.window.notices.with_the_image(" ".join(self.skipped))
            self._say_opened(case_id)
            self.skipped = []
        self._follow_screen()
        self.show_worklist()
        self.watched_labels.follow(opened=True)   # a watched case: the labels saved for it
        watched = self.worklist_id if self.worklist is not None and self.worklist.watching else ""
        if watched:   # those with it open now are said in the status line: a later one is told
            self.watch.reset(self.worklist.holders(watched))

    def image_closed(self) -> None:
        """*File > Close*: no image on screen; the worklist stays open, its claim on the closed
        case goes (a claim is on what the user has open), *Next case* goes on from it."""
        self.shown_paths = None
        self._follow_screen()
        self.show_worklist()

    def _say_opened(self, case_id: str) -> None:
        """The status line once a worklist case is on screen: which case, the worklist's progress
        as the state file held it when the case was chosen (the other annotators' work included),
        and the cases *Next case* passed over on its way (their line "Nothing opened: ...; the
        image on screen stays as it was" was out of date once this case showed), until the mouse
        moves over a slice view (the voxel readout takes the line back); while up, it follows the case's
        edits, sends and marks (``_restate_opened``). The progress went into the Measurements list,
        among the user's rulers, until session 28."""
        n = sum(said.endswith(UNREADABLE_NOTE) for said in self.skipped)   # (not those removed)
        passed = (f"; Next case passed over {n} case{'s' if n != 1 else ''} that could not be "
                  "read (marked unreadable, see the notice)" if n else "")
        opened, tail = self.progress   # (restated after edits, sends, marks: _restate_opened)
        self.said_opened = (f"{opened}{tail}{passed}.", f"{tail}{passed}.", case_id)
        self.window.notices.status(self.said_opened[0])

    def _follow_screen(self) -> None:
        """Claim the worklist case on screen, or, with none on screen and none being opened, hold
        no case: a claim is on what the user has open (it stayed on a case replaced by an image
        opened by hand, or on one a newer open replaced before it showed, or that failed)."""
        worklist = self.worklist
        if worklist is None:
            return
        shown = self._case_at(self.shown_paths)
        try:
            if shown and (worklist.current, worklist.holding) != (shown, True):
                worklist.open_case(shown)
            elif not shown and worklist.holding and self.opening is None:
                worklist.leave()
            if shown and worklist.case(shown).unreadable and not worklist.watching:
                worklist.set_unreadable(shown, "")   # it opened: no longer passed over
        except NeuroviewError as exc:
            self.window.show_error(str(exc))

    # -- worklist ---------------------------------------------------------------------------------
    def open_worklist_folder_dialog(self, watch: bool = False) -> None:
        title = "Worklist folder to watch" if watch else "Worklist folder (one case per entry)"
        folder = QFileDialog.getExistingDirectory(self.window, title)
        if folder:
            self.open_worklist(folder, watch=watch)

    def watched(self, paths) -> bool:
        """Whether the image opened from ``paths`` is a case of a worklist opened to watch (shown
        without editing: :attr:`EditController.watching`)."""
        return self.worklist is not None and self.worklist.watching and bool(self._case_at(paths))

    def open_worklist_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Worklist CSV", "", "CSV (*.csv);;All files (*)")
        if path:
            self.open_worklist(path)

    def open_worklist(self, source, case_id: str = "", watch: bool = False) -> None:
        """Open a worklist and the case the user stopped at (or the first one); ``case_id``: that
        case instead (a ranking's proposed case, not where an earlier ranking was left).
        ``watch``: to watch it (``Worklist.watching``): its cases shown without editing, none
        claimed, nothing written."""
        from ..dataset.worklist import Worklist

        if not self.window.edit_actions.confirm_replace():
            return
        count = _entry_count(source)
        if count > MANY_CASES and not self._many_cases_wanted(source, count):
            return
        back = self._position()
        if self.listing is not None:   # an older worklist still being listed: this one wins
            self.listing.cancel()      # (the last listing to end opened its worklist)
            self.listing = None
        if count <= MANY_CASES:
            try:
                worklist = Worklist.open(source, watch=watch)
            except NeuroviewError as exc:
                self.window.show_error(str(exc))
                return
            self._worklist_listed(worklist, case_id, back)
            return
        name = _folder_name(source)

        def latest(then):   # what the listing's end does, unless a newer open replaced it
            def run(*args):
                if self.listing is job:
                    self.listing = None
                    then(*args)
            return run

        job = self.listing = self.window.runner.start(   # off the GUI thread: a .dcm file's header
            lambda progress, cancel: Worklist.open(source, progress=progress, cancel=cancel, watch=watch),
            on_done=latest(lambda worklist: self._listed_in_background(worklist, case_id, back)),
            on_error=latest(self.window.show_error), label="Listing the worklist's cases",
            on_cancel=latest(lambda: self.window.notices.status(   # is read for each entry
                f"Nothing opened: the listing of {name} as a worklist was cancelled.")))

    def _listed_in_background(self, worklist, case_id: str, back) -> None:
        """A big folder's listing ended: edits made meanwhile (to an image opened by hand while it
        ran) are asked about again, as any open asks; they were replaced unasked until session 44.
        Edits the user chose to discard when the worklist was opened, none made since, are not."""
        edit, case = self.window.edit_actions, self.editor.case
        discarded = case is not None and edit.discarded == (case, case.version)
        if not discarded and not edit.confirm_replace():
            self.window.notices.status(f"Nothing opened: the worklist {_folder_name(worklist.source)} "
                                       "was not opened; the image on screen stays as it was.")
            return
        self._worklist_listed(worklist, case_id, back)

    def _worklist_listed(self, worklist, case_id: str, back) -> None:
        """The worklist's cases are listed: it opens at the case the user stopped at, or
        ``case_id`` (see :meth:`open_worklist`)."""
        try:
            worklist.reader = remembered_reader()   # named in its claim: "Ann Smith (a window of anna ...)"
            # claims it: Next case of others passes over it
            case = worklist.open_case(case_id) if case_id else worklist.resume()
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
            return
        if self.worklist is None or not _same_state(self.worklist, worklist):
            self.files_chosen = {}   # another worklist: Ctrl+S asks for each case's file again
            self.leave_worklist()   # (one state file: this window's claim moved to the new case;
        self.worklist = worklist    # leaving dropped it, and set where the user stopped back)
        self.enable_worklist_actions(True)
        self.show_worklist()   # (filled first: the dock is widened for its columns' text)
        if self.panel_dock is not None:   # the Worklist panel comes up with the worklist
            show_dock(self.window, self.panel_dock)
        for warning in self.worklist.warnings:   # in the notice bar, with the case's news
            self.window.notices.of_the_open(f"{warning[:1].upper()}{warning[1:]}.")
        self._open(case, back, go_on=not case_id)

    def _many_cases_wanted(self, source, count: int) -> bool:
        """A folder of more than :data:`MANY_CASES` entries (``count``) opens as a worklist once
        *Open* is answered (Cancel: nothing opened, said in the status line)."""
        name = _folder_name(source)
        answer = QMessageBox.question(
            self.window, "Open worklist folder",
            plain_tooltip(f"{name} holds {count:,} entries, and each would be a case of the worklist (a "
                          "worklist folder holds one subfolder or image file per case). Open it as a "
                          "worklist?"),
            QMessageBox.Open | QMessageBox.Cancel, QMessageBox.Cancel)
        if answer != QMessageBox.Open:
            self.window.notices.status(f"Nothing opened: {name} was not opened as a worklist of "
                                       f"{count:,} cases.")
            return False
        return True

    def open_rank_dialog(self):
        """File > Worklist > Rank cases to annotate... (``neuroview dataset rank`` in a child process);
        its *Open the proposed case* opens the ranking as the worklist."""
        from .rank_dialog import RankDialog

        if self.rank_dialog is None:
            self.rank_dialog = RankDialog(remembered_dataset().get("dataset", ""), parent=self.window)
            self.rank_dialog.open_case.connect(self.open_worklist)
        dialog = self.rank_dialog
        if self.worklist is not None and not dialog.cases_edit.text().strip() and not dialog.running:
            # the open worklist's cases (a ranking's: the folder it ranked), as Send proposes its
            # last dataset: Rank said "choose the unlabelled cases" mid-worklist
            dialog.cases_edit.setText(str(self.worklist.shares or self.worklist.source))
        empty = [e for e in (dialog.dataset_edit, dialog.cases_edit) if not e.text().strip()]
        show_focused(dialog, empty[0] if empty else dialog.rank_button)
        return self.rank_dialog

    def stop_ranking(self) -> None:
        """The window closes: a ranking running in the Rank dialog's child process stops with it
        (the dialog is the window's, and its process went on ranking)."""
        if self.rank_dialog is not None:
            self.rank_dialog.cancel()

    def leave_worklist(self) -> None:
        """The window closes or opens another worklist: its claim on its case goes (a claim left
        by a killed window lapses by itself: ``dataset.worklist_claims``)."""
        if self.worklist is not None:
            with contextlib.suppress(NeuroviewError):   # unwritable now: the claim lapses
                self.worklist.leave()

    def labels_saved(self, path) -> str:
        """File > Save labels wrote ``path``: the image remembers it (offered when it opens again
        by hand: ``app.saved_labels``), and so does the worklist case on screen, when the file
        lies in the worklist's folders; else the line saying the others will not read it."""
        if self.editor.case is not None:
            remember_saved_labels(self.editor.case.volume, path)
        worklist_id = self.worklist_id
        if worklist_id:
            try:
                self.worklist.set_labels(worklist_id, path)
            except NeuroviewError as exc:
                self.window.show_error(str(exc))
            if not self.worklist.keeps(path):
                return (f"{os.path.basename(path)} lies outside the worklist's folders: the others "
                        "working through it (the lead's watch mode, Adjudicate) do not read it; "
                        "save it beside the case to share it.")
        return ""

    def labels_of_case(self) -> list[str]:
        """The labels files recorded for the image on screen: the worklist case's (each
        annotator's last, ``WorklistCase.labels_of``, and the last saved by anyone) and the one
        this computer saved for it (``app.saved_labels``), each a reader of a NIfTI image to
        *Compare readers* wherever it was saved (``app.label_readers``)."""
        case, worklist_id = self.editor.case, self.worklist_id
        listed = self.worklist.case(worklist_id) if worklist_id else None
        files = [*listed.labels_of.values(), listed.labels] if listed is not None else []
        if case is not None:
            files.append(saved_labels_for(case.volume))
        return [path for path in files if path]

    def own_name(self, path) -> str:
        """This annotator's login as a file name part when ``path`` is another annotator's labels
        file of the worklist case on screen (``labels_of``), else ""."""
        theirs = self.saved_by_whom(path)
        return safe_file_name(self.worklist.user) if theirs and self.worklist.user else ""

    def saved_by_whom(self, path) -> str:
        """The other annotators (logins) whose last labels file of the worklist case on screen is
        ``path`` (``labels_of``), "" for none."""
        worklist_id = self.worklist_id
        if not worklist_id:
            return ""
        real = os.path.realpath(path)
        return ", ".join(who for who, saved in self.worklist.case(worklist_id).labels_of.items()
                         if who != self.worklist.user and os.path.realpath(saved) == real)

    def saved_since_opened(self, path) -> str:
        """``ben (09:58 today) after this case opened here`` when ``path`` is the labels file of
        the worklist case on screen and another login saved it after the case opened in this
        window (two annotators on one case: the second Save labels replaced the first's newer
        labels, told nothing), ``... before this case opened here, and they were not loaded here``
        when it was saved before and not loaded since (*Dismiss* of the offer to load them: in
        session 49's walk ben's Save replaced anna's half-done labels, and her time, told
        nothing), else "" (another login's file this window last loaded, or none)."""
        worklist_id = self.worklist_id
        if not worklist_id:
            return ""
        with contextlib.suppress(OSError):   # the state file as the others left it
            self.worklist.refresh()
        case = self.worklist.case(worklist_id)
        if not case.labels or os.path.realpath(path) != os.path.realpath(case.labels) or \
                not case.labels_by or case.labels_by == self.worklist.user or \
                case.labels_at < self.labels_seen_at:
            return ""
        when = "after this case opened here" if case.labels_at >= self.opened_at else \
            "before this case opened here, and they were not loaded here"
        return f"{case.labels_by} ({shown_time(case.labels_at)}) {when}"

    def _case_opened(self) -> None:
        """A worklist case is on screen: say when another annotator has it open (Next case gives
        it only when no other case is left; a ranking's proposed case, or File > Open, may be
        theirs: both labelled it, told nothing); offer the labels saved for it before."""
        self.edits_left()   # the case before, its edits discarded: not corrected
        case, worklist_id = self.editor.case, self.worklist_id
        if case is None:
            return
        if not worklist_id:   # opened by hand (File > Open, neuroview IMAGE): the file saved for it
            self.show_worklist()   # no case of it on screen now
            self._offer_labels(case, saved_labels_for(case.volume), "")
            return
        with contextlib.suppress(OSError):   # as other windows left it (an image opened by hand)
            self.worklist.refresh()
        self.show_worklist()   # (the case on screen is the editor's from now)
        holders = self.worklist.holders(worklist_id)
        self.watch.reset(holders)
        # a colleague's labels file: asked before replacing it unless loaded here since
        self.opened_at, self.labels_seen_at = now_iso(exact=True), ""
        listed = self.worklist.case(worklist_id)
        held = "\n".join(filter(None, (note_text(listed), _edits_elsewhere(self.worklist, worklist_id),
                                       holders_text(holders))))
        path = listed.labels or saved_labels_for(case.volume)
        self._offer_labels(case, path, held, _saved_by(listed, self.worklist.user) + _sent_after(listed)
                           if listed.labels else "")

    def _offer_labels(self, case, path, held: str, by: str = "") -> None:
        """Offer the labels file ``path`` saved for ``case`` when it opened with an empty label map
        (not restored) and the file is there; ``held``: who else has it open, told after; ``by``:
        who saved it, when another login did (``_saved_by``)."""
        if not (case.session.restored_steps or case.labels.array.any()) and path and os.path.isfile(path):
            # a case whose labels were saved before (and left) opens with an empty label map;
            # asked above the news of its open (warnings, the cases passed over), kept
            self.window.notices.ask(
                f"The labels of this case were saved to {os.path.basename(path)}{by}; load them?",
                [("Load labels", lambda: self.window.edit_actions.load_labels(path)),
                 ("Dismiss", lambda: None)], question_id=SAVED_LABELS_QUESTION)
            if held:
                self.window.notice_bar.add(held)
        elif held:
            self.window.notice_bar.tell(held)

    def _position(self):
        """(worklist, its current case, whether this window holds it): where a Cancel while the
        case is being opened (its scan, the series chooser, its loading) puts the worklist back;
        while a worklist case is being opened, where its open would put it back."""
        if self.opening is not None:
            return self.opening[1]
        worklist = self.worklist
        return (worklist, worklist.current, worklist.holding) if worklist is not None else (None, None, False)

    def _stay(self, back, why: str) -> str:
        """A Cancel while the case is being opened (``why``): nothing opened, so the worklist
        is put back where it was (its current case and claim; the worklist open before, or none,
        when it was being opened): it had moved to a case not on screen, which other annotators
        were then kept from and the next *Next case* passed over. Returns the status bar's word."""
        worklist, current, _holding = back
        self.opening = None
        self.skipped = []
        try:
            if self.worklist is not None and self.worklist is not worklist:
                self.worklist.leave()
            if worklist is not None and current:
                worklist.open_case(current, hold=False)   # claimed below if it is on screen
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
        self.worklist = worklist
        self._follow_screen()
        self.enable_worklist_actions(worklist is not None)
        self.show_worklist()
        self.window.notices.open_ended()   # the worklist's warnings stay in the notice bar
        return "the worklist stays where it was" if worklist is not None else "the worklist was not opened"

    def _superseded(self, token, back) -> None:
        """A newer open replaced the worklist case's open before it showed (an image opened by
        hand, say): as after a Cancel, the worklist goes back to where it was, and claims the
        case on screen, or none (the case never shown stayed claimed)."""
        if self.opening is not None and self.opening[0] is token:
            self._stay(back, "a newer open replaced it")

    def _failed(self, token, back, case, go_on: bool, reason: str) -> str:
        """The worklist case ``case`` could not be opened (``reason``, no path): marked unreadable
        in the worklist (passed over by everyone's *Next case*, claimed by no one); the case on
        screen is claimed again; ``go_on`` (*Next case*, resuming): the next case opens. Returns
        the status bar's word."""
        if self.opening is None or self.opening[0] is not token:
            return ""
        self.opening = None
        worklist = self.worklist
        ids = [c.case_id for c in worklist.cases]
        where = f"worklist case {ids.index(case.case_id) + 1} of {len(ids)}"
        try:   # removed from disk: counted no more, as the worklist opened again counts it
            gone = [] if os.path.lexists(case.path) else worklist.recount(worklist.listing(new=False))
            if gone and worklist.source.is_dir():   # the folder's new entries: read by a worker
                self._list_new_entries(worklist)
            if case.case_id not in gone and not worklist.watching:   # a watcher marks nothing
                worklist.set_unreadable(case.case_id, reason)
            self._follow_screen()
            following = worklist.next_case() if go_on else None
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
            return f"{where}, which Next case goes on past"
        self.show_worklist()
        ids, count = [c.case_id for c in worklist.cases], plural(len(worklist.cases), "case")
        if gone:
            mark = f"no longer on disk, left out: the worklist counts {count} now"
            self.skipped.append(f"{', '.join(gone)} {'is' if len(gone) == 1 else 'are'} no longer "
                                f"on disk: left out of the worklist, which counts {count} now.")
        else:
            mark = "marked unreadable"
            self.skipped.append(f"{case.case_id} could not be read ({reason}): {UNREADABLE_NOTE}")
        on_screen = following is not None and following.case_id == self._case_at(self.shown_paths)
        if not go_on or on_screen:   # (on screen: no other case is left)
            self.window.notice_bar.tell(" ".join(self.skipped))
            self.skipped = []
        if not go_on:
            return f"{where}, {mark}" + ("" if gone else ": Next case passes over it")
        if on_screen:
            return f"{where}, {mark}; no other case is left to open"
        self._open(following, back, go_on=True)   # (None: says that none is left)
        if following is None:
            return f"{where}, {mark}; no other case is left to open"
        return f"{where}, {mark}; Next case goes on to case {ids.index(following.case_id) + 1}"

    def _list_new_entries(self, worklist) -> None:
        """The worklist folder's entries that are no case of it yet, each read off the GUI thread
        (a ``.dcm`` file's header: 1,000 new files froze the window for seconds); the cases found
        join the worklist when done, said under the notice."""
        if self.relisting is not None:
            self.relisting.cancel()
        known = frozenset(c.case_id for c in worklist.cases)

        def still(then):   # unless another worklist opened since: its cases are not these
            def run(result):
                if self.relisting is job:
                    self.relisting = None
                if self.worklist is worklist:
                    then(result)
            return run

        def listed(cases) -> None:
            try:
                worklist.recount(cases)
                self._follow_screen()
            except NeuroviewError as exc:
                self.window.show_error(str(exc))
                return
            self.show_worklist()
            found = sum(c.case_id not in known for c in cases)
            said = (f"{plural(found, 'new case')} found in the worklist's folder: it counts "
                    f"{plural(len(worklist.cases), 'case')} now.")
            if found and self.opening is not None:   # said with the case Next case is opening
                self.skipped.append(said)
            elif found:
                self.window.notice_bar.add(said)

        job = self.relisting = self.window.runner.start(
            lambda progress, cancel: worklist.listing(progress, cancel, known),
            on_done=still(listed), on_error=still(self.window.show_error),
            label="Listing the worklist's cases")

    def _open(self, case, back, go_on: bool = False, moved: str = "") -> None:
        """Open the worklist case ``case`` (``None``: say that none is left); ``back``: where the
        worklist goes back to when nothing opens; ``go_on``: past a case that cannot be read;
        ``moved``: the command that chose it ("Next case"), said with the cases it passed over."""
        worklist = self.worklist
        unreadable = worklist.unreadable()
        if case is None:
            self.skipped = []   # the notice names them
            how = ("in the training set, sent to PACS or marked done" if any(
                c.mark == "done" for c in worklist.cases) else "in the training set or sent to PACS")
            text = f"Every case of the worklist is done ({how})."
            if unreadable:
                text = (f"No case of the worklist is left to open: the others are done ({how}), "
                        f"and {len(unreadable)} could not be read: "
                        + "; ".join(f"{k} ({why})" for k, why in unreadable.items())
                        + ". Opening a case once its files are fixed (File > Open) clears its mark.")
            self.window.notice_bar.show_message(text)
            self.window.notices.open_ended()   # the worklist's warnings under it
            return
        self.progress = (opened_text(worklist, case), passed_text(worklist, moved))
        self.said_opened = ("", "", "")   # the line on the case left is not restated: this one's comes
        token = object()
        self.opening = (token, back, case.case_id)
        self.window.open_paths([case.path], asked=True,   # open_worklist / next_case asked
                               cancelled=lambda why: self._stay(back, why),
                               failed=lambda reason: self._failed(token, back, case, go_on, reason),
                               superseded=lambda: self._superseded(token, back))


def _edits_elsewhere(worklist, case_id: str) -> str:
    """The notice for a case another login edited and left unsaved (``Worklist.left_unsaved``),
    or "": the next annotator given it found it ``corrected`` with nothing on it, told nothing."""
    left = worklist.left_unsaved(case_id)
    if left is None:
        return ""
    who, when = left
    return (f"{who} edited this case{f' ({shown_time(when)})' if when else ''} and did not save or "
            f"send it: those edits are in {who}'s window only (offered to {who} when the case "
            "opens there again); what you draw here labels it a second time.")


def _saved_by(case, user: str) -> str:
    """`` by ben (09:41 today)`` when another login saved the labels of the worklist ``case``
    (``Worklist.set_labels``), else "": the next annotator was offered a colleague's half-done
    labels in the words of their own."""
    if not case.labels_by or case.labels_by == user:
        return ""
    return f" by {case.labels_by}" + (f" ({shown_time(case.labels_at)})" if case.labels_at else "")


def _sent_after(case) -> str:
    """``, before the case was sent to the training set as nv_0001 (09:58 today): the labels sent
    there may hold more`` when the worklist ``case`` went to the training set after its labels file
    was saved, else "": a lead opening a finished case was offered anna's half-done labels as
    if they were what ben sent (session 47's walk)."""
    saved, sent = _moment(case.labels_at), _moment(case.updated)
    if case.status != "in_training_set" or saved is None or sent is None or sent <= saved:
        return ""
    return (f", before the case was sent to the training set as {case.training_case or 'a case'} "
            f"({shown_time(case.updated)}): the labels sent there may hold more")


def _moment(text: str):
    """The UTC moment of an ISO 8601 time of the state file (``...Z``, with or without
    milliseconds), ``None`` for none or one that cannot be read."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def _entry_count(source) -> int:
    """The entries of the folder ``source`` (0 for a CSV, or a folder that cannot be read: a root
    or home folder is refused by ``Worklist.open``, a CSV or an unreadable folder says so there)."""
    from ..dataset.worklist_sources import entry_count

    try:
        return entry_count(source) if os.path.isdir(source) else 0
    except OSError:
        return 0


def _folder_name(source) -> str:
    return os.path.basename(os.path.normpath(source)) or os.fspath(source)


def _same_state(worklist, other) -> bool:
    """Whether two worklists keep one state file (a folder and its ranking, or one opened twice)."""
    return os.path.realpath(worklist.state_path) == os.path.realpath(other.state_path)
