"""What the GUI thread sees of a worker's write while it takes its turns, as the event loop does
between two events: a writer that holds Python's interpreter lock through a whole label map (a
``tobytes`` copy of it, nibabel's slice copies) shows no step between none of it and all of it;
one that lets the lock go between pieces (zlib's and ISA-L's deflate, numpy's copies) shows its
pieces. No clock is read: only which of the writer's states this thread got to see."""

from __future__ import annotations

import threading
import time


def progress_seen(work, progress) -> list:
    """Run ``work()`` on a thread; the values of ``progress()`` this thread saw meanwhile, each
    change once, in order (``time.sleep(0)`` between two looks lets the lock go)."""
    errors: list = []

    def run():
        try:
            work()
        except BaseException as exc:   # re-raised on this thread
            errors.append(exc)

    thread = threading.Thread(target=run)
    seen = [progress()]
    thread.start()
    while thread.is_alive():
        value = progress()
        if value != seen[-1]:
            seen.append(value)
        time.sleep(0)
    thread.join()
    if errors:
        raise errors[0]
    return seen
