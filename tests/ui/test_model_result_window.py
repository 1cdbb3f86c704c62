"""AI > Segment's result is applied by a worker, then the GUI thread: the window keeps running
while the step and the proposal are made (a QTimer keeps ticking), and a stroke painted meanwhile
is kept, before the result in the history."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtCore import QTimer

from neuroview.ai.api import LabelInfo, SegmentationResult
from neuroview.app import case as case_module

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

pytest.importorskip("neuroview.ai.segment")


def test_the_result_is_made_off_the_gui_thread_and_an_edit_meanwhile_is_kept(qtbot, window, tmp_path,
                                                                             monkeypatch):
    import neuroview.ai.segment as ai_segment

    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    model = np.zeros(volume.shape, np.uint8)
    model[8:40, 8:40, 8:40] = 1
    monkeypatch.setattr(ai_segment, "segment", lambda *a, **k: SegmentationResult(
        model, volume.ijk_to_ras, [LabelInfo(1, "lesion", (250, 120, 0))], "stand-in@1", "cpu"))

    seen = {"ticks": 0, "held": False, "threads": [], "painted": False}
    released = threading.Event()
    original = case_module.merge_proposal

    def held_merge(previous, labels, written):
        """The proposal's merge, held until the window's timer ticked five times during it: it
        can only be released when it runs off the GUI thread (else the wait times out)."""
        seen["threads"].append(threading.current_thread())
        if len(seen["threads"]) > 1:   # made again on the GUI thread after the edit: not held
            return original(previous, labels, written)
        seen["held"] = True
        released.wait(timeout=5)
        seen["held"] = False
        return original(previous, labels, written)

    def tick():
        seen["ticks"] += 1
        if seen["held"] and not seen["painted"]:      # the user paints while the worker runs
            seen["painted"] = True
            session.segments.add("mine")
            session.apply("paint", at_ras=session.volume.center_ras, radius_mm=4, segment="mine")
            session.segments.lock("mine")
        if seen["held"] and seen["ticks"] >= 5:
            released.set()

    monkeypatch.setattr(case_module, "merge_proposal", held_merge)
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    window.ai_actions._run_segment("stand-in@1", "cpu")
    qtbot.waitUntil(lambda: "stand-in@1 on cpu" in window.notice_bar.text, timeout=30000)
    timer.stop()

    assert seen["threads"][0] is not threading.main_thread()
    assert released.is_set(), "the result blocked the window: its timer never ticked meanwhile"
    assert seen["painted"]
    names = [step.name for step in session.history.undo_steps]
    assert names[-1] == "model" and "paint" in names                  # the stroke, then the result
    mine = session.segments["mine"].value
    lesion = session.segments["lesion"].value
    assert (session.labels.array == mine).sum() > 0                   # the stroke is kept
    np.testing.assert_array_equal(session.labels.array == lesion,
                                  (model == 1) & (session.labels.array != mine))
    assert window.editor.case.proposal is not None
