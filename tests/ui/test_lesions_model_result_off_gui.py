"""When *AI > Segment*'s result lands, the Lesions list finds the model's lesions in a worker, not
on the GUI thread: there it held the window about 110 ms of the 250 ms gap after the last patch
on the demo case (``bench/gui_stalls.py``: the longest gap 182-285 ms before, 124-131 ms after).
The list still fills, and the views still jump to the largest lesion."""

from __future__ import annotations

import threading

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from held_call import hold
from PySide6.QtCore import QPoint, Qt
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



def _counted_after_the_reader_moved(qtbot, window, tmp_path, monkeypatch, move):
    """A model's result lands; while its lesions are counted (held there), the reader clicks in
    the sagittal view (``move`` "click") or picks Paint in the segment editor ("tool"); then the
    count ends and the list fills. The crosshair before the count ended."""
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: not window.lesions.busy, timeout=5000)
    started, release, _ended = hold(monkeypatch, lesions_panel, "count_lesions")
    result = np.zeros(volume.shape, np.uint8)
    result[30:36, 28:34, 30:35] = 1
    session.apply_model_result(result, {1: "lesion"}, model="fake@1")
    qtbot.waitUntil(started.is_set, timeout=5000)
    before = window.controller.state.crosshair_ras.copy()
    if move == "click":
        qtbot.mouseClick(window.slice_views["sagittal"], Qt.LeftButton, pos=QPoint(25, 30))
        assert not np.allclose(window.controller.state.crosshair_ras, before)
    else:
        qtbot.mouseClick(window.edit_actions.panel.tool_buttons["paint"], Qt.LeftButton)
    where = window.controller.state.crosshair_ras.copy()
    release.set()
    qtbot.waitUntil(lambda: window.lesions.table.rowCount() == 1, timeout=10000)
    return where


def test_a_reader_who_clicked_elsewhere_while_the_lesions_were_counted_is_not_moved(
        qtbot, window, tmp_path, monkeypatch):
    """Session 52's walk on the demo case: 6 s after AI > Segment's result (load 8) the list came
    and took the views from where the reader had clicked to the largest lesion, and its tab came
    over the segment editor's. Now the list fills behind it and the status line says so."""
    clicked = _counted_after_the_reader_moved(qtbot, window, tmp_path, monkeypatch, "click")
    assert np.allclose(window.controller.state.crosshair_ras, clicked)   # the views stayed
    assert not window.lesions.on_screen()                                # the editor's tab in front
    assert ("fake@1: 1 lesion listed in the Lesions tab; the views stay where you moved them"
            in window.statusBar().currentMessage())


def test_a_tool_picked_while_the_lesions_were_counted_keeps_its_tab_and_the_views(
        qtbot, window, tmp_path, monkeypatch):
    where = _counted_after_the_reader_moved(qtbot, window, tmp_path, monkeypatch, "tool")
    assert np.allclose(window.controller.state.crosshair_ras, where)
    assert window.controller.mode == "paint" and not window.lesions.on_screen()


def test_the_list_behind_the_editor_s_tab_widens_its_dock_only_when_shown(qtbot, window, tmp_path):
    """The list filled behind the segment editor's tab (above) widened the dock for its Location
    column: the views narrowed from 414 to 372 px under the reader's pointer for a list not shown
    (session 52's walk, the demo case at 1200x868). It widens when its tab comes to the front."""
    from PySide6.QtWidgets import QApplication, QTableWidgetItem

    path, _volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    panel, dock = window.lesions, window.findChild(QDockWidget, "Lesions")
    assert not panel.on_screen()                                   # the editor's tab in front
    axial, width = window.slice_views["axial"], window.slice_views["axial"].width()
    panel.table.setRowCount(1)
    panel.table.setItem(0, lesions_panel.LOCATION, QTableWidgetItem("juxtacortical " * 6))
    panel.table.resizeColumnsToContents()
    assert panel.table.horizontalHeader().length() > panel.table.viewport().width()
    panel._fit_width()                                              # as the filled list asks
    QApplication.processEvents()    # the layout's pass (a dock resized narrows the views)
    assert axial.width() == width
    dock.raise_()
    qtbot.waitUntil(lambda: panel.table.horizontalHeader().length()
                    <= panel.table.viewport().width(), timeout=5000)
    assert axial.width() < width
