"""*Save labels* and *Save labels as DICOM SEG* written by a worker, not on the GUI thread.

Writing a 256^3 label map as NIfTI with its sidecar took about 190 ms on the GUI thread (a SEG
longer): the window froze, and the quit question waited for it. Now the GUI thread copies the
label map (``Case.labels_snapshot``), the window's worker pool writes the file from that copy
(atomically: a temporary file renamed into place), and back on the GUI thread the labels count as
saved only if they did not change meanwhile (``compaction.mark_saved_and_compact``, which then
compacts the journal in a worker too). Until then the crash journal holds every edit, so a SIGKILL
at any moment loses nothing; edits made while the file is written are not in it and stay unsaved.

The status bar offers *Cancel* for every background job, so it must mean something here too: it
stops the save before the file is renamed into place (the write itself, a fraction of a second,
finishes unseen in its temporary, which is deleted): a file already at that path stays as it was,
the edits stay unsaved and in the journal, and the notice bar says so in one line. (It used to be
heard and ignored: the file was written and the labels counted as saved.) Once the file is in
place, the save is done and *Saved* follows.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from ..app.shown_path import full_path, short_path
from ..core.errors import SaveError
from .compaction import mark_saved_and_compact


class BackgroundSave:
    """The window's save in progress; a second save, quitting and opening another image wait
    for it (:meth:`wait`)."""

    def __init__(self, window) -> None:
        self.window = window
        self.job = None
        self.succeeded = True

    @property
    def running(self) -> bool:
        return self.job is not None and not self.job.finished

    def start(self, case, write, path, on_saved) -> None:
        """Write ``case``'s labels as they are now with ``write(path, labels, cancel)`` in a
        worker, then call ``on_saved(path written)`` on the GUI thread; a failure is one line in
        the red bar, a cancel one line in the notice bar."""
        self.wait()
        labels, version = case.labels_snapshot()
        window = self.window

        label = f"Saving {os.path.basename(os.fspath(path))}"

        def work(progress, cancel):
            progress(0, 0, label)    # a busy bar: one write, no steps to count
            try:
                return write(path, labels, cancel)
            except OSError as exc:   # a SEG's own file (NIfTI saves name their OSErrors already)
                raise SaveError(f"not saved: {exc.strerror or exc}", path=path) from None

        def done(saved) -> None:
            self.succeeded = True
            mark_saved_and_compact(window, case, version)
            on_saved(saved)

        def failed(text: str) -> None:
            self.succeeded = False
            window.show_error(text)

        def cancelled() -> None:
            self.succeeded = False
            window.notice_bar.show_message(
                f"Save cancelled: {short_path(path, case.volume.source_path)} was not written (a file "
                "already there is unchanged); the edits stay unsaved, kept in the crash journal.",
                tooltip=full_path(path))

        self.succeeded = False
        self.job = window.runner.start(work, on_done=done, on_error=failed, on_cancel=cancelled,
                                       label=label)

    def wait(self) -> bool:
        """Let the save in progress finish, the window drawing meanwhile; whether the last save
        wrote its file."""
        while self.running:
            QApplication.processEvents(QEventLoop.WaitForMoreEvents)
        return self.succeeded
