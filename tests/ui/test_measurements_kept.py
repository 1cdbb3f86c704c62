"""Rulers, angles, ellipses and rectangles are kept with their image: drawn with the mouse in one
window, the image closed, opened again in another window, they come back on their slice with the
same points, the same figures on screen and their lines in *Measurements*; a damaged entry of
the image's ``drawn-measurements/KEY.json`` is left out, said in one line naming the file, the
others come back. Until session 49 they were gone once the image was closed (or the window
crashed)."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import grab, open_image, write_image
from measure_drawing import drag
from PySide6.QtCore import QPoint, Qt

from neuroview.app.measure_memory import MEMORY_FOLDER
from neuroview.paths import user_data_path
from neuroview.render.png import read_png

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _draw_each_kind(qtbot, window) -> None:
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (40, 230), (150, 250))
    window.mode_actions["angle"].trigger()
    drag(qtbot, axial, (60, 60), (100, 110))       # the first arm, then a click at its end
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(150, 70))
    window.mode_actions["ellipse"].trigger()
    drag(qtbot, axial, (170, 40), (250, 100))
    window.mode_actions["rectangle"].trigger()
    drag(qtbot, axial, (190, 150), (260, 200))
    window.mode_actions["navigate"].trigger()
    window.controller.select(None)   # drawn as any other, no handles


def _kept(controller) -> list:
    return [(type(i), i.plane, [p.tolist() for p in i.points], i.value_text,
             i.stats.lines() if hasattr(i, "stats") else None)
            for kind in ("rulers", "angles", "ellipses", "rectangles") for i in getattr(controller, kind)]


def _lines(window) -> list[str]:
    return [window.measurements.item(n).text() for n in range(window.measurements.count())]


def test_measurements_come_back_when_the_image_opens_in_another_window(qtbot, window, second_window,
                                                                      tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    _draw_each_kind(qtbot, window)
    drawn = _kept(window.controller)
    assert [k[0].__name__ for k in drawn] == ["Ruler", "Angle", "Ellipse", "Rectangle"]
    before = grab(window.slice_views["axial"])
    window.export_view(tmp_path / "before.png", "axial")
    window.close_image()

    open_image(qtbot, second_window, path)
    axial = second_window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    assert _kept(second_window.controller) == drawn   # the same points, exactly; the same figures
    after = grab(axial)
    assert after.shape == before.shape
    assert np.abs(after.astype(int) - before).max(axis=2).astype(bool).sum() < 50, \
        "the view shows the measurements as the first window did"
    second_window.export_view(tmp_path / "after.png", "axial")   # File > Export view: them too
    exported = read_png(tmp_path / "after.png")
    assert np.array_equal(exported, read_png(tmp_path / "before.png"))
    assert (exported[..., 0].astype(int) - exported[..., 2] > 80).sum() > 100   # orange drawn
    lines = _lines(second_window)
    assert lines[0] == f"Ruler (axial): {drawn[0][3]} (kept with the image)"
    assert lines[2].startswith(f"Ellipse (axial): {drawn[2][4][0]}, mean ")
    assert len(lines) == 4 and all(line.endswith(" (kept with the image)") for line in lines)

    # another slice does not show them; back on theirs, all four again
    second_window.controller.scroll("axial", 1)
    r, g, b = (grab(axial)[..., n].astype(int) for n in range(3))
    assert not ((r > 200) & (g > 100) & (g < 185) & (b < 110)).any()   # no orange there
    second_window.controller.scroll("axial", -1)
    assert np.abs(grab(axial).astype(int) - before).max(axis=2).astype(bool).sum() < 50


def test_a_damaged_entry_is_left_out_in_one_line_naming_the_file(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    _draw_each_kind(qtbot, window)
    drawn = _kept(window.controller)
    window.close_image()
    (kept_file,) = (user_data_path() / MEMORY_FOLDER).glob("*.json")   # the image's own
    kept = json.loads(kept_file.read_text())
    kept[0]["points"] = [[1.0, 2.0]]   # the ruler
    kept_file.write_text(json.dumps(kept))

    open_image(qtbot, window, path)
    assert _kept(window.controller) == drawn[1:]
    assert window.notice_bar.isVisible(), window.notice_bar.shown
    assert f"{kept_file.name} in " in window.notice_bar.text and (
        ": 1 damaged measurement of this image left out (a ruler whose points are not 2 points of "
        "3 numbers); 3 others shown.") in window.notice_bar.text, window.notice_bar.shown


def test_two_windows_on_one_image_keep_what_each_drew(qtbot, window, second_window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    open_image(qtbot, second_window, path)
    for shown in (window, second_window):
        qtbot.waitUntil(lambda shown=shown: shown.slice_views["axial"].last is not None, timeout=10000)
    window.mode_actions["ruler"].trigger()
    drag(qtbot, window.slice_views["axial"], (40, 230), (150, 250))
    second_window.mode_actions["ellipse"].trigger()
    drag(qtbot, second_window.slice_views["axial"], (170, 40), (250, 100))
    assert second_window.statusBar().currentMessage() == (
        "1 measurement another window drew on this image kept with it too (shown when the image "
        "opens again).")
    ruler, ellipse = window.controller.rulers[0], second_window.controller.ellipses[0]
    second_window.close_image()
    window.close_image()

    open_image(qtbot, window, path)
    assert [i.points[0].tolist() for i in window.controller.rulers] == [ruler.points[0].tolist()]
    assert [i.value_text for i in window.controller.ellipses] == [ellipse.value_text]
