"""How a PACS call ended, run in a thread and waited for: the stalled-server tests' measure."""

from __future__ import annotations

import threading
import time

from neuroview.io.pacs import PacsError

NO_ERROR = "no error"


def run_to_end(call, wait: float, then=None) -> tuple[str | None, float]:
    """``call()`` in a thread, waited for ``wait`` s: the line of the :class:`PacsError` it raised
    (:data:`NO_ERROR` when it returned), ``None`` when it still ran; and the seconds it ran (or
    waited). ``then()``, when given, runs after the wait (to let a hung call go, so the session
    ends), and the thread is given 10 s more."""
    ended: list[str] = []

    def run() -> None:
        try:
            call()
            ended.append(NO_ERROR)
        except PacsError as exc:
            ended.append(str(exc))

    start = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(wait)
    took = time.monotonic() - start
    if then is not None:
        then()
        worker.join(10)
    return (ended[0] if ended else None), took
