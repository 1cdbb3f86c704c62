"""Decoders' own panic lines kept off the user's terminal.

pylibjpeg-rle (written in Rust) prints its panic on file descriptor 2 before pyo3's
PanicException reaches Python: two lines, or sixty with ``RUST_BACKTRACE=1``, beside neuroview's
one line naming the file; and when the next decoder (pydicom's own) then reads the frame, the
command succeeds with a "panicked" message above it. :func:`quiet` points file descriptor 2 at an
unlinked temporary file while a decoder runs; when the last decode running in the process ends,
what was written there goes to the real stderr again, less the Rust panic blocks. Whatever else
was written meanwhile (Python's own warnings from other threads) is only delayed.

A redirect is a whole-process matter, so decodes on several threads share one: it is set by the
first to begin and undone by the last to end. A child forked meanwhile gets its stderr back.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from contextlib import contextmanager

_PANIC = re.compile(r"^thread '.*' panicked at ")
_NOTE = ("note: run with `RUST_BACKTRACE", "note: Some details are omitted")


class _Redirect:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.saved = -1      # the real stderr, duplicated, while redirected
        self.sink = None     # the temporary file

    def enter(self) -> bool:
        with self.lock:
            if self.depth == 0:
                try:
                    if self.sink is None:
                        self.sink = tempfile.TemporaryFile()
                    self.saved = os.dup(2)
                    os.dup2(self.sink.fileno(), 2)
                except OSError:  # no stderr at all (a desktop launch): nothing to keep clean
                    return False
            self.depth += 1
            return True

    def leave(self) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth:
                return
            os.dup2(self.saved, 2)
            os.close(self.saved)
            self.saved = -1
            fd = self.sink.fileno()
            size = os.fstat(fd).st_size
            if not size:
                return
            text = os.pread(fd, size, 0)
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)  # stderr's writes share this offset
            kept = without_panics(text.decode("utf-8", "replace"))
            if kept:
                os.write(2, kept.encode())

    def after_fork_in_child(self) -> None:
        """A child forked while a decode ran inherits the redirect and the lock as they were."""
        self.lock = threading.Lock()
        if self.depth:
            os.dup2(self.saved, 2)
            os.close(self.saved)
        self.depth, self.saved, self.sink = 0, -1, None  # the file's offset is the parent's


_REDIRECT = _Redirect()
os.register_at_fork(after_in_child=_REDIRECT.after_fork_in_child)


@contextmanager
def quiet():
    """Run a decoder with its panic lines dropped (see the module's text)."""
    entered = _REDIRECT.enter()
    try:
        yield
    finally:
        if entered:
            _REDIRECT.leave()


def without_panics(text: str) -> str:
    """``text`` less every Rust panic block: the ``thread '…' panicked at`` line, its message,
    the backtrace (``stack backtrace:`` and the indented frames) and the closing ``note:``."""
    kept, lines, k = [], text.splitlines(keepends=True), 0
    while k < len(lines):
        if not _PANIC.match(lines[k]):
            kept.append(lines[k])
            k += 1
            continue
        k += 2  # the location line and the panic's message
        while k < len(lines) and (lines[k].startswith((" ", "\t", "stack backtrace:"))
                                  or not lines[k].strip()):
            k += 1
        if k < len(lines) and lines[k].startswith(_NOTE):
            k += 1
            if k < len(lines) and not lines[k].strip():
                k += 1
    return "".join(kept)
