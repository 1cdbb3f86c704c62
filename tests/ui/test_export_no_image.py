"""Exporting a view's picture (the window's API behind File > Export view) with no image open says
so in one line naming the file; nothing is written, and the window keeps working."""

from __future__ import annotations

import pytest
from editor_helpers import open_image, write_image

from neuroview.core.errors import NeuroviewError
from neuroview.render.png import read_png


def test_export_with_no_image_is_one_clear_error(qtbot, window, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for view in (None, "axial", "3d"):
        with pytest.raises(NeuroviewError) as raised:
            window.export_view(out / "view.png", view)
        assert str(raised.value) == f"{out / 'view.png'}: nothing to export, open an image first"
    with pytest.raises(NeuroviewError) as raised:
        window.export_all(out / "all.png")
    assert str(raised.value) == f"{out / 'all.png'}: nothing to export, open an image first"
    assert not any(out.iterdir())

    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)                          # the window still works
    window.export_view(out / "view.png", "axial")
    picture = read_png(out / "view.png")
    assert picture.shape[:2] == (window.slice_views["axial"].height(), window.slice_views["axial"].width())
    assert picture.std() > 10                                # the image, not a blank picture
