"""The one slab worker serves the view the user works in first: while one oblique slab computes,
a slab the active view asks for overtakes the other views' queued ones, and a view's request
replaced by a newer one never runs (the views were served in order of request: scrolling one view
waited 1.5-2 s for each other view's slab). The follow-up panes compute on the same worker."""

from __future__ import annotations

import threading

import numpy as np
from key_presses import type_key
from PySide6.QtCore import Qt

HELD_S = 20.0


def _plane_of(state, geom) -> str:
    return next(p for p in ("axial", "sagittal", "coronal")
                if abs(abs(float(np.dot(state.axes(p)[2], geom.normal))) - 1) < 1e-6)


def test_active_view_overtakes_and_superseded_never_runs(qtbot, window, tmp_path, monkeypatch):
    from editor_helpers import activate
    from oblique_views import open_oblique

    from neuroview.ui import slab_job

    real, release, calls = slab_job.sample_slab, threading.Event(), []

    def held(image, ras_to_ijk, geom, *args, **kwargs):   # the first slab waits for the test
        calls.append((_plane_of(window.controller.state, geom),
                      round(float(geom.origin_ras @ geom.normal), 3)))
        if len(calls) == 1:
            release.wait(HELD_S)
        return real(image, ras_to_ijk, geom, *args, **kwargs)

    monkeypatch.setattr(slab_job, "sample_slab", held)
    open_oblique(qtbot, window, tmp_path)
    views, row = window.slice_views, window.display_panel.slab_row
    for plane in ("axial", "sagittal", "coronal"):   # one view after another: asked in this order
        row.set_slab(4.0, "max", plane)   # 4 mm: fewer planes to sample
        qtbot.waitUntil(lambda plane=plane: (views[plane].repaint(), views[plane].slab.job.busy)[1],
                        timeout=HELD_S * 1000)
    assert [c[0] for c in calls] == ["axial"]   # running (held); sagittal, coronal queued
    old = window.controller.state.slice_position_mm("coronal")
    activate(qtbot, window)
    views["coronal"].setFocus(Qt.MouseFocusReason)   # as the pointer entering the view gives it
    qtbot.waitUntil(views["coronal"].hasFocus)
    type_key(views["coronal"], Qt.Key_Up)            # the next slice: its slab asked again
    assert window.controller.state.slice_position_mm("coronal") != old
    views["coronal"].repaint()
    key = views["coronal"].slab._wanted[0]
    qtbot.waitUntil(lambda: window.slab_worker.key_of(views["coronal"].slab.job) == key,
                    timeout=HELD_S * 1000)
    release.set()

    def all_drawn():
        for view in views.values():
            view.repaint()
        return all(view.title().endswith("· MIP 4 mm") for view in views.values())

    qtbot.waitUntil(all_drawn, timeout=HELD_S * 1000)
    planes = [c[0] for c in calls]
    assert planes == ["axial", "coronal", "sagittal"], calls   # the active view's came second
    coronal = [depth for plane, depth in calls if plane == "coronal"]
    assert len(coronal) == 1, calls   # the slice it left was never computed


def test_followup_panes_use_the_window_slab_worker(qtbot, window, three_studies):
    from PySide6.QtCore import QThreadPool

    from neuroview.app.view_slab import Slab
    from neuroview.ui.followup_window import FollowupWindow

    pools = len(window.findChildren(QThreadPool))
    view = FollowupWindow(*three_studies, parent=window)   # as File > Open follow-up... makes it
    view.setWindowFlag(Qt.Window)
    qtbot.addWidget(view)
    view.show()
    view.pair.set_slab(Slab(10.0, "max"))
    view.pair.pane_images()
    assert [picture.job.worker for picture in view.pair.slabs] == [window.slab_worker] * 2
    assert view.pair.findChildren(QThreadPool) == []   # the panes had a thread pool each
    assert len(window.findChildren(QThreadPool)) == pools + 1   # the follow-up window's (Report)
