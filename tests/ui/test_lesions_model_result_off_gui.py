"""When *AI > Segment*'s result lands, the Lesions list finds the model's lesions in a worker, not
on the GUI thread: there it held the window about 110 ms of the 250 ms gap after the last patch
on the demo case (``bench/gui_stalls.py``: the longest gap 182-285 ms before, 124-131 ms after).
The list still fills, and the views still jump to the largest lesion."""

from __future__ import annotations

import threading

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtWidgets import QDockWidget

import neuroview.ui.lesions_panel as lesions_panel

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_model_s_lesions_are_found_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("drawn by hand")            # the active segment: not the model's
    qtbot.waitUntil(lambda: not window.lesions.busy, timeout=5000)
    threads = []
    real = lesions_panel.segment_components

    def recorded(labels, value, affine, **job):
        threads.append((value, threading.current_thread() is threading.main_thread()))
        return real(labels, value, affine, **job)

    monkeypatch.setattr(lesions_panel, "segment_components", recorded)
    result = np.zeros(volume.shape, np.uint8)
    result[5:8, 5:8, 5:8] = 1
    result[30:36, 28:34, 30:35] = 1                   # the largest
    session.apply_model_result(result, {1: "lesion"}, model="fake@1")
    panel = window.lesions
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=5000)
    model_value = next(s.value for s in session.segments if s.name == "lesion")
    on_gui = [gui for value, gui in threads if value == model_value]
    assert on_gui and not any(on_gui), threads       # found, and never on the GUI thread
    assert panel.segment_box.currentText() == "lesion"
    assert window.findChild(QDockWidget, "Lesions").isVisible()
    crosshair = window.controller.state.crosshair_ras
    ijk = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(crosshair, 1))[:3].astype(int)
    assert tuple(ijk) == panel.components[0].jump_ijk and panel.components[0].voxels == 180
