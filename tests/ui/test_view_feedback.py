"""What the views tell the user without a mouse move: the status bar while the wheel scrolls, the
brush cursor right after ``[``/``]``. Checked on the window's screen pixels (what was flushed, not
a fresh ``grab()`` that would repaint)."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, hover, open_image, pixel_of, wait_for_session, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def wheel(widget, pos, notches: int) -> None:
    """One wheel turn of ``notches`` at widget point ``pos`` (the pointer does not move)."""
    event = QWheelEvent(QPointF(*pos), widget.mapToGlobal(QPointF(*pos)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def readout_ijk_ras_value(window):
    text = window.readout.text()
    ijk = [int(v) for v in text.split("ijk (")[1].split(")")[0].split(",")]
    ras = np.array([float(v) for v in text.split("RAS (")[1].split(")")[0].split(",")])
    value = float(text.split("value ")[1].split()[0])
    return ijk, ras, value


def test_status_bar_follows_the_wheel_with_the_pointer_still(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    axial = window.slice_views["axial"]
    hover(window, "axial", INSIDE_CASE_RAS)
    ijk0, ras0, _ = readout_ijk_ras_value(window)
    pos = pixel_of(window, "axial", INSIDE_CASE_RAS)
    wheel(axial, pos, 3)
    ijk, ras, value = readout_ijk_ras_value(window)
    assert np.isclose(ras[2] - ras0[2], 6.0, atol=0.06)          # three 2 mm slices up
    assert ijk[:2] == ijk0[:2] and ijk[2] - ijk0[2] == 3          # RAS case: k follows z
    assert np.isclose(value, float(volume.array[tuple(ijk)]), rtol=1e-5)
    wheel(axial, pos, -1)
    assert readout_ijk_ras_value(window)[0][2] == ijk0[2] + 2


def screen_pixels(window) -> np.ndarray:
    """The window as flushed to its screen (no repaint is forced)."""
    image = window.screen().grabWindow(window.winId()).toImage()
    image = image.convertToFormat(image.Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : 3 * w].reshape(h, w, 3).copy()


def ring_radius(window, view, centre, color) -> float:
    """Largest distance from ``centre`` of the screen pixels in the brush cursor's colour."""
    rgb = screen_pixels(window)
    origin = view.mapTo(window, QPoint(0, 0))
    part = rgb[origin.y(): origin.y() + view.height(), origin.x(): origin.x() + view.width()]
    mask = np.all(np.abs(part.astype(int) - np.asarray(color)) <= 30, axis=2)
    ys, xs = np.nonzero(mask)
    distance = np.hypot(xs + 0.5 - centre[0], ys + 0.5 - centre[1])
    distance = distance[distance < 70]          # the crosshair lines lie farther away
    assert distance.size > 10, "no brush cursor on screen"
    return float(np.max(distance))


def test_brush_cursor_resizes_at_once_after_bracket_keys(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.select(session.segments.add("lesion", color=(0, 255, 0)))
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=6.0)
    axial = window.slice_views["axial"]
    axial.setFocus()
    at = INSIDE_CASE_RAS + [25.0, 25.0, 0.0]                                        # away from the crosshair
    hover(window, "axial", at)
    centre = pixel_of(window, "axial", at)
    color = window.editor.active_color()
    assert tuple(color) == (0, 255, 0)
    mm = window.controller.state.geometry("axial", axial.width(), axial.height()).mm_per_pixel
    qtbot.waitUntil(lambda: abs(ring_radius(window, axial, centre, color) - 6.0 / mm) < 2.5, timeout=10000)
    before = ring_radius(window, axial, centre, color)
    assert abs(before - 6.0 / mm) < 2.5
    for _ in range(3):
        type_key(window, Qt.Key_BracketRight)   # 6 mm * 1.25^3 = 11.7 mm
    # the event loop runs; no mouse move
    qtbot.waitUntil(lambda: abs(ring_radius(window, axial, centre, color) - 6.0 * 1.25 ** 3 / mm) < 2.5,
                    timeout=10000)
    after = ring_radius(window, axial, centre, color)
    assert abs(after - 6.0 * 1.25 ** 3 / mm) < 2.5, (before, after)


def test_status_bar_reads_the_still_pointer_after_a_double_click_maximise(qtbot, window, tmp_path):
    """The pointer rests on the axial view; a double-click maximises it (the view grows under the
    still pointer). Up must move the slice and the status bar must read the point now under the
    pointer, without a mouse move first."""
    from PySide6.QtGui import QCursor

    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)
    axial = window.slice_views["axial"]
    pos = QPoint(*map(int, pixel_of(window, "axial", INSIDE_CASE_RAS + [6.0, 4.0, 0])))
    QCursor.setPos(axial.mapToGlobal(pos))                       # a real pointer, resting there
    qtbot.waitUntil(lambda: window.readout.text() != "", timeout=5000)
    QTest.mouseDClick(axial, Qt.LeftButton, Qt.NoModifier, pos)
    qtbot.waitUntil(lambda: not window.slice_views["sagittal"].isVisible(), timeout=5000)
    qtbot.wait(200)
    QTest.keyClick(axial, Qt.Key_Up)
    local = axial.mapFromGlobal(QCursor.pos())
    geometry = window.controller.state.geometry("axial", axial.width(), axial.height())
    expected = geometry.pixel_to_ras(local.x() + 0.5, local.y() + 0.5)
    assert window.readout.text() != "", "the status bar went blank under the still pointer"
    _, ras, _ = readout_ijk_ras_value(window)
    assert np.allclose(ras[:2], expected[:2], atol=geometry.mm_per_pixel + 0.05), (ras, expected)
    assert np.isclose(ras[2], INSIDE_CASE_RAS[2] + 2.0, atol=0.06)           # one 2 mm slice up


def test_rectangle_statistics_are_readable_whole_in_the_measurements_list(qtbot, window, tmp_path):
    """Rectangle statistics (F4, a drag on the axial view) give a long line (voxels, mL, mean, std,
    min, max): the Measurements list wraps it inside the dock, no part hidden behind a scroll bar."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.mode_actions["rectangle"].trigger()
    axial = window.slice_views["axial"]
    a = QPoint(axial.width() // 2 - 30, axial.height() // 2 - 30)
    QTest.mousePress(axial, Qt.LeftButton, Qt.NoModifier, a)
    for step in range(1, 7):
        QTest.mouseMove(axial, a + QPoint(10 * step, 10 * step))
    QTest.mouseRelease(axial, Qt.LeftButton, Qt.NoModifier, a + QPoint(60, 60))
    panel = window.measurements
    item = panel.item(panel.count() - 1)
    assert item is not None and "std" in item.text() and "max" in item.text()
    qtbot.waitUntil(lambda: panel.visualItemRect(item).height() > 0, timeout=10000)
    assert not panel.horizontalScrollBar().isVisible()
    assert panel.visualItemRect(item).right() <= panel.viewport().width()
    needed = panel.fontMetrics().horizontalAdvance(item.text())
    assert needed > panel.viewport().width()                    # too long for one line here ...
    assert panel.visualItemRect(item).height() >= 2 * panel.fontMetrics().height()   # ... wrapped


def test_status_bar_follows_a_jump_to_the_next_lesion_with_the_pointer_still(qtbot, window, tmp_path):
    """`.` moves every view to a lesion: the status bar reads the point now under the still
    pointer (it kept the old slice's RAS, value and label before)."""
    from PySide6.QtWidgets import QDockWidget

    from neuroview.core.volume import Volume

    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.findChild(QDockWidget, "Lesions").close()   # `.` works with the list closed too
    segment = session.segments.add("lesion")
    array = np.zeros(volume.shape, np.uint8)
    array[10:15, 12:17, 20:24] = segment.value
    session.load_label_volume(Volume(array, volume.ijk_to_ras))
    session.segments.select(segment)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    axial = window.slice_views["axial"]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    hover(window, "axial", INSIDE_CASE_RAS)
    _, ras0, _ = readout_ijk_ras_value(window)
    qtbot.keyClick(axial, ".")

    def moved_and_read():                                             # the slice, then the readout
        z = window.controller.state.crosshair_ras[2]
        return abs(z - ras0[2]) > 5.0 and np.isclose(readout_ijk_ras_value(window)[1][2], z, atol=0.06)

    qtbot.waitUntil(moved_and_read, timeout=10000)
    s_now = window.controller.state.crosshair_ras[2]
    assert abs(s_now - ras0[2]) > 5.0                                 # the axial slice moved
    ijk, ras, value = readout_ijk_ras_value(window)
    assert np.isclose(ras[2], s_now, atol=0.06)
    assert np.allclose(ras[:2], ras0[:2], atol=0.06)                  # the pointer did not move
    assert np.isclose(value, float(volume.array[tuple(ijk)]), rtol=1e-5)
