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

    handed, planes, started, asked = [], {"old": 0, "new": 0}, threading.Event(), threading.Event()
    job = SlabJob(lambda key, values: handed.append((key, values)))
    stopped = []
    job.when_handed("old", stopped.append)

    def slab(name):
        def compute(_progress, cancel):
            for _ in range(PLANES):
                check(cancel)
                planes[name] += 1
                started.set()
                asked.wait(10)   # the stale slab's first plane lasts until the newer one is asked
                time.sleep(PLANE_S)
            return name
        return compute

    worker = job.worker
    worker.request(job, "old", slab("old"))
    assert started.wait(10)   # the old slab runs on the worker's thread
    worker.request(job, "new", slab("new"))   # straight to the worker: no SlabJob.start
    asked.set()
    assert stopped == [None], "the stale slab was not stopped"
    qtbot.waitUntil(lambda: bool(handed), timeout=10000)
    assert handed == [("new", "new")] and planes["new"] == PLANES
    # the stale slab ended at its next plane, not after its other planes (the newer slab's arrival
    # was timed until session 45: < 3 s for 2 s of planes, within a loaded machine's pauses)
    assert planes["old"] == 1, f"the stale slab ran {planes['old']} of {PLANES} planes"
    worker.runner.wait()
