"""A CT scout (a topogram, ImageType LOCALIZER) with no header window opened at brain 80/40,
the body a white silhouette, and in four-up, where two views showed it as a line. It opens in
the one view that shows it whole (coronal, for a frontal topogram), at a window from its own
values; a double-click gives the layout back."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image
from pydicom.uid import CTImageStorage, generate_uid

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from window_files import small_dataset  # noqa: E402


def _topogram(path: Path) -> np.ndarray:
    """A frontal topogram 40 x 50 pixels, 4 mm each: air 0, a body of 1100, a spine of 2000
    (stored; -1024 to 976 HU once rescaled); the stored pixels, rows first."""
    ds = small_dataset(CTImageStorage, generate_uid())
    ds.Modality, ds.SeriesDescription = "CT", "Topogram 0.6 T20f"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "LOCALIZER"]
    ds.ImageOrientationPatient, ds.ImagePositionPatient = [1, 0, 0, 0, 0, -1], [-100, 0, 80]
    ds.PixelSpacing, ds.Rows, ds.Columns = [4.0, 4.0], 40, 50
    ds.RescaleSlope, ds.RescaleIntercept = "1", "-1024"
    pixels = np.zeros((40, 50), np.int16)
    pixels[5:35, 10:40], pixels[:, 24:26] = 1100, 2000
    ds.PixelData = pixels.tobytes()
    ds.save_as(path, enforce_file_format=True)
    return pixels


def test_a_scout_opens_alone_at_a_window_from_its_values(qtbot, window, tmp_path):
    pixels = _topogram(tmp_path / "TOPO.dcm")
    open_image(qtbot, window, tmp_path / "TOPO.dcm")
    controller = window.controller
    assert controller.views() == ("coronal",)                   # was the four views
    width, level = controller.state.window, controller.state.level
    assert (width, level) != (80.0, 40.0)
    hu = pixels - 1024.0
    body, spine, air = hu[20, 15], hu[20, 24], hu[0, 0]
    assert level - width / 2 <= air < body < spine <= level + width / 2   # three greys, told apart
    controller.toggle_maximised("coronal")
    assert controller.views() == ("axial", "sagittal", "coronal", "3d")


def test_the_view_menu_ticks_one_view_while_one_view_shows(qtbot, window, tmp_path):
    """A single-slice image opens in one view: *View > One view* is ticked (*Four-up* was, beside
    the one view drawn); the double-click back ticks *Four-up* again."""
    _topogram(tmp_path / "TOPO.dcm")
    open_image(qtbot, window, tmp_path / "TOPO.dcm")
    ticked = [name for name, action in window.layout_actions.items() if action.isChecked()]
    assert window.controller.views() == ("coronal",) and ticked == ["single"]
    window.controller.toggle_maximised("coronal")
    qtbot.waitUntil(lambda: window.slice_views["axial"].isVisible())
    assert window.layout_actions["four-up"].isChecked()
