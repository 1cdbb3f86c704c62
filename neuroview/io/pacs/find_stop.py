"""Stopping a C-FIND that the server does not stop.

A search the user cancels, or one past its limit of answers, is sent a C-CANCEL. A server that
ignores it keeps streaming matches (a hostile one, or one whose C-FIND runs through a big database
before it looks at its messages); one that goes quiet leaves us waiting for its final status.
Either kept the window's search busy (or ``pacs find``) until the server finished, or for ever.
:class:`FindStop` watches one C-FIND from a thread of its own: it sends the C-CANCEL when the
user's cancel check says so (or when asked, at a limit), and once :data:`CANCEL_GRACE` has passed
with the C-FIND still running, aborts the association and wakes the thread that waits for the
server's next answer.
"""

from __future__ import annotations

import contextlib
import threading
import time

from .association import abort_and_wake
from .callbacks import CancelCheck, never_cancelled

CANCEL_GRACE = 2.0
"""Seconds a server has to end its C-FIND after our C-CANCEL before the association is aborted."""
POLL = 0.1
"""Seconds between two looks at the user's cancel check."""


class FindStop:
    """Watches the C-FIND ``msg_id`` of ``model`` on ``assoc`` until :meth:`finish`."""

    def __init__(self, assoc, model, msg_id: int, cancel: CancelCheck = never_cancelled,
                 grace: float = CANCEL_GRACE) -> None:
        self.assoc, self.model, self.msg_id, self.cancel, self.grace = assoc, model, msg_id, cancel, grace
        self.cancelled = False
        """The user cancelled the search."""
        self.aborted = False
        """The server did not end the C-FIND within the grace: the association was aborted."""
        self._cancel_sent: float | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="neuroview-find-stop")
        self._thread.start()

    def send_cancel(self) -> None:
        """Send the C-CANCEL (once); the grace starts."""
        with self._lock:
            if self._cancel_sent is not None or self._done.is_set():
                return
            self._cancel_sent = time.monotonic()
        with contextlib.suppress(RuntimeError, AttributeError):   # the association just ended
            self.assoc.send_c_cancel(self.msg_id, query_model=self.model)

    def _watch(self) -> None:
        while not self._done.wait(POLL):
            if not self.cancelled and self.cancel():
                self.cancelled = True
                self.send_cancel()
            sent = self._cancel_sent
            if sent is not None and time.monotonic() - sent >= self.grace:
                self.aborted = True
                abort_and_wake(self.assoc, self.grace)
                return

    def finish(self) -> None:
        """The C-FIND ended (its final status, an error, or our abort): stop watching."""
        self._done.set()
        self._thread.join()
