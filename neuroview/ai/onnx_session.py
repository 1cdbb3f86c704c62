"""onnxruntime sessions that a forked copy of the process never frees, and runs that stop when
cancelled.

A session keeps a pool of threads, waiting on its condition variables. A fork copies only the
forking thread; a copy that freed a session it inherited (``ai.segment``'s one-model cache,
cleared for the next model) waited in ``pthread_cond_destroy`` for waiters that are not there:
for good. So a forked copy keeps the sessions of its parent: their memory is the parent's pages,
shared until written.
"""

from __future__ import annotations

import os
import threading
import time
import weakref

from ..core.errors import first_line
from ..core.jobs import check_scope

_OPEN: weakref.WeakSet = weakref.WeakSet()
"""This process's sessions."""
INHERITED: list = []
"""In a forked copy, the sessions its parent had open: never freed here."""


def open_session(path: str | os.PathLike, providers: list[str]):
    """An ``onnxruntime.InferenceSession`` of the file at ``path`` on ``providers``."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=providers)
    _OPEN.add(session)
    return session


def onnx_reason(exc: BaseException, path: str | os.PathLike, limit: int = 200) -> str:
    """onnxruntime's first line about the model at ``path``, the path said by its file name: the
    refusal's line names the file in front already (``PATH: not a loadable ONNX file (...)``, and
    the window shortens that one), and onnxruntime's ``Load model from PATH failed:`` said it again
    in full, so that a long folder pushed the reason past the ``limit`` characters kept."""
    text = first_line(exc)
    for spelled in sorted({os.fspath(path), os.path.abspath(path), os.path.realpath(path)}, key=len,
                          reverse=True):
        text = text.replace(spelled, os.path.basename(spelled))
    return text[:limit]


def run_stoppable(session, feeds: dict) -> list:
    """``session.run(None, feeds)``, stopped between two nodes of the graph when the calling
    thread's cancel token (``core.jobs.cancel_scope``: Esc on an AI click answer, a Segment's
    Cancel) is set or Ctrl+C comes: onnxruntime's ``RunOptions.terminate``, set from this thread
    while the run goes on in a helper thread (a run on the calling thread held Ctrl+C, a Python
    signal, until its end). Raises :class:`~neuroview.core.errors.Cancelled` (or the
    ``KeyboardInterrupt``) once the run has ended, so nothing runs on behind it."""
    import onnxruntime

    options = onnxruntime.RunOptions()
    # its "[E:onnxruntime] ... Exiting due to terminate flag" line on the terminal at each stop
    # (a failure still comes as the exception, with the same words)
    options.log_severity_level = 4
    outcome: dict = {}
    ended = threading.Event()

    def run() -> None:
        try:
            outcome["result"] = session.run(None, feeds, options)
        except BaseException as exc:   # noqa: BLE001 - raised again below when not stopped
            outcome["error"] = exc
        finally:
            ended.set()

    helper = threading.Thread(target=run, name="onnxruntime run", daemon=True)
    try:
        helper.start()
        while not ended.wait(0.02):
            check_scope()
    except BaseException:   # Cancelled, KeyboardInterrupt: the run ends at its next node
        options.terminate = True
        # waited for by looking, not by Thread.join: a join that Ctrl+C interrupted marked the
        # thread ended while it ran on (Python 3.11's bpo-45274 path), and the interpreter's
        # exit under a daemon thread in onnxruntime aborted ("terminate called without an
        # active exception", 3 of 6 Ctrl+C in `neuroview segment`); a second for a thread
        # whose start Ctrl+C interrupted to begin (it then stops at once)
        began = time.monotonic()
        while not ended.is_set() and (helper.is_alive() or time.monotonic() - began < 1.0):
            time.sleep(0.005)
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _keep_inherited() -> None:
    INHERITED.extend(_OPEN)


if hasattr(os, "register_at_fork"):   # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_keep_inherited)
