"""The slab worker itself stops a view's slab being computed when the same view asks for another
(a newer slice): the stale slab ends at its next check of the cancel flag, between its planes,
and the newer one runs at once, not after the whole stale one."""

from __future__ import annotations

import threading
import time

from neuroview.core.jobs import check

PLANES, PLANE_S = 40, 0.05   # a slab of 2 s, checked between its planes


def test_a_newer_request_of_the_same_view_stops_the_one_running(qtbot):
    from neuroview.ui.slab_job import SlabJob

    handed, planes, started = [], {"old": 0, "new": 0}, threading.Event()
    job = SlabJob(lambda key, values: handed.append((key, values, time.perf_counter())))
    stopped = []
    job.when_handed("old", stopped.append)

    def slab(name):
        def compute(_progress, cancel):
            for _ in range(PLANES):
                check(cancel)
                started.set()
                planes[name] += 1
                time.sleep(PLANE_S)
            return name
        return compute

    worker = job.worker
    worker.request(job, "old", slab("old"))
    assert started.wait(10)   # the old slab runs on the worker's thread
    asked = time.perf_counter()
    worker.request(job, "new", slab("new"))   # straight to the worker: no SlabJob.start
    assert stopped == [None], "the stale slab was not stopped"
    qtbot.waitUntil(lambda: bool(handed), timeout=10000)
    key, values, when = handed[0]
    assert (key, values) == ("new", "new") and len(handed) == 1
    assert planes["old"] < PLANES / 2, f"the stale slab ran {planes['old']} of {PLANES} planes"
    # the newer slab's own 2 s, not after the rest of the stale one's too (4 s)
    assert when - asked < 1.5 * PLANES * PLANE_S
    worker.runner.wait()
