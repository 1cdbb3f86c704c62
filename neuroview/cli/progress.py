"""A text progress bar on stderr for the headless verbs (silent when stderr is not a terminal,
unless ``NEUROVIEW_PROGRESS_LINES=1``: then one line ``progress DONE/TOTAL TEXT`` per update, which
the window reads from a verb it runs in a child process, ``ui/training_runner.ProgressProcess``:
``dataset rank`` and ``models compare --dataset``)."""

from __future__ import annotations

import os
import sys
import time

PROGRESS_LINES = "NEUROVIEW_PROGRESS_LINES"


class TextProgress:
    def __init__(self, stream=None, min_interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.lines = os.environ.get(PROGRESS_LINES) == "1"
        self.enabled = self.lines or (hasattr(self.stream, "isatty") and self.stream.isatty())
        self.min_interval = min_interval
        self._last = 0.0
        self._open = False   # a bar is drawn and its line not ended

    def __call__(self, done: float, total: float, text: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total:
            return
        self._last = now
        if self.lines:
            self.stream.write(f"progress {done:g}/{total:g} {text}\n")
            self.stream.flush()
            return
        fraction = 0.0 if total <= 0 else min(1.0, done / total)
        bar = "#" * int(fraction * 30)
        self.stream.write(f"\r[{bar:<30}] {fraction * 100:5.1f}% {text[:40]:<40}")
        self._open = True
        if done >= total:
            self.end_line()
        self.stream.flush()

    def end_line(self) -> None:
        """End the bar's line, so that a line printed now stands on its own (the bar goes on
        below it at its next update, drawn at once)."""
        self._last = 0.0
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
