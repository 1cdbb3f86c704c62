"""*View > Cine* (C): the view clicked last plays through its slices, back at the ends, as a PACS
viewer's cine; C again stops it, as does another image (there was no cine: a CT walk of session
40 scrolled 300 slices by hand)."""

from __future__ import annotations

from editor_helpers import open_image, shortcut, write_image
from PySide6.QtCore import QPoint, Qt

from neuroview.ui import cine

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_c_plays_the_view_clicked_last_back_and_forth_and_c_stops_it(qtbot, window, tmp_path):
    window.cine.timer.setInterval(10)   # 100 slices a second: the 48 slices within the test
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    state, coronal = window.controller.state, window.slice_views["coronal"]
    qtbot.mouseClick(coronal, Qt.LeftButton, pos=QPoint(coronal.width() // 2, coronal.height() // 2))
    first, last = state.slice_range("coronal")
    axial_at = state.slice_position_mm("axial")
    shortcut(qtbot, window, Qt.Key_C, target=coronal)
    assert window.cine.action.isChecked()
    seen = []
    qtbot.waitUntil(lambda: seen.append(state.slice_position_mm("coronal")) or (
        last in seen and seen[-1] < last - 4), timeout=10000)   # up to the end, and back down
    assert state.slice_position_mm("axial") == axial_at   # the coronal view's slices only
    assert window.statusBar().currentMessage().startswith("Cine: the coronal view, 15 slices")
    shortcut(qtbot, window, Qt.Key_C, target=coronal)
    assert not window.cine.action.isChecked()
    assert not window.statusBar().currentMessage()   # the readout is back
    stopped = state.slice_position_mm("coronal")
    qtbot.wait(100)
    assert state.slice_position_mm("coronal") == stopped and first < stopped < last


def test_another_image_and_close_stop_the_cine(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    shortcut(qtbot, window, Qt.Key_C)
    assert window.cine.timer.isActive() and window.cine.timer.interval() == round(
        1000 / cine.SLICES_PER_SECOND)
    other, _ = write_image(tmp_path, name="other")
    open_image(qtbot, window, other)
    assert not window.cine.timer.isActive() and not window.cine.action.isChecked()
    shortcut(qtbot, window, Qt.Key_C)
    assert window.cine.timer.isActive()
    window.close_image()   # File > Close
    assert not window.cine.timer.isActive() and not window.cine.action.isChecked()


def test_esc_stops_the_cine_before_it_leaves_full_screen(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    shortcut(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen, timeout=5000)
    shortcut(qtbot, window, Qt.Key_C)
    axial = window.slice_views["axial"]
    qtbot.keyClick(axial, Qt.Key_Escape)
    assert not window.cine.timer.isActive() and window.isFullScreen()
    qtbot.keyClick(axial, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=5000)


def test_c_typed_into_a_name_box_stays_there(qtbot, window, tmp_path):
    """A segment named "calcification" typed into the editor's rename box: its c starts nothing."""
    from PySide6.QtWidgets import QLineEdit

    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    box = QLineEdit(window.display_panel)   # a box of the window, as the editor's rename field
    box.show()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=5000)
    qtbot.keyClicks(box, "calc")
    assert box.text() == "calc" and not window.cine.timer.isActive()
