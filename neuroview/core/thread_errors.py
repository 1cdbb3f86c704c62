"""An exception that ends one of neuroview's own threads (a study date's lookup, the device probe,
the journal's fsync, a PACS watcher) said in one line naming the thread, its traceback logged at
DEBUG level only (its message's paths named short: the terminal and the window never show it),
and whoever waits on the thread told, so that its job ends.

Python's default (``threading.excepthook``) printed the whole traceback on stderr, and the job
never heard: *Open follow-up*'s lookup of a study date stayed running, and no date was looked up
again in that dialog. :func:`install` runs where the program starts (``cli.main``, the window's
``ui.launch``); :func:`when_failed` names what ends a thread's job; :func:`listen` where the line
goes (the window's notice bar), else stderr as ``neuroview: internal error ...``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import weakref
from typing import Callable, Optional

from .errors import printable, private_reason
from .named_paths import logged_traceback, paths_named

log = logging.getLogger("neuroview.threads")
_ended: "weakref.WeakKeyDictionary[threading.Thread, Callable[[BaseException], None]]" = \
    weakref.WeakKeyDictionary()
_listener: Optional[Callable[[str], None]] = None


def when_failed(thread: threading.Thread, ended: Callable[[BaseException], None]) -> None:
    """Call ``ended(error)`` (on ``thread``) when an exception ends ``thread``: its job ends there
    (a lookup answered "unknown", a job bar's job finished)."""
    _ended[thread] = ended


def listen(listener: Optional[Callable[[str], None]]) -> None:
    """Send each line to ``listener`` (any thread; None: stderr again)."""
    global _listener
    _listener = listener


def line_for(name: str, error: BaseException) -> str:
    """One line, naming the thread and the error, without the values or folders it quotes."""
    reason = paths_named(printable(private_reason(error, 200)))
    return (f"internal error in the background job '{printable(name)}': {type(error).__name__}: "
            f"{reason}; your work is kept (the traceback is in the log at DEBUG level)")


def _hook(args) -> None:
    if issubclass(args.exc_type, SystemExit):   # as Python's own: a thread's quiet end
        return
    try:
        error = args.exc_value if args.exc_value is not None else args.exc_type()
        thread = args.thread
        name = thread.name if thread is not None else "?"
        log.debug("Internal error in the thread %s\n%s", name, logged_traceback(error))
        ended = _ended.pop(thread, None) if thread is not None else None
        if ended is not None:
            ended(error)
        line = line_for(name, error)
        listener = _listener
        if listener is not None:
            listener(line)
        elif sys.stderr is not None:
            sys.stderr.write(f"neuroview: {line}\n")
            if os.environ.get("NEUROVIEW_DEBUG", "") not in ("", "0"):
                sys.stderr.write(logged_traceback(error) + "\n")
            sys.stderr.flush()
    except Exception:   # noqa: BLE001 - the hook itself never raises (Python would print that)
        pass


def install() -> None:
    """Put :func:`_hook` in the place of ``threading.excepthook`` in this process."""
    threading.excepthook = _hook


__all__ = ["install", "line_for", "listen", "when_failed"]
