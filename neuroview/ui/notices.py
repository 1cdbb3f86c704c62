"""Where the main window's notices go: the one place that decides (:class:`Notices`).

- Errors (a file and its problem, files a scan left out): the red message bar
  (``MainWindow.show_error``).
- News and questions (restore?, an image's warnings, what the worklist passed over): the notice
  bar, until dismissed or replaced by the next image's news.
- A one-line word on what just happened that asks nothing (an open that ended with nothing
  opened, the worklist case now on screen, why an erase or a one-shot tool changed nothing): the
  status line, for :data:`NOTE_MS`, or until the mouse moves over a slice view once it has been
  up :data:`READ_MS`: a status line message hides the voxel readout, which the user then reads.
- A question (restore?, load the case's labels?): the notice bar, above the news shown there
  (:meth:`Notices.ask`).
- The *Measurements* list holds the user's measurements only (rulers, angles, rectangles,
  segment statistics), as 3D Slicer's Markups and ITK-SNAP's statistics: no notice goes there
  (until session 28 the worklist's lines, the note of edits discarded during a load, an image's
  warnings and the files left out did).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from ..app.error_paths import short_error
from ..core.errors import printable
from ..core.plural import plural

NOTE_MS = 15000
"""How long a word in the status line stays at most (it hides the voxel readout meanwhile)."""
READ_MS = 2000
"""How long a word in the status line stays at least, mouse moves over a slice view or not: the
time to read it (a note of why an erase changed nothing comes as the button is released, the hand
still moving)."""
LEFT_OUT_SHOWN = 5
"""Files left out named in the red bar; ``neuroview info --verbose`` lists them all."""


class Notices:
    """The window's notices, each sent where its kind goes (see the module doc)."""

    def __init__(self, window) -> None:
        self.window = window
        self.of_open: list[str] = []
        """News of the open in progress (:meth:`of_the_open`), shown again with the new image's."""
        self.lasting: list[str] = []
        """News of no image (:meth:`beside_the_image`), kept over an image change while shown."""
        self.word = ""
        """The status line's word (:meth:`status`), until the mouse moves over a slice view."""
        self.word_at = 0.0
        """When it showed (``time.monotonic``)."""

    def news(self, text: str) -> None:
        """News of its own: in the notice bar, under a question still waiting for its answer, else
        in place of the news shown (``NoticeBar.tell``)."""
        self.window.notice_bar.tell(text)

    def beside_the_image(self, text: str) -> None:
        """News of no image (a retrieval cancelled while another series is retrieved or read): in
        the notice bar as :meth:`news`, and still there when another image opens, until dismissed
        or replaced (:meth:`image_changed`). In session 49's walk the line of a retrieval cancelled
        went 0.4 s later, unread, as the series retrieved beside it opened."""
        self.lasting.append(text)
        self.news(text)

    def over(self, text: str) -> None:
        """The news ``text`` of no image is over (the retrieval it said was cancelled is tried
        again): it goes with the image on screen, as the image's news does."""
        if text in self.lasting:
            self.lasting.remove(text)

    def image_changed(self) -> None:
        """Another image opens: the notice bar's news of the image before goes, the news of no
        image still shown (:meth:`beside_the_image`) staying."""
        bar = self.window.notice_bar
        self.lasting = [text for text in self.lasting if text in bar.text.split("\n")]
        bar.hide()
        for text in self.lasting:
            bar.add(text)

    def with_the_image(self, text: str) -> None:
        """News of the image just opened (a load warning, its time point, what its restore gave back
        or lost): a line under the other news of that image and its question (restore?, load the
        labels?), which it never replaces (``NoticeBar.add``)."""
        self.window.notice_bar.add(text)

    def of_the_open(self, text: str) -> None:
        """News of the open in progress (the worklist's warnings, edits discarded while the image
        loaded): shown now, and again under the new image's news once it is on screen (opening an
        image clears the notice bar of the image before), see :meth:`open_ended`."""
        if self.of_open:
            self.window.notice_bar.add(text)
        else:   # the first replaces the news of before (not a question waiting)
            self.window.notice_bar.tell(text)
        self.of_open.append(text)

    def open_ended(self) -> None:
        """The open in progress ended (its image on screen, a worklist case not opened, or none
        left to open): its news not shown now is added under what the bar shows."""
        bar = self.window.notice_bar
        for text in self.of_open:
            if text not in bar.text.split("\n"):
                bar.add(text)
        self.of_open = []

    def image_warnings(self, warnings) -> None:
        """The warnings of the image just opened (an image left out for repeating another's
        position, positions assumed, slices resampled), one line each under its other news: a
        series opened with no chooser showed them nowhere else. The first alone was said here
        until session 28, the others only in the Measurements list."""
        for warning in warnings:
            self.with_the_image(printable(f"Warning: {warning}"))

    def left_out(self, notes) -> None:
        """Damaged files the scan left out (the image may be a slice short for them), in the red
        bar, one a line: the first :data:`LEFT_OUT_SHOWN` (they went into the Measurements list
        until session 28, the red bar naming the first)."""
        if not notes:
            return
        more = len(notes) - LEFT_OUT_SHOWN
        lines = [f"{plural(len(notes), 'file')} left out: {notes[0]}", *notes[1:LEFT_OUT_SHOWN]]
        if more > 0:
            lines.append(f"... and {more} more ('neuroview info --verbose' lists them all)")
        self.window.show_error("\n".join(printable(line) for line in lines))   # a name's \n: one

    def ask(self, question: str, buttons, *, question_id: str) -> None:
        """A question about the image on screen (restore its edits?, load the labels saved for
        this worklist case?) in the notice bar, with its ``buttons`` (label, callback): above the
        news shown there (the open's warnings, the cases *Next case* passed over, a Discard's
        note), which stays. Asked once the crash journal was read in a worker, the worklist's
        question replaced that news until session 28. A question still waiting is replaced (two
        never wait at once: the labels are offered once the restore is answered), the news under
        it kept. A button takes away the question's lines and buttons alone, the news staying
        until dismissed or the image changes (``NoticeBar.drop_question``; *Restore* and *Edit
        here* hid it all until session 29). ``question_id`` names the question, so that its asker
        finds it waiting (``NoticeBar.asking``) whatever its buttons' labels say."""
        self.window.notice_bar.ask(question, buttons, question_id=question_id)

    def status(self, text: str) -> None:
        """A one-line word in the status line, for :data:`NOTE_MS` at most; it goes at the first
        mouse move over a slice view once it has been up :data:`READ_MS` (:meth:`pointer_moved`),
        whatever it says: the status line's message hides the voxel readout (the worklist's word
        on the case opened alone went at a move, in session 28; the others hid it for 15 s). A
        file in it is named by name and folder (``app.error_paths``)."""
        self.word, self.word_at = short_error(text), time.monotonic()
        self.window.statusBar().showMessage(self.word, NOTE_MS)

    def aside(self, text: str) -> None:
        """A word on something the user did not just do (the 3D view's volume rendering turned
        off as the first segment surfaces show, a quarter second after the edit): said once the
        word up now has been up :data:`READ_MS`, so that it does not take the line from the note
        of the edit that caused it (``Islands: nothing changed.`` went within 0.3 s, session 40)."""
        bar = self.window.statusBar()
        left = READ_MS - int((time.monotonic() - self.word_at) * 1000)
        if self.word and bar.currentMessage() == self.word and left > 0:
            QTimer.singleShot(left, self.window, lambda: self.aside(text))
            return
        self.status(text)

    def drop_word(self) -> None:
        """The user asked for something else (Ctrl+Z, Ctrl+Y, Ctrl+S): the word shown, about what
        came before, goes now (``AI click: ... nothing changed`` stayed its 15 s after an undo and
        beside the notice ``Saved ...``, session 38's walk). A message not said here is left."""
        if self.word and self.window.statusBar().currentMessage() == self.word:
            self.window.statusBar().clearMessage()
        self.word = ""

    def restate(self, old: str, new: str) -> bool:
        """The word ``old``, while still in the status line, says ``new`` for the rest of its time
        (the worklist's word on the case opened follows its edits, sends and marks); whether it
        was up."""
        bar = self.window.statusBar()
        left = NOTE_MS - int((time.monotonic() - self.word_at) * 1000)
        old, new = short_error(old), short_error(new)
        if not old or self.word != old or bar.currentMessage() != old or left <= 0:
            return False
        self.word = new
        bar.showMessage(new, left)
        return True

    def pointer_moved(self) -> None:
        """The mouse moved over a slice view: the readout takes back the line from the word
        shown, once it has been read (:meth:`status`). A message not said here (a menu's status
        tip) is left alone."""
        bar = self.window.statusBar()
        if not self.word or bar.currentMessage() != self.word:
            self.word = ""
            return
        if (time.monotonic() - self.word_at) * 1000 >= READ_MS:
            bar.clearMessage()
            self.word = ""
