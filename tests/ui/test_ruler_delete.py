"""Delete (or Backspace) over a slice view takes back the newest ruler on the slice it shows, as
ITK-SNAP deletes a ruler and Slicer a markup: a ruler drawn by mistake stayed on the image until
another image was opened."""

from __future__ import annotations

from measure_drawing import drag, open_image
from PySide6.QtCore import QPoint, Qt
from ruler_colours import cyan_pixels, same

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_delete_takes_back_the_newest_ruler_on_the_slice_shown(qtbot, window, tmp_path):
    open_image(qtbot, window, tmp_path)
    c = window.controller
    axial = window.slice_views["axial"]
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (60, 100), (200, 100))
    drag(qtbot, axial, (60, 200), (120, 200))
    qtbot.keyClick(axial, Qt.Key_Up)             # another slice: a ruler there
    drag(qtbot, axial, (60, 150), (200, 150))
    qtbot.keyClick(axial, Qt.Key_Down)           # back to the first two
    assert len(c.rulers) == 3
    first, second, other = c.rulers
    both = cyan_pixels(axial)
    qtbot.mouseMove(axial, QPoint(30, 30))
    qtbot.keyClick(axial, Qt.Key_Delete)
    assert same(c.rulers, [first, other]), "the newest ruler of this slice goes, the other slice's stays"
    qtbot.waitUntil(lambda: 0 < cyan_pixels(axial) < both, timeout=5000)
    last = window.measurements.item(window.measurements.count() - 1).text()
    assert last == f"Ruler (axial): {second.length_mm:.1f} mm deleted"
    qtbot.keyClick(axial, Qt.Key_Backspace)
    assert same(c.rulers, [other])
    qtbot.waitUntil(lambda: cyan_pixels(axial) == 0, timeout=5000)
    qtbot.keyClick(axial, Qt.Key_Delete)          # none left on this slice: nothing happens
    assert same(c.rulers, [other])
    qtbot.keyClick(axial, Qt.Key_Up)              # the other slice still shows its ruler
    qtbot.waitUntil(lambda: cyan_pixels(axial) > 0, timeout=5000)


def test_delete_is_listed_in_the_shortcuts(window):
    from neuroview.ui.help_menu import shortcut_rows

    rows = shortcut_rows(window.menuBar())
    assert ("Slice views", "Delete the selected ruler, else the newest on this slice",
            "Delete, Backspace") in rows
    assert ("Slice views", "Move that end; a click on a ruler selects it",
            "Drag a ruler's end (Ruler, F3)") in rows
