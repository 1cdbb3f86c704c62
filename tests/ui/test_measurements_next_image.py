"""*Measurements* lists the measurements of the image on screen: opening another image takes its
rulers away (they belong to the image they were drawn on), and their lines go with them. Until
session 30 the lines stayed: `Ruler (axial): 36.2 mm` stood under the next patient's image, with
no ruler anywhere on it, nothing telling which image it was measured on."""

from __future__ import annotations

from editor_helpers import open_image, write_image
from measure_drawing import drag

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def lines(window) -> list[str]:
    return [window.measurements.item(i).text() for i in range(window.measurements.count())]


def test_another_image_opened_leaves_no_line_of_the_last_images_rulers(qtbot, window, tmp_path):
    first, _ = write_image(tmp_path, "first")
    second, _ = write_image(tmp_path, "second", "lps")   # another placement: another image (the
    open_image(qtbot, window, first)            # same one gets its measurements back since s49)
    qtbot.waitUntil(lambda: window.slice_views["axial"].last is not None, timeout=10000)
    window.mode_actions["ruler"].trigger()
    drag(qtbot, window.slice_views["axial"], (60, 120), (200, 120))
    window.mode_actions["angle"].trigger()
    for x, y in ((60, 300), (160, 300), (260, 200)):
        drag(qtbot, window.slice_views["axial"], (x, y), (x, y))
    assert len(window.controller.rulers) == 1 and len(window.controller.angles) == 1
    assert [line.split(":")[0] for line in lines(window)] == ["Ruler (axial)", "Angle (axial)"]
    shown = window.controller.volume
    open_image(qtbot, window, second)
    qtbot.waitUntil(lambda: window.controller.volume is not shown, timeout=30000)
    assert window.controller.rulers == [] and window.controller.angles == []
    assert lines(window) == []
    # what is measured on the new image is listed as before
    window.mode_actions["ruler"].trigger()
    drag(qtbot, window.slice_views["axial"], (60, 140), (200, 140))
    assert [line.split(":")[0] for line in lines(window)] == ["Ruler (axial)"]


def test_an_open_that_fails_keeps_the_images_measurements(qtbot, window, tmp_path):
    first, _ = write_image(tmp_path, "first")
    broken = tmp_path / "broken.nii.gz"
    broken.write_bytes(first.read_bytes()[:300])
    open_image(qtbot, window, first)
    qtbot.waitUntil(lambda: window.slice_views["axial"].last is not None, timeout=10000)
    window.mode_actions["ruler"].trigger()
    drag(qtbot, window.slice_views["axial"], (60, 120), (200, 120))
    before = lines(window)
    window.open_paths([broken])
    qtbot.waitUntil(lambda: not window.runner.busy and window.message_bar.isVisible(), timeout=30000)
    assert "broken.nii.gz" in window.message_bar.text
    assert lines(window) == before and len(window.controller.rulers) == 1
