"""File > Export view draws the measurements the slice view shows: a ruler with its length and
the statistics rectangle with its figures (the PNG used to show the bare slice)."""

from __future__ import annotations

from measure_drawing import CYAN, coloured, drag, open_image

from neuroview.render.png import read_png

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def orange(rgb):
    """Orange, also blended over grey by antialiasing (the grey image has r = g = b), not the
    crosshair's gold (255, 215, 0) nor the letters over it."""
    r, g, b = (rgb[..., n].astype(int) for n in range(3))
    return (r - b > 80) & (r - g > 50)


def test_exported_view_shows_the_ruler_and_the_rectangle(qtbot, window, tmp_path):
    open_image(qtbot, window, tmp_path)
    axial = window.slice_views["axial"]
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (60, 120), (200, 120))
    window.mode_actions["rectangle"].trigger()
    drag(qtbot, axial, (90, 160), (160, 220))
    assert len(window.controller.rulers) == 1 and len(window.controller.rectangles) == 1
    window.export_view(tmp_path / "axial.png", "axial")
    picture = read_png(tmp_path / "axial.png")
    assert picture.shape[:2] == (axial.height(), axial.width())
    ruler = coloured(picture[118:123, 70:190], CYAN)
    assert ruler.any(axis=0).mean() > 0.9, "the ruler's line is missing from the PNG"
    assert coloured(picture[100:135, 200:280], CYAN, 60).sum() > 20, "its length is missing"
    top_edge = orange(picture[157:164, 95:145])
    assert top_edge.any(axis=0).mean() > 0.9, "the statistics rectangle is missing"
    assert orange(picture[220:280, 165:300]).sum() > 50, "its figures are missing"
    # the other views have no measurement: nothing of their colours is drawn there
    window.export_view(tmp_path / "coronal.png", "coronal")
    other = read_png(tmp_path / "coronal.png")

    assert not coloured(other, CYAN, 20).any() and not orange(other).any()


def test_four_up_export_shows_the_ruler(qtbot, window, tmp_path):
    open_image(qtbot, window, tmp_path)
    axial = window.slice_views["axial"]
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (60, 120), (200, 120))
    window.export_all(tmp_path / "all.png", 800, 800)
    picture = read_png(tmp_path / "all.png")
    assert coloured(picture[:400, :400], CYAN, 20).sum() > 50
    assert not coloured(picture[400:], CYAN, 20).any()


def test_a_name_typed_without_png_gets_it(qtbot, window, tmp_path, monkeypatch):
    """Qt's save dialog adds no suffix: a view exported as "lesion" was written to a file named
    "lesion", which no image viewer opened as a picture."""
    from PySide6.QtWidgets import QFileDialog

    open_image(qtbot, window, tmp_path)
    for typed, written, not_written in (("lesion", "lesion.png", "lesion"),
                                        ("views.PNG", "views.PNG", "views.PNG.png")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *args, name=typed, **k: (str(tmp_path / name), "PNG (*.png)"))
        window.export_view_dialog()
        assert read_png(tmp_path / written).shape[2] == 3
        assert not (tmp_path / not_written).exists()
