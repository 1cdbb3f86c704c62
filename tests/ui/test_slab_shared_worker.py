"""M on three oblique views: their slabs are computed one after another by one worker the views
share (a worker each computed three at once on 2 cores: the first slab came in twice the time and
the window stalled twice as long, bench/slab.py --three-only), and all three are drawn; closing the
window cancels the slabs still to come rather than waiting for them."""

from __future__ import annotations

import threading
import time

HELD_S = 20.0


def test_three_oblique_slabs_one_at_a_time_and_all_drawn(qtbot, window, tmp_path, monkeypatch):
    from oblique_views import open_oblique

    from neuroview.ui import slab_job

    real, lock, state = slab_job.sample_slab, threading.Lock(), {"now": 0, "most": 0, "runs": 0}

    def counted(*args, **kwargs):
        with lock:
            state["now"] += 1
            state["runs"] += 1
            state["most"] = max(state["most"], state["now"])
        try:
            time.sleep(0.1)   # long enough for another worker to start meanwhile
            return real(*args, **kwargs)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(slab_job, "sample_slab", counted)
    open_oblique(qtbot, window, tmp_path)
    window.display_panel.slab_row.set_slab(10.0, "max")   # all views
    views = window.slice_views.values()

    def all_drawn():
        for view in views:
            view.repaint()
        return all(view.title().endswith("· MIP 10 mm") for view in views)

    qtbot.waitUntil(all_drawn, timeout=HELD_S * 1000)
    assert state["runs"] == 3 and state["most"] == 1, state


def test_close_cancels_the_slabs_to_come(qtbot, window, tmp_path, monkeypatch):
    from oblique_views import open_oblique

    from neuroview.ui import slab_job

    real, runs, ended = slab_job.sample_slab, [], []

    def slow(*args, cancel=None, **kwargs):   # a slab of 10 s unless cancelled
        runs.append(1)
        for _ in range(200):
            if cancel is not None and cancel.cancelled:
                ended.append("cancelled")
                break
            time.sleep(0.05)
        else:
            ended.append("whole")
        return real(*args, cancel=cancel, **kwargs)

    monkeypatch.setattr(slab_job, "sample_slab", slow)
    open_oblique(qtbot, window, tmp_path)
    window.display_panel.slab_row.set_slab(10.0, "max")
    for view in window.slice_views.values():
        view.repaint()
    qtbot.waitUntil(lambda: len(runs) == 1, timeout=HELD_S * 1000)
    window.close()
    assert len(runs) <= 3 and ended and set(ended) == {"cancelled"}   # slabs of 10 s: none waited for
